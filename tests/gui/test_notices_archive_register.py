"""通知存档 and 发文登记 tabs: a lobby notice found by building, by the day it covers
and by its words, its stored PDF reopened; the register listing, filtering,
reopening (a print from the preview registers a reprint), exporting, and refusing a
stored file altered on disk."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from frontdesk.domain import clock
from frontdesk.domain.issued import DocKind, Output
from frontdesk.domain.notices import NoticeMode
from frontdesk.domain.roles import Actor, Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.notices import register_tab
from frontdesk.gui.screens.notices.archive_tab import COLUMNS as ARCHIVE_COLUMNS
from frontdesk.gui.screens.notices.archive_tab import LETTER_HINT, ArchiveTab
from frontdesk.gui.screens.notices.register_tab import PURGED_TIP, RegisterTab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.gui.widgets.tables import select_row
from frontdesk.printouts import household_card
from frontdesk.printouts.notices import IssuedNotice, issue_notice
from frontdesk.services import community
from frontdesk.services.households import structure
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.notices.posting import NoticeRequest
from frontdesk.services.notices.register import RegisterFilter, list_issued
from tests.gui.conftest import Shown
from tests.stored_files import document_path

EVENT_DAY = clock.today() + timedelta(days=3)
WATER = {"停水时间": f"{EVENT_DAY} 08:00至18:00", "停水原因": "二次供水水箱清洗"}


@dataclass(frozen=True)
class Data:
    buildings: list[int]  # 1栋, 2栋, 3栋
    notice: IssuedNotice  # posted in 1栋 and 2栋
    card_room: int  # 1-1-101
    card_number: str  # its 户档案卡 in the register
    card_pdf: bytes


def lobby_notice(ctx: AppContext, building_ids: tuple[int, ...], **values: str) -> IssuedNotice:
    request = NoticeRequest("water_outage", {**WATER, **values}, NoticeMode.LOBBY, building_ids)
    return issue_notice(ctx.db, ctx.actor, request)


@pytest.fixture
def data(ctx: AppContext) -> Data:
    info = community.get_community(ctx.db)
    community.update_community(ctx.db, ctx.actor, replace(info, service_phone="025-86661234"))
    buildings = [
        structure.create_building(
            ctx.db, ctx.actor, structure.NewBuilding(str(n), f"{n}栋", 2, 1, 2, "89.50")
        ).id
        for n in (1, 2, 3)
    ]
    notice = lobby_notice(ctx, (buildings[0], buildings[1]))
    room = structure.find_room_id(ctx.db, ctx.actor, "1-1-101")
    card = household_card(ctx.db, ctx.actor, room)
    number = issued_documents.record(ctx.db, ctx.actor, card, Output.PRINTED)
    return Data(buildings, notice, room, number, card.pdf)


@pytest.fixture
def archive(qtbot: QtBot, ctx: AppContext, data: Data) -> ArchiveTab:
    tab = ArchiveTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    return tab


@pytest.fixture
def register(qtbot: QtBot, ctx: AppContext, data: Data) -> RegisterTab:
    tab = RegisterTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    return tab


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[PdfPreviewDialog]:
    """Preview dialogs that would have been shown (exec returns at once)."""
    seen: list[PdfPreviewDialog] = []

    def exec_closed(dialog: PdfPreviewDialog) -> int:
        seen.append(dialog)
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", exec_closed)
    return seen


def printing(monkeypatch: pytest.MonkeyPatch) -> list[PdfPreviewDialog]:
    """Preview dialogs in which the user prints once."""
    seen: list[PdfPreviewDialog] = []

    def exec_and_print(dialog: PdfPreviewDialog) -> int:
        seen.append(dialog)
        assert dialog.on_output is not None
        dialog.on_output(Output.PRINTED)
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", exec_and_print)
    return seen


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def cell(tab: ArchiveTab, row: int, column: int) -> str:
    item = tab.ui.table.item(row, column)
    assert item is not None
    return item.text()


def archive_numbers(tab: ArchiveTab) -> list[str]:
    return [cell(tab, r, 0) for r in range(tab.ui.table.rowCount())]


def choose_building(combo_owner: ArchiveTab | RegisterTab, building_id: int | None) -> None:
    combo = combo_owner.ui.buildingCombo
    combo.setCurrentIndex(combo.findData(building_id))


def register_column(tab: RegisterTab, title: str) -> list[str]:
    model = tab.model
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    index = column.index(title)
    return [str(model.index(r, index).data()) for r in range(model.rowCount())]


def select_register_row(tab: RegisterTab, number: str) -> None:
    row = register_column(tab, "登记号").index(number)
    select_row(tab.ui.table, row)


# 通知存档 ----------------------------------------------------------------------------


def test_archive_lists_the_notice_with_its_scope_and_event(
    archive: ArchiveTab, data: Data, shown: Shown
) -> None:
    assert archive_numbers(archive) == [data.notice.number]
    table = archive.ui.table
    cells = {title: cell(archive, 0, c) for c, title in enumerate(ARCHIVE_COLUMNS)}
    assert cells["标题"] == "停水通知"
    assert cells["范围"] == "1栋、2栋"
    assert cells["份数"] == "2"
    assert cells["事件时间"] == f"{EVENT_DAY.year}年{EVENT_DAY.month}月{EVENT_DAY.day}日"
    assert cells["发布人"] == "管理员"
    assert archive.ui.bodyText.toPlainText() == ""  # nothing selected yet
    select_row(table, 0)
    assert "二次供水水箱清洗" in archive.ui.bodyText.toPlainText()
    assert data.notice.register_number in archive.ui.textHeader.text()
    assert archive.ui.bodyText.isReadOnly()
    assert shown == []


def test_a_building_filter_shows_notices_posted_there_and_community_wide_ones(
    ctx: AppContext, archive: ArchiveTab, data: Data
) -> None:
    first, _second, third = data.buildings
    choose_building(archive, first)
    assert archive_numbers(archive) == [data.notice.number]
    choose_building(archive, third)
    assert archive_numbers(archive) == []
    assert "没有" in archive.ui.countLabel.text()

    everywhere = lobby_notice(ctx, ())
    archive.refresh()  # keeps 3栋 chosen
    assert archive.ui.buildingCombo.currentData() == third
    assert archive_numbers(archive) == [everywhere.number]
    choose_building(archive, None)
    assert sorted(archive_numbers(archive)) == sorted([data.notice.number, everywhere.number])


def test_the_day_an_event_covers_finds_or_hides_the_notice(archive: ArchiveTab, data: Data) -> None:
    ui = archive.ui
    assert not ui.happeningEdit.isEnabled()
    ui.happeningEdit.setDate(qdate(EVENT_DAY + timedelta(days=1)))
    ui.happeningCheck.setChecked(True)  # runs the query
    assert ui.happeningEdit.isEnabled()
    assert archive_numbers(archive) == []
    ui.happeningEdit.setDate(qdate(EVENT_DAY))
    ui.queryButton.click()
    assert archive_numbers(archive) == [data.notice.number]
    ui.happeningCheck.setChecked(False)
    ui.happeningEdit.setDate(qdate(EVENT_DAY - timedelta(days=5)))
    ui.queryButton.click()
    assert archive_numbers(archive) == [data.notice.number]  # unchecked: not a filter


def test_words_and_issue_dates_narrow_the_archive(archive: ArchiveTab, data: Data) -> None:
    ui = archive.ui
    ui.searchEdit.setText("电梯")
    QTest.keyClick(ui.searchEdit, Qt.Key.Key_Return)  # Enter runs the query
    assert archive_numbers(archive) == []
    ui.searchEdit.setText("水箱清洗")
    ui.queryButton.click()
    assert archive_numbers(archive) == [data.notice.number]
    ui.searchEdit.setText(data.notice.number)
    ui.queryButton.click()
    assert archive_numbers(archive) == [data.notice.number]
    ui.fromEdit.setDate(qdate(clock.today() + timedelta(days=1)))
    ui.toEdit.setDate(qdate(clock.today() + timedelta(days=9)))
    ui.queryButton.click()
    assert archive_numbers(archive) == []


def test_view_original_shows_the_stored_notice_and_a_print_is_a_reprint(
    ctx: AppContext,
    archive: ArchiveTab,
    data: Data,
    shown: Shown,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = printing(monkeypatch)
    select_row(archive.ui.table, 0)
    assert archive.ui.openButton.isEnabled()
    archive.ui.openButton.click()
    assert len(seen) == 1
    assert seen[0].pdf == data.notice.printout.pdf
    assert shown == []
    newest = list_issued(ctx.db, ctx.actor, RegisterFilter(kinds=(DocKind.NOTICE,)))[0]
    assert newest.reprint_of == data.notice.register_number
    assert newest.number != data.notice.register_number


def test_double_click_opens_the_original(
    qtbot: QtBot, archive: ArchiveTab, data: Data, previews: list[PdfPreviewDialog]
) -> None:
    table = archive.ui.table
    select_row(table, 0)
    table.cellDoubleClicked.emit(0, 1)
    assert [d.pdf for d in previews] == [data.notice.printout.pdf]


def test_a_letter_points_to_the_register(
    ctx: AppContext,
    archive: ArchiveTab,
    data: Data,
    shown: Shown,
    previews: list[PdfPreviewDialog],
) -> None:
    request = NoticeRequest("water_outage", WATER, NoticeMode.LETTER, room_ids=(data.card_room,))
    letter = issue_notice(ctx.db, ctx.actor, request)
    archive.refresh()
    row = archive_numbers(archive).index(letter.number)
    select_row(archive.ui.table, row)
    assert "业户信函" in cell(archive, row, 2)
    assert not archive.ui.openButton.isEnabled()
    assert archive.ui.letterHint.isVisibleTo(archive)
    archive.open_copy()
    assert previews == []
    assert shown == [("information", "查看原件", LETTER_HINT)]


# 发文登记 ----------------------------------------------------------------------------


def test_the_register_lists_both_documents_newest_first(register: RegisterTab, data: Data) -> None:
    assert register_column(register, "登记号") == [data.card_number, data.notice.register_number]
    assert register_column(register, "种类") == ["户档案卡", "张贴通知"]
    assert register_column(register, "对象") == ["1-1-101", "1栋、2栋"]
    assert register_column(register, "方式") == ["打印", "生成存档"]
    assert register_column(register, "重印自") == ["", ""]
    assert "共 2 份" in register.ui.countLabel.text()


def test_the_register_filters_by_kind_room_building_and_person(
    register: RegisterTab, data: Data, shown: Shown
) -> None:
    ui = register.ui
    register.kinds.select(DocKind.NOTICE)  # the combo runs the query
    assert register_column(register, "登记号") == [data.notice.register_number]
    register.kinds.select(None)
    assert len(register_column(register, "登记号")) == 2

    register.room.set_room(data.card_room, "1-1-101")  # picked: runs the query
    assert register_column(register, "登记号") == [data.card_number]
    ui.clearRoomButton.click()
    assert len(register_column(register, "登记号")) == 2

    register.room.setText("1-1-101")  # typed, not picked: the code is looked up
    ui.queryButton.click()
    assert register_column(register, "登记号") == [data.card_number]
    register.room.setText("9-9-909")
    ui.queryButton.click()
    assert shown and shown[-1][1] == "发文登记" and "房号" in shown[-1][2]
    assert "9-9-909" in shown[-1][2]
    register.room.clear_room()

    choose_building(register, data.buildings[2])
    assert register_column(register, "登记号") == []
    choose_building(register, data.buildings[0])  # the notice posted there, the card's room
    assert len(register_column(register, "登记号")) == 2
    choose_building(register, None)

    ui.byEdit.setText("别人")
    QTest.keyClick(ui.byEdit, Qt.Key.Key_Return)  # Enter runs the query
    assert register_column(register, "登记号") == []
    ui.byEdit.setText("管理员")
    ui.queryButton.click()
    assert len(register_column(register, "登记号")) == 2


def test_printing_an_original_registers_a_reprint_of_it(
    ctx: AppContext,
    register: RegisterTab,
    data: Data,
    shown: Shown,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = printing(monkeypatch)
    select_register_row(register, data.card_number)
    register.ui.openButton.click()
    assert shown == []
    assert len(seen) == 1
    numbers = register_column(register, "登记号")  # reloaded after the print
    assert len(numbers) == 3
    assert register_column(register, "重印自")[0] == data.card_number
    assert register_column(register, "种类")[0] == "户档案卡"
    assert register_column(register, "方式")[0] == "登记簿重印"
    reprint = issued_documents.get_issued(ctx.db, ctx.actor, numbers[0])
    assert reprint.reprint_of == data.card_number
    assert reprint.subject == "1-1-101"

    # A reprint of the reprint still points at the first one issued.
    select_register_row(register, numbers[0])
    register.open_original()
    assert register_column(register, "重印自")[0] == data.card_number


def test_closing_the_preview_unprinted_registers_nothing(
    ctx: AppContext, register: RegisterTab, data: Data, previews: list[PdfPreviewDialog]
) -> None:
    select_register_row(register, data.notice.register_number)
    register.open_original()
    assert [d.pdf for d in previews] == [data.notice.printout.pdf]
    assert len(list_issued(ctx.db, ctx.actor)) == 2


def test_export_writes_the_rows_shown(
    register: RegisterTab,
    data: Data,
    shown: Shown,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "发文登记"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    register.ui.exportButton.click()
    written = target.with_suffix(".xlsx")
    assert register.export_path == str(written)
    sheet = load_workbook(written).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("登记号", "种类", "标题")
    assert [r[0] for r in rows[1:]] == register_column(register, "登记号")
    assert [r[1] for r in rows[1:]] == register_column(register, "种类")
    assert [r[2] for r in rows[1:]] == register_column(register, "标题")
    assert rows[2][3] == data.notice.number  # the notice's own number
    assert shown[-1][0] == "information" and str(written) in shown[-1][2]


def test_export_of_nothing_says_so(
    register: RegisterTab, shown: Shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def ask(*_args: object, **_kwargs: object) -> tuple[str, str]:
        asked.append("where?")
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    register.ui.searchEdit.setText("没有这种文件")
    register.ui.queryButton.click()
    register.export_excel()
    assert asked == []
    assert shown[-1][0] == "information" and "没有" in shown[-1][2]


def test_a_stored_file_altered_on_disk_is_refused(
    ctx: AppContext,
    register: RegisterTab,
    data: Data,
    shown: Shown,
    previews: list[PdfPreviewDialog],
) -> None:
    sha256 = hashlib.sha256(data.notice.printout.pdf).hexdigest()
    stored = document_path(ctx.db, sha256)
    stored.write_bytes(stored.read_bytes().replace(b"%%EOF", b"%%EOF\n% changed"))
    select_register_row(register, data.notice.register_number)
    register.open_original()
    assert previews == []
    assert len(shown) == 1
    kind, title, text = shown[0]
    assert kind == "warning" and title == "无法打开原件"
    assert "已被改动" in text


def test_a_missing_stored_file_is_refused(
    ctx: AppContext,
    register: RegisterTab,
    data: Data,
    shown: Shown,
    previews: list[PdfPreviewDialog],
) -> None:
    sha256 = hashlib.sha256(data.card_pdf).hexdigest()
    document_path(ctx.db, sha256).unlink()
    select_register_row(register, data.card_number)
    register.open_original()
    assert previews == []
    assert shown and "不见了" in shown[0][2]


def test_erased_entries_are_grey_with_why(
    ctx: AppContext,
    register: RegisterTab,
    data: Data,
    shown: Shown,
    previews: list[PdfPreviewDialog],
) -> None:
    now = clock.now()
    with ctx.db.write(ctx.actor) as session:
        cards = issued_documents.issued_before({DocKind.HOUSEHOLD_CARD}, now + timedelta(days=1))
        issued_documents.mark_purged(session, cards, now)
    register.ui.refreshButton.click()
    row = register_column(register, "登记号").index(data.card_number)
    kept = register_column(register, "登记号").index(data.notice.register_number)
    model = register.model
    assert model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole) == PURGED_TIP
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(kept, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(row, 6).data(Qt.ItemDataRole.ToolTipRole) == PURGED_TIP
    assert model.index(kept, 2).data(Qt.ItemDataRole.ToolTipRole) != PURGED_TIP
    assert "已按期删除" in register.ui.countLabel.text()
    select_row(register.ui.table, row)
    register.open_original()
    assert previews == []
    assert shown and "已按保存期限删除" in shown[0][2]


def test_the_limit_is_named_when_reached(
    register: RegisterTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    def limited(**fields: object) -> RegisterFilter:
        return replace(RegisterFilter(**fields), limit=1)  # type: ignore[arg-type]

    monkeypatch.setattr(register_tab, "RegisterFilter", limited)
    register.reload()
    assert register.model.rowCount() == 1
    assert "只列出最近 1 份" in register.ui.countLabel.text()


def test_open_with_nothing_selected_asks_for_a_row(register: RegisterTab, shown: Shown) -> None:
    register.ui.table.clearSelection()
    register.open_original()
    assert shown == [("information", "打开原件", "请先在列表中选中一份文件。")]


def test_a_clerk_sees_why_the_register_is_closed(
    qtbot: QtBot,
    ctx: AppContext,
    data: Data,
    make_user: Callable[[Role], Actor],
    shown: Shown,
) -> None:
    clerk = AppContext(ctx.db, make_user(Role.CLERK), TaskRunner())
    tab = RegisterTab(clerk)
    qtbot.addWidget(tab)
    tab.refresh()
    assert not tab.isEnabled()
    assert "权限" in tab.ui.countLabel.text()
    assert tab.model.rowCount() == 0
    assert shown == []
    archive = ArchiveTab(clerk)  # the archive is for everyone at the counter
    qtbot.addWidget(archive)
    archive.refresh()  # read off the GUI thread
    qtbot.waitUntil(lambda: archive_numbers(archive) == [data.notice.number])
