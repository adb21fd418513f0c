"""入伙 tabs: 验房问题 recorded, repaired, re-inspected and photographed, overdue ones
red; the 业主手册 edited with its placeholders, previewed, reset, extended and
printed by a supervisor, read (and printed) by everyone else."""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QTableWidget

from frontdesk.domain import clock
from frontdesk.domain.handbook import DEFAULT_SECTIONS
from frontdesk.domain.movein import DefectStatus
from frontdesk.domain.roles import Actor, Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.movein import defect_words, defects_tab
from frontdesk.gui.screens.movein.defect_dialogs import (
    DefectDialog,
    DefectFixDialog,
    DefectPhotosDialog,
    RecheckDialog,
)
from frontdesk.gui.screens.movein.defects_tab import DefectsTab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets import handbook_editor
from frontdesk.gui.widgets.handbook_editor import HandbookTab, Unsaved
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.movein import defects, handbook
from frontdesk.services.movein.defects import DefectInput
from frontdesk.services.movein.handbook import HandbookValues
from tests.gui.conftest import Shown

TODAY = clock.today()
SHIPPED = {s.key: s for s in DEFAULT_SECTIONS}
FEES_ROW = [s.key for s in DEFAULT_SECTIONS].index("fees")


def column(table: QTableWidget, name: str) -> list[str]:
    index = defects_tab.COLUMNS.index(name)
    return [table.item(r, index).text() for r in range(table.rowCount())]


def foreground(table: QTableWidget, row: int) -> QColor:
    return table.item(row, 0).foreground().color()


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def dialog_filled_by(fill: Callable[[QDialog], None]) -> Callable[[QDialog], int]:
    """An exec() that fills the dialog in, presses its save button and returns the result."""

    def exec_(dialog: QDialog) -> int:
        fill(dialog)
        dialog.accept()
        return dialog.result()

    return exec_


@pytest.fixture
def rooms(ctx: AppContext) -> dict[str, int]:
    """5-1-101 … 5-1-302: building 5, three floors, one unit, two rooms a floor."""
    building = structure.create_building(
        ctx.db, ctx.actor, structure.NewBuilding("5", "5栋", 3, 1, 2, "89.50")
    )
    ids = structure.room_ids(ctx.db, ctx.actor, structure.RoomFilter(building_id=building.id))
    return {row.code: row.id for row in structure.room_rows(ctx.db, ctx.actor, ids)}


def defect(
    ctx: AppContext,
    room: int,
    found_on: date = TODAY,
    deadline: date | None = None,
    description: str = "客厅东墙有一条约 40 厘米的竖向裂缝",
) -> int:
    data = DefectInput(
        "客厅", "墙面", description, "施工单位", found_on, deadline or found_on + timedelta(15)
    )
    return defects.add_defect(ctx.db, ctx.actor, room, data)


def stored(ctx: AppContext) -> dict[int, defects.DefectRow]:
    return {r.id: r for r in defects.list_defects(ctx.db, ctx.actor)}


