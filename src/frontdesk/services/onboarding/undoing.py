"""The imports so far, and undoing one whole until something touched what it added.

An import is undone in one transaction: everything it added is deleted (money rows
first, then people and households, then the rooms, units and buildings it created)
and the batch is marked undone, or nothing changes. It is refused, with the reason,
once anything else holds on to its rows (a payment allocated to a carried-over bill,
a refund of its deposit, a bill billed here for a room it created, a visitor of that
room …), once a 预存 draw or payment moved an imported prepaid balance, or once a
billing run ran after it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, delete, exists, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import Base, utcnow
from frontdesk.db.bulk_audit import BULK_DELETE_ACTION, id_ranges
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Bill,
    BillingRun,
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
from frontdesk.db.phone_index import drop
from frontdesk.db.who import by_columns
from frontdesk.domain.onboarding import Totals
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import NotFound, UserError
from frontdesk.services.access import require
from frontdesk.services.onboarding.totals import totals_from_json
from frontdesk.services.progress import NO_PROGRESS, Progress
from frontdesk.services.steps import write_steps

# Deleted in this order: what refers to a row goes before it. The money a counter can
# touch first, in one transaction; then readings, history, people, structure in steps.
MONEY: tuple[type[Base], ...] = (OpeningDeposit, PrepaidEntry, Bill)
STRUCTURE: tuple[type[Base], ...] = (
    MeterReading,
    ImportedPayment,
    PaidThrough,
    Person,
    HouseholdProfile,
    Room,
    Unit,
    Building,
)
REMOVED = MONEY + STRUCTURE
STEP_SECONDS = 0.5
# Tables the database keeps from the bills by triggers: never a reason to refuse.
_KEPT = frozenset({"bill_open", "collection_tally"})
_SEALED = ("bill", "prepaid_entry")  # money tables: their deletion is recorded by id


@dataclass(frozen=True)
class ImportRow:
    batch_id: int
    file_name: str
    sheets: str
    kinds: str
    imported_at: datetime  # local time
    imported_by: str
    totals: Totals  # what the import added
    undone_at: datetime | None
    undo_refusal: str  # "" when it can be undone


def list_imports(db: Database, actor: Actor) -> list[ImportRow]:
    """Every import, newest first, with why it can no longer be undone."""
    require(actor, Permission.IMPORT_HOUSEHOLDS)
    with db.read() as session:
        batches = session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).all()
        return [
            ImportRow(
                batch.id,
                batch.file_name,
                batch.sheets,
                batch.kinds,
                batch.imported_at.astimezone(),
                batch.imported_by,
                totals_from_json(batch.totals, "added"),
                batch.undone_at.astimezone() if batch.undone_at else None,
                undo_refusal(session, batch),
            )
            for batch in batches
        ]


def undo_import(
    db: Database, actor: Actor, batch_id: int, *, progress: Progress = NO_PROGRESS
) -> Totals:
    """Take away everything the import added; what was removed."""
    require(actor, Permission.IMPORT_HOUSEHOLDS)
    return remove_batch(db, actor, batch_id, failed=False, progress=progress)


def remove_batch(
    db: Database, actor: Actor, batch_id: int, *, failed: bool, progress: Progress = NO_PROGRESS
) -> Totals:
    """Delete the batch's rows and mark it undone. `failed`: an import that did not
    finish, taken back whatever touched it meanwhile (the database's keys refuse that).

    The money rows go in one transaction, with the reasons to refuse checked again in
    it (a counter may have taken a payment since); the people and the structure then in
    short steps, so no counter waits for 60,000 deletions. Something that holds on to
    one of those rows meanwhile (a visitor registered to a new room) stops the undo
    part way, said so; undoing again finishes it once that is dealt with."""
    with db.read() as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise NotFound(f"没有第 {batch_id} 次导入")
        if not failed and (reason := undo_refusal(session, batch)):
            raise UserError(f"不能撤销这次导入：{reason}")
        file_name = batch.file_name
        removed = _removed_totals(session, batch_id)
        steps = [
            (model, part)
            for model in STRUCTURE
            for part in _parts(session.scalars(_ids(model, batch_id)).all())
        ]
    with db.write(actor) as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None or (not failed and (reason := undo_refusal(session, batch, money=True))):
            raise UserError(f"不能撤销这次导入：{reason or '已撤销'}")
        for model in MONEY:
            _delete(session, actor, model, batch_id)
        session.connection().execute(text(_EMPTY_TALLY))  # before the buildings they name

    def remove(session: Session, parts: list[tuple[type[Base], Sequence[int]]]) -> None:
        for model, ids in parts:
            _delete(session, actor, model, batch_id, ids)

    def finish(session: Session) -> None:
        _mark_undone(session, actor, batch_id, f"数据导入「{file_name}」", failed, removed)

    try:
        write_steps(
            db, actor, steps, remove, finish, progress, batch_rows=1, step_seconds=STEP_SECONDS
        )
    except IntegrityError:
        with db.read() as session:
            why = _held_elsewhere(session, batch_id) or "导入的记录此后已被其他记录引用"
        raise UserError(
            f"撤销未全部完成：{why}。已撤销期初余额和部分人员、房屋；处理后请再撤销一次。"
        ) from None
    return removed


def _mark_undone(
    session: Session, actor: Actor, batch_id: int, title: str, failed: bool, removed: Totals
) -> None:
    session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id)
        .values(undone_at=utcnow(), **by_columns("undone", actor))
    )
    what = "未完成，已撤销已写入的部分" if failed else "已撤销"
    write_entry(
        session.connection(),
        actor,
        "undo",
        "import_batch",
        str(batch_id),
        f"{title}{what}：房屋 {removed.rooms} 间，人员 {removed.people} 人，"
        f"期初欠费 {removed.arrears_lines} 笔，历史缴费 {removed.history_lines} 笔，"
        f"抄表 {removed.meter_readings} 条",
    )


def _ids(model: type[Base], batch_id: int) -> Select[Any]:
    table = _table(model)
    return select(table.c.id).where(table.c.import_id == batch_id).order_by(table.c.id)


def _parts(ids: Sequence[int], size: int = 1000) -> list[Sequence[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


# Sums of periods, buildings and items whose every bill is gone (an undone import's).
_EMPTY_TALLY = (
    "DELETE FROM collection_tally WHERE billed_fen = 0 AND NOT EXISTS (SELECT 1 FROM bill "
    "JOIN room ON room.id = bill.room_id WHERE bill.period = collection_tally.period "
    "AND room.building_id = collection_tally.building_id "
    "AND bill.fee_item_id = collection_tally.fee_item_id)"
)


def _table(model: type[Base]) -> Table:
    return model.__table__  # type: ignore[return-value]


def _delete(
    session: Session,
    actor: Actor,
    model: type[Base],
    batch_id: int,
    ids: Sequence[int] | None = None,
) -> None:
    """Delete the batch's rows of the table (those of `ids`, when given)."""
    table = _table(model)
    mine = table.c.import_id == batch_id
    if ids is not None:
        mine = mine & table.c.id.in_(ids)
    connection = session.connection()
    if table.name == "person":
        drop(connection, "person", session.scalars(select(table.c.id).where(mine)).all())
    if table.name in _SEALED:
        deleted = session.scalars(select(table.c.id).where(mine).order_by(table.c.id)).all()
        if deleted:
            write_entry(
                connection,
                actor,
                BULK_DELETE_ACTION,
                table.name,
                str(batch_id),
                f"撤销数据导入：删除{model.__audit_label__} {len(deleted)} 条",
                {"count": [None, len(deleted)], "ids": [None, id_ranges(deleted)]},
            )
    connection.execute(delete(table).where(mine))


def _removed_totals(session: Session, batch_id: int) -> Totals:
    def count(model: type[Base]) -> int:
        table = _table(model)
        return int(
            session.scalar(
                select(func.count()).select_from(table).where(table.c.import_id == batch_id)
            )
            or 0
        )

    def total(column: Any, model: type[Base]) -> int:
        table = _table(model)
        return int(
            session.scalar(select(func.sum(column)).where(table.c.import_id == batch_id)) or 0
        )

    return Totals(
        rooms=count(Room),
        people=count(Person),
        arrears_fen=total(Bill.amount_fen, Bill),
        arrears_lines=count(Bill),
        prepaid_fen=total(PrepaidEntry.amount_fen, PrepaidEntry),
        deposits_fen=total(OpeningDeposit.amount_fen, OpeningDeposit),
        history_lines=count(ImportedPayment),
        history_fen=total(ImportedPayment.amount_fen, ImportedPayment),
        meter_readings=count(MeterReading),
    )


# why not -------------------------------------------------------------------------


def undo_refusal(session: Session, batch: ImportBatch, *, money: bool = False) -> str:
    """ "" when the import can be undone now, else why not, in Chinese. `money`: only
    what holds on to its money rows (checked again as they are deleted)."""
    if batch.undone_at is not None:
        return "已撤销"
    if session.scalar(select(exists().where(BillingRun.run_at > batch.imported_at))):
        return "导入之后已生成过账单"
    carried = select(PrepaidEntry.room_id).where(PrepaidEntry.import_id == batch.id)
    last_carried = select(func.max(PrepaidEntry.id)).where(PrepaidEntry.import_id == batch.id)
    moved = exists().where(
        PrepaidEntry.room_id.in_(carried),
        PrepaidEntry.import_id.is_(None),
        PrepaidEntry.id > last_carried.scalar_subquery(),
    )
    if session.scalar(select(moved)):
        return "导入的期初预存此后已有收支"
    return _held_elsewhere(session, batch.id, MONEY if money else REMOVED)


def _held_elsewhere(
    session: Session, batch_id: int, parents: Sequence[type[Base]] = REMOVED
) -> str:
    """A row of another record (not of this import) refers to a row this import added."""
    labels = {
        getattr(mapper.class_, "__tablename__", ""): mapper.class_.__audit_label__
        for mapper in Base.registry.mappers
    }
    for parent in parents:
        parent_table = _table(parent)
        added = select(parent_table.c.id).where(parent_table.c.import_id == batch_id)
        for child in Base.metadata.sorted_tables:
            if child.name in _KEPT:
                continue
            for key in child.foreign_keys:
                if key.column.table is not parent_table:
                    continue
                query = select(key.parent).where(key.parent.in_(added))
                if "import_id" in child.c:
                    query = query.where(
                        (child.c.import_id.is_(None)) | (child.c.import_id != batch_id)
                    )
                if session.execute(query.limit(1)).first() is not None:
                    label = labels.get(child.name) or child.name
                    return f"导入的{parent.__audit_label__}此后已有{label}记录"
    return ""
