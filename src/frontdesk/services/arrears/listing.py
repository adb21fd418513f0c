"""The arrears list (欠费): who owes what, how long, who reminded them last; the
follow-up list of broken promises; logging a reminder; late-fee terms and waivers.

Reads `bill_open` (kept by triggers) through its partial index, so only the bills
still open are touched, however many years of bills the file holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import ColumnElement, String, bindparam, func, select, type_coerce
from sqlalchemy.orm import Session

from frontdesk.db import settings
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Bill,
    BillOpen,
    Building,
    FeeItem,
    LateFeeWaiver,
    Person,
    Reminder,
    Room,
    Unit,
    User,
)
from frontdesk.db.protection import EncryptedPhone
from frontdesk.db.who import by_columns
from frontdesk.domain import clock
from frontdesk.domain.arrears import (
    ONE_OFF_GRACE,
    AgingBucket,
    Channel,
    LateFeeTerms,
    bucket_for,
    due_date,
    late_fee,
    limitation_warning,
    months_overdue,
)
from frontdesk.domain.fees import Collection, FeeMethod
from frontdesk.domain.money import check_amount
from frontdesk.domain.periods import Period
from frontdesk.domain.phone import mask_phone
from frontdesk.domain.reminders import LEVEL_TITLES, DeliveryState
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_code, room_label
from frontdesk.errors import ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.structure import of_living_owners
from frontdesk.services.scope import own_butler, require_in_scope, room_of
from frontdesk.services.store import Store, reading
from frontdesk.services.xlsx import text_cells

LATE_FEE_KEY = "late_fee_terms"


@dataclass(frozen=True)
class ArrearsFilter:
    building_id: int | None = None
    butler_id: int | None = None
    min_fen: int = 0
    min_months: int = 0
    bucket: AgingBucket | None = None


@dataclass(frozen=True)
class OpenItem:
    fee_item: str
    period: str | None
    start_on: date
    open_fen: int
    due_on: date
    on_behalf: bool = False  # 代收 (water, power): collected for the utility, not our fee
    carried_over: bool = False  # 期初欠费 brought over from the old system (数据导入)


@dataclass
class ArrearsRow:
    room_id: int
    room_code: str
    place: str  # 3栋2单元1201室, as a letter is addressed
    building: str
    owner: str
    phone: str  # masked
    butler: str
    total_fen: int
    by_item: dict[str, int]
    items: list[OpenItem]
    oldest_period: str  # 2025年12月
    months: int
    bucket: AgingBucket
    late_fee_fen: int
    late_fees: list[tuple[str, int]] = field(default_factory=list)  # (项目 期间, fen)
    last_reminder: str = ""  # 2026-11-20 电话：答应月底交
    last_reminder_on: date | None = None
    promised_on: date | None = None
    last_written_on: date | None = None
    limitation: str = ""

    @property
    def carried_over_fen(self) -> int:
        """What of the total is 期初欠费 carried over from the old system."""
        return sum(item.open_fen for item in self.items if item.carried_over)


@dataclass
class ArrearsReport:
    rows: list[ArrearsRow] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(r.total_fen for r in self.rows)

    def by_bucket(self) -> dict[AgingBucket, int]:
        sums: dict[AgingBucket, int] = defaultdict(int)
        for row in self.rows:
            sums[row.bucket] += row.total_fen
        return dict(sums)

    def by_building(self) -> list[tuple[str, int, int]]:
        """(楼栋, households, fen) for the supervisor's overview, most owed first."""
        return _grouped(self.rows, lambda row: row.building)

    def by_butler(self) -> list[tuple[str, int, int]]:
        return _grouped(self.rows, lambda row: row.butler or "未分配")


