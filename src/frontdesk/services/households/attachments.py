"""Scans kept with a household file (产权证, 身份证件, 合同…), stored by their SHA-256.

Files are kept in the attachments store (db/file_store.py: the folder beside a
database file, the server's table): the same scan added twice is stored once, and a
stored file whose bytes no longer match its hash is refused when opened. Opening one
shows personal data, so it needs the unmasking permission and is audited like any
unmasking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from frontdesk.db.audit import write_entry
from frontdesk.db.engine import Database
from frontdesk.db.file_store import FileStore, file_store, sha256_of_file
from frontdesk.db.models import (
    Attachment,
    DefectPhoto,
    FileArea,
    LostItem,
    Parcel,
    WorkOrderPhoto,
)
from frontdesk.db.who import by_columns
from frontdesk.domain.household import ATTACHMENT_KINDS
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import EnvironmentProblem, NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.scope import scoped_room

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    kind: str
    title: str
    filename: str
    size: int
    added_at: datetime
    added_by: str


def stored_attachments(db: Database) -> FileStore:
    """The store of scans and photos (households, work orders, defects share it)."""
    return file_store(db, FileArea.ATTACHMENTS)


def checked_file(db: Database, sha256: str, what: str) -> Path:
    """A file with the stored bytes (db/file_store.local_file), once they are found to
    be what was registered; `what` names it in the refusal (附件「…」)."""
    store = stored_attachments(db)
    path = store.local_file(sha256)
    if path is None:
        raise EnvironmentProblem(f"{what}的文件已丢失，请从备份恢复：{store.location(sha256)}")
    if sha256_of_file(path) != sha256:
        raise EnvironmentProblem(f"{what}的文件已被改动，与登记时不符，已拒绝打开。")
    return path


def add_attachment(
    db: Database, actor: Actor, room_id: int, source: Path, kind: str, title: str
) -> int:
    if kind not in ATTACHMENT_KINDS:
        raise ValidationError("附件类别", f"只能是{'、'.join(ATTACHMENT_KINDS)}")
    title = title.strip() or source.stem
    if len(title) > 100:
        raise ValidationError("附件标题", "不能超过 100 个字")
    if not source.is_file():
        raise ValidationError("附件文件", f"找不到文件 {source}")
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError("附件文件", "不能超过 20 MB（扫描件请用 PDF 或 JPG 压缩后再添加）")
    with db.read() as session:
        scoped_room(session, actor, Permission.EDIT_HOUSEHOLDS, room_id)
    sha256 = stored_attachments(db).put_file(source)
    with db.write(actor) as session:
        record = Attachment(
            room_id=room_id,
            kind=kind,
            title=title,
            filename=source.name[:200],
            sha256=sha256,
            size=size,
            **by_columns("added", actor),
        )
        session.add(record)
        session.flush()
        return record.id


def list_attachments(db: Database, actor: Actor, room_id: int) -> list[AttachmentRow]:
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        query = select(Attachment).where(Attachment.room_id == room_id).order_by(Attachment.id)
        return [
            AttachmentRow(a.id, a.kind, a.title, a.filename, a.size, a.added_at, a.added_by)
            for a in session.scalars(query)
        ]


def open_attachment(db: Database, actor: Actor, attachment_id: int) -> Path:
    """The stored file's path, after checking its bytes; the opening is audited."""
    with db.write(actor) as session:
        record = session.get(Attachment, attachment_id)
        if record is None:
            raise NotFound("该附件已不存在，请刷新后重试。")
        scoped_room(session, actor, Permission.REVEAL_PERSONAL_DATA, record.room_id)
        path = checked_file(db, record.sha256, f"附件「{record.title}」")
        write_entry(
            session.connection(),
            actor,
            "reveal",
            "attachment",
            str(record.id),
            f"打开附件「{record.title}」",
            room_id=record.room_id,
        )
    return path


# The rows naming files in this one store: scans, and order, lost-item and parcel photos.
STORE_ROWS = (Attachment, WorkOrderPhoto, LostItem, Parcel)


def remove_attachment(db: Database, actor: Actor, attachment_id: int) -> None:
    """Remove the row; the stored file goes too unless another row still names it."""
    with db.write(actor) as session:
        record = session.get(Attachment, attachment_id)
        if record is None:
            raise NotFound("该附件已不存在，请刷新后重试。")
        scoped_room(session, actor, Permission.EDIT_HOUSEHOLDS, record.room_id)
        if session.scalar(select(DefectPhoto.id).where(DefectPhoto.attachment_id == record.id)):
            raise UserError("该附件是验房问题的照片，随验房记录保存，不能在此删除。")
        sha256 = record.sha256
        session.delete(record)
        session.flush()
        still_used = any(
            session.scalar(select(model.id).where(model.sha256 == sha256).limit(1))
            for model in STORE_ROWS
        )
    if not still_used:
        stored_attachments(db).remove([sha256])
