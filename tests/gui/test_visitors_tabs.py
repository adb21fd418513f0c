"""访客 tabs: bookings made, admitted and cancelled; the history found, counted and
exported; the watchlist; the visitor settings and the purge.

The tabs use the real clock, so bookings are made for today with a window covering
the whole day, and visits are registered at times of today (or long ago)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QTableWidget

from frontdesk.domain import clock
from frontdesk.domain.visitors import BookingState, PassPaper, Purpose
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.visitors import bookings_tab, history_tab
from frontdesk.gui.screens.visitors import common as visitors_common
from frontdesk.gui.screens.visitors.bookings_tab import BookingDialog, BookingsTab
from frontdesk.gui.screens.visitors.history_tab import HistoryTab
from frontdesk.gui.screens.visitors.settings_tab import VisitorSettingsTab
from frontdesk.gui.screens.visitors.watch_tab import WatchDialog, WatchTab
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services.households import structure
from frontdesk.services.visitors import bookings as visitor_bookings
from frontdesk.services.visitors import register as visitors
from frontdesk.services.visitors import settings as visitor_settings
from frontdesk.services.visitors.bookings import BookingInput
from frontdesk.services.visitors.history import VisitFilter, search_visits
from frontdesk.services.visitors.register import VisitInput, VisitRow
from frontdesk.services.visitors.settings import VisitorSettings
from frontdesk.services.visitors.watchlist import WatchInput, WatchMatch, add_watch, list_watch
from tests.gui.conftest import Shown

WHOLE_DAY = (time(0, 0), time(23, 59))


def column(table: QTableWidget, name: str, columns: tuple[str, ...]) -> list[str]:
    index = columns.index(name)
    return [table.item(r, index).text() for r in range(table.rowCount())]


def at_today(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(clock.today(), time(hour, minute)).astimezone()


@pytest.fixture
def rooms(ctx: AppContext) -> list[int]:
    """Rooms 1-1-101, 1-1-102, 1-1-201, 1-1-202."""
    building = structure.create_building(
        ctx.db, ctx.actor, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    return structure.room_ids(ctx.db, ctx.actor, structure.RoomFilter(building_id=building.id))


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """QMessageBox.question answers Yes; the questions asked are kept."""
    asked: list[str] = []

    def yes(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    return asked


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """PDFs that would have been shown in the print preview."""
    seen: list[bytes] = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda dialog: seen.append(dialog.pdf) or 0)
    return seen


def dialog_filled_by(fill: Callable[[QDialog], None]) -> Callable[[QDialog], int]:
    """An exec() that types into the dialog, presses OK and returns its result."""

    def exec_(dialog: QDialog) -> int:
        fill(dialog)
        dialog.accept()
        return dialog.result()

    return exec_


def booking(ctx: AppContext, room: int, **changes: object) -> visitor_bookings.BookingRow:
    values: dict[str, object] = {
        "room_id": room,
        "visitor_name": "王五",
        "visitor_phone": "13912345678",
        "expected_on": clock.today(),
        "window_start": WHOLE_DAY[0],
        "window_end": WHOLE_DAY[1],
        "booked_by": "业主 张三",
        "party_size": 2,
    }
    values.update(changes)
    return visitor_bookings.create_booking(ctx.db, ctx.actor, BookingInput(**values))  # type: ignore[arg-type]


def register(ctx: AppContext, room: int, at: datetime, **changes: object) -> VisitRow:
    values: dict[str, object] = {
        "room_id": room,
        "visitor_name": "王五",
        "visitor_phone": "13912345678",
        "confirmed_by": "业主 张三",
    }
    values.update(changes)
    data = VisitInput(**values)  # type: ignore[arg-type]
    return visitors.register_visit(ctx.db, ctx.actor, data, now=at, confirmed_watch=True)


# 预约 ------------------------------------------------------------------------------


@pytest.fixture
def bookings(qtbot, ctx: AppContext, rooms: list[int]) -> BookingsTab:
    tab = BookingsTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    return tab


def fill_booking(dialog: BookingDialog) -> None:
    QTest.keyClicks(dialog.room, "1-1-102")
    QTest.keyClick(dialog.room, Qt.Key.Key_Return)
    ui = dialog.ui
    ui.bookedByEdit.setText("业主 张三（138****1111）")
    ui.nameEdit.setText("李秀兰")
    QTest.keyClicks(ui.phoneEdit, "13812345678")
    ui.partySpin.setValue(3)
    ui.startEdit.setTime(QTime(0, 0))
    ui.endEdit.setTime(QTime(23, 59))


def test_a_booking_made_in_the_dialog_shows_its_code_and_is_listed(
    bookings: BookingsTab, rooms: list[int], monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    monkeypatch.setattr(BookingDialog, "exec", dialog_filled_by(fill_booking))
    bookings.ui.newButton.click()
    stored = visitor_bookings.list_bookings(bookings.ctx.db, bookings.ctx.actor)
    assert len(stored) == 1
    made = stored[0]
    assert (made.room_id, made.visitor, made.party_size) == (rooms[1], "李秀兰", 3)
    assert made.booked_by == "业主 张三（138****1111）"
    [(kind, title, text)] = shown
    assert (kind, title) == ("information", "预约已保存")
    assert f"预约码 {made.code}" in text and "请告知访客到达时出示" in text
    table, columns = bookings.ui.table, bookings_tab.COLUMNS
    assert column(table, "预约码", columns) == [made.code]
    assert column(table, "电话", columns) == ["138****5678"]
    assert column(table, "到访房屋", columns) == ["1-1-102"]
    assert column(table, "状态", columns) == ["待到访"]
    assert column(table, "日期时段", columns) == ["今天 00:00–23:59"]
    assert bookings.selected() == made


def test_the_dialog_names_the_field_it_refuses_and_saves_nothing(
    bookings: BookingsTab, monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    def no_room(dialog: BookingDialog) -> None:
        fill_booking(dialog)
        dialog.room.clear_room()

    def window_backwards(dialog: BookingDialog) -> None:
        fill_booking(dialog)
        dialog.ui.startEdit.setTime(QTime(18, 0))
        dialog.ui.endEdit.setTime(QTime(9, 0))

    for fill in (no_room, window_backwards):
        monkeypatch.setattr(BookingDialog, "exec", dialog_filled_by(fill))
        bookings.ui.newButton.click()
    assert [text.split("：")[0] for _kind, _title, text in shown] == ["预约房屋", "到访时段"]
    assert visitor_bookings.list_bookings(bookings.ctx.db, bookings.ctx.actor) == []
    assert bookings.ui.table.rowCount() == 0


def test_a_window_already_over_is_refused_with_the_services_message(
    bookings: BookingsTab, monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    if clock.wall_now().hour < 2:
        pytest.skip("no window of today is over yet")

    def early(dialog: BookingDialog) -> None:
        fill_booking(dialog)
        dialog.ui.endEdit.setTime(QTime(0, 30))

    monkeypatch.setattr(BookingDialog, "exec", dialog_filled_by(early))
    bookings.ui.newButton.click()
    assert shown == [("warning", "无法保存预约", "预约日期：预约的时段已经过去")]


def test_the_dialog_offers_no_date_before_today(bookings: BookingsTab) -> None:
    dialog = BookingDialog(bookings.ctx, bookings)
    dialog.ui.dateEdit.setDate(QDate(clock.today()).addDays(-1))
    assert dialog.ui.dateEdit.date() == QDate(clock.today())


def test_admitting_a_booking_registers_the_visit_and_prints_its_pass(
    bookings: BookingsTab,
    rooms: list[int],
    answers: list[str],
    previews: list[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = booking(bookings.ctx, rooms[0])
    later = booking(bookings.ctx, rooms[1], expected_on=clock.today() + timedelta(days=2))
    offered: list[VisitRow] = []
    monkeypatch.setattr(
        bookings_tab, "offer_pass_print", lambda _parent, visit: offered.append(visit) or True
    )
    bookings.refresh()
    bookings.select(later.id)
    assert not bookings.ui.admitButton.isEnabled()  # only today's bookings admit
    bookings.select(made.id)
    assert bookings.ui.admitButton.isEnabled()
    bookings.ui.admitButton.click()
    assert made.code in answers[0]
    [visit] = offered
    assert (visit.room_id, visit.visitor, visit.party_size) == (rooms[0], "王五", 2)
    assert visit.number.startswith("FK")
    assert len(previews) == 1 and previews[0].startswith(b"%PDF")
    table, columns = bookings.ui.table, bookings_tab.COLUMNS
    assert column(table, "预约码", columns) == [later.code]  # the admitted one left the list
    bookings.ui.showAllCheck.setChecked(True)
    assert column(table, "状态", columns) == ["已到访", "待到访"]
    assert column(table, "访客单号", columns) == [visit.number, ""]


def test_a_watchlist_match_at_admission_asks_before_registering(
    bookings: BookingsTab,
    rooms: list[int],
    answers: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx = bookings.ctx
    add_watch(
        ctx.db,
        ctx.actor,
        WatchInput("多次推销", clock.today() + timedelta(days=30), phone="13912345678"),
    )
    made = booking(ctx, rooms[0])
    warned: list[list[WatchMatch]] = []
    decision = iter([False, True])
    monkeypatch.setattr(
        visitors_common,
        "ask_watch_override",
        lambda _parent, warning: warned.append(warning.matches) or next(decision),
    )
    monkeypatch.setattr(bookings_tab, "offer_pass_print", lambda _parent, _visit: False)
    bookings.refresh()
    bookings.select(made.id)
    bookings.admit_selected()  # 取消: nothing registered
    assert search_visits(ctx.db, ctx.actor, VisitFilter()) == []
    assert column(bookings.ui.table, "状态", bookings_tab.COLUMNS) == ["待到访"]
    bookings.select(made.id)
    bookings.admit_selected()  # 仍然登记
    [visit] = search_visits(ctx.db, ctx.actor, VisitFilter())
    assert visit.watch_hit
    assert [[m.matched for m in matches] for matches in warned] == [["电话"], ["电话"]]
    assert "多次推销" in warned[0][0].text


def test_cancelling_a_booking_after_confirming(
    bookings: BookingsTab, rooms: list[int], answers: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    made = booking(bookings.ctx, rooms[0])
    bookings.refresh()
    bookings.select(made.id)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No)
    )
    bookings.ui.cancelButton.click()
    assert bookings.ui.table.rowCount() == 1  # answered No: still open
    monkeypatch.undo()
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    bookings.select(made.id)
    bookings.ui.cancelButton.click()
    assert bookings.ui.table.rowCount() == 0
    [stored] = visitor_bookings.list_bookings(bookings.ctx.db, bookings.ctx.actor)
    assert stored.state == BookingState.CANCELLED
    bookings.ui.showAllCheck.setChecked(True)
    assert column(bookings.ui.table, "状态", bookings_tab.COLUMNS) == ["已取消"]
    bookings.select(made.id)
    assert not bookings.ui.cancelButton.isEnabled()


# 访客记录 --------------------------------------------------------------------------


@pytest.fixture
def history(qtbot, ctx: AppContext, rooms: list[int]) -> HistoryTab:
    register(ctx, rooms[0], at_today(9, 15), party_size=2, plate="浙A12345")
    register(ctx, rooms[0], at_today(9, 40), purpose=Purpose.DELIVERY, visitor_phone="13700001111")
    register(ctx, rooms[1], at_today(14, 30), party_size=3, visitor_name="赵六")
    register(ctx, rooms[1], at_today(10) - timedelta(days=3), visitor_name="孙七")
    tab = HistoryTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    return tab


def visitors_shown(tab: HistoryTab) -> list[str]:
    return column(tab.ui.table, "访客", history_tab.COLUMNS)


def test_history_shows_todays_visits_newest_first(history: HistoryTab) -> None:
    assert visitors_shown(history) == ["赵六", "王五", "王五"]
    assert column(history.ui.table, "车牌", history_tab.COLUMNS) == ["", "", "浙A12345"]
    assert column(history.ui.table, "电话", history_tab.COLUMNS)[0] == "139****5678"
    assert "共 3 次到访，6 人" in history.ui.countLabel.text()


def test_history_filters_by_plate_on_enter_and_by_date(history: HistoryTab) -> None:
    history.ui.plateEdit.setText("浙a 12345")
    QTest.keyClick(history.ui.plateEdit, Qt.Key.Key_Return)
    assert column(history.ui.table, "车牌", history_tab.COLUMNS) == ["浙A12345"]
    history.ui.plateEdit.clear()
    history.ui.fromEdit.setDate(QDate(clock.today()).addDays(-3))
    QTest.keyClick(history.ui.fromEdit, Qt.Key.Key_Return)
    assert visitors_shown(history) == ["赵六", "王五", "王五", "孙七"]
    history.ui.toEdit.setDate(QDate(clock.today()).addDays(-1))
    history.ui.queryButton.click()
    assert visitors_shown(history) == ["孙七"]


def test_history_filters_by_room_phone_and_purpose(history: HistoryTab) -> None:
    QTest.keyClicks(history.room, "1-1-102")
    QTest.keyClick(history.room, Qt.Key.Key_Return)
    assert visitors_shown(history) == ["赵六"]
    history.ui.clearRoomButton.click()
    assert len(visitors_shown(history)) == 3
    history.ui.phoneEdit.setText("137 0000 1111")
    history.ui.queryButton.click()
    assert column(history.ui.table, "事由", history_tab.COLUMNS) == ["快递外卖"]
    history.ui.phoneEdit.clear()
    history.purposes.select(Purpose.FAMILY)  # a purpose chosen queries at once
    assert visitors_shown(history) == ["赵六", "王五"]


def test_a_bad_filter_is_named(history: HistoryTab, shown: Shown) -> None:
    history.ui.plateEdit.setText("12345")
    history.ui.queryButton.click()
    assert shown and shown[0][2].startswith("车牌号：")
    history.ui.plateEdit.clear()
    history.room.setText("没有这户")
    history.ui.queryButton.click()
    assert shown[1][2].startswith("房屋：")
    assert len(visitors_shown(history)) == 3  # the last good result stays


def purpose_counts(tab: HistoryTab) -> dict[str, tuple[str, str]]:
    """{purpose label: (批次, 人数)} as the small table shows them."""
    table = tab.ui.purposeTable
    return {
        table.horizontalHeaderItem(c).text(): (table.item(0, c).text(), table.item(1, c).text())
        for c in range(table.columnCount())
    }


def test_the_days_counts_by_purpose_and_hour(history: HistoryTab) -> None:
    ui = history.ui
    counts = purpose_counts(history)
    assert counts["探亲访友"] == ("2", "5")
    assert counts["快递外卖"] == ("1", "1")
    assert counts["维修"] == ("0", "0")
    assert counts["合计"] == ("3", "6")
    hours = [ui.hourTable.item(0, h).text() for h in range(24)]
    assert hours[9] == "2" and hours[14] == "1" and hours.count("") == 22
    assert "<b>3</b> 批、<b>6</b> 人" in ui.dayLabel.text()
    assert ui.dayGroup.title().startswith(clock.today().isoformat())
    ui.fromEdit.setDate(QDate(clock.today()).addDays(-3))
    ui.queryButton.click()  # the day is the 'from' date
    assert purpose_counts(history)["合计"] == ("1", "1")
    assert "统计的是开始日期当天" in ui.dayLabel.text()


def test_watchlist_hits_and_frequent_visitors_are_marked(
    ctx: AppContext, history: HistoryTab, rooms: list[int]
) -> None:
    add_watch(
        ctx.db, ctx.actor, WatchInput("推销", clock.today() + timedelta(days=9), plate="浙B54321")
    )
    register(ctx, rooms[1], at_today(16), visitor_name="钱八", plate="浙B54321")
    for day in range(6, 0, -1):
        register(
            ctx,
            rooms[0],
            at_today(8) - timedelta(days=day),
            visitor_name="周九",
            visitor_phone="13600002222",
        )
    register(ctx, rooms[0], at_today(8, 30), visitor_name="周九", visitor_phone="13600002222")
    history.refresh()
    shown_names = visitors_shown(history)
    assert "钱八〔黑名单〕" in shown_names and "周九〔频繁〕" in shown_names
    row = shown_names.index("钱八〔黑名单〕")
    assert "黑名单" in history.ui.table.item(row, history_tab.VISITOR).toolTip()


def test_history_exports_what_it_shows_to_excel(
    history: HistoryTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    target = tmp_path / "访客记录"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    history.ui.exportButton.click()
    saved = target.with_suffix(".xlsx")
    sheet = load_workbook(saved).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("访客单号", "到访房屋", "访客", "电话")
    assert [r[2] for r in rows[1:]] == ["赵六", "王五", "王五"]
    assert rows[3][3] == "139****5678" and rows[3][5] == "浙A12345"
    assert shown[-1][2].startswith("已导出 3 条访客记录")


def test_a_pass_is_printed_again_from_the_history(
    history: HistoryTab, previews: list[bytes]
) -> None:
    select_row(history.ui.table, 0)
    history.ui.reprintButton.click()
    assert len(previews) == 1 and previews[0].startswith(b"%PDF")


# 黑名单 ----------------------------------------------------------------------------


@pytest.fixture
def watch(qtbot, ctx: AppContext) -> WatchTab:
    tab = WatchTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    return tab


def test_adding_and_revoking_a_watchlist_entry(
    watch: WatchTab, monkeypatch: pytest.MonkeyPatch, answers: list[str]
) -> None:
    defaults: list[QDate] = []

    def fill(dialog: WatchDialog) -> None:
        defaults.append(dialog.ui.expiresEdit.date())
        dialog.ui.nameEdit.setText("赵某")
        QTest.keyClicks(dialog.ui.phoneEdit, "13900001111")
        QTest.keyClicks(dialog.ui.idEdit, "110101199003074514")
        dialog.ui.reasonEdit.setText("多次冒充快递进入推销")

    monkeypatch.setattr(WatchDialog, "exec", dialog_filled_by(fill))
    watch.ui.addButton.click()
    assert defaults == [QDate(clock.today()).addYears(1)]
    columns = ("姓名", "电话", "车牌", "证件号码", "原因", "有效期至", "登记人", "状态")
    table = watch.ui.table
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    row = dict(zip(columns, cells, strict=True))
    assert row["姓名"] == "赵某" and row["电话"] == "13900001111"
    assert row["证件号码"] != "110101199003074514" and row["证件号码"].endswith("4514")
    assert row["有效期至"] == (QDate(clock.today()).addYears(1).toPython()).isoformat()
    assert row["状态"] == "有效"
    assert watch.selected() is not None
    watch.ui.removeButton.click()
    assert "赵某" in answers[0]
    assert table.rowCount() == 0
    watch.ui.showAllCheck.setChecked(True)
    assert table.item(0, columns.index("状态")).text() == "已撤销"
    assert list_watch(watch.ctx.db, watch.ctx.actor) == []


def test_an_entry_with_nothing_to_match_is_refused(
    watch: WatchTab, monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    monkeypatch.setattr(
        WatchDialog, "exec", dialog_filled_by(lambda d: d.ui.reasonEdit.setText("推销"))
    )
    watch.ui.addButton.click()
    assert shown == [("warning", "无法保存", "姓名：姓名、电话、车牌、证件号码至少填写一项")]
    assert watch.ui.table.rowCount() == 0


# 访客设置 --------------------------------------------------------------------------


@pytest.fixture
def settings(qtbot, ctx: AppContext) -> VisitorSettingsTab:
    tab = VisitorSettingsTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    return tab


def test_the_settings_are_saved(settings: VisitorSettingsTab) -> None:
    ui = settings.ui
    assert not ui.requireIdCheck.isChecked() and ui.retentionSpin.value() == 180
    assert (ui.retentionSpin.minimum(), ui.retentionSpin.maximum()) == (30, 3650)
    ui.requireIdCheck.setChecked(True)
    ui.retentionSpin.setValue(365)
    settings.papers.select(PassPaper.A6)
    ui.saveButton.click()
    assert visitor_settings.visitor_settings(settings.ctx.db) == VisitorSettings(
        True, 365, PassPaper.A6
    )
    assert ui.savedLabel.text() == "已保存"


def test_purging_erases_an_old_visit_after_confirming(
    ctx: AppContext,
    rooms: list[int],
    settings: VisitorSettingsTab,
    answers: list[str],
    shown: Shown,
) -> None:
    old = register(ctx, rooms[0], clock.utc_now() - timedelta(days=400), plate="浙A12345")
    register(ctx, rooms[0], clock.utc_now())
    settings.refresh()
    before = (clock.today() - timedelta(days=180)).isoformat()
    assert settings.ui.purgeLabel.text().startswith(f"将清除 {before} 以前 1 条访客登记、0 条预约")
    assert settings.ui.purgeButton.isEnabled()
    settings.ui.purgeButton.click()
    assert "无法恢复" in answers[0]
    assert shown[-1][2] == (
        f"已清除 {before} 以前 1 条访客登记、0 条预约、0 条已失效黑名单中的个人信息。"
    )
    erased = visitors.get_visit(ctx.db, ctx.actor, old.id)
    assert erased.purged and erased.visitor == "（已按期清除）" and erased.plate == ""
    assert len(search_visits(ctx.db, ctx.actor, VisitFilter())) == 2  # counts are kept
    assert "没有需要清除" in settings.ui.purgeLabel.text()
    assert not settings.ui.purgeButton.isEnabled()
