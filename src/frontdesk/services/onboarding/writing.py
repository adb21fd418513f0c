"""Committing a checked import: every new row written all or nothing, each naming the
import that added it.

The rows go in with Core inserts in chunks, in short steps (services/steps.py), so a
payment at another counter waits for one step, never for the whole file; a failure
part way takes away what the earlier steps wrote. The carried-over bills and prepaid
entries are sealed in the audit log like a billing run's (db/bulk_audit.py); the
other tables get one entry per chunk naming the import, and the import one summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import Base, utcnow
from frontdesk.db.bulk_audit import bulk_sealed, insert_rows
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Bill,
    Building,
    HouseholdProfile,
    ImportBatch,
    ImportedPayment,
    MeterReading,
    OpeningDeposit,
    PaidThrough,
    Person,
    PrepaidEntry,
    Room,
    Unit,
)
from frontdesk.db.phone_index import reindex
from frontdesk.db.protection import current_phone_cipher, require_key
from frontdesk.db.who import by_columns
from frontdesk.domain.money import format_yuan
from frontdesk.domain.names import pinyin_keys
from frontdesk.domain.onboarding import ImportKind, ReadResult, Totals
from frontdesk.domain.roles import Actor
from frontdesk.domain.rooms import room_code
from frontdesk.errors import UserError
from frontdesk.services.households.file import name_keys
from frontdesk.services.onboarding.checking import (
    CARRIED_BILL,
    CARRIED_PREPAID,
    ImportPlan,
    require_import,
    resolve,
)
from frontdesk.services.onboarding.on_file import load_on_file, on_file_mark
from frontdesk.services.onboarding.totals import database_totals, totals_json
from frontdesk.services.onboarding.undoing import remove_batch
from frontdesk.services.onboarding.work import Work
from frontdesk.services.progress import NO_PROGRESS, Progress
from frontdesk.services.steps import write_steps

CHUNK = 1000  # rows a chunk inserts; a step takes chunks until its time is up
PEOPLE_CHUNK = 250  # people are sealed and indexed by phone: slower rows
# A step's length: a counter waits at most about this long, and the pauses between
# steps (services/steps.py) add a fifth to the import's time, not a half.
STEP_SECONDS = 0.5

Chunk = Callable[[Session], None]


@dataclass(frozen=True)
class ImportDone:
    batch_id: int  # 0 when the file added nothing (every line already on file)
    before: Totals
    added: Totals
    after: Totals


def commit_import(
    db: Database,
    actor: Actor,
    plan: ImportPlan,
    *,
    buildings_confirmed: bool,
    progress: Progress = NO_PROGRESS,
) -> ImportDone:
    """Write what the plan adds, all or nothing. Refused while the file has refused
    rows (the report names them: the clerk mends the file), or new buildings the clerk
    has not confirmed. The lines are matched again first: a room or bill another
    counter added since the check is matched, not doubled."""
    require_import(actor, plan.read)
    if plan.refusals:
        raise UserError(
            f"文件中有 {len(plan.refusals)} 处被拒绝，未导入任何数据；"
            "请按检查报告修改文件后重新导入。"
        )
    with db.read() as session:
        if plan.read.people:
            require_key()
        work = plan.work
        if work is None or on_file_mark(session) != plan.mark:
            on_file = load_on_file(session, plan.read)
            work = resolve(plan.read, on_file, validated=plan.validated)
        before = database_totals(session)
    if work.refusals:
        raise UserError("检查之后系统中的数据有了变化，有的行现在会被拒绝；请重新检查后再导入。")
    if work.buildings and not buildings_confirmed:
        raise UserError(f"将新建楼栋：{'、'.join(sorted(work.buildings))}，请先确认。")
    added = work.adds()
    if added == Totals():
        return ImportDone(0, before, added, before)
    # The new people's search keys (pinyin), before the write lock is taken.
    keys_of = cache(pinyin_keys)  # names repeat
    people = [
        (code, {**values, **name_keys(keys_of(values["name"]))}) for code, values in work.people
    ]
    work = replace(work, people=people)  # the plan's own stays as the check found it
    batch_id = _open_batch(db, actor, plan, added)
    writer = _Writer(actor, plan.file.name, batch_id)
    chunks = writer.chunks(work)
    try:
        write_steps(
            db,
            actor,
            chunks,
            _run_chunks,
            writer.finish(added),
            progress,
            batch_rows=1,
            step_seconds=STEP_SECONDS,
        )
    except BaseException:
        remove_batch(db, actor, batch_id, failed=True)
        raise
    with db.read() as session:
        after = database_totals(session)
    return ImportDone(batch_id, before, added, after)


def _run_chunks(session: Session, chunks: list[Chunk]) -> None:
    for chunk in chunks:
        chunk(session)


def kinds_of(read: ReadResult) -> list[ImportKind]:
    found = {
        ImportKind.ROOMS: read.rooms,
        ImportKind.PEOPLE: read.people,
        ImportKind.BALANCES: read.arrears or read.prepaid or read.paid_through or read.deposits,
        ImportKind.HISTORY: read.history,
        ImportKind.METERS: read.meters,
    }
    return [kind for kind, lines in found.items() if lines]


def _open_batch(db: Database, actor: Actor, plan: ImportPlan, added: Totals) -> int:
    with db.write(actor) as session:
        batch = ImportBatch(
            file_name=plan.file.name[:200],
            file_sha256=plan.file.sha256,
            sheets="、".join(plan.file.sheets)[:200],
            kinds=",".join(kinds_of(plan.read)),
            **by_columns("imported", actor),
            totals=totals_json(file=plan.file_totals, added=added),
        )
        session.add(batch)
        session.flush()
        return batch.id


def _chunks(rows: Sequence[Any], size: int = CHUNK) -> list[Sequence[Any]]:
    return [rows[start : start + size] for start in range(0, len(rows), size)]


def _table(model: type[Base]) -> Table:
    return model.__table__  # type: ignore[return-value]


class _Writer:
    """The chunks of one import, in order: structure first (later chunks find the new
    rooms' ids in `rooms`), then people, then money."""

    def __init__(self, actor: Actor, file_name: str, batch_id: int) -> None:
        self.actor = actor
        self.file_name = file_name
        self.batch_id = batch_id
        self.buildings: dict[str, int] = {}
        self.units: dict[tuple[str, str], int] = {}
        self.rooms: dict[str, int] = {}

    def chunks(self, work: Work) -> list[Chunk]:
        found: list[Chunk] = [self._load_ids]
        if work.buildings:
            found.append(lambda s: self._buildings(s, work.buildings))
        if work.units:
            found.append(lambda s: self._units(s, work.units))
        found += [self._bind(self._rooms, part) for part in _chunks(work.rooms)]
        profiles = list(work.profiles.items())
        found += [self._bind(self._profiles, part) for part in _chunks(profiles)]
        found += [self._bind(self._people, part) for part in _chunks(work.people, PEOPLE_CHUNK)]
        found += [self._bind(self._bills, part) for part in _chunks(work.bills)]
        found += [self._bind(self._prepaid, part) for part in _chunks(work.prepaid)]
        found += [self._bind(self._paid_through, part) for part in _chunks(work.paid_through)]
        found += [self._bind(self._deposits, part) for part in _chunks(work.deposits)]
        found += [self._bind(self._history, part) for part in _chunks(work.history)]
        found += [self._bind(self._meters, part) for part in _chunks(work.meters)]
        return found

    @staticmethod
    def _bind(write: Callable[[Session, Sequence[Any]], None], part: Sequence[Any]) -> Chunk:
        return lambda session: write(session, part)

    def finish(self, added: Totals) -> Callable[[Session], None]:
        def write_summary(session: Session) -> None:
            write_entry(
                session.connection(),
                self.actor,
                "import",
                "import_batch",
                str(self.batch_id),
                f"数据导入「{self.file_name}」：房屋 {added.rooms} 间，人员 {added.people} 人，"
                f"期初欠费 {added.arrears_lines} 笔 {format_yuan(added.arrears_fen)} 元，"
                f"期初预存 {format_yuan(added.prepaid_fen)} 元，"
                f"押金 {format_yuan(added.deposits_fen)} 元，历史缴费 {added.history_lines} 笔，"
                f"抄表 {added.meter_readings} 条",
            )

        return write_summary

    # ids ---------------------------------------------------------------------------

    def _load_ids(self, session: Session) -> None:
        self.buildings = {c: i for c, i in session.execute(select(Building.code, Building.id))}
        self.units = {
            (b, u): unit_id
            for unit_id, b, u in session.execute(
                select(Unit.id, Building.code, Unit.code).join(
                    Building, Unit.building_id == Building.id
                )
            )
        }
        self.rooms = self._room_ids(session, None)

    def _room_ids(self, session: Session, after: int | None) -> dict[str, int]:
        query = (
            select(Room.id, Building.code, Unit.code, Room.number)
            .join(Building, Room.building_id == Building.id)
            .outerjoin(Unit, Room.unit_id == Unit.id)
        )
        if after is not None:
            query = query.where(Room.import_id == self.batch_id, Room.id > after)
        return {room_code(b, u, n): room_id for room_id, b, u, n in session.execute(query)}

    # writing -----------------------------------------------------------------------

    def _insert(self, session: Session, model: type[Base], rows: list[dict[str, Any]]) -> int:
        """Insert the rows, with one audit entry naming the import; the largest id
        before them (their ids follow it)."""
        table = _table(model)
        connection = session.connection()
        before = int(
            connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        )
        for row in rows:
            row["import_id"] = self.batch_id
        insert_rows(connection, table, rows)
        write_entry(
            connection,
            self.actor,
            "import",
            table.name,
            str(self.batch_id),
            f"数据导入「{self.file_name}」：新增{model.__audit_label__} {len(rows)} 条",
        )
        return before

    def _buildings(self, session: Session, buildings: dict[str, tuple[str, int]]) -> None:
        rows = [
            {
                "code": code,
                "name": name,
                "sort_key": int(code) if code.isdigit() else 10_000,
                "floors": floors,
                "note": "",
                "butler_id": None,
            }
            for code, (name, floors) in buildings.items()
        ]
        self._insert(session, Building, rows)
        query = select(Building.code, Building.id).where(Building.import_id == self.batch_id)
        self.buildings.update({code: building_id for code, building_id in session.execute(query)})

    def _units(self, session: Session, units: list[tuple[str, str]]) -> None:
        rows = [
            {
                "building_id": self.buildings[b],
                "code": u,
                "sort_key": int(u) if u.isdigit() else 0,
            }
            for b, u in units
        ]
        self._insert(session, Unit, rows)
        query = (
            select(Unit.id, Building.code, Unit.code)
            .join(Building, Unit.building_id == Building.id)
            .where(Unit.import_id == self.batch_id)
        )
        self.units.update({(b, u): unit_id for unit_id, b, u in session.execute(query)})

    def _rooms(self, session: Session, rooms: Sequence[Any]) -> None:
        rows = [
            {
                "building_id": self.buildings[room.key.building],
                "unit_id": self.units[(room.key.building, room.key.unit)]
                if room.key.unit is not None
                else None,
                "number": room.key.number,
                "floor": room.floor,
                "area_m2_x100": room.area_x100,
                "room_type": room.room_type,
                "status": room.status,
                "handover_on": room.handover_on,
            }
            for room in rooms
        ]
        before = self._insert(session, Room, rows)
        self.rooms.update(self._room_ids(session, before))

    def _profiles(self, session: Session, profiles: Sequence[Any]) -> None:
        rows = [
            {
                "room_id": self.rooms[code],
                "move_in_on": move_in_on,
                "contact_preference": "",
                "tags": "",
                "notes": "",
            }
            for code, move_in_on in profiles
        ]
        self._insert(session, HouseholdProfile, rows)

    def _people(self, session: Session, people: Sequence[Any]) -> None:
        rows = [
            {"room_id": self.rooms[code], **values, "left_on": None, "left_reason": ""}
            for code, values in people
        ]
        before = self._insert(session, Person, rows)
        connection = session.connection()
        ids = session.scalars(
            select(Person.id)
            .where(Person.import_id == self.batch_id, Person.id > before)
            .order_by(Person.id)
        ).all()
        cipher = current_phone_cipher()
        if cipher is not None:
            phones = [
                (row_id, values["phone"]) for row_id, (_, values) in zip(ids, people, strict=True)
            ]
            reindex(connection, cipher, "person", phones, fresh=True)

    def _sealed(
        self, session: Session, model: type[Base], rows: list[dict[str, Any]], note: str
    ) -> None:
        table = _table(model)
        for row in rows:
            row["import_id"] = self.batch_id
        with bulk_sealed(session, self.actor, [table.name], f"数据导入「{self.file_name}」{note}"):
            insert_rows(session.connection(), table, rows)

    def _bills(self, session: Session, bills: Sequence[Any]) -> None:
        at = utcnow()
        who = by_columns("created", self.actor)
        rows = [
            {
                "room_id": self.rooms[code],
                "fee_item_id": item_id,
                "period": str(period),
                "start_on": period.first_day,
                "end_on": period.last_day,
                "quantity_x100": 100,
                "unit_price": amount * 100,  # yuan × 10,000: one month at the amount owed
                "amount_fen": amount,
                "reduction_fen": 0,
                "reduction_reason": "",
                "due_fen": amount,
                "description": CARRIED_BILL,
                "created_at": at,
                **who,
                "run_id": None,
            }
            for code, item_id, period, amount in bills
        ]
        self._sealed(session, Bill, rows, "期初欠费")

    def _prepaid(self, session: Session, prepaid: Sequence[Any]) -> None:
        at = utcnow()
        rows = [
            {
                "room_id": self.rooms[code],
                "amount_fen": amount,
                "at": at,
                "payment_id": None,
                "refund_id": None,
                "void_id": None,
                "note": CARRIED_PREPAID,
            }
            for code, amount in prepaid
        ]
        self._sealed(session, PrepaidEntry, rows, "期初预存")

    def _paid_through(self, session: Session, lines: Sequence[Any]) -> None:
        rows = [
            {"room_id": self.rooms[code], "fee_item_id": item_id, "period": str(period)}
            for code, item_id, period in lines
        ]
        self._insert(session, PaidThrough, rows)

    def _deposits(self, session: Session, lines: Sequence[Any]) -> None:
        rows = [
            {
                "room_id": self.rooms[line.room.code],
                "kind": line.kind,
                "amount_fen": line.amount_fen,
                "received_on": line.received_on,
                "note": "",
            }
            for line in lines
        ]
        self._insert(session, OpeningDeposit, rows)

    def _history(self, session: Session, lines: Sequence[Any]) -> None:
        rows = [
            {
                "room_id": self.rooms[line.room.code],
                "fee_item": line.fee_item,
                "period": line.period,
                "amount_fen": line.amount_fen,
                "paid_on": line.paid_on,
                "cashier": line.cashier,
                "receipt_no": line.receipt_no,
                "note": "",
            }
            for line in lines
        ]
        self._insert(session, ImportedPayment, rows)

    def _meters(self, session: Session, lines: Sequence[Any]) -> None:
        who = by_columns("read", self.actor)
        rows = [
            {
                "room_id": self.rooms[code],
                "fee_item_id": item_id,
                "period": period,
                "previous_x100": reading,
                "current_x100": reading,
                "read_on": read_on,
                **who,
            }
            for code, item_id, period, reading, read_on in lines
        ]
        self._insert(session, MeterReading, rows)
