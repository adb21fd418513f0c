"""Photos of a work order (工单照片): taken at intake (with the order, in its
transaction: services.service_desk.orders.take_order) or added later, above all the
worker's photos after the repair; listed with the order and opened full size.

Opening a photo checks its bytes against the hash it was stored under and is
recorded in the audit log, like opening a household's scan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.engine import Database
from frontdesk.db.models import WorkOrderPhoto
from frontdesk.domain.order_photos import PhotoStage
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import NotFound
from frontdesk.services.access import require
from frontdesk.services.households.attachments import checked_file, stored_attachments
from frontdesk.services.service_desk.orders import check_scope, load
from frontdesk.services.service_desk.photo_files import add_photo_rows, stage_photos
from frontdesk.services.store import reading

PERMISSION = Permission.TAKE_WORK_ORDERS


@dataclass(frozen=True)
class PhotoRow:
    id: int
    stage: PhotoStage
    filename: str
    size: int
    added_at: datetime
    added_by: str
    sha256: str  # the stored file (attachments.stored_attachments), for a thumbnail

    def stored(self, db: Database) -> Path | None:
        """The stored file as it is, unchecked (None when missing): for a thumbnail;
        open_photo checks it."""
        return stored_attachments(db).local_file(self.sha256)


def attach_photo(
    db: Database,
    actor: Actor,
    order_id: int,
    source: Path,
    stage: PhotoStage = PhotoStage.WORK,
) -> int:
    """Add a photo to an order (the worker's after the repair, or one the caller sends
    later); the file is checked and stored, then its row written."""
    require(actor, PERMISSION)
    with db.read() as session:
        check_scope(session, actor, load(session, order_id))
    staged = stage_photos(db, [source])
    with db.write(actor) as session:
        order = load(session, order_id)
        check_scope(session, actor, order)
        (photo_id,) = add_photo_rows(session, actor, order, staged, stage)
        return photo_id


def photos_of(session: Session, order_id: int) -> tuple[PhotoRow, ...]:
    found = session.scalars(
        select(WorkOrderPhoto)
        .where(WorkOrderPhoto.work_order_id == order_id)
        .order_by(WorkOrderPhoto.id)  # as added: a clock set per process may run back
    )
    return tuple(
        PhotoRow(
            p.id,
            p.stage,
            p.filename,
            p.size,
            p.added_at,
            p.added_by,
            p.sha256,
        )
        for p in found
    )


def list_photos(db: Database, actor: Actor, order_id: int) -> list[PhotoRow]:
    require(actor, PERMISSION)
    with reading(db) as session:
        check_scope(session, actor, load(session, order_id))
        return list(photos_of(session, order_id))


def open_photo(db: Database, actor: Actor, photo_id: int) -> Path:
    """The stored file's path, after checking its bytes; the opening is audited."""
    require(actor, PERMISSION)
    with db.write(actor) as session:
        photo = session.get(WorkOrderPhoto, photo_id)
        if photo is None:
            raise NotFound("该照片已不存在，请刷新后重试。")
        order = load(session, photo.work_order_id)
        check_scope(session, actor, order)
        path = checked_file(db, photo.sha256, f"工单照片「{photo.filename}」")
        write_entry(
            session.connection(),
            actor,
            "reveal",
            "work_order_photo",
            str(photo.id),
            f"打开工单 {order.number} 的照片「{photo.filename}」",
            room_id=photo.room_id,
        )
    return path
