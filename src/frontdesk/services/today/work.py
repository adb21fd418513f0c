"""今日工作 (the home screen): for the signed-in role, the day's lines — how many
orders are late or nearly so, who is still inside the gate, which promises to pay fall
due, which renovations want an inspection, whom a butler still has to reach this
month, whether the cashier's shift is open, how old the last backup is.

Each line is a count, a short text, a severity and where it leads (an area of the
main window and a tab of it, as plain strings: the GUI opens them). The counts come
from the areas' own lists (the service desk's board, the gate's inside-now board,
the renovation round, the butler coverage, the cashier's open takings); where an area
has no list to count from cheaply, a count query here keeps the area's rule (a butler
sees his own buildings only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import Building, ButlerContact, Room, User
from frontdesk.db.models.arrears import Reminder
from frontdesk.db.models.movein import Defect, Handover
from frontdesk.domain import backups as backup_text
from frontdesk.domain import clock
from frontdesk.domain.money import format_yuan
from frontdesk.domain.movein import DefectStatus
from frontdesk.domain.reminders import DeliveryState
from frontdesk.domain.renovation import Status as RenovationStatus
from frontdesk.domain.roles import Actor, Permission, Role
from frontdesk.domain.rooms import RoomType
from frontdesk.domain.service_desk import Light
from frontdesk.domain.visitors import BookingState, VisitState
from frontdesk.errors import FrontDeskError
from frontdesk.services import parcels, shift_log
from frontdesk.services.fees import cash_close
from frontdesk.services.households import butler_contacts, care
from frontdesk.services.protection import backup_folder
from frontdesk.services.renovation import views as renovation_views
from frontdesk.services.scope import in_scope_only, own_butler
from frontdesk.services.service_desk import complaints
from frontdesk.services.service_desk import views as desk_views
from frontdesk.services.today.lines import Lead, Severity, TodayLine, TodayWork
from frontdesk.services.visitors import bookings, register

# Which lines each role sees, in the order its screen lists them.
ROLE_LINES: dict[Role, tuple[str, ...]] = {
    Role.CLERK: (
        "orders_overdue",
        "orders_due_soon",
        "callbacks_due",
        "visitors_overstaying",
        "visitors_inside",
        "bookings_today",
        "movein_today",
        "defects_overdue",
        "renovation_inspections",
        "renovation_overdue",
        "renovation_stopped",
        "parcels_waiting",
        "parcels_overdue",
        "keys_out",
        "keys_overdue",
        "goods_passes_open",
        "lending_overdue",
        "lost_items_due",
        "handover_waiting",
    ),
    Role.CASHIER: ("cash_shift", "promises_today", "notices_undelivered"),
    Role.BUTLER: (
        "orders_overdue",
        "orders_due_soon",
        "callbacks_due",
        "care_due",
        "contact_quota",
        "promises_today",
        "notices_undelivered",
        "movein_today",
        "defects_overdue",
        "renovation_inspections",
        "renovation_overdue",
        "renovation_stopped",
        "parcels_waiting",
        "parcels_overdue",
        "keys_out",
        "keys_overdue",
        "goods_passes_open",
        "lending_overdue",
        "lost_items_due",
        "handover_waiting",
    ),
    Role.SUPERVISOR: (
        "complaints_overdue",
        "orders_overdue",
        "orders_due_soon",
        "callbacks_due",
        "contact_quota",
        "care_due",
        "promises_today",
        "notices_undelivered",
        "visitors_overstaying",
        "bookings_today",
        "movein_today",
        "defects_overdue",
        "renovation_inspections",
        "renovation_overdue",
        "renovation_stopped",
        "parcels_waiting",
        "parcels_overdue",
        "keys_out",
        "keys_overdue",
        "goods_passes_open",
        "lending_overdue",
        "lost_items_due",
        "handover_waiting",
        "cash_shift",
        "backup",
    ),
}
ROLE_LINES[Role.ADMIN] = ROLE_LINES[Role.SUPERVISOR]


def _sev(count: int, alarm: bool = False) -> Severity:
    if count == 0:
        return Severity.NORMAL
    return Severity.ALARM if alarm else Severity.WARN


def _line(key: str, count: int, text: str, lead: Lead, *, alarm: bool = False) -> TodayLine:
    return TodayLine(key, count, text, _sev(count, alarm), lead)


# the service desk -------------------------------------------------------------------------


def _orders(db: Database, actor: Actor, now: datetime, wanted: set[str]) -> list[TodayLine]:
    lines = []
    board = Lead("service", "工单看板")
    if wanted & {"orders_overdue", "orders_due_soon"}:
        rows = desk_views.board(db, actor, now)
        late = sum(1 for r in rows if r.light == Light.RED)
        soon = sum(1 for r in rows if r.light == Light.AMBER)
        lines.append(_line("orders_overdue", late, f"已超时工单 {late} 单", board, alarm=True))
        lines.append(_line("orders_due_soon", soon, f"即将超时工单 {soon} 单", board))
    if "callbacks_due" in wanted:
        rows = desk_views.callback_list(db, actor, now)
        due = sum(1 for r in rows if r.light in (Light.RED, Light.AMBER))
        late = sum(1 for r in rows if r.light == Light.RED)
        text = f"待回访 {len(rows)} 单，其中到期 {due} 单"
        severity = Severity.ALARM if late else _sev(due)
        lines.append(TodayLine("callbacks_due", due, text, severity, Lead("service", "回访")))
    if "complaints_overdue" in wanted:
        found = complaints.escalations(db, actor, now)
        waiting = sum(1 for r in found if not r.supervised)
        text = f"逾期投诉 {len(found)} 件，未督办 {waiting} 件"
        lead = Lead("service", "升级/逾期投诉")
        lines.append(_line("complaints_overdue", len(found), text, lead, alarm=waiting > 0))
    return lines


# the gate -------------------------------------------------------------------------------


def _gate(db: Database, actor: Actor, now: datetime, wanted: set[str]) -> list[TodayLine]:
    lines = []
    inside = Lead("visitors", "在场访客")
    if wanted & {"visitors_inside", "visitors_overstaying"}:
        board = register.inside_now(db, actor, now)
        late = board.count(VisitState.OVERDUE) + board.count(VisitState.STALE)
        lines.append(
            TodayLine(
                "visitors_inside",
                len(board.rows),
                f"在场访客 {len(board.rows)} 批 {board.people} 人",
                Severity.NORMAL,
                inside,
            )
        )
        lines.append(_line("visitors_overstaying", late, f"超时未离访客 {late} 批", inside))
    if "bookings_today" in wanted:
        today = now.astimezone().date()
        rows = bookings.list_bookings(db, actor, since=today, now=now)
        due = [r for r in rows if r.expected_on == today]
        still = sum(1 for r in due if r.state == BookingState.OPEN)
        text = f"今日访客预约 {len(due)} 个，未到 {still} 个"
        lines.append(
            TodayLine("bookings_today", still, text, Severity.NORMAL, Lead("visitors", "预约"))
        )
    return lines


# arrears ---------------------------------------------------------------------------------


def _scoped_rooms(actor: Actor) -> Select[int]:
    """The ids of the rooms the actor's lists cover (a butler: his buildings')."""
    return in_scope_only(select(Room.id).join(Building, Room.building_id == Building.id), actor)


def promises_due(db: Database, actor: Actor, day: date) -> int:
    """Households whose latest reminder holds a promise to pay by `day`."""
    promised = select(Reminder.room_id).where(Reminder.promised_on == day)
    if own_butler(actor) is not None:
        promised = promised.where(Reminder.room_id.in_(_scoped_rooms(actor)))
    with db.read() as session:
        latest: dict[int, date | None] = {}
        for room_id, promised_on in session.execute(
            select(Reminder.room_id, Reminder.promised_on)
            .where(Reminder.room_id.in_(promised))
            .order_by(Reminder.at, Reminder.id)
        ):
            latest[room_id] = promised_on
    return sum(1 for on in latest.values() if on == day)


def notices_undelivered(db: Database, actor: Actor) -> int:
    """Notices printed and not yet recorded as delivered (the 送达登记's pending ones)."""
    query = (
        select(func.count(Reminder.id))
        .join(Room, Reminder.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .where(Reminder.delivery == DeliveryState.PRINTED)
    )
    with db.read() as session:
        return session.scalar(in_scope_only(query, actor)) or 0


def _arrears(db: Database, actor: Actor, day: date, wanted: set[str]) -> list[TodayLine]:
    lines = []
    if "promises_today" in wanted:
        count = promises_due(db, actor, day)
        text = f"今日到期的付款承诺 {count} 户"
        lines.append(_line("promises_today", count, text, Lead("arrears", "欠费清单")))
    if "notices_undelivered" in wanted:
        count = notices_undelivered(db, actor)
        text = f"已打印待送达的催缴通知 {count} 份"
        lines.append(_line("notices_undelivered", count, text, Lead("arrears", "送达登记")))
    return lines


# renovations and move-in -------------------------------------------------------------------


def _renovations(db: Database, actor: Actor, day: date, wanted: set[str]) -> list[TodayLine]:
    keys = {"renovation_inspections", "renovation_overdue", "renovation_stopped"}
    if not wanted & keys:
        return []
    rows = renovation_views.list_renovations(db, actor, active_only=True, today=day)
    if own_butler(actor) is not None:
        with db.read() as session:
            mine = set(session.scalars(_scoped_rooms(actor)))
        rows = [r for r in rows if r.room_id in mine]
    due = sum(1 for r in rows if r.nodes_due)
    late = sum(1 for r in rows if r.overdue)
    stopped = sum(1 for r in rows if r.status == RenovationStatus.STOPPED)
    lead = Lead("renovation", "日常巡查")
    return [
        _line("renovation_inspections", due, f"装修待验收节点 {due} 户", lead),
        _line("renovation_overdue", late, f"装修超期 {late} 户", lead, alarm=True),
        _line("renovation_stopped", stopped, f"装修已停工 {stopped} 户", lead),
    ]


def appointments_on(db: Database, actor: Actor, day: date) -> int:
    """Move-in appointments on `day` (local time) of rooms not yet handed over."""
    start = datetime.combine(day, time()).astimezone()
    query = (
        select(func.count(Handover.id))
        .join(Room, Handover.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .where(
            Handover.appointment_at >= start,
            Handover.appointment_at < start + timedelta(days=1),
            Handover.completed_on.is_(None),
        )
    )
    with db.read() as session:
        return session.scalar(in_scope_only(query, actor)) or 0


def defects_overdue(db: Database, actor: Actor, day: date) -> int:
    """Open defects past their deadline (domain.movein.overdue_days > 0)."""
    query = (
        select(func.count(Defect.id))
        .join(Room, Defect.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .where(Defect.status == DefectStatus.OPEN, Defect.deadline < day)
    )
    with db.read() as session:
        return session.scalar(in_scope_only(query, actor)) or 0


def _movein(db: Database, actor: Actor, day: date, wanted: set[str]) -> list[TodayLine]:
    lines = []
    if "movein_today" in wanted:
        count = appointments_on(db, actor, day)
        text = f"今日入伙预约 {count} 户"
        lines.append(
            TodayLine("movein_today", count, text, Severity.NORMAL, Lead("movein", "交付批次"))
        )
    if "defects_overdue" in wanted:
        count = defects_overdue(db, actor, day)
        text = f"验房问题超期未整改 {count} 项"
        lines.append(_line("defects_overdue", count, text, Lead("movein", "验房问题")))
    return lines


# butlers ---------------------------------------------------------------------------------


def butlers_below_target(db: Database, month: date) -> list[butler_contacts.CoverageRow]:
    """Every butler's coverage in `month` as `butler_contacts.coverage` counts it, in two
    grouped queries rather than two per butler; those below the 10% only."""
    first = month.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    homes = Room.room_type == RoomType.RESIDENCE, Room.status.in_(butler_contacts.LIVED_IN)
    with db.read() as session:
        households = dict(
            session.execute(
                select(Building.butler_id, func.count(Room.id))
                .join(Building, Room.building_id == Building.id)
                .where(Building.butler_id.is_not(None), *homes)
                .group_by(Building.butler_id)
            ).all()
        )
        contacted = dict(
            session.execute(
                select(Building.butler_id, func.count(func.distinct(ButlerContact.room_id)))
                .join(Room, ButlerContact.room_id == Room.id)
                .join(Building, Room.building_id == Building.id)
                .where(
                    Building.butler_id.is_not(None),
                    *homes,
                    ButlerContact.contacted_on >= first,
                    ButlerContact.contacted_on < after,
                )
                .group_by(Building.butler_id)
            ).all()
        )
        names = dict(
            session.execute(
                select(User.id, User.display_name).where(User.role == Role.BUTLER)
            ).all()
        )
    rows = [
        butler_contacts.CoverageRow(b, name, households.get(b, 0), contacted.get(b, 0))
        for b, name in names.items()
    ]
    return [r for r in rows if not r.target_met]


def _butlers(db: Database, actor: Actor, day: date, wanted: set[str]) -> list[TodayLine]:
    lines = []
    lead = Lead("reports", "管家工作")
    if "care_due" in wanted:
        due = care.visits_due(db, actor, day)
        late = sum(1 for v in due if v.days_overdue(day) > 0)
        text = f"应探访的关怀对象 {len(due)} 位，其中逾期 {late} 位"
        lines.append(_line("care_due", len(due), text, lead, alarm=late > 0))
    if "contact_quota" in wanted:
        target = butler_contacts.MONTHLY_TARGET_PERCENT
        if actor.role == Role.BUTLER:
            rows = butler_contacts.coverage(db, actor, day)
            row = rows[0] if rows else None
            households = row.households if row else 0
            contacted = row.contacted if row else 0
            wanted_count = -(-households * target // 100)  # 10% rounded up
            short = max(wanted_count - contacted, 0)
            text = (
                f"本月已联系 {contacted}/{households} 户，达标（{target}%）还差 {short} 户"
                if short
                else f"本月已联系 {contacted}/{households} 户，已达标（{target}%）"
            )
            lines.append(_line("contact_quota", short, text, lead))
        else:
            below = [r for r in butlers_below_target(db, day) if r.households]
            text = f"本月联系未达标（{target}%）的管家 {len(below)} 位"
            lines.append(_line("contact_quota", len(below), text, lead))
    return lines


# the counter's registers (前台登记) ------------------------------------------------------

# Each register's lines for the home screen, as it counts them (a butler: his buildings).
COUNTER_LINES: tuple[Callable[[Database, Actor, datetime], list[TodayLine]], ...] = (
    parcels.today_lines,
    shift_log.today_lines,
)


def _counter(db: Database, actor: Actor, now: datetime, wanted: set[str]) -> list[TodayLine]:
    if not actor.can(Permission.KEEP_COUNTER_REGISTERS):
        return []
    found: list[TodayLine] = []
    for lines in COUNTER_LINES:
        found.extend(line for line in lines(db, actor, now) if line.key in wanted)
    return found


# the cash shift and the backup ---------------------------------------------------------------


def _cash_shift(db: Database, actor: Actor, day: date) -> TodayLine:
    takings = cash_close.open_takings(db, actor, day)
    lead = Lead("cashier", "交班日结")
    if takings.empty:
        return TodayLine("cash_shift", 0, "本班尚无收款", Severity.NORMAL, lead)
    count = len(takings.receipts)
    text = f"本班未交班：收据 {count} 张，实收 {format_yuan(takings.counter_total_fen)} 元"
    return TodayLine("cash_shift", count, text, Severity.WARN, lead)


def _backup(db: Database) -> TodayLine:
    lead = Lead("settings", "备份与恢复")
    try:
        last = backup_folder.last_good_backup(db)
    except FrontDeskError as exc:
        return TodayLine("backup", 1, f"备份不可用：{exc.message}", Severity.ALARM, lead)
    now = clock.wall_now()
    age = backup_text.describe_age(last, now)
    if last is None:
        return TodayLine("backup", 1, "从未备份，请立即备份", Severity.ALARM, lead)
    if backup_text.is_stale(last, now):
        return TodayLine("backup", 1, f"最近备份：{age}，已超过一天", Severity.ALARM, lead)
    return TodayLine("backup", 0, f"最近备份：{age}", Severity.NORMAL, lead)


# the whole -------------------------------------------------------------------------------


def today_work(db: Database, actor: Actor, now: datetime | None = None) -> TodayWork:
    """The signed-in role's lines for the home screen, in its order; a line whose area
    the role may not use is left out."""
    now = now or clock.utc_now()
    day = now.astimezone().date()
    wanted = set(ROLE_LINES[actor.role])
    if not actor.can(Permission.TAKE_WORK_ORDERS):
        wanted -= {"orders_overdue", "orders_due_soon", "callbacks_due", "complaints_overdue"}
    if not actor.can(Permission.MANAGE_SERVICE_DESK):
        wanted.discard("complaints_overdue")
    if not actor.can(Permission.REGISTER_VISITORS):
        wanted -= {"visitors_inside", "visitors_overstaying", "bookings_today"}
    if not actor.can(Permission.CHASE_ARREARS):
        wanted -= {"promises_today", "notices_undelivered"}
    if not actor.can(Permission.TAKE_PAYMENTS):
        wanted.discard("cash_shift")
    if not actor.can(Permission.MANAGE_BACKUPS):
        wanted.discard("backup")
    found = [
        *_orders(db, actor, now, wanted),
        *_gate(db, actor, now, wanted),
        *_arrears(db, actor, day, wanted),
        *_renovations(db, actor, day, wanted),
        *_movein(db, actor, day, wanted),
        *_butlers(db, actor, day, wanted),
        *_counter(db, actor, now, wanted),
    ]
    if "cash_shift" in wanted:
        found.append(_cash_shift(db, actor, day))
    if "backup" in wanted:
        found.append(_backup(db))
    by_key = {line.key: line for line in found if line.key in wanted}
    order = ROLE_LINES[actor.role]
    return TodayWork(actor.role, day, tuple(by_key[k] for k in order if k in by_key))
