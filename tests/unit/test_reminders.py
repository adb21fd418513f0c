"""催缴 notices: wording rules, drafts, numbering, the stored copy and the log."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from frontdesk import printouts
from frontdesk.domain.periods import Period
from frontdesk.domain.reminders import DEFAULT_WORDING, ReminderWording
from frontdesk.domain.roles import Actor
from frontdesk.errors import UserError, ValidationError
from frontdesk.services import arrears, billing, reminders
from frontdesk.services.arrears import ArrearsFilter
from frontdesk.services.database import Database
from tests.unit.fee_fixtures import TODAY, Community, make_community


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    community = make_community(db, admin)
    for month in (8, 9, 10, 11):
        billing.run_billing(db, admin, Period(2026, month), today=TODAY)
    return community


def test_a_draft_sums_each_item_over_its_months(db, admin, town) -> None:
    drafts = {d.room_code: d for d in reminders.draft_notices(db, admin, today=TODAY)}
    occupied = drafts["1-1-101"]
    assert [(x.item, x.periods, x.amount_fen) for x in occupied.lines] == [
        ("物业服务费", "2026年8月至2026年10月", 3 * 22375),
        ("生活垃圾处理费", "2026年8月至2026年10月", 3 * 1000),
    ]
    assert occupied.total_fen == sum(x.amount_fen for x in occupied.lines)


def test_wording_that_threatens_to_cut_services_is_refused(db, admin) -> None:
    bad = ReminderWording("催缴通知单", "逾期不缴将停水停电。", "请到物业服务中心缴费。")
    with pytest.raises(ValidationError, match=r"正文.*第九百四十四条"):
        reminders.set_wording(db, admin, 2, bad)
    assert reminders.wording(db, 2) == DEFAULT_WORDING[2]
    mine = ReminderWording("缴费提醒", "{owner}您好，{room}尚欠{total}元。", "电话 {phone}")
    reminders.set_wording(db, admin, 1, mine)
    assert reminders.wording(db, 1) == mine


def test_printing_numbers_stores_and_logs_each_notice(db, admin, town) -> None:
    drafts = reminders.draft_notices(db, admin, ArrearsFilter(min_months=1), today=TODAY)
    pdf = printouts.print_reminders(db, admin, drafts, 3, deadline=date(2026, 12, 10), today=TODAY)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(drafts)
    text = reader.pages[0].extract_text()
    assert "催" in text and "2026年12月10日" in text and "CJ-2026-000001" in text
    log = arrears.reminder_log(db, admin, drafts[0].room_id)
    assert log[0].notice_number == "CJ-2026-000001" and log[0].level == 3
    assert reminders.notice_copy(db, admin, "CJ-2026-000001").read_bytes() == pdf
    row = next(
        r
        for r in arrears.arrears_report(db, admin, today=TODAY).rows
        if r.room_id == drafts[0].room_id
    )
    assert row.last_written_on is not None  # a 催告函 interrupts the limitation period
    with pytest.raises(UserError, match="没有要打印"):
        printouts.print_reminders(db, admin, [], 1, today=TODAY)


def test_placeholders_are_filled_and_stray_braces_kept(db, admin, town) -> None:
    reminders.set_wording(
        db, admin, 1, ReminderWording("提醒", "{owner}：{room} 欠 {total} 元 {未知}", "{phone}")
    )
    drafts = reminders.draft_notices(db, admin, today=TODAY)[:1]
    notice = printouts.reminder_notices(db, admin, drafts, 1, None, ["CJ-1"], TODAY)[0]
    assert drafts[0].room_code in notice.body and "{未知}" in notice.body
    assert "{owner}" not in notice.body and notice.deadline == ""
