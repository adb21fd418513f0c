"""Move-in (入伙): handover batches and appointments, each room's checklist, and
completing a handover, which sets the room's status, handover date (fees run from
it) and the household's move-in date.

A step's detail is kept as JSON by step; `movein_steps` validates and summarises it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Building,
    Defect,
    Handover,
    HandoverBatch,
    HandoverStep,
    HouseholdProfile,
    Room,
    Unit,
)
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain import clock
from frontdesk.domain.movein import (
    DefectStatus,
    Progress,
    Step,
    missing_steps,
    progress_of,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomStatus, RoomType, room_code
from frontdesk.domain.text import clean_text
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.billing import bill_room_catch_up
from frontdesk.services.households.file import owner_names
from frontdesk.services.households.structure import room_places
from frontdesk.services.movein.steps import (
    check_fee_receipts,
    fee_months_in,
    owner_file_detail,
    save_cards,
    step_detail,
    step_summary,
    validated_detail,
)
from frontdesk.services.scope import require_in_scope, scoped_room

Detail = dict[str, Any]


# batches -------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchRow:
    id: int
    name: str
    starts_on: date
    ends_on: date
    rooms: int
    handed_over: int


def create_batch(
    db: Database,
    actor: Actor,
    name: str,
    starts_on: date,
    ends_on: date,
    building_ids: list[int],
    today: date | None = None,
) -> int:
    """A batch of every residence in the buildings not yet handed over; their
    入伙通知书 are issued `today` (the date the notices carry)."""
    require(actor, Permission.MANAGE_MOVE_IN)
    today = today or clock.today()
    name = clean_text(name, "批次名称", 60, required=True)
    if ends_on < starts_on:
        raise ValidationError("结束日期", "不能早于开始日期")
    if not building_ids:
        raise ValidationError("楼栋", "请至少选择一栋")
    with db.write(actor) as session:
        for building in session.scalars(select(Building).where(Building.id.in_(building_ids))):
            require_in_scope(actor, Permission.MANAGE_MOVE_IN, building)
        batch = HandoverBatch(
            name=name, starts_on=starts_on, ends_on=ends_on, **by_columns("created", actor)
        )
        session.add(batch)
        session.flush()
        due = (
            Room.building_id.in_(building_ids)
            & (Room.room_type == RoomType.RESIDENCE)
            & (Room.status == RoomStatus.UNSOLD)
            & Room.handover_on.is_(None)
        )
        new = session.scalars(
            select(Room.id)
            .outerjoin(Handover, Handover.room_id == Room.id)
            .where(due, Handover.id.is_(None))
        ).all()
        # Rooms whose move-in was started at the counter before any batch join it.
        started = session.scalars(
            select(Handover)
            .join(Room, Handover.room_id == Room.id)
            .where(due, Handover.batch_id.is_(None), Handover.completed_on.is_(None))
        ).all()
        if not new and not started:
            raise UserError("所选楼栋没有待交付的住宅（已交房或已在其他批次中）。")
        session.add_all(
            Handover(room_id=room_id, batch_id=batch.id, notice_on=today) for room_id in new
        )
        for handover in started:
            handover.batch_id = batch.id
            handover.notice_on = handover.notice_on or today
        return batch.id


def list_batches(db: Database, actor: Actor) -> list[BatchRow]:
    require(actor, Permission.VIEW_HOUSEHOLDS)
    query = (
        select(
            HandoverBatch,
            func.count(Handover.id),
            func.count(Handover.completed_on),
        )
        .outerjoin(Handover, Handover.batch_id == HandoverBatch.id)
        .group_by(HandoverBatch.id)
        .order_by(HandoverBatch.starts_on.desc())
    )
    with db.read() as session:
        return [
            BatchRow(b.id, b.name, b.starts_on, b.ends_on, rooms, done)
            for b, rooms, done in session.execute(query)
        ]


@dataclass(frozen=True)
class BoardRow:
    room_id: int
    room_code: str
    building: str
    owners: str
    appointment_at: datetime | None
    progress: Progress
    steps_done: int
    open_defects: int


@dataclass(frozen=True)
class BatchBoard:
    rows: list[BoardRow]

    def counts(self) -> dict[str, Counter[Progress]]:
        """Rooms per progress, by building."""
        by_building: dict[str, Counter[Progress]] = {}
        for row in self.rows:
            by_building.setdefault(row.building, Counter())[row.progress] += 1
        return by_building


def batch_board(db: Database, actor: Actor, batch_id: int) -> BatchBoard:
    """Each room of the batch at a glance, in building, unit and floor order."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    query = (
        select(Handover, Room, Building, Unit)
        .join(Room, Handover.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .where(Handover.batch_id == batch_id)
        .order_by(Building.sort_key, Building.code, Unit.sort_key, Room.floor, Room.number)
    )
    with db.read() as session:
        found = list(session.execute(query))
        ids = [room.id for _, room, _, _ in found]
        steps = _counts(session, HandoverStep, ids)
        defects = _counts(session, Defect, ids, Defect.status != DefectStatus.CLOSED)
        owners = owner_names(session, ids)
    return BatchBoard(
        [
            BoardRow(
                room.id,
                room_code(building.code, unit.code if unit else None, room.number),
                building.name,
                "、".join(owners.get(room.id, [])),
                handover.appointment_at,
                _progress(handover, room, steps.get(room.id, 0)),
                steps.get(room.id, 0),
                defects.get(room.id, 0),
            )
            for handover, room, building, unit in found
        ]
    )


