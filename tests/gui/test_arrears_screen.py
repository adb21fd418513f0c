"""催缴: the arrears list, a reminder logged, batch notices, wording and the butler's list.

The screens read the clock, so the bills are for the three months before its month."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QTableWidget

from frontdesk.domain import clock
from frontdesk.domain.arrears import Channel
from frontdesk.domain.household import PersonKind
from frontdesk.domain.issued import Output
from frontdesk.domain.periods import Period
from frontdesk.domain.reminders import DEFAULT_WORDING
from frontdesk.domain.roles import Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.arrears import batch_tab
from frontdesk.gui.screens.arrears.delivery_dialog import DeliveryDialog
from frontdesk.gui.screens.arrears.list_tab import COLUMNS, ListTab
from frontdesk.gui.screens.arrears.reminder_dialog import ReminderDialog
from frontdesk.gui.screens.arrears.screen import ArrearsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services import community as office
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.arrears import reminders
from frontdesk.services.arrears.reminders import PaymentDetails
from frontdesk.services.fees import billing
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from tests.unit.fee_fixtures import Community, make_community

THIS_MONTH = Period.of(clock.today())
# 1-1-101: 物业服务费 223.75 + 生活垃圾处理费 10.00 a month, three months unpaid;
# 1-1-102 (空置, 七折): 156.62 + 10.00 a month, two months (unsold until then).
OWED_101 = 3 * (22375 + 1000)
OWED_102 = 2 * (15662 + 1000)


def _column(table: QTableWidget, name: str) -> list[str]:
    """A column by its header (on any of the arrears tables)."""
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    column = headers.index(name)
    return [table.item(r, column).text() for r in range(table.rowCount())]


def _cells(table: QTableWidget, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


@pytest.fixture
def community(ctx: AppContext) -> Community:
    db, admin = ctx.db, ctx.actor
    place = make_community(db, admin)
    households.add_record(
        db,
        admin,
        place.occupied,
        households.PersonInput(PersonKind.OWNER, "张三", phone="13800001111"),
    )
    households.add_record(db, admin, place.vacant, households.PersonInput(PersonKind.OWNER, "李四"))
    info = office.get_community(db)
    office.update_community(db, admin, replace(info, company_name="金盾物业服务有限公司"))
    reminders.set_payment_details(
        db,
        admin,
        PaymentDetails("每日 8:30-17:30", "金盾物业服务有限公司", "工商银行", "4301 0001"),
    )

    def status(value: RoomStatus) -> None:
        handover = None if value == RoomStatus.UNSOLD else date(2020, 5, 1)
        change = structure.RoomChange("89.50", RoomType.RESIDENCE, value, handover)
        structure.update_room(db, admin, place.vacant, change)

    status(RoomStatus.UNSOLD)
    # 1-1-201 is handed over this month (whatever day the suite runs): nothing overdue
    handed = THIS_MONTH.first_day + timedelta(days=min(15, clock.today().day - 1))
    change = structure.RoomChange("89.50", RoomType.RESIDENCE, RoomStatus.HANDED_OVER, handed)
    structure.update_room(db, admin, place.new, change)
    for months_back in (3, 2, 1):
        if months_back == 2:
            status(RoomStatus.VACANT)
        period = THIS_MONTH.shifted(-months_back)
        billing.run_billing(db, admin, period, today=period.first_day)
    return place


@pytest.fixture
def screen(qtbot, ctx: AppContext, community: Community) -> ArrearsScreen:
    widget = ArrearsScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    widget.refresh()
    return widget


@pytest.fixture
def listing(screen: ArrearsScreen) -> ListTab:
    assert screen.list_tab is not None
    return screen.list_tab


def test_the_tabs_an_administrator_sees(screen: ArrearsScreen) -> None:
    tabs = screen.ui.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "欠费清单",
        "批量催缴",
        "送达登记",
        "跟进",
        "通知措辞",
    ]


def test_the_list_shows_each_owing_household_with_its_total_and_months(
    listing: ListTab,
) -> None:
    table = listing.ui.table
    assert _column(table, "房号") == ["1-1-101", "1-1-102"]  # most months first
    first = dict(zip(COLUMNS, _cells(table, 0), strict=True))
    assert first["业主"] == "张三"
    assert first["电话"] == "138****1111"
    assert first["欠费合计"] == "701.25"
    assert first["最早欠费"] == THIS_MONTH.shifted(-3).label
    assert first["月数"] == "3"
    assert first["账龄"] == "3个月以内"
    assert _column(table, "欠费合计") == ["701.25", "333.24"]
    assert _column(table, "月数") == ["3", "2"]
    totals = listing.ui.totalsLabel.text()
    assert "共 2 户，欠费合计 ¥1,034.49" in totals
    assert "3个月以内 ¥1,034.49" in totals
    # money sorts as money, not as text
    table.sortByColumn(COLUMNS.index("欠费合计"), Qt.SortOrder.AscendingOrder)
    assert _column(table, "房号") == ["1-1-102", "1-1-101"]


@pytest.mark.parametrize(
    ("months", "amount", "expected"),
    [(3, "", ["1-1-101"]), (0, "500", ["1-1-101"]), (0, "300", ["1-1-101", "1-1-102"])],
)
def test_minimum_months_or_amount_narrow_the_list(
    listing: ListTab, months: int, amount: str, expected: list[str]
) -> None:
    listing.ui.minAmountEdit.setText(amount)
    listing.ui.minMonthsSpin.setValue(months)
    listing.refresh()
    assert _column(listing.ui.table, "房号") == expected
    assert f"共 {len(expected)} 户" in listing.ui.totalsLabel.text()


def test_a_bad_minimum_amount_is_named(shown, listing: ListTab) -> None:
    listing.ui.minAmountEdit.setText("五百")
    listing.refresh()
    assert shown[0][0] == "warning"
    assert shown[0][2].startswith("最少欠费：")


def test_a_reminder_logged_in_the_dialog_shows_in_the_log_and_the_list(
    monkeypatch, listing: ListTab, community: Community
) -> None:
    promised = QDate(clock.today()).addDays(5)

    def fill_and_save(dialog: ReminderDialog) -> int:
        ui = dialog.ui
        assert "1-1-101" in ui.roomLabel.text()
        ui.channelCombo.setCurrentIndex(ui.channelCombo.findText("电话"))
        ui.outcomeEdit.setText("答应月底交清")
        ui.promisedCheck.setChecked(True)
        ui.promisedEdit.setDate(promised)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ReminderDialog, "exec", fill_and_save)
    assert listing.select_room(community.occupied)
    assert listing.ui.logTable.rowCount() == 0
    listing.log_reminder()
    log = listing.ui.logTable
    assert log.rowCount() == 1
    assert [log.item(0, c).text() for c in (1, 2, 3, 4, 5)] == [
        "管理员",
        "电话",
        "701.25",
        "答应月底交清",
        promised.toString("yyyy-MM-dd"),
    ]
    assert listing.selected_room_id() == community.occupied  # still selected after refresh
    today = f"{clock.today():%Y-%m-%d}"
    assert _column(listing.ui.table, "最近催缴")[0] == f"{today} 电话：答应月底交清"
    assert _column(listing.ui.table, "承诺日")[0] == promised.toString("yyyy-MM-dd")


def test_a_promised_date_in_the_past_is_refused_by_the_dialog(
    shown, listing: ListTab, community: Community
) -> None:
    listing.select_room(community.occupied)
    dialog = ReminderDialog(listing.ctx, listing.selected(), listing)
    dialog.ui.promisedCheck.setChecked(True)
    dialog.ui.promisedEdit.setMinimumDate(QDate(2000, 1, 1))
    dialog.ui.promisedEdit.setDate(QDate(clock.today()).addDays(-1))
    dialog.accept()
    assert shown and shown[0][2].startswith("承诺缴费日期：")
    assert arrears.reminder_log(listing.ctx.db, listing.ctx.actor, community.occupied) == []


def test_exporting_writes_the_listed_households(monkeypatch, tmp_path, listing: ListTab) -> None:
    target = tmp_path / "欠费.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    listing.export_excel()
    sheet = load_workbook(target).active
    assert [sheet.cell(r, 1).value for r in range(2, 5)] == ["1-1-101", "1-1-102", "合计"]


def test_batch_printing_makes_one_page_and_one_reminder_per_household(
    qtbot, monkeypatch, screen: ArrearsScreen, community: Community
) -> None:
    tab = screen.batch
    assert tab is not None
    tab.preview_pdf = False
    monkeypatch.setattr(batch_tab, "confirm", lambda *_a: True)
    tab.ui.levelCombo.setCurrentIndex(tab.ui.levelCombo.findData(1))
    tab.generate()
    table = tab.ui.draftsTable
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["1-1-101", "1-1-102"]
    assert [table.item(r, 2).text() for r in range(table.rowCount())] == ["701.25", "333.24"]
    assert _column(table, "能否发送") == ["可发送", "可发送"]
    assert "共 2 户，物业服务费等欠费合计 ¥1,034.49" in tab.ui.summaryLabel.text()
    tab.print_notices()
    qtbot.waitUntil(lambda: tab.last_pdf is not None, timeout=20_000)
    assert len(PdfReader(io.BytesIO(tab.last_pdf)).pages) == len(tab.drafts) == 2
    ctx = screen.ctx
    # generating and previewing records nothing
    assert arrears.reminder_log(ctx.db, ctx.actor, community.occupied) == []
    assert "尚未登记" in tab.ui.summaryLabel.text()
    # printing (or saving) from the preview records each notice, once
    assert tab.record_batch(Output.PRINTED) and tab.record_batch(Output.SAVED)
    assert "已登记 2 份温馨提示" in tab.ui.summaryLabel.text()
    for room_id in (community.occupied, community.vacant):
        log = arrears.reminder_log(ctx.db, ctx.actor, room_id)
        assert [(r.level, r.delivery) for r in log] == [(1, "已打印，待送达")]
        assert log[0].notice_number.startswith("CJ-")

    # The log opens the very PDF that was printed (kept as evidence).
    shown_pdfs: list[bytes] = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda dialog: shown_pdfs.append(dialog.pdf) or 0)
    listing = screen.list_tab
    assert listing is not None
    listing.refresh()
    assert all(
        text.endswith("（已打印，待送达）") for text in _column(listing.ui.table, "最近催缴")
    )
    select_row(listing.ui.table, 0)
    listing.open_notice(0)
    assert shown_pdfs == [tab.last_pdf]


def test_a_催缴通知单_waits_for_a_served_温馨提示_unless_a_supervisor_overrides(
    qtbot, monkeypatch, shown, screen: ArrearsScreen, community: Community
) -> None:
    tab = screen.batch
    assert tab is not None
    tab.preview_pdf = False
    monkeypatch.setattr(batch_tab, "confirm", lambda *_a: True)
    tab.ui.levelCombo.setCurrentIndex(tab.ui.levelCombo.findData(2))
    tab.generate()
    table = tab.ui.draftsTable
    assert all(s.startswith("不可发送：未向该户送达过") for s in _column(table, "能否发送"))
    assert "2 户不可发送催缴通知单" in tab.ui.summaryLabel.text()
    tab.ui.levelCombo.setCurrentIndex(tab.ui.levelCombo.findData(3))
    assert not tab.ui.twoPerPageCheck.isEnabled()  # a 催告函 is one a page
    tab.ui.levelCombo.setCurrentIndex(tab.ui.levelCombo.findData(2))
    select_row(table, 0)
    tab.override("业主书面拒收温馨提示")
    assert _column(table, "能否发送")[0] == "主管特批：业主书面拒收温馨提示"
    tab.print_notices()  # the household not overridden is left out
    qtbot.waitUntil(lambda: tab.last_pdf is not None, timeout=20_000)
    assert len(PdfReader(io.BytesIO(tab.last_pdf)).pages) == 1
    assert tab.record_batch(Output.PRINTED)

    # 送达登记: the notice waits for its delivery; recording it makes it a demand
    delivery = screen.delivery
    assert delivery is not None
    delivery.refresh()
    states = _column(delivery.ui.table, "送达状态")
    assert states == ["已打印，待送达"]
    select_row(delivery.ui.table, 0)
    dialog = DeliveryDialog(screen.ctx, delivery.selected(), delivery)
    methods = [dialog.ui.methodCombo.itemText(i) for i in range(dialog.ui.methodCombo.count())]
    assert "投递信箱" not in methods  # no evidence: not for a written demand
    dialog.ui.methodCombo.setCurrentIndex(methods.index("挂号信"))
    dialog.accept()  # no tracking number: refused, nothing recorded
    assert dialog.recorded == 0
    assert [text for _kind, _title, text in shown] == ["邮件单号：挂号信须填写邮件单号"]
    dialog.ui.trackingEdit.setText("XA123456789CN")
    dialog.accept()
    assert dialog.recorded == 1
    delivery.refresh()
    assert delivery.ui.table.rowCount() == 0  # only the pending ones are shown
    delivery.ui.pendingCheck.setChecked(False)
    assert _column(delivery.ui.table, "送达状态")[0].endswith("挂号信 XA123456789CN")
    row = next(
        r
        for r in arrears.arrears_report(screen.ctx.db, screen.ctx.actor).rows
        if r.room_id == community.occupied
    )
    assert row.last_written_on == clock.today()


def test_batch_opens_on_level_one_without_a_deadline(screen: ArrearsScreen) -> None:
    """批量催缴 opens on 温馨提示: the first notice of any debt, with no deadline."""
    tab = screen.batch
    screen.ui.tabs.setCurrentWidget(tab)
    assert tab.level == 1
    assert tab.ui.levelCombo.currentText() == "1 温馨提示"
    assert tab.ui.printButton.text() == "预览并打印温馨提示(&P)…"
    assert tab.ui.twoPerPageCheck.isEnabled()
    assert not tab.ui.deadlineEdit.isEnabled()
    assert tab.deadline() is None


def test_follow_ups_list_broken_promises(screen: ArrearsScreen, community: Community) -> None:
    ctx = screen.ctx
    promised = clock.today().replace(day=1)  # a day now past, unless today is the first
    arrears.log_reminder(
        ctx.db,
        ctx.actor,
        arrears.ReminderInput(community.vacant, Channel.PHONE, "下周交", promised),
        today=promised,
    )
    screen.ui.tabs.setCurrentWidget(screen.follow)
    table = screen.follow.ui.table
    if promised < clock.today():
        assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["1-1-102"]
        assert "共 1 户" in screen.follow.ui.countLabel.text()
    else:  # the first of the month: nothing is overdue yet
        assert table.rowCount() == 0


def test_wording_that_threatens_to_cut_water_is_refused_and_not_saved(
    shown, screen: ArrearsScreen
) -> None:
    tab = screen.wording
    assert tab is not None
    screen.ui.tabs.setCurrentWidget(tab)
    tab.ui.levelCombo.setCurrentIndex(tab.ui.levelCombo.findData(2))
    assert tab.ui.titleEdit.text() == "催缴通知单"
    tab.ui.bodyEdit.setPlainText("请于{缴费期限}前缴清，逾期将停水。")
    assert not tab.save_wording()
    kind, _title, text = shown[0]
    assert kind == "warning"
    assert text.startswith("正文：") and "停水" in text
    assert reminders.wording(screen.ctx.db, 2) == DEFAULT_WORDING[2]


def test_wording_and_late_fee_terms_are_saved(screen: ArrearsScreen) -> None:
    tab = screen.wording
    screen.ui.tabs.setCurrentWidget(tab)
    tab.ui.titleEdit.setText("缴费提醒")
    assert tab.save_wording()
    assert reminders.wording(screen.ctx.db, 1).title == "缴费提醒"
    tab.restore_default()
    assert tab.ui.titleEdit.text() == "温馨提示"
    tab.ui.enabledCheck.setChecked(True)
    tab.ui.rateSpin.setValue(3)
    tab.ui.graceSpin.setValue(10)
    tab.ui.capSpin.setValue(20)
    assert tab.save_terms()
    terms = arrears.late_fee_terms(screen.ctx.db)
    assert (terms.enabled, terms.per_day_per_10000, terms.grace_days, terms.cap_percent) == (
        True,
        3,
        10,
        20,
    )
    # how to pay, printed on every notice
    assert tab.ui.accountNumberEdit.text() == "4301 0001"
    tab.ui.bankEdit.setText("中国工商银行南京江东支行")
    assert tab.save_payment()
    assert reminders.payment_details(screen.ctx.db).bank == "中国工商银行南京江东支行"


def test_a_butler_without_buildings_sees_an_empty_worklist(
    qtbot, db, make_user, community: Community
) -> None:
    butler = make_user(Role.BUTLER)
    widget = ArrearsScreen(AppContext(db, butler, TaskRunner(wait=True)))
    qtbot.addWidget(widget)
    widget.refresh()
    tabs = widget.ui.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "欠费清单",
        "批量催缴",
        "送达登记",
        "跟进",
    ]
    assert widget.list_tab.ui.headingLabel.text().startswith("我负责的欠费户")
    assert widget.list_tab.ui.table.rowCount() == 0
    assert "共 0 户" in widget.list_tab.ui.totalsLabel.text()
    assert not widget.list_tab.ui.waiveButton.isVisibleTo(widget)


def test_wording_placeholders_are_the_chinese_ones_and_insert_where_the_cursor_was(
    screen: ArrearsScreen,
) -> None:
    tab = screen.wording
    assert tab is not None
    screen.ui.tabs.setCurrentWidget(tab)
    assert "{业主}" in tab.ui.placeholdersLabel.text()
    assert "{owner}" not in tab.ui.placeholdersLabel.text()
    actions = [a.text() for a in tab.placeholder_menu.actions()]
    assert actions[0].startswith("{业主}") and any(a.startswith("{小区名称}") for a in actions)
    tab.ui.closingEdit.setPlainText("电话：")
    tab.ui.closingEdit.setFocus()
    tab.ui.closingEdit.moveCursor(tab.ui.closingEdit.textCursor().MoveOperation.End)
    next(
        a for a in tab.placeholder_menu.actions() if a.text().startswith("{服务中心电话}")
    ).trigger()
    assert tab.ui.closingEdit.toPlainText() == "电话：{服务中心电话}"
    assert tab.save_wording()
    assert reminders.wording(screen.ctx.db, 1).closing == "电话：{服务中心电话}"