@pytest.fixture
def tab(qtbot, ctx: AppContext, rooms: dict[str, int]) -> DefectsTab:
    widget = DefectsTab(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


# 验房问题 ------------------------------------------------------------------------------


def fill_defect(dialog: DefectDialog) -> None:
    QTest.keyClicks(dialog.room, "5-1-101")
    QTest.keyClick(dialog.room, Qt.Key.Key_Return)
    ui = dialog.ui
    ui.areaCombo.setCurrentText("卫生间")
    ui.kindCombo.setCurrentText("防水")
    ui.descriptionEdit.setPlainText("主卫淋浴区墙角渗水，楼下顶棚可见水渍")
    ui.responsibleCombo.setCurrentText("开发商")


def test_a_defect_recorded_in_the_dialog_is_listed_with_its_deadline(
    tab: DefectsTab, rooms: dict[str, int], monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    monkeypatch.setattr(DefectDialog, "exec", dialog_filled_by(fill_defect))
    tab.ui.newButton.click()
    assert shown == []
    [made] = stored(tab.ctx).values()
    assert (made.room_id, made.area, made.kind, made.responsible) == (
        rooms["5-1-101"],
        "卫生间",
        "防水",
        "开发商",
    )
    assert made.description == "主卫淋浴区墙角渗水，楼下顶棚可见水渍"
    assert (made.found_on, made.deadline) == (TODAY, TODAY + timedelta(days=15))
    table = tab.ui.table
    assert column(table, "房号") == ["5-1-101"]
    assert column(table, "状态") == ["待整改"]
    assert column(table, "整改期限") == [f"{TODAY + timedelta(days=15):%Y-%m-%d}"]
    assert column(table, "超期天数") == [""]
    assert tab.selected_id() == made.id
    assert plain(tab.ui.countLabel.text()) == "未关闭 1 项，其中超期 0 项、待复验 0 项"


def test_the_dialog_defaults_to_today_and_fifteen_days_and_keeps_the_gap(
    tab: DefectsTab,
) -> None:
    dialog = DefectDialog(tab.ctx, tab)
    ui = dialog.ui
    assert ui.foundEdit.date() == QDate(clock.today())
    assert ui.deadlineEdit.date() == QDate(clock.today()).addDays(15)
    ui.foundEdit.setDate(QDate(clock.today()).addDays(-3))
    assert ui.deadlineEdit.date() == QDate(clock.today()).addDays(12)
    assert ui.daysLabel.text() == "验房后 15 天"


def test_a_deadline_before_the_inspection_is_refused_naming_it_and_nothing_is_saved(
    tab: DefectsTab, monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    def deadline_first(dialog: DefectDialog) -> None:
        fill_defect(dialog)
        dialog.ui.deadlineEdit.setDate(dialog.ui.foundEdit.date().addDays(-1))
        assert dialog.ui.daysLabel.text() == "早于验房日期"

    def no_room(dialog: DefectDialog) -> None:
        fill_defect(dialog)
        dialog.room.clear_room()

    def no_description(dialog: DefectDialog) -> None:
        fill_defect(dialog)
        dialog.ui.descriptionEdit.clear()

    for fill in (deadline_first, no_room, no_description):
        monkeypatch.setattr(DefectDialog, "exec", dialog_filled_by(fill))
        tab.ui.newButton.click()
    assert [text.split("：")[0] for _kind, _title, text in shown] == [
        "整改期限",
        "房屋",
        "问题描述",
    ]
    assert shown[0][:2] == ("warning", "问题未登记")
    assert stored(tab.ctx) == {}
    assert tab.ui.table.rowCount() == 0


def test_the_refused_field_gets_the_cursor(qtbot, tab: DefectsTab, shown: Shown) -> None:
    dialog = DefectDialog(tab.ctx, tab)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_defect(dialog)
    dialog.ui.deadlineEdit.setDate(dialog.ui.foundEdit.date().addDays(-1))
    dialog.ui.descriptionEdit.setFocus()
    dialog.accept()
    assert dialog.isVisible() and dialog.saved == []
    assert dialog.focusWidget() is dialog.ui.deadlineEdit


def test_save_and_continue_keeps_the_room_for_the_next_defect(
    tab: DefectsTab, rooms: dict[str, int], monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    def two(dialog: DefectDialog) -> None:
        fill_defect(dialog)
        dialog.next_button.click()
        assert dialog.ui.descriptionEdit.toPlainText() == ""
        assert "本次共 1 项" in dialog.ui.savedLabel.text()
        dialog.ui.areaCombo.setCurrentText("阳台")
        dialog.ui.kindCombo.setCurrentText("地面")
        dialog.ui.descriptionEdit.setPlainText("阳台地砖空鼓三块")

    monkeypatch.setattr(DefectDialog, "exec", dialog_filled_by(two))
    tab.ui.newButton.click()
    made = sorted(stored(tab.ctx).values(), key=lambda r: r.id)
    assert [(r.room_id, r.area) for r in made] == [
        (rooms["5-1-101"], "卫生间"),
        (rooms["5-1-101"], "阳台"),
    ]
    assert tab.ui.table.rowCount() == 2


def test_a_defect_goes_through_fix_failed_recheck_fix_and_passed_recheck(
    tab: DefectsTab, rooms: dict[str, int], monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    ctx = tab.ctx
    defect_id = defect(ctx, rooms["5-1-102"], TODAY - timedelta(days=6))
    tab.refresh()
    tab.select(defect_id)
    ui = tab.ui
    assert ui.fixButton.isEnabled() and not ui.recheckButton.isEnabled()

    def fixed(note: str) -> Callable[[QDialog], int]:
        return dialog_filled_by(lambda d: d.ui.noteEdit.setPlainText(note))

    monkeypatch.setattr(DefectFixDialog, "exec", fixed("施工单位重新批嵌腻子并刷漆"))
    ui.fixButton.click()
    row = stored(ctx)[defect_id]
    assert (row.status, row.fixed_on, row.fix_note) == (
        DefectStatus.FIXED,
        TODAY,
        "施工单位重新批嵌腻子并刷漆",
    )
    assert column(ui.table, "状态") == ["待复验"]
    assert foreground(ui.table, 0) == defect_words.WAITING_COLOUR
    assert not ui.fixButton.isEnabled() and ui.recheckButton.isEnabled()

    new_deadline = QDate(clock.today()).addDays(5)

    def failed(dialog: RecheckDialog) -> None:
        assert not dialog.ui.deadlineEdit.isEnabled()
        dialog.ui.failRadio.setChecked(True)
        assert dialog.ui.deadlineEdit.isEnabled()
        dialog.ui.noteEdit.setPlainText("裂缝处仍可见，需重新处理")
        dialog.ui.deadlineEdit.setDate(new_deadline)

    monkeypatch.setattr(RecheckDialog, "exec", dialog_filled_by(failed))
    ui.recheckButton.click()
    row = stored(ctx)[defect_id]
    assert (row.status, row.deadline, row.rechecks) == (
        DefectStatus.OPEN,
        new_deadline.toPython(),
        1,
    )
    assert row.check_note == "裂缝处仍可见，需重新处理"
    assert column(ui.table, "状态") == ["待整改"]
    assert column(ui.table, "整改期限") == [new_deadline.toString("yyyy-MM-dd")]
    assert "复验不通过" in ui.detailLabel.text()

    monkeypatch.setattr(DefectFixDialog, "exec", fixed("从外墙重新处理"))
    ui.fixButton.click()
    monkeypatch.setattr(RecheckDialog, "exec", dialog_filled_by(lambda d: None))
    ui.recheckButton.click()
    row = stored(ctx)[defect_id]
    assert (row.status, row.rechecks, row.fix_note) == (DefectStatus.CLOSED, 2, "从外墙重新处理")
    assert shown == []
    assert ui.table.rowCount() == 0  # 未关闭 is shown first
    ui.allRadio.setChecked(True)
    assert column(ui.table, "状态") == ["已关闭"]
    assert foreground(ui.table, 0) == defect_words.CLOSED_COLOUR
    tab.select(defect_id)
    assert not ui.fixButton.isEnabled() and not ui.recheckButton.isEnabled()


def test_a_failed_recheck_needs_a_note_and_stays_waiting(
    tab: DefectsTab, rooms: dict[str, int], monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    ctx = tab.ctx
    defect_id = defect(ctx, rooms["5-1-102"], TODAY - timedelta(days=6))
    defects.mark_fixed(ctx.db, ctx.actor, defect_id, TODAY, "已修补")
    tab.refresh()
    tab.select(defect_id)
    monkeypatch.setattr(
        RecheckDialog, "exec", dialog_filled_by(lambda d: d.ui.failRadio.setChecked(True))
    )
    tab.ui.recheckButton.click()
    assert [text.split("：")[0] for _kind, _title, text in shown] == ["复验意见"]
    assert stored(ctx)[defect_id].status is DefectStatus.FIXED


def test_an_overdue_defect_is_red_with_its_days_and_counted(
    tab: DefectsTab, rooms: dict[str, int]
) -> None:
    ctx = tab.ctx
    late = defect(ctx, rooms["5-1-201"], TODAY - timedelta(days=30), TODAY - timedelta(days=10))
    defect(ctx, rooms["5-1-202"], TODAY - timedelta(days=2))
    waiting = defect(ctx, rooms["5-1-301"], TODAY - timedelta(days=20), TODAY - timedelta(days=5))
    defects.mark_fixed(ctx.db, ctx.actor, waiting, TODAY - timedelta(days=6), "已修补")
    tab.refresh()
    table = tab.ui.table
    assert column(table, "房号") == ["5-1-201", "5-1-202", "5-1-301"]  # the overdue first
    assert column(table, "超期天数") == ["超期 10 天", "", ""]
    assert foreground(table, 0) == defect_words.OVERDUE_COLOUR
    assert foreground(table, 1) != defect_words.OVERDUE_COLOUR
    assert foreground(table, 2) == defect_words.WAITING_COLOUR
    assert plain(tab.ui.countLabel.text()) == "未关闭 3 项，其中超期 1 项、待复验 1 项"
    tab.ui.overdueRadio.setChecked(True)
    assert column(table, "房号") == ["5-1-201"]
    assert row_of(tab, late) == 0
    tab.select(late)
    assert "已超期 10 天" in tab.ui.detailLabel.text()
    assert plain(tab.ui.countLabel.text()) == "未关闭 3 项，其中超期 1 项、待复验 1 项"


def row_of(tab: DefectsTab, defect_id: int) -> int:
    table = tab.ui.table
    return next(r for r in range(table.rowCount()) if defects_tab.row_id(table, r) == defect_id)


def test_the_room_filter_shows_one_household_and_clears(
    tab: DefectsTab, rooms: dict[str, int]
) -> None:
    defect(tab.ctx, rooms["5-1-101"])
    defect(tab.ctx, rooms["5-1-102"])
    tab.refresh()
    assert tab.ui.table.rowCount() == 2
    QTest.keyClicks(tab.room, "5-1-102")
    QTest.keyClick(tab.room, Qt.Key.Key_Return)
    assert column(tab.ui.table, "房号") == ["5-1-102"]
    tab.ui.clearRoomButton.click()
    assert tab.room.room_id is None and tab.ui.table.rowCount() == 2


def tiny_png(path: Path) -> Path:
    image = QImage(8, 6, QImage.Format.Format_RGB32)
    image.fill(QColor("#c0a080"))
    assert image.save(str(path))
    return path


def test_a_photo_added_is_listed_counted_and_opens_as_a_copy(
    tab: DefectsTab,
    rooms: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: Shown,
) -> None:
    ctx = tab.ctx
    defect_id = defect(ctx, rooms["5-1-101"])
    tab.refresh()
    tab.select(defect_id)
    photo = tiny_png(tmp_path / "客厅裂缝.png")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(photo), ""))
    )
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(opened.append))
    seen: list[list[str]] = []

    def add_and_open(dialog: DefectPhotosDialog) -> int:
        dialog.ui.addButton.click()
        photo_list = dialog.ui.photoList
        seen.append([photo_list.item(i).text() for i in range(photo_list.count())])
        assert not photo_list.item(0).icon().isNull()
        assert dialog.ui.countLabel.text() == "共 1 张"
        dialog.ui.openButton.click()
        return 0

    monkeypatch.setattr(DefectPhotosDialog, "exec", add_and_open)
    tab.ui.photosButton.click()
    assert shown == []
    assert seen == [["客厅裂缝.png"]]
    [listed] = defects.list_photos(ctx.db, ctx.actor, defect_id)
    assert listed.filename == "客厅裂缝.png"
    assert column(tab.ui.table, "照片数") == ["1"]
    [url] = opened
    copy = Path(url.toLocalFile())
    assert copy.name == "客厅裂缝.png" and copy.read_bytes() == photo.read_bytes()
    assert copy != defects.photo_path(ctx.db, ctx.actor, listed.id)


def test_save_and_add_photos_opens_the_photos_ready_to_pick(
    tab: DefectsTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    photo = tiny_png(tmp_path / "渗水.png")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(photo), ""))
    )

    def save_with_photos(dialog: DefectDialog) -> int:
        fill_defect(dialog)
        dialog.photos_button.click()
        return dialog.result()

    def pick(dialog: DefectPhotosDialog) -> int:
        assert dialog.pick_on_open
        dialog.ask_add()
        return 0

    monkeypatch.setattr(DefectDialog, "exec", save_with_photos)
    monkeypatch.setattr(DefectPhotosDialog, "exec", pick)
    tab.ui.newButton.click()
    [made] = stored(tab.ctx).values()
    assert made.photos == 1
    assert column(tab.ui.table, "照片数") == ["1"]


