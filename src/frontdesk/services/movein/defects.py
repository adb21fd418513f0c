"""验房问题: defects found when a new owner inspects the home, each with the party
responsible and a deadline, fixed, then re-inspected with the owner (复验) — the
seed's 快速记录、限时整改并及时反馈. Photos are attachments of the room's file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.file_store import sha256_of_file
from frontdesk.db.models import Attachment, Defect, DefectPhoto
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain import clock
from frontdesk.domain.movein import (
    DEFECT_AREAS,
    DEFECT_KINDS,
    RESPONSIBLE,
    DefectStatus,
    check_choice,
    check_deadline,
    overdue_days,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_text
from frontdesk.errors import EnvironmentProblem, NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.attachments import add_attachment, stored_attachments
from frontdesk.services.households.structure import room_places
from frontdesk.services.scope import scoped_room


@dataclass(frozen=True)
class DefectInput:
    area: str
    kind: str
    description: str
    responsible: str
    found_on: date
    deadline: date


@dataclass(frozen=True)
class DefectRow:
    id: int
    room_id: int
    room_code: str
    area: str
    kind: str
    description: str
    responsible: str
    found_on: date
    deadline: date
    status: DefectStatus
    recorded_by: str
    fixed_on: date | None
    fix_note: str
    checked_on: date | None
    check_note: str
    rechecks: int
    overdue_days: int
    photos: int


def add_defect(db: Database, actor: Actor, room_id: int, data: DefectInput) -> int:
    require(actor, Permission.MANAGE_MOVE_IN)
    if data.found_on > clock.today():
        raise ValidationError("验房日期", "不能晚于今天")
    values = {
        "area": check_choice(data.area, DEFECT_AREAS, "部位"),
        "kind": check_choice(data.kind, DEFECT_KINDS, "问题类别"),
        "description": clean_text(data.description, "问题描述", 500, required=True),
        "responsible": check_choice(data.responsible, RESPONSIBLE, "责任单位"),
        "found_on": data.found_on,
        "deadline": check_deadline(data.found_on, data.deadline),
    }
    with db.write(actor) as session:
        scoped_room(session, actor, Permission.MANAGE_MOVE_IN, room_id)
        defect = Defect(
            room_id=room_id,
            **values,
            status=DefectStatus.OPEN,
            **by_columns("recorded", actor),
        )
        session.add(defect)
        session.flush()
        return defect.id


def mark_fixed(db: Database, actor: Actor, defect_id: int, on: date, note: str) -> None:
    """The responsible party reports it repaired: it waits for the re-inspection."""
    require(actor, Permission.MANAGE_MOVE_IN)
    note = clean_text(note, "整改情况", 200, required=True)
    with db.write(actor) as session:
        defect = _defect(session, defect_id, actor)
        if defect.status != DefectStatus.OPEN:
            raise UserError(f"该问题{defect.status.label}，不能再登记整改。")
        if on < defect.found_on:
            raise ValidationError("整改日期", "不能早于验房日期")
        defect.status = DefectStatus.FIXED
        defect.fixed_on, defect.fix_note = on, note


def recheck(
    db: Database,
    actor: Actor,
    defect_id: int,
    on: date,
    passed: bool,
    note: str = "",
    new_deadline: date | None = None,
) -> None:
    """复验 with the owner: accepted closes it; refused sends it back with a new deadline."""
    require(actor, Permission.MANAGE_MOVE_IN)
    note = clean_text(note, "复验意见", 200, required=not passed)
    with db.write(actor) as session:
        defect = _defect(session, defect_id, actor)
        if defect.status != DefectStatus.FIXED:
            raise UserError("只有已整改待复验的问题才能复验。")
        if defect.fixed_on and on < defect.fixed_on:
            raise ValidationError("复验日期", "不能早于整改日期")
        if not passed:
            if new_deadline is None:
                raise ValidationError("新的整改期限", "复验不通过时请给出新的整改期限")
            defect.deadline = check_deadline(on, new_deadline)
        defect.status = DefectStatus.CLOSED if passed else DefectStatus.OPEN
        defect.checked_on, defect.check_note = on, note
        stamp(defect, "checked", actor)
        defect.rechecks += 1


def _defect(session: Session, defect_id: int, actor: Actor | None = None) -> Defect:
    """The defect; with an actor, one whose building they look after (管家责任制)."""
    defect = session.get(Defect, defect_id)
    if defect is None:
        raise NotFound("该验房问题不存在。")
    if actor is not None:
        scoped_room(session, actor, Permission.MANAGE_MOVE_IN, defect.room_id)
    return defect


def list_defects(
    db: Database,
    actor: Actor,
    *,
    room_id: int | None = None,
    open_only: bool = False,
    today: date | None = None,
) -> list[DefectRow]:
    """Defects, the overdue first (most days first), then by deadline."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    today = today or clock.today()
    query = select(Defect)
    if room_id is not None:
        query = query.where(Defect.room_id == room_id)
    if open_only:
        query = query.where(Defect.status != DefectStatus.CLOSED)
    with db.read() as session:
        defects = list(session.scalars(query))
        places = room_places(session, (d.room_id for d in defects))
        photos = _photo_counts(session, [d.id for d in defects])
    rows = [_row(d, places, photos, today) for d in defects]
    return sorted(rows, key=lambda r: (-r.overdue_days, r.status != DefectStatus.OPEN, r.deadline))