def _grouped(
    rows: list[ArrearsRow], key: Callable[[ArrearsRow], str]
) -> list[tuple[str, int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        entry = counts[key(row)]
        entry[0] += 1
        entry[1] += row.total_fen
    return sorted(((name, n, fen) for name, (n, fen) in counts.items()), key=lambda g: -g[2])


def _scope(actor: Actor, flt: ArrearsFilter) -> ArrearsFilter:
    """A butler works the households of their own buildings."""
    butler = own_butler(actor)
    if butler is not None:
        return ArrearsFilter(flt.building_id, butler, flt.min_fen, flt.min_months, flt.bucket)
    return flt


def arrears_report(
    db: Database, actor: Actor, flt: ArrearsFilter = ArrearsFilter(), today: date | None = None
) -> ArrearsReport:
    """Households owing for months before this one (water and power from the month
    after they are billed, one-off charges after 30 days), most overdue first."""
    require(actor, Permission.CHASE_ARREARS)
    check_amount(flt.min_fen, "最少欠费")
    today = today or clock.today()
    flt = _scope(actor, flt)
    with db.read() as session:
        items = _open_items(session, flt, today)
        rows = _rows(session, items, today)
    rows = [
        r
        for r in rows
        if r.total_fen >= max(flt.min_fen, 1)
        and r.months >= flt.min_months
        and (flt.bucket is None or r.bucket == flt.bucket)
    ]
    rows.sort(key=lambda r: (-r.months, -r.total_fen, r.room_code))
    return ArrearsReport(rows)


def _open_items(session: Session, flt: ArrearsFilter, today: date) -> dict[int, list[OpenItem]]:
    """Each room's overdue open items, in the order of the owing index (room, bill).
    Read as plain rows, not ORM rows; the start day as stored, made a date once for
    each distinct item: with 20,000 items per community the per-row conversions were
    most of the list's time. Equal items are one (frozen) object."""
    current = str(Period.of(today))
    # Water and power are read at a month's end and billed after it: November's water,
    # billed in December, is owed from January, as December's service fee is.
    billed_after = str(Period.of(today).shifted(-1))
    metered = FeeItem.method == FeeMethod.METER
    query = (
        select(
            BillOpen.room_id,
            Bill.fee_item_id,
            Bill.period,
            type_coerce(Bill.start_on, String),  # made a date below, once per distinct item
            BillOpen.open_fen,
            Bill.import_id.is_not(None),
        )
        .join(Bill, BillOpen.bill_id == Bill.id)
        .join(FeeItem, Bill.fee_item_id == FeeItem.id)
        .where(BillOpen.open_fen > 0, FeeItem.method != FeeMethod.DEPOSIT)
        .where(
            (~metered & (Bill.period < current))
            | (metered & (Bill.period < billed_after))
            | (Bill.period.is_(None) & (Bill.start_on <= today - ONE_OFF_GRACE))
        )
    )
    if flt.building_id is not None or flt.butler_id is not None:
        query = query.join(Room, BillOpen.room_id == Room.id).join(
            Building, Room.building_id == Building.id
        )
        if flt.building_id is not None:
            query = query.where(Room.building_id == flt.building_id)
        if flt.butler_id is not None:
            query = query.where(Building.butler_id == flt.butler_id)
    fee_items = {
        item_id: (name, collection == Collection.ON_BEHALF.value)
        for item_id, name, collection in session.execute(
            select(FeeItem.id, FeeItem.name, FeeItem.collection)
        )
    }
    found: dict[int, list[OpenItem]] = defaultdict(list)
    made: dict[tuple[Any, ...], OpenItem] = {}
    for room_id, *values in session.connection().execute(query).all():
        key: tuple[Any, ...] = tuple(values)
        item = made.get(key)
        if item is None:
            fee_item_id, period, stored_start, open_fen, carried = key
            name, on_behalf = fee_items[fee_item_id]
            start_on = _as_date(stored_start)
            due_on = due_date(period, start_on)
            item = made[key] = OpenItem(
                name, period, start_on, open_fen, due_on, on_behalf, bool(carried)
            )
        found[room_id].append(item)
    return found


def _as_date(stored: str | date) -> date:
    """A date column read as stored: ISO text on SQLite, a date where the driver makes one."""
    return stored if isinstance(stored, date) else date.fromisoformat(stored)


_ORDER = attrgetter("due_on", "fee_item")
_DUE_ON = attrgetter("due_on")


def item_age(item: OpenItem, today: date) -> int:
    """Months an open item is overdue: a month's bill from the month after its due
    date; a one-off charge (no period) counts as new."""
    return _months_overdue(item.due_on, today) if item.period else 0


@lru_cache(maxsize=512)
def _months_overdue(due_on: date, today: date) -> int:
    """Once per due date: a community's 30,000 open items share a few dozen."""
    return months_overdue(Period.of(due_on), today)


def owed_by_age(row: ArrearsRow, today: date) -> dict[AgingBucket, int]:
    """A household's arrears split by each open item's own age (账龄分析): October's
    bill stays in 3个月以内 even when an unpaid bill of last year puts the household
    in 6-12个月 on the arrears list, which sorts households by their oldest item."""
    split: dict[AgingBucket, int] = defaultdict(int)
    for item in row.items:
        split[bucket_for(item_age(item, today))] += item.open_fen
    return dict(split)


def _in(column: Any, ids: list[int]) -> ColumnElement[bool]:
    """`column IN (ids)` with the ids written into the statement: binding thousands of
    ids one by one took longer than the query."""
    return column.in_(bindparam("ids", ids, expanding=True, literal_execute=True))  # type: ignore[no-any-return]


def _rows(session: Session, items: dict[int, list[OpenItem]], today: date) -> list[ArrearsRow]:
    if not items:
        return []
    households = _households(session, list(items))
    terms = late_fee_terms(session)
    # Waivers are few: all of them, rather than a second list of thousands of rooms.
    waived = dict(
        session.execute(
            select(LateFeeWaiver.room_id, func.max(LateFeeWaiver.up_to)).group_by(
                LateFeeWaiver.room_id
            )
        ).all()
    )
    labels: dict[int, str] = {}  # by id(item): equal items are one object (_open_items)
    oldest_of: dict[int, tuple[int, str]] = {}

    def _oldest(item: OpenItem) -> tuple[int, str]:
        """(months overdue, 最早欠费) of a room's oldest item, once per distinct item."""
        found = oldest_of.get(id(item))
        if found is None:
            when = Period.of(item.due_on).label if item.period else f"{item.start_on:%Y-%m-%d}"
            found = oldest_of[id(item)] = (item_age(item, today), when)
        return found

    rows = []
    for room_id, open_items in items.items():
        code, place, building, butler, owner, phone = households[room_id]
        oldest = min(open_items, key=_DUE_ON)
        ordered = sorted(open_items, key=_ORDER)
        by_item: dict[str, int] = defaultdict(int)
        for item in open_items:
            by_item[item.fee_item] += item.open_fen
        months, oldest_period = _oldest(oldest)
        waived_to = waived.get(room_id)
        late_fees: list[tuple[str, int]] = []  # (项目 期间, fen)
        for i in ordered if terms.enabled else ():
            if i.on_behalf:  # the contract's 滞纳金 is on our fees, not the utility's
                continue
            fen = late_fee(i.open_fen, max(i.due_on, waived_to or i.due_on), today, terms)
            if fen:
                label = labels.get(id(i))
                if label is None:
                    when = Period.of(i.due_on).label if i.period else i.start_on
                    label = labels[id(i)] = f"{i.fee_item} {when}"
                late_fees.append((label, fen))
        rows.append(
            ArrearsRow(
                room_id,
                code,
                place,
                building,
                owner,
                phone,
                butler,
                sum(by_item.values()),
                dict(by_item),
                ordered,
                oldest_period,
                months,
                bucket_for(months),
                sum(fen for _, fen in late_fees),
                late_fees,
            )
        )
    _add_reminders(session, rows, today)
    return rows


def _households(
    session: Session, room_ids: list[int]
) -> dict[int, tuple[str, str, str, str, str, str]]:
    """Each room's code, address, building, butler, and its first owner (by id) still
    living there with the masked phone. Phones are read sealed and only the one shown
    per room is opened."""
    first_owner = of_living_owners(func.min(Person.id))
    connection = session.connection()
    phone_type = EncryptedPhone()
    found = {}
    for room_id, b_code, u_code, number, b_name, butler, owner, sealed in connection.execute(
        select(
            Room.id,
            Building.code,
            Unit.code,
            Room.number,
            Building.name,
            User.display_name,
            Person.name,
            type_coerce(Person.phone, String),
        )
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .outerjoin(User, Building.butler_id == User.id)
        .outerjoin(Person, Person.id == first_owner)
        .where(_in(Room.id, room_ids))
    ).all():
        phone = phone_type.process_result_value(sealed, connection.dialect) if sealed else ""
        found[room_id] = (
            room_code(b_code, u_code, number),
            room_label(b_code, u_code, number),
            b_name,
            butler or "",
            owner or "",
            mask_phone(phone) if phone else "",
        )
    return found


def _add_reminders(session: Session, rows: list[ArrearsRow], today: date) -> None:
    by_room = {row.room_id: row for row in rows}
    last: dict[int, ReminderFacts] = {}
    # Plain rows, not Reminder objects: the list reads a few columns of each.
    for reminder in session.execute(
        select(Reminder.room_id, *(getattr(Reminder, name) for name in _FACTS))
        .where(_in(Reminder.room_id, list(by_room)))
        .order_by(Reminder.at)
    ).all():
        row = by_room[reminder.room_id]
        last[reminder.room_id] = reminder
        served = written_on(reminder)
        if served is not None and (row.last_written_on is None or served > row.last_written_on):
            row.last_written_on = served
    for room_id, latest in last.items():
        row = by_room[room_id]
        on = latest.at.astimezone().date()
        row.last_reminder = f"{on:%Y-%m-%d} {reminder_summary(latest)}"
        row.last_reminder_on = on
        row.promised_on = latest.promised_on
    warnings: dict[tuple[date, date | None], str] = {}
    for row in rows:
        own = next((item for item in row.items if not item.on_behalf), row.items[0])
        key = (own.due_on, row.last_written_on)
        if key not in warnings:
            warnings[key] = limitation_warning(own.due_on, row.last_written_on, today)
        row.limitation = warnings[key]


class ReminderFacts(Protocol):
    """What the list and the log read of a reminder (a Reminder, or a row of its columns)."""

    @property
    def at(self) -> datetime: ...
    @property
    def channel(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def written(self) -> bool: ...
    @property
    def outcome(self) -> str: ...
    @property
    def promised_on(self) -> date | None: ...
    @property
    def notice_number(self) -> str | None: ...
    @property
    def delivery(self) -> str | None: ...
    @property
    def delivered_on(self) -> date | None: ...
    @property
    def delivery_method(self) -> str | None: ...
    @property
    def tracking_number(self) -> str | None: ...
    @property
    def signer(self) -> str | None: ...
    @property
    def signer_relation(self) -> str | None: ...


_FACTS = [name for name in ReminderFacts.__dict__ if not name.startswith("_")]


def written_on(reminder: ReminderFacts) -> date | None:
    """The day a written demand reached the household: a printed notice counts only
    from its recorded delivery (never from printing); a served notice logged by hand
    from the day it was logged."""
    if reminder.delivery is not None:
        if reminder.delivery == DeliveryState.DELIVERED and reminder.level >= 2:
            return reminder.delivered_on
        return None
    return reminder.at.astimezone().date() if reminder.written else None


def delivery_text(reminder: ReminderFacts) -> str:
    """已打印，待送达 / 已送达 2026-11-20 挂号信 XA123… / 已送达 … 当面签收 李四（配偶）."""
    if reminder.delivery != DeliveryState.DELIVERED:
        return DeliveryState.PRINTED.label if reminder.delivery else ""
    how = reminder.delivery_method or ""
    if reminder.tracking_number:
        how += f" {reminder.tracking_number}"
    if reminder.signer:
        relation = f"（{reminder.signer_relation}）" if reminder.signer_relation else ""
        how += f" {reminder.signer}{relation}"
    return f"已送达 {reminder.delivered_on:%Y-%m-%d} {how}".rstrip()


def reminder_summary(reminder: ReminderFacts) -> str:
    """电话：答应月底交 / 催缴通知单 CJ-2026-000012（已打印，待送达）."""
    if reminder.delivery is not None:
        title = LEVEL_TITLES.get(reminder.level, "催缴通知")
        return f"{title} {reminder.notice_number}（{delivery_text(reminder)}）"
    outcome = f"：{reminder.outcome}" if reminder.outcome else ""
    return f"{reminder.channel}{outcome}"


def follow_ups(db: Database, actor: Actor, today: date | None = None) -> list[ArrearsRow]:
    """Households that promised to pay by a day now past and still owe."""
    today = today or clock.today()
    report = arrears_report(db, actor, today=today)
    return [r for r in report.rows if r.promised_on is not None and r.promised_on < today]


# the reminder log ----------------------------------------------------------------


@dataclass(frozen=True)
class ReminderInput:
    room_id: int
    channel: Channel
    outcome: str = ""
    promised_on: date | None = None


def log_reminder(db: Database, actor: Actor, data: ReminderInput, today: date | None = None) -> int:
    """Record a call, a visit, a message or a notice served; butlers for their own buildings."""
    today = today or clock.today()
    if data.promised_on is not None and data.promised_on < today:
        raise ValidationError("承诺缴费日期", "不能早于今天")
    if len(data.outcome) > 500:
        raise ValidationError("结果", "不超过 500 字")
    if data.channel.written and not data.outcome.strip():
        # a written demand counts from the day logged: say what proves it was served
        raise ValidationError("结果", "书面送达、挂号信须写明送达凭证（签收人或挂号信单号）")
    with db.write(actor) as session:
        _room, building, _unit = room_of(session, data.room_id)
        require_in_scope(actor, Permission.CHASE_ARREARS, building)
        reminder = Reminder(
            room_id=data.room_id,
            by_id=actor.user_id,
            by_name=actor.display_name,
            channel=data.channel,
            written=data.channel.written,
            owed_fen=owed_now(session, data.room_id, today),
            outcome=data.outcome.strip(),
            promised_on=data.promised_on,
        )
        session.add(reminder)
        session.flush()
        return reminder.id


def owed_now(session: Session, room_id: int, today: date) -> int:
    items = _open_items(session, ArrearsFilter(), today).get(room_id, [])
    return sum(i.open_fen for i in items)


@dataclass(frozen=True)
class ReminderRow:
    at: str
    by: str
    channel: str
    level: int
    owed_fen: int
    outcome: str
    promised_on: date | None
    notice_number: str
    delivery: str = ""  # 已打印，待送达 / 已送达 2026-11-20 挂号信 …; '' for a call
    override: str = ""  # a supervisor's leave to skip the level order, and why
    reminder_id: int = 0


def reminder_log(db: Database, actor: Actor, room_id: int) -> list[ReminderRow]:
    require(actor, Permission.CHASE_ARREARS)
    with db.read() as session:
        return [
            ReminderRow(
                f"{r.at.astimezone():%Y-%m-%d %H:%M}",
                r.by_name,
                # a printed notice is not 书面送达 until its delivery is recorded
                LEVEL_TITLES.get(r.level, r.channel) if r.delivery else r.channel,
                r.level,
                r.owed_fen,
                r.outcome,
                r.promised_on,
                r.notice_number or "",
                delivery_text(r),
                f"{r.override_by_name}特批：{r.override_reason}" if r.override_reason else "",
                r.id,
            )
            for r in session.scalars(
                select(Reminder).where(Reminder.room_id == room_id).order_by(Reminder.at.desc())
            )
        ]


# late fees -------------------------------------------------------------------------


def late_fee_terms(store: Store) -> LateFeeTerms:
    with reading(store) as session:
        return settings.load(session, LATE_FEE_KEY, LateFeeTerms())


def set_late_fee_terms(db: Database, actor: Actor, terms: LateFeeTerms) -> None:
    """Only where the community's contract provides for 滞纳金."""
    require(actor, Permission.MANAGE_FEES)
    if not 1 <= terms.per_day_per_10000 <= 30:
        raise ValidationError("日费率", "应为每日万分之 1 到 30")
    if not 0 <= terms.grace_days <= 365:
        raise ValidationError("宽限天数", "应为 0 到 365 天")
    if not 1 <= terms.cap_percent <= 100:
        raise ValidationError("滞纳金上限", "应为欠费本金的 1% 到 100%")
    with db.write(actor) as session:
        settings.save(session, LATE_FEE_KEY, terms)


def waive_late_fees(
    db: Database, actor: Actor, room_id: int, reason: str, up_to: date | None = None
) -> None:
    """Late fees of the room up to `up_to` (today) are not charged; needs 减免 permission."""
    require(actor, Permission.GRANT_REDUCTIONS)
    if not reason.strip():
        raise ValidationError("减免原因", "不能为空")
    with db.write(actor) as session:
        room_of(session, room_id)
        session.add(
            LateFeeWaiver(
                room_id=room_id,
                up_to=up_to or clock.today(),
                reason=reason.strip(),
                **by_columns("granted", actor),
            )
        )


def write_arrears_xlsx(report: ArrearsReport, path: Path) -> None:
    """The list as the supervisor files it: one row per household, a totals row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    items = sorted({name for row in report.rows for name in row.by_item})
    book = Workbook()
    sheet = book.active
    sheet.title = "欠费清单"
    head = [
        "房号",
        "楼栋",
        "业主",
        "电话",
        "管家",
        "欠费合计",
        *items,
        "最早欠费",
        "欠费月数",
        "账龄",
        "滞纳金",
        "最近催缴",
        "承诺缴费日",
        "最近书面催告",
        "时效提示",
    ]
    sheet.append(text_cells(sheet, head))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append(
            text_cells(
                sheet,
                [
                    row.room_code,
                    row.building,
                    row.owner,
                    row.phone,
                    row.butler,
                    _yuan(row.total_fen),
                    *(_yuan(row.by_item.get(name, 0)) for name in items),
                    row.oldest_period,
                    row.months,
                    row.bucket.label,
                    _yuan(row.late_fee_fen),
                    row.last_reminder,
                    row.promised_on,
                    row.last_written_on,
                    row.limitation,
                ],
            )
        )
    sheet.append(["合计", f"{len(report.rows)} 户", "", "", "", _yuan(report.total_fen)])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    for column, width in zip("ABCDEF", (14, 10, 10, 14, 10, 14), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(path)


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100
