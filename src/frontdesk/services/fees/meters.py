"""Meter readings (抄表): a grid per building and meter item, entered by hand or
imported from Excel, with warnings for a reading below the last one or far above
the room's usual use. A reading already billed is locked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Bill, Building, MeterReading, Room, Unit
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain import clock
from frontdesk.domain.fees import ReadingFormatError, parse_reading, reading_warning
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomStatus, RoomType, room_code
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.structure import room_id_in
from frontdesk.services.xlsx_read import open_rows

USUAL_MONTHS = 3  # the usual use is the average of this many earlier months


@dataclass(frozen=True)
class ReadingRow:
    room_id: int
    room_code: str
    previous_x100: int | None  # the last reading before this period
    current_x100: int | None  # this period's reading, if entered
    usual_x100: int | None
    billed: bool

    @property
    def warning(self) -> str:
        if self.current_x100 is None or self.previous_x100 is None:
            return ""
        return reading_warning(self.previous_x100, self.current_x100, self.usual_x100)


def reading_grid(
    db: Database, actor: Actor, fee_item_id: int, period: Period, building_id: int
) -> list[ReadingRow]:
    """Every lived-in or handed-over residence of the building, in floor order."""
    require(actor, Permission.ENTER_METER_READINGS)
    with db.read() as session:
        rooms = session.execute(
            select(Room.id, Building.code, Unit.code, Room.number)
            .join(Building, Room.building_id == Building.id)
            .outerjoin(Unit, Room.unit_id == Unit.id)
            .where(
                Room.building_id == building_id,
                Room.room_type == RoomType.RESIDENCE,
                Room.status != RoomStatus.UNSOLD,
            )
            .order_by(Unit.sort_key, Room.floor, Room.number)
        ).all()
        history = _history(session, fee_item_id, [r[0] for r in rooms], period)
        billed = set(
            session.scalars(
                select(Bill.room_id).where(
                    Bill.fee_item_id == fee_item_id, Bill.period == str(period)
                )
            )
        )
    rows = []
    for room_id, building, unit, number in rooms:
        past = history.get(room_id, [])
        current = next((r for p, r in past if p == str(period)), None)
        earlier = [(p, r) for p, r in past if p < str(period)]
        previous = earlier[-1][1][1] if earlier else (current[0] if current else None)
        uses = [r[1] - r[0] for _, r in earlier[-USUAL_MONTHS:]]
        rows.append(
            ReadingRow(
                room_id,
                room_code(building, unit, number),
                previous,
                current[1] if current else None,
                sum(uses) // len(uses) if uses else None,
                room_id in billed,
            )
        )
    return rows


def _history(
    session: Session, fee_item_id: int, room_ids: list[int], period: Period
) -> dict[int, list[tuple[str, tuple[int, int]]]]:
    found: dict[int, list[tuple[str, tuple[int, int]]]] = {}
    query = (
        select(
            MeterReading.room_id,
            MeterReading.period,
            MeterReading.previous_x100,
            MeterReading.current_x100,
        )
        .where(
            MeterReading.fee_item_id == fee_item_id,
            MeterReading.room_id.in_(room_ids),
            MeterReading.period <= str(period),
            MeterReading.period >= str(period.shifted(-(USUAL_MONTHS + 1))),
        )
        .order_by(MeterReading.period)
    )
    for room_id, reading_period, previous, current in session.execute(query):
        found.setdefault(room_id, []).append((reading_period, (previous, current)))
    return found


@dataclass(frozen=True)
class ReadingInput:
    room_id: int
    previous_x100: int
    current_x100: int


def save_readings(
    db: Database,
    actor: Actor,
    fee_item_id: int,
    period: Period,
    readings: list[ReadingInput],
    read_on: date | None = None,
) -> int:
    """Store the period's readings (all or none); a billed reading cannot change."""
    require(actor, Permission.ENTER_METER_READINGS)
    read_on = read_on or clock.today()
    with db.write(actor) as session:
        for reading in readings:
            _save(session, actor, fee_item_id, period, reading, read_on)
    return len(readings)