def _photo_counts(session: Session, ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    query = select(DefectPhoto.defect_id).where(DefectPhoto.defect_id.in_(ids))
    for (defect_id,) in session.execute(query):
        counts[defect_id] = counts.get(defect_id, 0) + 1
    return counts


def _row(
    d: Defect, places: dict[int, tuple[str, str]], photos: dict[int, int], today: date
) -> DefectRow:
    status = d.status
    return DefectRow(
        d.id,
        d.room_id,
        places.get(d.room_id, ("", ""))[0],
        d.area,
        d.kind,
        d.description,
        d.responsible,
        d.found_on,
        d.deadline,
        status,
        d.recorded_by,
        d.fixed_on,
        d.fix_note,
        d.checked_on,
        d.check_note,
        d.rechecks,
        overdue_days(status, d.deadline, today),
        photos.get(d.id, 0),
    )


# photos ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoRow:
    id: int
    title: str
    filename: str


def add_photo(db: Database, actor: Actor, defect_id: int, source: Path) -> int:
    require(actor, Permission.MANAGE_MOVE_IN)
    with db.read() as session:
        defect = _defect(session, defect_id)
        room_id, title = defect.room_id, f"验房问题：{defect.area}{defect.kind}"
    attachment = add_attachment(db, actor, room_id, source, "验房照片", title)
    with db.write(actor) as session:
        photo = DefectPhoto(room_id=room_id, defect_id=defect_id, attachment_id=attachment)
        session.add(photo)
        session.flush()
        return photo.id


def list_photos(db: Database, actor: Actor, defect_id: int) -> list[PhotoRow]:
    require(actor, Permission.VIEW_HOUSEHOLDS)
    query = (
        select(DefectPhoto.id, Attachment.title, Attachment.filename)
        .join(Attachment, DefectPhoto.attachment_id == Attachment.id)
        .where(DefectPhoto.defect_id == defect_id)
        .order_by(DefectPhoto.id)
    )
    with db.read() as session:
        return [PhotoRow(i, t, f) for i, t, f in session.execute(query)]


def photo_path(db: Database, actor: Actor, photo_id: int) -> Path:
    """The stored photo, after checking its bytes (a defect photo shows no one's
    personal data, so unlike an ID scan it is not an audited unmasking)."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        found = session.execute(
            select(Attachment.sha256, Attachment.title)
            .join(DefectPhoto, DefectPhoto.attachment_id == Attachment.id)
            .where(DefectPhoto.id == photo_id)
        ).first()
    if found is None:
        raise NotFound("该照片已不存在。")
    sha256, title = found
    path = stored_attachments(db).local_file(sha256)
    if path is None or sha256_of_file(path) != sha256:
        raise EnvironmentProblem(f"照片「{title}」的文件已丢失或被改动，请从备份恢复。")
    return path