def _counts(session: Session, model: Any, ids: list[int], *where: Any) -> dict[int, int]:
    query = (
        select(model.room_id, func.count())
        .where(model.room_id.in_(ids), *where)
        .group_by(model.room_id)
    )
    return {room_id: count for room_id, count in session.execute(query)}


def _progress(handover: Handover, room: Room, steps_done: int) -> Progress:
    return progress_of(
        handover.appointment_at is not None,
        steps_done,
        handover.completed_on is not None,
        room.status == RoomStatus.OCCUPIED,
    )


def set_appointment(
    db: Database, actor: Actor, room_id: int, at: datetime | None, now: datetime | None = None
) -> None:
    """Book (or clear, with None) the room's time at the move-in counter."""
    require(actor, Permission.MANAGE_MOVE_IN)
    if at is not None and at < (now or utcnow()):
        raise ValidationError("预约时间", "不能早于现在")
    with db.write(actor) as session:
        _require_scope(session, actor, room_id)
        handover = _handover(session, room_id, create=True)
        if handover.completed_on is not None:
            raise UserError("该户已办完入伙手续。")
        handover.appointment_at = at


def _require_scope(session: Session, actor: Actor, room_id: int) -> None:
    """Butlers keep move-ins of their own buildings only (管家责任制)."""
    scoped_room(session, actor, Permission.MANAGE_MOVE_IN, room_id)


def _handover(session: Session, room_id: int, *, create: bool = False) -> Handover:
    handover = session.scalar(select(Handover).where(Handover.room_id == room_id))
    if handover is not None:
        return handover
    if not create:
        raise NotFound("该户还没有入伙办理记录。")
    room = session.get(Room, room_id)
    if room is None:
        raise NotFound("房屋不存在。")
    if room.handover_on is not None:
        raise UserError(f"该房屋已于 {room.handover_on:%Y-%m-%d} 交房，无需再办理入伙手续。")
    if room.status != RoomStatus.UNSOLD:
        raise UserError(f"该房屋状态为“{room.status.label}”，不是待交付的房屋，无需办理入伙手续。")
    handover = Handover(room_id=room_id, notice_on=clock.today())  # the notice goes out now
    session.add(handover)
    session.flush()
    return handover


# the checklist ---------------------------------------------------------------------


@dataclass(frozen=True)
class StepRow:
    step: Step
    done: bool
    summary: str
    done_by: str
    done_at: datetime | None
    detail: Detail


@dataclass(frozen=True)
class Checklist:
    room_id: int
    room_code: str
    place: str
    owners: tuple[str, ...]
    batch: str
    appointment_at: datetime | None
    completed_on: date | None
    completed_by: str
    progress: Progress
    steps: tuple[StepRow, ...]
    fee_months: int
    has_record: bool  # False: no move-in here (an older owner, or not in any batch yet)
    room_status: RoomStatus
    handover_on: date | None
    notice_on: date | None = None  # the 入伙通知书 was issued

    @property
    def keys_on(self) -> date | None:
        """The day the keys were handed over, as the checklist records it."""
        done_at = self.row(Step.KEYS).done_at
        return done_at.astimezone().date() if done_at else None

    @property
    def missing(self) -> list[Step]:
        return missing_steps({s.step for s in self.steps if s.done})

    def row(self, step: Step) -> StepRow:
        return next(s for s in self.steps if s.step == step)


