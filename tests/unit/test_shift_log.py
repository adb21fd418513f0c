"""The shift handover book: the draft from the registers' providers, handing over,
acknowledging by signing in (once, by someone else), 补记, the book by date, the
home-screen line, and entries the database refuses to change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from frontdesk.domain import clock
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.shift_log import AckWay, EntryKind, EntryState, HandoverItem
from frontdesk.errors import AuthenticationFailed, PermissionDenied, UserError, ValidationError
from frontdesk.services import shift_log
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, cash_close
from frontdesk.services.fees.payments import TenderInput
from frontdesk.services.visitors.register import VisitInput, register_visit
from tests.conftest import STAFF_PASSWORD
from tests.unit.fee_fixtures import TODAY, make_community
from tests.unit.test_daily_report import pay

MakeUser = Callable[..., Actor]


def fixed(register: str, count: int) -> shift_log.Provider:
    def provide(_db: Database, _actor: Actor, _now: datetime) -> HandoverItem:
        return HandoverItem(register, count, f"{register} {count} 件", ("A3 货架",) * count)

    return provide


PARCELS = (fixed("快递代收", 2), fixed("钥匙托管", 0))


@pytest.fixture
def clerks(make_user: MakeUser) -> tuple[Actor, Actor]:
    return make_user(Role.CLERK, "qiantai"), make_user(Role.CLERK, "qiantai2")


def test_the_draft_asks_every_provider_in_order_and_names_no_visitor(
    db: Database, admin: Actor, clerks: tuple[Actor, Actor]
) -> None:
    from frontdesk.services.households import structure

    building = structure.create_building(
        db, admin, structure.NewBuilding("3", "3栋", 1, 1, 1, "89")
    )
    room = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]
    visit = register_visit(
        db, clerks[0], VisitInput(room, "王五", "13912345678", confirmed_by="业主 张三")
    )

    draft = shift_log.draft_handover(db, clerks[0], providers=(*shift_log.PROVIDERS, *PARCELS))

    assert [i.register for i in draft.items] == [
        "访客登记",
        "快递代收",
        "报事报修",
        "工单回访",
        "收费交班",
        "快递代收",
        "钥匙托管",
    ]
    inside = draft.items[0]
    assert (inside.count, inside.text) == (1, "在场访客 1 批 1 人")
    assert visit.number in inside.details[0] and "3-1-101" in inside.details[0]
    assert "王五" not in inside.details[0] and "5678" not in inside.details[0]
    assert draft.waiting is None


def test_handing_over_keeps_the_draft_and_waits_for_someone_else_to_sign(
    db: Database, clerks: tuple[Actor, Actor]
) -> None:
    outgoing, incoming = clerks
    entry = shift_log.hand_over(db, outgoing, "  3栋电梯困人已报修，等回访  ", providers=PARCELS)

    assert entry.state == EntryState.WAITING
    assert entry.notes == "3栋电梯困人已报修，等回访"
    assert entry.items == (
        HandoverItem("快递代收", 2, "快递代收 2 件", ("A3 货架", "A3 货架")),
        HandoverItem("钥匙托管", 0, "钥匙托管 0 件", ()),
    )
    assert entry.summary == "快递代收 2 件"
    with pytest.raises(UserError, match="交班人不能自己确认接班"):
        shift_log.acknowledge(db, outgoing, entry.id)
    with pytest.raises(UserError, match="尚待接班人确认，不能再次交班"):
        shift_log.hand_over(db, outgoing, "", providers=PARCELS)
    with pytest.raises(UserError, match="的交班尚未确认接班：请先确认接班"):
        shift_log.hand_over(db, incoming, "", providers=PARCELS)
    assert shift_log.handover_for(db, outgoing) is None
    assert shift_log.handover_for(db, incoming) == entry


def test_the_incoming_clerk_signs_with_their_own_password_once(
    db: Database, clerks: tuple[Actor, Actor]
) -> None:
    outgoing, incoming = clerks
    entry = shift_log.hand_over(db, outgoing, "", providers=PARCELS)

    with pytest.raises(AuthenticationFailed, match="用户名或密码错误"):
        shift_log.sign_and_acknowledge(db, entry.id, "qiantai2", "wrong-password")
    assert shift_log.get_entry(db, outgoing, entry.id).state == EntryState.WAITING
    with pytest.raises(UserError, match="交班人不能自己确认接班"):
        shift_log.sign_and_acknowledge(db, entry.id, "qiantai", STAFF_PASSWORD)

    later = clock.utc_now() + timedelta(minutes=5)
    signed = shift_log.sign_and_acknowledge(db, entry.id, "qiantai2", STAFF_PASSWORD, now=later)
    assert (signed.state, signed.acknowledged_by) == (
        EntryState.ACKNOWLEDGED,
        incoming.display_name,
    )
    assert (signed.acknowledged_at, signed.ack_way) == (later, AckWay.COUNTER)
    with pytest.raises(UserError, match=r"已于 .* 由 .* 确认接班"):
        shift_log.acknowledge(db, outgoing, entry.id)
    # the shift is the incoming clerk's now: their own handover is written
    assert shift_log.hand_over(db, incoming, "", providers=PARCELS).waiting


def test_a_later_word_is_a_note_of_its_own_and_the_entry_stays_as_written(
    db: Database, clerks: tuple[Actor, Actor]
) -> None:
    outgoing, incoming = clerks
    entry = shift_log.hand_over(db, outgoing, "原话", providers=PARCELS)
    shift_log.acknowledge(db, incoming, entry.id)

    with pytest.raises(ValidationError, match="交班说明：补记须写明补充的内容"):
        shift_log.add_note(db, outgoing, entry.id, "   ")
    note = shift_log.add_note(db, outgoing, entry.id, "2-1-301 的钥匙已由业主取回")
    assert (note.kind, note.state, note.follows_id) == (EntryKind.NOTE, EntryState.NOTE, entry.id)
    with pytest.raises(UserError, match="补记无需接班确认"):
        shift_log.acknowledge(db, incoming, note.id)
    with pytest.raises(UserError, match="补记须针对一次交班"):
        shift_log.add_note(db, outgoing, note.id, "再补一句")
    assert shift_log.get_entry(db, incoming, entry.id).notes == "原话"

    for statement in (
        "UPDATE shift_entry SET notes = 'changed'",
        "DELETE FROM shift_acknowledgement",
    ):
        with pytest.raises(IntegrityError, match="append-only"), db.write(outgoing) as session:
            session.execute(text(statement))
    assert shift_log.get_entry(db, incoming, entry.id).acknowledged_by == incoming.display_name


def test_the_book_is_read_by_local_day(db: Database, clerks: tuple[Actor, Actor]) -> None:
    outgoing, incoming = clerks
    today = clock.today()
    yesterday_evening = clock.now() - timedelta(days=1)
    first = shift_log.hand_over(db, outgoing, "昨天", now=yesterday_evening, providers=PARCELS)
    shift_log.acknowledge(db, incoming, first.id, now=yesterday_evening)
    second = shift_log.hand_over(db, incoming, "今天", providers=PARCELS)

    assert [e.id for e in shift_log.book_entries(db, outgoing, today)] == [second.id]
    yesterday = today - timedelta(days=1)
    assert [e.id for e in shift_log.book_entries(db, outgoing, yesterday)] == [first.id]
    assert [e.id for e in shift_log.book_entries(db, outgoing, today, yesterday)] == [
        first.id,
        second.id,
    ]
    assert shift_log.book_entries(db, outgoing, date(2026, 1, 1)) == []


def test_only_the_counter_keeps_the_book(db: Database, make_user: MakeUser) -> None:
    cashier = make_user(Role.CASHIER)
    with pytest.raises(PermissionDenied):
        shift_log.hand_over(db, cashier, "", providers=PARCELS)
    with pytest.raises(PermissionDenied):
        shift_log.book_entries(db, cashier, clock.today())
    assert shift_log.handover_for(db, cashier) is None
    assert shift_log.today_lines(db, cashier, clock.utc_now()) == []


def test_the_home_screen_shows_a_handover_waiting(
    db: Database, clerks: tuple[Actor, Actor]
) -> None:
    outgoing, incoming = clerks
    (quiet,) = shift_log.today_lines(db, incoming, clock.utc_now())
    assert (quiet.key, quiet.count, quiet.lead.tab) == ("handover_waiting", 0, "交接班")

    entry = shift_log.hand_over(db, outgoing, "", providers=PARCELS)
    (fresh,) = shift_log.today_lines(db, incoming, clock.utc_now())
    assert fresh.count == 1 and fresh.text.endswith("的交班待接班确认")
    assert fresh.severity == "normal"
    (late,) = shift_log.today_lines(db, incoming, clock.utc_now() + timedelta(hours=2))
    assert late.severity == "warn"
    shift_log.acknowledge(db, incoming, entry.id)
    assert shift_log.today_lines(db, incoming, clock.utc_now())[0].count == 0


def test_cash_not_closed_lists_every_cashier_until_their_shift_is_closed(
    db: Database, admin: Actor, make_user: MakeUser, clerks: tuple[Actor, Actor]
) -> None:
    from frontdesk.domain.periods import Period

    town = make_community(db, admin)
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    cashier = make_user(Role.CASHIER)
    pay(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 23375, 30000))

    item = shift_log.cash_not_closed(db, clerks[0], clock.utc_now())
    assert (item.count, item.text) == (1, "未交班/日结的收费员 1 位")
    assert item.details == (f"{cashier.display_name}：收据 1 张，实收 233.75 元（现金 233.75 元）",)

    cash_close.close_cash(db, cashier, "shift", 23375, today=TODAY)
    closed = shift_log.cash_not_closed(db, clerks[0], clock.utc_now())
    assert (closed.count, closed.text, closed.details) == (0, "收款均已交班", ())


def test_the_waiting_handover_is_a_line_of_the_counters_home_screen(
    db: Database, clerks: tuple[Actor, Actor], make_user: MakeUser
) -> None:
    from frontdesk.services.today import today_work

    shift_log.hand_over(db, clerks[0], "", providers=PARCELS)
    line = today_work(db, clerks[1]).line("handover_waiting")
    assert line is not None and line.count == 1 and line.lead.area == "counter"
    assert today_work(db, make_user(Role.CASHIER)).line("handover_waiting") is None