def test_a_file_that_is_no_picture_is_refused(
    tab: DefectsTab, rooms: dict[str, int], tmp_path: Path, shown: Shown
) -> None:
    defect_id = defect(tab.ctx, rooms["5-1-101"])
    tab.refresh()
    tab.select(defect_id)
    dialog = DefectPhotosDialog(tab.ctx, tab.selected(), tab)  # type: ignore[arg-type]
    fake = tmp_path / "假照片.jpg"
    fake.write_text("不是图片")
    dialog.add(fake)
    assert shown and "不是可以打开的 JPG 或 PNG 图片" in shown[0][2]
    assert defects.list_photos(tab.ctx.db, tab.ctx.actor, defect_id) == []


def test_a_cashier_sees_the_defects_but_cannot_record_them(
    qtbot, db: Database, rooms: dict[str, int], ctx: AppContext, make_user
) -> None:
    defect(ctx, rooms["5-1-101"])
    cashier: Actor = make_user(Role.CASHIER)
    widget = DefectsTab(AppContext(db, cashier, TaskRunner(wait=True)))
    qtbot.addWidget(widget)
    widget.refresh()
    assert widget.ui.table.rowCount() == 1
    select_row(widget.ui.table, 0)
    assert not widget.ui.newButton.isEnabled()
    assert not widget.ui.fixButton.isEnabled()
    assert widget.ui.photosButton.isEnabled()