def checklist(db: Database, actor: Actor, room_id: int) -> Checklist:
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        room = session.get(Room, room_id)
        if room is None:
            raise NotFound("房屋不存在。")
        handover = session.scalar(select(Handover).where(Handover.room_id == room_id))
        done = (
            {
                s.step: s
                for s in session.scalars(
                    select(HandoverStep).where(HandoverStep.handover_id == handover.id)
                )
            }
            if handover
            else {}
        )
        batch = (
            session.get(HandoverBatch, handover.batch_id)
            if handover and handover.batch_id
            else None
        )
        code, place = room_places(session, [room_id])[room_id]
        owners = tuple(owner_names(session, [room_id]).get(room_id, []))
        months = fee_months_in(session)
        steps = tuple(_step_row(session, step, done.get(step)) for step in Step)
    progress = (
        _progress(handover, room, len(done)) if handover else progress_of(False, 0, False, False)
    )
    return Checklist(
        room_id,
        code,
        place,
        owners,
        batch.name if batch else "",
        handover.appointment_at if handover else None,
        handover.completed_on if handover else None,
        handover.completed_by if handover else "",
        progress,
        steps,
        months,
        handover is not None,
        room.status,
        room.handover_on,
        handover.notice_on if handover else None,
    )


def _step_row(session: Session, step: Step, stored: HandoverStep | None) -> StepRow:
    if stored is None:
        return StepRow(step, False, "", "", None, {})
    detail = step_detail(session, stored)
    return StepRow(step, True, step_summary(step, detail), stored.done_by, stored.done_at, detail)


def record_step(
    db: Database,
    actor: Actor,
    room_id: int,
    step: Step,
    detail: Detail,
    at: datetime | None = None,
) -> StepRow:
    """Record (or record again, correcting) one step of the room's checklist, done now
    or `at` (a step entered afterwards: the keys were handed over then)."""
    require(actor, Permission.MANAGE_MOVE_IN)
    now = utcnow()
    if at is not None and at > now:
        raise ValidationError("办理时间", "不能晚于现在")
    with db.write(actor) as session:
        _require_scope(session, actor, room_id)
        handover = _handover(session, room_id, create=True)
        if handover.completed_on is not None:
            raise UserError("该户已办完入伙手续，清单不能再改。")
        clean = validated_detail(session, room_id, step, detail)
        stored = session.scalar(
            select(HandoverStep).where(
                HandoverStep.handover_id == handover.id, HandoverStep.step == step
            )
        )
        if stored is None:
            stored = HandoverStep(room_id=room_id, handover_id=handover.id, step=step.value)
            session.add(stored)
        cards = clean.pop("cards") if step == Step.CARDS else []
        stored.detail = json.dumps(clean, ensure_ascii=False)
        stored.done_at = at or now
        stamp(stored, "done", actor)
        session.flush()
        if step == Step.CARDS:
            save_cards(session, stored, cards)
            session.flush()
        return _step_row(session, step, stored)


# completing ------------------------------------------------------------------------


def complete_handover(db: Database, actor: Actor, room_id: int, on: date) -> None:
    """All required steps done: the room is handed over on `on` (its fees run from
    that day) and the household's move-in date is set."""
    require(actor, Permission.MANAGE_MOVE_IN)
    if on > clock.today():
        raise ValidationError("交房日期", "不能晚于今天")
    with db.write(actor) as session:
        _require_scope(session, actor, room_id)
        handover = _handover(session, room_id)
        if handover.completed_on is not None:
            raise UserError(f"该户已于 {handover.completed_on:%Y-%m-%d} 办完入伙手续。")
        done = {
            s.step: json.loads(s.detail)
            for s in session.scalars(
                select(HandoverStep).where(HandoverStep.handover_id == handover.id)
            )
        }
        missing = missing_steps(set(done))
        if missing:
            raise ValidationError(missing[0].label, "尚未办理，不能完成入伙")
        # What was true when recorded must still be: a receipt voided or refunded since,
        # an owner removed from the file.
        check_fee_receipts(session, room_id, list(done[Step.FEES].get("receipts", [])))
        owner_file_detail(session, room_id)
        room = session.get(Room, room_id)
        assert room is not None
        handover.completed_on = on
        stamp(handover, "completed", actor)
        room.status = RoomStatus.HANDED_OVER
        room.handover_on = on
        profile = session.scalar(
            select(HouseholdProfile).where(HouseholdProfile.room_id == room_id)
        )
        if profile is None:
            session.add(HouseholdProfile(room_id=room_id, move_in_on=on))
        elif profile.move_in_on is None:
            profile.move_in_on = on
        session.flush()
        bill_room_catch_up(session, actor, room_id, clock.today())


def mark_moved_in(db: Database, actor: Actor, room_id: int) -> None:
    """The owner has moved in: the room shows as 已入住."""
    require(actor, Permission.MANAGE_MOVE_IN)
    with db.write(actor) as session:
        _require_scope(session, actor, room_id)
        handover = _handover(session, room_id)
        if handover.completed_on is None:
            raise UserError("请先办完入伙手续。")
        room = session.get(Room, room_id)
        assert room is not None
        room.status = RoomStatus.OCCUPIED
