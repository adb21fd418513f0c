"""The files of work-order photos: checked (a JPEG or PNG photo within the size
limit), copied into the attachments store under their SHA-256 before the order's
transaction, and named by rows written inside it; what erasing an order's photos
leaves unused is unlinked after the commit.

The store is the household attachments' (services.households.attachments): one
store (a folder beside a file, a table on a server), copied by the backups, checked
by the database check, a file stored once however many rows name it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import WorkOrder, WorkOrderPhoto
from frontdesk.db.who import by_columns
from frontdesk.domain.order_photos import MAX_PHOTO_BYTES, MAX_PHOTOS, PhotoStage, photo_format
from frontdesk.domain.roles import Actor
from frontdesk.errors import UserError, ValidationError
from frontdesk.services.households.attachments import STORE_ROWS, stored_attachments
from frontdesk.services.store import Store

FIELD = "照片"


@dataclass(frozen=True)
class StagedPhoto:
    """A photo checked and already in the store, waiting for its row."""

    filename: str
    sha256: str
    size: int


def check_photo(source: Path) -> int:
    """The photo's size, once it is found to be a JPEG or PNG within the limit."""
    if not source.is_file():
        raise ValidationError(FIELD, f"找不到文件 {source.name}")
    size = source.stat().st_size
    if size > MAX_PHOTO_BYTES:
        limit = MAX_PHOTO_BYTES // (1024 * 1024)
        raise ValidationError(FIELD, f"「{source.name}」超过 {limit} MB，请压缩后再添加")
    with source.open("rb") as handle:
        head = handle.read(16)
    if photo_format(head) is None:
        raise ValidationError(FIELD, f"「{source.name}」不是 JPG 或 PNG 图片")
    return size


def stage_photos(store: Store, sources: Sequence[Path]) -> list[StagedPhoto]:
    """Check every photo, then put each into the store (never half a file). A file
    stored for an order whose transaction then fails is named by no row; the backups
    copy only what rows name."""
    if not sources:
        return []
    if len(sources) > MAX_PHOTOS:
        raise ValidationError(FIELD, f"一张工单最多 {MAX_PHOTOS} 张照片")
    if not isinstance(store, Database):
        raise UserError("照片需要随数据库的文件夹一起保存，请在单独的操作中添加。")
    sizes = [check_photo(source) for source in sources]
    staged: list[StagedPhoto] = []
    files = stored_attachments(store)
    for source, size in zip(sources, sizes, strict=True):
        staged.append(StagedPhoto(source.name[:200], files.put_file(source), size))
    return staged


def add_photo_rows(
    session: Session,
    actor: Actor,
    order: WorkOrder,
    staged: Sequence[StagedPhoto],
    stage: PhotoStage,
) -> list[int]:
    """The rows naming staged photos, in the order's transaction (the audit log
    records each); refused past MAX_PHOTOS for the order."""
    if not staged:
        return []
    held = session.scalar(
        select(func.count())
        .select_from(WorkOrderPhoto)
        .where(WorkOrderPhoto.work_order_id == order.id)
    )
    if (held or 0) + len(staged) > MAX_PHOTOS:
        raise ValidationError(FIELD, f"一张工单最多 {MAX_PHOTOS} 张照片（已有 {held} 张）")
    rows = [
        WorkOrderPhoto(
            work_order_id=order.id,
            room_id=order.room_id,
            stage=stage,
            filename=photo.filename,
            sha256=photo.sha256,
            size=photo.size,
            **by_columns("added", actor),
        )
        for photo in staged
    ]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def erase_order_photos(session: Session, order_ids: Sequence[int]) -> set[str]:
    """Delete the photo rows of these orders (a caller erased); returns the hashes no
    row names any more, to unlink once the transaction has committed."""
    if not order_ids:
        return set()
    where = WorkOrderPhoto.work_order_id.in_(order_ids)
    hashes = set(session.scalars(select(WorkOrderPhoto.sha256).where(where)))
    if not hashes:
        return set()
    session.execute(
        delete(WorkOrderPhoto).where(where).execution_options(synchronize_session=False)
    )
    return hashes - used_hashes(session, hashes)


def used_hashes(session: Session, hashes: Iterable[str]) -> set[str]:
    """Which of these stored files a row (an attachment, an order's, a lost item's or a
    parcel's photo) names."""
    wanted = list(hashes)
    used: set[str] = set()
    for model in STORE_ROWS:
        used |= set(session.scalars(select(model.sha256).where(model.sha256.in_(wanted))))
    return used


def unlink_stored(db: Database, hashes: Iterable[str]) -> None:
    stored_attachments(db).remove(hashes)