# 业主手册 ------------------------------------------------------------------------------


@pytest.fixture
def book(qtbot, ctx: AppContext) -> HandbookTab:
    widget = HandbookTab(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def section_titles(tab: HandbookTab) -> list[str]:
    section_list = tab.ui.sectionList
    return [section_list.item(i).text() for i in range(section_list.count())]


def saved(ctx: AppContext, key: str) -> handbook.SectionRow:
    return next(r for r in handbook.sections(ctx.db) if r.key == key)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """QMessageBox.question answers Yes; the questions asked are kept."""
    asked: list[str] = []

    def yes(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    return asked


def test_the_handbook_opens_on_its_first_section_with_a_preview(book: HandbookTab) -> None:
    assert book.key == "welcome"
    assert section_titles(book)[:3] == [
        "一、欢迎入住",
        "二、物业服务中心",
        "三、物业服务费及其他费用",
    ]
    preview = book.ui.previewBrowser.toPlainText()
    assert preview.startswith("一、欢迎入住")
    assert "欢迎您入住测试小区！" in preview
    assert "{小区名称}" not in preview


def test_a_section_with_an_unknown_placeholder_is_refused_naming_it(
    book: HandbookTab, shown: Shown
) -> None:
    book.ui.sectionList.setCurrentRow(FEES_ROW)
    body = book.ui.bodyEdit
    body.setPlainText(body.toPlainText() + "\n\n如需开具{发票类型}，请到服务中心办理。")
    assert "{发票类型}" in book.ui.previewBrowser.toPlainText()  # shown unfilled, in red
    book.ui.saveButton.click()
    [(kind, title, text)] = shown
    assert (kind, title) == ("warning", "章节未保存")
    assert text.startswith("章节正文：未知的占位符 {发票类型}")
    assert body.textCursor().selectedText() == "{发票类型}"
    assert not saved(book.ctx, "fees").edited
    assert book.dirty()


def test_a_valid_edit_previews_the_community_name_and_is_saved(
    book: HandbookTab, shown: Shown
) -> None:
    ui = book.ui
    ui.sectionList.setCurrentRow(FEES_ROW)
    ui.titleEdit.setText("{小区名称}收费须知")
    ui.bodyEdit.setPlainText("欢迎入住{小区名称}。\n\n{收费标准}")
    preview = ui.previewBrowser.toPlainText()
    assert preview.startswith("三、测试小区收费须知")
    assert "欢迎入住测试小区。" in preview
    assert ui.saveButton.isEnabled() and ui.savedLabel.text() == "有未保存的修改"
    ui.saveButton.click()
    assert shown == []
    row = saved(book.ctx, "fees")
    assert (row.title, row.body, row.edited) == (
        "{小区名称}收费须知",
        "欢迎入住{小区名称}。\n\n{收费标准}",
        True,
    )
    assert section_titles(book)[FEES_ROW] == "三、测试小区收费须知（已修改）"
    assert not book.dirty() and not ui.saveButton.isEnabled()


def test_a_placeholder_is_inserted_where_the_cursor_is(book: HandbookTab) -> None:
    ui = book.ui
    ui.bodyEdit.setPlainText("请拨打")
    ui.bodyEdit.moveCursor(ui.bodyEdit.textCursor().MoveOperation.End)
    index = ui.placeholderCombo.findData("值班电话")
    assert "24 小时值班电话" in ui.placeholderCombo.itemText(index)
    ui.placeholderCombo.activated.emit(index)
    assert ui.bodyEdit.toPlainText() == "请拨打{值班电话}"
    assert ui.placeholderCombo.currentIndex() == -1


def test_reset_brings_the_shipped_text_back(
    book: HandbookTab, ctx: AppContext, answers: list[str]
) -> None:
    handbook.save_section(ctx.db, ctx.actor, "fees", "收费", "按{收费标准}收取。")
    book.refresh()
    ui = book.ui
    ui.sectionList.setCurrentRow(FEES_ROW)
    assert ui.resetButton.text().startswith("恢复默认") and ui.resetButton.isEnabled()
    ui.resetButton.click()
    assert answers and "恢复为软件自带的内容" in answers[0]
    assert not saved(ctx, "fees").edited
    assert ui.titleEdit.text() == SHIPPED["fees"].title
    assert ui.bodyEdit.toPlainText() == SHIPPED["fees"].body
    assert section_titles(book)[FEES_ROW] == "三、物业服务费及其他费用"
    assert not ui.resetButton.isEnabled()


def test_a_new_section_is_added_at_the_end_and_can_be_deleted(
    book: HandbookTab, ctx: AppContext, shown: Shown, answers: list[str]
) -> None:
    ui = book.ui
    ui.newButton.click()
    assert book.key == "" and section_titles(book)[-1] == handbook_editor.UNSAVED_TITLE
    assert ui.titleEdit.text() == "" and ui.bodyEdit.toPlainText() == ""
    ui.titleEdit.setText("装修押金退还")
    ui.bodyEdit.setPlainText("- 竣工验收合格后 30 日内退还。\n- 请带收据到{小区地址}办理。")
    assert ui.previewBrowser.toPlainText().startswith("十一、装修押金退还")
    ui.saveButton.click()
    assert shown == []
    last = handbook.sections(ctx.db)[-1]
    assert (last.title, last.shipped) == ("装修押金退还", False)
    assert book.key == last.key
    assert section_titles(book)[-1] == "十一、装修押金退还（新增）"
    assert ui.resetButton.text().startswith("删除章节")
    ui.resetButton.click()
    assert "删除章节「装修押金退还」" in answers[-1]
    assert len(handbook.sections(ctx.db)) == len(DEFAULT_SECTIONS)
    assert len(section_titles(book)) == len(DEFAULT_SECTIONS)


def test_unsaved_edits_are_asked_about_before_switching_sections(
    book: HandbookTab, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    ui = book.ui
    answer = [Unsaved.CANCEL]
    asked: list[str] = []

    def ask(parent, title):
        asked.append(title)
        return answer[0]

    monkeypatch.setattr(handbook_editor, "ask_unsaved", ask)
    ui.titleEdit.setText("欢迎您")
    ui.sectionList.setCurrentRow(1)
    assert asked == ["章节「欢迎您」"]
    assert book.key == "welcome" and ui.sectionList.currentRow() == 0
    assert ui.titleEdit.text() == "欢迎您"
    answer[0] = Unsaved.DISCARD
    ui.sectionList.setCurrentRow(1)
    assert book.key == "service_centre" and not saved(ctx, "welcome").edited
    ui.titleEdit.setText("服务中心")
    answer[0] = Unsaved.SAVE
    ui.sectionList.setCurrentRow(FEES_ROW)
    assert book.key == "fees"
    assert saved(ctx, "service_centre").title == "服务中心"
    assert len(asked) == 3


def test_the_handbook_values_save_and_fill_the_preview(
    book: HandbookTab, ctx: AppContext, shown: Shown
) -> None:
    ui = book.ui
    ui.dutyEdit.setText("12")
    ui.saveValuesButton.click()
    assert [text.split("：")[0] for _kind, _title, text in shown] == ["值班电话"]
    ui.hoursEdit.setText("每日 9:00–18:00")
    ui.dutyEdit.setText("0571-88886699")
    ui.editionEdit.setText("2026年版")
    ui.saveValuesButton.click()
    assert len(shown) == 1
    assert handbook.handbook_values(ctx.db) == HandbookValues(
        "每日 9:00–18:00", "0571-88886699", "2026年版"
    )
    assert ui.valuesSavedLabel.text() == "已保存"
    ui.sectionList.setCurrentRow(1)
    preview = ui.previewBrowser.toPlainText()
    assert "办公时间：每日 9:00–18:00" in preview
    assert "24 小时值班电话：0571-88886699" in preview


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The handbook PDFs shown in the print preview: the real printout, or a stand-in
    while frontdesk.printouts.movein has not landed."""
    seen: list[bytes] = []
    try:
        from frontdesk.printouts import movein as printouts  # noqa: F401
    except ImportError:
        module = types.ModuleType("frontdesk.printouts.movein")
        module.owner_handbook = lambda db, actor: b"%PDF-1.4 handbook"  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "frontdesk.printouts.movein", module)
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda dialog: seen.append(dialog.pdf) or 0)
    return seen


def test_a_clerk_reads_the_handbook_but_cannot_edit_it(
    qtbot, db: Database, make_user, printed: list[bytes]
) -> None:
    clerk: Actor = make_user(Role.CLERK)
    widget = HandbookTab(AppContext(db, clerk, TaskRunner(wait=True)))
    qtbot.addWidget(widget)
    widget.refresh()
    ui = widget.ui
    assert ui.titleEdit.isReadOnly() and ui.bodyEdit.isReadOnly()
    assert ui.hoursEdit.isReadOnly() and ui.dutyEdit.isReadOnly()
    for button in (ui.saveButton, ui.resetButton, ui.newButton, ui.saveValuesButton):
        assert button.isHidden()
    assert ui.placeholderCombo.isHidden()
    assert not ui.readOnlyLabel.isHidden() and not ui.printButton.isHidden()
    ui.sectionList.setCurrentRow(FEES_ROW)
    assert widget.key == "fees" and "三、物业服务费及其他费用" in ui.previewBrowser.toPlainText()
    ui.printButton.click()
    [pdf] = printed
    assert pdf.startswith(b"%PDF")


def test_print_with_unsaved_edits_asks_first(
    book: HandbookTab, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, printed: list[bytes]
) -> None:
    monkeypatch.setattr(handbook_editor, "ask_unsaved", lambda parent, title: Unsaved.CANCEL)
    book.ui.titleEdit.setText("欢迎您")
    book.ui.printButton.click()
    assert printed == []
    monkeypatch.setattr(handbook_editor, "ask_unsaved", lambda parent, title: Unsaved.SAVE)
    book.ui.printButton.click()
    assert len(printed) == 1 and printed[0].startswith(b"%PDF")
    assert saved(ctx, "welcome").title == "欢迎您"


def test_the_months_paid_ahead_at_move_in_are_kept_with_the_handbook(qtbot, ctx, db) -> None:
    from frontdesk.services.movein import steps as movein_steps

    tab = HandbookTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    assert tab.ui.monthsSpin.value() == 3
    tab.ui.monthsSpin.setValue(6)
    assert tab.save_values()
    assert movein_steps.fee_months(db) == 6
    assert tab.values["首期物业费月数"] == "6"