def _save(
    session: Session,
    actor: Actor,
    fee_item_id: int,
    period: Period,
    reading: ReadingInput,
    read_on: date,
) -> None:
    if reading.current_x100 < reading.previous_x100:
        raise ValidationError(
            f"{_code(session, reading.room_id)} 本次读数",
            "小于上次读数；换表时请把上次读数改为新表的起始读数",
        )
    if session.scalar(
        select(Bill.id).where(
            Bill.room_id == reading.room_id,
            Bill.fee_item_id == fee_item_id,
            Bill.period == str(period),
        )
    ):
        raise UserError(f"房屋 {_code(session, reading.room_id)} 本期已出账，读数不能再修改。")
    existing = session.scalar(
        select(MeterReading).where(
            MeterReading.room_id == reading.room_id,
            MeterReading.fee_item_id == fee_item_id,
            MeterReading.period == str(period),
        )
    )
    if existing is None:
        session.add(
            MeterReading(
                room_id=reading.room_id,
                fee_item_id=fee_item_id,
                period=str(period),
                previous_x100=reading.previous_x100,
                current_x100=reading.current_x100,
                read_on=read_on,
                **by_columns("read", actor),
            )
        )
    else:
        existing.previous_x100 = reading.previous_x100
        existing.current_x100 = reading.current_x100
        existing.read_on = read_on
        stamp(existing, "read", actor)


def _code(session: Session, room_id: int) -> str:
    room = session.get(Room, room_id)
    return room.audit_title() if room else str(room_id)


@dataclass(frozen=True)
class ImportedReading:
    row_number: int
    room_text: str
    reading: ReadingInput | None
    problem: str


def read_workbook(
    db: Database, actor: Actor, path: Path, fee_item_id: int, period: Period
) -> list[ImportedReading]:
    """Rows of 房号 | 上次读数 (optional) | 本次读数 from the first sheet, checked."""
    require(actor, Permission.ENTER_METER_READINGS)
    rows = list(open_rows(path, what="抄表文件"))  # a bad, huge or hostile file: refused whole
    found = []
    with db.read() as session:
        for number, values in enumerate(rows, 1):
            if number == 1 or not values or all(v in (None, "") for v in values):
                continue
            found.append(_imported(session, number, values, fee_item_id, period))
    return found


def _imported(
    session: Session, number: int, values: tuple[object, ...], fee_item_id: int, period: Period
) -> ImportedReading:
    room_text = str(values[0] or "").strip()
    cells = [str(v).strip() if v is not None else "" for v in values[1:3]]
    try:
        room_id = room_id_in(session, room_text)
    except UserError as exc:
        return ImportedReading(number, room_text, None, exc.message)
    try:
        current = parse_reading(cells[-1] if len(cells) > 1 and cells[1] else cells[0])
        previous = (
            parse_reading(cells[0])
            if len(cells) > 1 and cells[1] and cells[0]
            else _last_reading(session, room_id, fee_item_id, period)
        )
    except ReadingFormatError as exc:
        return ImportedReading(number, room_text, None, f"读数“{exc}”不是有效数字")
    except NotFound as exc:
        return ImportedReading(number, room_text, None, exc.message)
    return ImportedReading(number, room_text, ReadingInput(room_id, previous, current), "")


def _last_reading(session: Session, room_id: int, fee_item_id: int, period: Period) -> int:
    last = session.scalar(
        select(MeterReading.current_x100)
        .where(
            MeterReading.room_id == room_id,
            MeterReading.fee_item_id == fee_item_id,
            MeterReading.period < str(period),
        )
        .order_by(MeterReading.period.desc())
        .limit(1)
    )
    if last is None:
        raise NotFound("没有上次读数，请在表格中填写上次读数")
    return last
