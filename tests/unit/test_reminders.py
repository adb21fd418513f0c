"""催缴 notices: wording rules, drafts, numbering, the stored copy and the log."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from frontdesk.db import settings
from frontdesk.db.models import Setting
from frontdesk.domain import clock
from frontdesk.domain import handbook as handbook_words
from frontdesk.domain import notices as notice_words
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.issued import Output
from frontdesk.domain.money import format_yuan
from frontdesk.domain.periods import Period
from frontdesk.domain.reminders import (
    DEFAULT_WORDING,
    PLACEHOLDERS,
    DeliveryMethod,
    ReminderWording,
    ServedNotice,
    cited_notices,
    month_spans,
    room_order,
)
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.printouts import reminders as printed
from frontdesk.services import community as office
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.arrears import reminders
from frontdesk.services.arrears.listing import ArrearsFilter
from frontdesk.services.arrears.reminders import DeliveryInput, PaymentDetails
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, meters, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import structure
from frontdesk.services.protection import audit
from tests.unit.fee_fixtures import TODAY, Community, make_community

PAYMENT = PaymentDetails(
    "每日 8:30-17:30", "金盾物业服务有限公司", "中国工商银行江东支行", "4301 0123 0920 0012 345"
)


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    community = make_community(db, admin)
    info = office.get_community(db)
    office.update_community(db, admin, replace(info, company_name="金盾物业服务有限公司"))
    reminders.set_payment_details(db, admin, PAYMENT)
    meters.save_readings(
        db,
        admin,
        community.water,
        Period(2026, 9),
        [meters.ReadingInput(community.occupied, 10_000, 22_000)],
        date(2026, 9, 30),
    )
    for month in (8, 9, 10, 11):
        billing.run_billing(db, admin, Period(2026, month), today=TODAY)
    return community


def text_of(pdf: bytes, page: int = 0) -> str:
    return re.sub(r"\s+", "", PdfReader(io.BytesIO(pdf)).pages[page].extract_text())


def draft_of(db: Database, actor: Actor, room_id: int, level: int, today: date):  # type: ignore[no-untyped-def]
    return next(
        d
        for d in reminders.draft_notices(db, actor, today=today, level=level)
        if d.room_id == room_id
    )


def send(db: Database, actor: Actor, room_id: int, level: int, day: date, **kw) -> str:  # type: ignore[no-untyped-def]
    """Print a notice of `level` to one household on `day` (clock set to it)."""
    clock.freeze(day)
    draft = draft_of(db, actor, room_id, level, day)
    batch = printed.prepare_reminders(db, actor, [draft], level, today=day, **kw)
    printed.record_printed(db, actor, batch, Output.PRINTED)
    return batch.numbers[0]


def deliver(db: Database, actor: Actor, number: str, day: date, **kw) -> None:  # type: ignore[no-untyped-def]
    clock.freeze(day)
    ids = reminders.ids_of_notices(db, actor, [number])
    data = DeliveryInput(kw.pop("method", DeliveryMethod.SIGNED), day, **kw)
    reminders.record_delivery(db, actor, ids, data, day)


def test_a_draft_sums_each_item_over_its_months(db, admin, town) -> None:
    drafts = {d.room_code: d for d in reminders.draft_notices(db, admin, today=TODAY)}
    occupied = drafts["1-1-101"]
    assert [(x.item, x.periods, x.amount_fen) for x in occupied.lines] == [
        ("物业服务费", "2026年8月至10月", 3 * 22375),
        ("生活垃圾处理费", "2026年8月至10月", 3 * 1000),
    ]
    assert occupied.total_fen == sum(x.amount_fen for x in occupied.lines)


def test_the_periods_skip_paid_months_and_water_is_listed_apart(db, admin, town) -> None:
    view = payments.counter_view(db, admin, town.occupied, TODAY)
    september = [b for b in view.open_bills if b.period == "2026-09" and b.fee_item != "水费"]
    paid = sum(b.outstanding_fen for b in september)
    payments.post_payment(
        db,
        admin,
        PaymentRequest(
            town.occupied,
            tuple((b.bill_id, b.outstanding_fen) for b in september),
            (TenderInput(PayMethod.CASH, paid),),
        ),
        TODAY,
    )
    draft = draft_of(db, admin, town.occupied, 1, TODAY)
    assert [(x.item, x.periods) for x in draft.lines] == [
        ("物业服务费", "2026年8月、2026年10月"),
        ("生活垃圾处理费", "2026年8月、2026年10月"),
    ]
    assert draft.total_fen == 2 * 22375 + 2 * 1000  # the water is not in the demand
    assert [(x.item, x.periods) for x in draft.on_behalf] == [("水费", "2026年9月")]
    assert draft.on_behalf_fen > 0
    row = next(
        r for r in arrears.arrears_report(db, admin, today=TODAY).rows if r.room_id == town.occupied
    )
    assert row.total_fen == draft.total_fen + draft.on_behalf_fen  # the list shows all owed
    pdf = printed.prepare_reminders(db, admin, [draft], 1, today=TODAY).pdf
    text = text_of(pdf)
    assert "2026年8月、2026年10月" in text
    # the total demanded is the property fees; the water has its own subtotal below it
    own = text.index(format_yuan(draft.total_fen, symbol=True))
    assert "代收小计" in text[own:] and "水费" in text[own:]
    assert "不属于上述物业服务费" in text


def test_a_household_owing_only_water_gets_no_催告函_even_by_override(db, admin, town) -> None:
    view = payments.counter_view(db, admin, town.occupied, TODAY)
    own = [b for b in view.open_bills if b.fee_item != "水费"]
    payments.post_payment(
        db,
        admin,
        PaymentRequest(
            town.occupied,
            tuple((b.bill_id, b.outstanding_fen) for b in own),
            (TenderInput(PayMethod.CASH, sum(b.outstanding_fen for b in own)),),
        ),
        TODAY,
    )
    assert town.occupied in {d.room_id for d in reminders.draft_notices(db, admin, today=TODAY)}
    for level in (2, 3):
        drafted = reminders.draft_notices(db, admin, today=TODAY, level=level)
        assert town.occupied not in {d.room_id for d in drafted}
    water_only = draft_of(db, admin, town.occupied, 1, TODAY)
    with pytest.raises(ValidationError, match="没有物业服务费欠费"):
        reminders.check_batch(admin, 3, [water_only], {town.occupied: "业主拒缴水费多月"})


def test_a_letter_cites_only_earlier_notices_about_the_same_debt() -> None:
    paid_since = ServedNotice(
        1, "CJ-2026-000001", date(2026, 3, 5), frozenset({"物业服务费@2026-02"})
    )
    this_debt = ServedNotice(
        1, "CJ-2026-000009", date(2026, 9, 5), frozenset({"物业服务费@2026-08"})
    )
    earlier = [paid_since, this_debt]
    assert cited_notices(2, earlier, ["物业服务费@2026-08", "物业服务费@2026-09"]) == [this_debt]
    assert cited_notices(2, [paid_since], ["物业服务费@2026-08"]) == []


def test_a_butler_records_notices_only_for_their_buildings(db, admin, town, make_user) -> None:
    butler = make_user(Role.BUTLER)  # no building in their care
    draft = draft_of(db, admin, town.occupied, 1, TODAY)
    batch = printed.prepare_reminders(db, admin, [draft], 1, today=TODAY)
    with pytest.raises(PermissionDenied, match="负责楼栋"):
        printed.record_printed(db, butler, batch, Output.PRINTED)
    assert arrears.reminder_log(db, admin, town.occupied) == []


def test_month_spans_name_runs_and_gaps() -> None:
    months = [Period(2026, m) for m in (6, 1, 2, 3)]
    assert month_spans(months) == "2026年1月至3月、2026年6月"
    assert month_spans([Period(2025, 11), Period(2025, 12), Period(2026, 1)]) == (
        "2025年11月至2026年1月"
    )
    assert month_spans([Period(2026, 4)]) == "2026年4月"


def test_letters_go_in_building_unit_and_room_order() -> None:
    codes = ["10-1-101", "2-1-1001", "2-2-101", "2-1-201", "1-10-101", "1-2-101"]
    assert sorted(codes, key=room_order) == [
        "1-2-101",
        "1-10-101",
        "2-1-201",
        "2-1-1001",
        "2-2-101",
        "10-1-101",
    ]


def test_a_催告函_needs_a_催缴通知单_served_15_days_before(db, admin, town) -> None:
    start = TODAY
    assert "温馨提示" in draft_of(db, admin, town.occupied, 2, start).refusal
    assert "催缴通知单" in draft_of(db, admin, town.occupied, 3, start).refusal
    with pytest.raises(ValidationError, match="1-1-101不能发催告函"):
        send(db, admin, town.occupied, 3, start)
    first = send(db, admin, town.occupied, 1, start)
    deliver(db, admin, first, start, method=DeliveryMethod.MAILBOX)
    with pytest.raises(ValidationError, match="须满 15 天"):
        send(db, admin, town.occupied, 2, start + timedelta(days=14))
    second = send(db, admin, town.occupied, 2, start + timedelta(days=15))
    # printed but not delivered: no 催告函 yet, however long ago
    assert (
        "尚未登记送达" in draft_of(db, admin, town.occupied, 3, start + timedelta(days=60)).refusal
    )
    deliver(db, admin, second, start + timedelta(days=16), signer="张三", relation="本人")
    with pytest.raises(ValidationError, match="须满 15 天"):
        send(db, admin, town.occupied, 3, start + timedelta(days=30))
    third = send(db, admin, town.occupied, 3, start + timedelta(days=31))
    pdf = reminders.notice_copy(db, admin, third).read_bytes()
    text = text_of(pdf)
    d1, d2 = start, start + timedelta(days=16)
    assert (
        f"本公司已于{d1.year}年{d1.month}月{d1.day}日向您投递《温馨提示》（编号{first}），"
        f"于{d2.year}年{d2.month}月{d2.day}日向您送达《催缴通知单》（编号{second}）"
    ) in text
    assert "送达回执" in text and "签收人" in text and "与业主关系" in text
    assert "挂号信/EMS单号" in text and "本公司" in text and "金盾物业服务有限公司（盖章）" in text


def test_a_supervisor_may_override_the_order_with_a_reason(db, admin, town, make_user) -> None:
    draft = draft_of(db, admin, town.occupied, 3, TODAY)
    clerk = make_user(Role.CASHIER)
    reason = "业主已明确表示拒缴，上级通知退回"
    with pytest.raises(PermissionDenied):
        printed.prepare_reminders(db, clerk, [draft], 3, overrides={town.occupied: reason})
    with pytest.raises(ValidationError, match="特批原因"):
        printed.prepare_reminders(db, admin, [draft], 3, overrides={town.occupied: " "})
    number = send(db, admin, town.occupied, 3, TODAY, overrides={town.occupied: reason})
    [log] = arrears.reminder_log(db, admin, town.occupied)
    assert log.notice_number == number and log.override == f"{admin.display_name}特批：{reason}"
    ids = audit.entry_ids(db, admin, audit.AuditFilter(text=reason))
    assert ids, "the override's reason is in the audit log"
    # nothing was ever sent: the letter claims no earlier reminder
    text = text_of(reminders.notice_copy(db, admin, number).read_bytes())
    assert "送达《" not in text and "此前" not in text and "多次" not in text


def test_delivery_restarts_the_limitation_clock_and_printing_does_not(db, admin, town) -> None:
    def last_written() -> date | None:
        rows = arrears.arrears_report(db, admin, today=TODAY + timedelta(days=5)).rows
        return next(r for r in rows if r.room_id == town.occupied).last_written_on

    draft = draft_of(db, admin, town.occupied, 2, TODAY)
    overrides = {town.occupied: "测试：越级发送催缴通知单"}
    # generating and previewing records nothing, not even the numbers
    batch = printed.prepare_reminders(db, admin, [draft], 2, overrides=overrides, today=TODAY)
    again = printed.prepare_reminders(db, admin, [draft], 2, overrides=overrides, today=TODAY)
    assert batch.numbers == again.numbers
    assert arrears.reminder_log(db, admin, town.occupied) == []
    # printing records 已打印，待送达: no demand yet
    clock.freeze(TODAY)
    printed.record_printed(db, admin, batch, Output.PRINTED)
    [log] = arrears.reminder_log(db, admin, town.occupied)
    assert (log.channel, log.delivery) == ("催缴通知单", "已打印，待送达")
    assert last_written() is None
    with pytest.raises(ValidationError, match="编号已被另一批通知占用"):
        printed.record_printed(db, admin, again, Output.PRINTED)
    [notice] = reminders.ids_of_notices(db, admin, batch.numbers)
    on = TODAY + timedelta(days=3)
    with pytest.raises(ValidationError, match="邮件单号"):
        reminders.record_delivery(
            db, admin, [notice], DeliveryInput(DeliveryMethod.REGISTERED_MAIL, on), on
        )
    with pytest.raises(ValidationError, match="送达方式"):
        reminders.record_delivery(
            db, admin, [notice], DeliveryInput(DeliveryMethod.MAILBOX, on), on
        )
    with pytest.raises(ValidationError, match="送达日期"):
        reminders.record_delivery(
            db, admin, [notice], DeliveryInput(DeliveryMethod.EMS, on, tracking_number="E1"), TODAY
        )
    assert last_written() is None
    reminders.record_delivery(
        db,
        admin,
        [notice],
        DeliveryInput(DeliveryMethod.REGISTERED_MAIL, on, tracking_number="xa 1234 5678 9cn"),
        on,
    )
    assert last_written() == on
    [log] = arrears.reminder_log(db, admin, town.occupied)
    assert log.delivery == f"已送达 {on:%Y-%m-%d} 挂号信 XA123456789CN"
    with pytest.raises(ValidationError, match="已登记送达"):
        reminders.record_delivery(
            db, admin, [notice], DeliveryInput(DeliveryMethod.EMS, on, tracking_number="E1"), on
        )


def test_a_催告函_never_prints_two_per_page(db, admin, town) -> None:
    draft = draft_of(db, admin, town.occupied, 3, TODAY)
    with pytest.raises(ValidationError, match="催告函附送达回执，须一页一份"):
        printed.prepare_reminders(
            db, admin, [draft], 3, two_per_page=True, overrides={draft.room_id: "测试特批原因"}
        )


def test_a_missing_payment_setting_is_named(db, admin, town) -> None:
    with db.write(admin) as session:  # as left by a version without these settings
        session.get(
            Setting, reminders.PAYMENT_KEY
        ).value = '{"counter_hours": "", "account_name": "x", "bank": "y", "account_number": "1"}'
    draft = draft_of(db, admin, town.occupied, 1, TODAY)
    with pytest.raises(ValidationError, match="收费处办公时间"):
        printed.prepare_reminders(db, admin, [draft], 1)
    with pytest.raises(ValidationError, match="收款账号"):
        reminders.set_payment_details(db, admin, PaymentDetails("8:30-17:30", "x", "y", ""))


def test_wording_that_threatens_to_cut_services_is_refused(db, admin) -> None:
    bad = ReminderWording("催缴通知单", "逾期不缴将停水停电。", "请到物业服务中心缴费。")
    with pytest.raises(ValidationError, match=r"正文.*第九百四十四条"):
        reminders.set_wording(db, admin, 2, bad)
    claims = ReminderWording("催缴通知单", "我司此前已多次提醒您缴费。", "电话 {服务中心电话}")
    with pytest.raises(ValidationError, match=r"正文.*\{已送达通知\}"):
        reminders.set_wording(db, admin, 2, claims)
    assert reminders.wording(db, 2) == DEFAULT_WORDING[2]
    mine = ReminderWording(
        "缴费提醒", "{业主}您好，{房号}尚欠{欠费金额}元。", "电话 {服务中心电话}"
    )
    reminders.set_wording(db, admin, 1, mine)
    assert reminders.wording(db, 1) == mine


def test_printing_numbers_stores_and_logs_each_notice(db, admin, town) -> None:
    drafts = reminders.draft_notices(db, admin, ArrearsFilter(min_months=1), today=TODAY)
    pdf = printed.print_reminders(db, admin, drafts, 1, today=TODAY)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(drafts)
    text = reader.pages[0].extract_text()
    assert "温" in text and "CJ-2026-000001" in text
    log = arrears.reminder_log(db, admin, drafts[0].room_id)
    assert log[0].notice_number == "CJ-2026-000001" and log[0].level == 1
    assert reminders.notice_copy(db, admin, "CJ-2026-000001").read_bytes() == pdf
    with pytest.raises(UserError, match="没有要打印"):
        printed.print_reminders(db, admin, [], 1, today=TODAY)


def test_placeholders_are_the_chinese_ones_of_notices_and_the_handbook(db, admin, town) -> None:
    """{小区名称}, {物业公司}, {房号} … mean what they mean in a notice template and the
    handbook; an unknown or an old English placeholder cannot be saved."""
    shared = set(notice_words.STANDARD_PLACEHOLDERS) | set(handbook_words.PLACEHOLDERS)
    assert {"业主", "房号", "小区名称", "物业公司", "小区地址", "服务中心电话"} <= shared
    assert shared & set(PLACEHOLDERS) == {
        "业主",
        "房号",
        "小区名称",
        "物业公司",
        "小区地址",
        "服务中心电话",
        "发布日期",
    }
    for typed, message in (
        ("{未知}", r"正文：未知的占位符 \{未知\}；可用的有：\{业主\}"),
        ("{owner}", r"正文：未知的占位符 \{owner\}，现写作 \{业主\}"),
    ):
        with pytest.raises(ValidationError, match=message):
            reminders.set_wording(db, admin, 1, ReminderWording("提醒", f"{typed}您好", "电话"))
    assert reminders.wording(db, 1) == DEFAULT_WORDING[1]

    reminders.set_wording(
        db,
        admin,
        1,
        ReminderWording(
            "{小区名称}缴费提醒",
            "{业主}：{房号} 欠 {欠费金额} 元，最早自{最早欠费月份}。{物业公司}",
            "{服务中心电话} {小区地址} {发布日期}",
        ),
    )
    drafts = reminders.draft_notices(db, admin, today=TODAY)[:1]
    notice = printed.reminder_notices(db, admin, drafts, 1, None, ["CJ-1"], TODAY)[0]
    info = office.get_community(db)
    assert notice.title == f"{info.name}缴费提醒"
    owed = format_yuan(drafts[0].total_fen)
    assert notice.body == (
        f"{drafts[0].owner or '业主'}：{drafts[0].room_code} 欠 {owed} 元，"
        f"最早自{drafts[0].oldest_period}。{info.company_name}"
    )
    assert notice.closing == (
        f"{info.service_phone} {info.address} {TODAY.year}年{TODAY.month}月{TODAY.day}日"
    )
    assert "{" not in notice.title + notice.body + notice.closing


def test_an_old_english_wording_is_read_in_the_chinese_placeholders(db, admin, town) -> None:
    """A wording stored by an older program (a restored backup, a counter not yet
    updated) reads and prints in the Chinese placeholders."""
    old = ReminderWording("提醒", "{owner}：{room} 欠 {total} 元。{earlier}{未知}", "{phone}")
    with db.write(admin) as session:
        settings.save(session, "reminder_wording_1", old)
    assert reminders.wording(db, 1) == ReminderWording(
        "提醒", "{业主}：{房号} 欠 {欠费金额} 元。{已送达通知}{未知}", "{服务中心电话}"
    )
    drafts = reminders.draft_notices(db, admin, today=TODAY)[:1]
    with pytest.raises(ValidationError, match=r"正文：未知的占位符 \{未知\}"):
        printed.reminder_notices(db, admin, drafts, 1, None, ["CJ-1"], TODAY)
    with db.write(admin) as session:
        settings.save(session, "reminder_wording_1", replace(old, body="{owner}：{room}"))
    notice = printed.reminder_notices(db, admin, drafts, 1, None, ["CJ-1"], TODAY)[0]
    assert notice.body == f"{drafts[0].owner or '业主'}：{drafts[0].room_code}"
    assert notice.closing == office.get_community(db).service_phone


def test_drafts_come_in_building_unit_and_room_order(db, admin) -> None:
    """A butler posts the letters floor by floor: 2栋 before 10栋, 201 before 1001."""
    make_community(db, admin)
    for code in ("10", "2"):
        building = structure.create_building(
            db, admin, structure.NewBuilding(code, f"{code}栋", 10, 2, 1, "89.50")
        )
        ids = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))
        for room_id in ids:
            structure.update_room(
                db,
                admin,
                room_id,
                structure.RoomChange(
                    "89.50", RoomType.RESIDENCE, RoomStatus.OCCUPIED, date(2020, 5, 1)
                ),
            )
    billing.run_billing(db, admin, Period(2026, 10), today=TODAY)
    codes = [d.room_code for d in reminders.draft_notices(db, admin, today=TODAY)]
    assert codes == sorted(codes, key=room_order)
    buildings = [code.split("-")[0] for code in codes]
    assert buildings.index("2") < buildings.index("10")
    two = [code for code in codes if code.startswith("2-1-")]
    assert two[:3] == ["2-1-101", "2-1-201", "2-1-301"] and two[-1] == "2-1-1001"


def test_a_notice_speaks_as_the_company_so_its_name_is_required(db, admin, town) -> None:
    info = office.get_community(db)
    office.update_community(db, admin, replace(info, company_name=""))
    draft = draft_of(db, admin, town.occupied, 1, TODAY)
    with pytest.raises(ValidationError, match="物业公司名称"):
        printed.prepare_reminders(db, admin, [draft], 1, today=TODAY)
