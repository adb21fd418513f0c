"""通知: a supervisor words a template, the counter fills it in and issues it; the
notice is numbered, kept, archived and registered; refused values name their field."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from frontdesk.domain import clock
from frontdesk.domain.notice_templates import SHIPPED_TEMPLATES
from frontdesk.domain.notices import FieldKind
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.notices import fields_table, issue_tab, templates_tab
from frontdesk.gui.screens.notices.field_inputs import (
    PeriodInput,
    TextInput,
    caption,
    input_for,
)
from frontdesk.gui.screens.notices.issue_tab import IssueTab
from frontdesk.gui.screens.notices.screen import NoticesScreen
from frontdesk.gui.screens.notices.templates_tab import TemplatesTab, Unsaved
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.services import community
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.households.structure import NewBuilding, RoomChange, RoomFilter
from frontdesk.services.notices import posting as notices
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.notices import templates as notice_templates

from .conftest import Shown

WATER = next(t for t in SHIPPED_TEMPLATES if t.key == "water_outage")
EDITED_SENTENCE = "物业将在{送水地点}免费发放桶装水。"
TOMORROW = clock.today() + timedelta(days=1)
PERIOD = f"{TOMORROW} 08:00/{TOMORROW} 18:00"


def plain(text: str) -> str:
    return "".join(text.split())


def pdf_text(pdf: bytes) -> list[str]:
    return [plain(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def supervisor(ctx: AppContext, make_user: Callable[[Role], Actor]) -> AppContext:
    """Buildings 3栋 and 5栋 (two floors, one room each), the service centre's phone
    (notices print it) and a signed-in supervisor."""
    for code in ("3", "5"):
        structure.create_building(ctx.db, ctx.actor, NewBuilding(code, "", 2, 1, 1, "89.5"))
    info = community.get_community(ctx.db)
    community.update_community(ctx.db, ctx.actor, replace(info, service_phone="025-86661234"))
    return AppContext(ctx.db, make_user(Role.SUPERVISOR), TaskRunner())


@pytest.fixture
def screen(qtbot, supervisor: AppContext) -> Iterator[NoticesScreen]:
    widget = NoticesScreen(supervisor)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    widget.activateWindow()
    assert QTest.qWaitForWindowActive(widget)
    widget.refresh()
    yield widget
    # No preview may finish after the screen is gone.
    qtbot.waitUntil(lambda: not supervisor.tasks.busy, timeout=20_000)


@pytest.fixture
def confirmed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The issue tab's questions, each answered yes."""
    asked: list[str] = []

    def yes(parent, title, text):
        asked.append(text)
        return True

    monkeypatch.setattr(issue_tab, "confirm", yes)
    return asked


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[PdfPreviewDialog]:
    """Print previews that would have opened."""
    seen: list[PdfPreviewDialog] = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda dialog: seen.append(dialog) or 0)
    return seen


def settled(qtbot, tab: IssueTab | TemplatesTab) -> None:
    """Wait for the preview to show the form as it is now."""
    tab.live.render_now()
    qtbot.waitUntil(lambda: tab.live.idle and not tab.ctx.tasks.busy, timeout=20_000)


def fill_water(tab: IssueTab, **values: str) -> None:
    tab.inputs["停水时间"].set_text(PERIOD)
    tab.inputs["停水原因"].set_text("二次供水水箱清洗")
    for name, text in values.items():
        tab.inputs[name].set_text(text)


def test_an_edited_template_is_issued_to_two_buildings_archived_and_registered(
    qtbot, screen: NoticesScreen, confirmed: list[str], opened: list[PdfPreviewDialog], shown
) -> None:
    ctx = screen.ctx
    editor = screen.templates
    assert editor is not None and screen.issue is not None
    screen.ui.tabs.setCurrentWidget(editor)
    assert editor.key == "water_outage"
    ui = editor.ui
    ui.bodyEdit.setPlainText(WATER.body.replace("温馨提示：", f"{EDITED_SENTENCE}\n\n温馨提示："))
    ui.addFieldButton.click()
    row = ui.fieldsTable.rowCount() - 1
    ui.fieldsTable.item(row, fields_table.NAME).setText("送水地点")
    ui.fieldsTable.item(row, fields_table.HINT).setText("小区东门岗亭")
    assert editor.dirty() and ui.saveButton.isEnabled()
    ui.saveButton.click()
    assert shown == []
    saved = notice_templates.get_template(ctx.db, "water_outage")
    assert EDITED_SENTENCE in saved.body
    assert (saved.fields[-1].name, saved.fields[-1].kind) == ("送水地点", FieldKind.TEXT)
    assert editor.ui.templateTree.currentItem().text(1) == templates_tab.EDITED_MARK

    tab = screen.issue
    screen.ui.tabs.setCurrentWidget(tab)
    assert tab.template == saved
    assert list(tab.inputs) == ["停水时间", "停水原因", "注意事项", "送水地点"]
    fill_water(tab, 送水地点="各单元大堂")
    tab.tick_buildings(["3栋", "5栋"])
    assert not tab.ui.wholeCheck.isChecked()
    assert tab.ui.countLabel.text() == "<b>将生成 2 份</b>"
    settled(qtbot, tab)
    assert tab.live.error is None and tab.live.pdf is not None
    assert "物业将在各单元大堂免费发放桶装水。" in pdf_text(tab.live.pdf)[0]

    tab.ui.issueButton.click()
    qtbot.waitUntil(lambda: tab.last_issued is not None, timeout=20_000)
    assert confirmed == ["发布《停水通知》：3栋、5栋，共 2 份。发布后编号存档，不能撤回。"]
    assert shown == []
    issued = tab.last_issued
    assert issued is not None and issued.copies == 2
    [archived] = notices.list_notices(ctx.db, ctx.actor)
    assert (archived.number, archived.copies, archived.scope) == (issued.number, 2, "3栋、5栋")
    assert archived.document_number == issued.register_number
    pages = pdf_text(issued.printout.pdf)
    assert len(pages) == 2
    for page, building in zip(pages, ("3栋", "5栋"), strict=True):
        assert f"尊敬的{building}各位业主、住户：" in page
        assert "物业将在各单元大堂免费发放桶装水。" in page
        assert issued.number in page
    [registered] = issued_documents.list_issued(ctx.db, ctx.actor)
    assert (registered.number, registered.reference) == (issued.register_number, issued.number)
    assert issued.number.startswith("TZ-") and issued.register_number.startswith("FW-")
    assert f"已发布 {issued.number}，发文登记 {issued.register_number}" in tab.ui.statusLabel.text()
    [dialog] = opened
    assert dialog.pdf == issued.printout.pdf


def test_an_end_before_the_start_is_refused_naming_the_field_and_nothing_is_issued(
    qtbot, screen: NoticesScreen, confirmed: list[str], opened: list[PdfPreviewDialog], shown
) -> None:
    tab = screen.issue
    assert tab is not None
    fill_water(tab)
    settled(qtbot, tab)
    assert tab.live.pdf is not None and not tab.live.greyed
    period = tab.inputs["停水时间"]
    assert isinstance(period, PeriodInput)
    period.end_edit.setDateTime(period.start_edit.dateTime().addSecs(-3600))
    settled(qtbot, tab)
    assert tab.ui.errorLabel.isVisible()
    assert tab.ui.errorLabel.text() == "停水时间：结束时间须晚于开始时间"
    assert tab.live.greyed  # the last good preview stays, marked out of date

    assert tab.labels["停水时间"].styleSheet() == f"color: {issue_tab.REFUSED_COLOUR};"
    assert tab.labels["停水原因"].styleSheet() == ""

    tab.inputs["停水原因"].focus()
    QTest.keyClick(  # 发布并打印 from the keyboard
        tab.inputs["停水原因"].widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert shown == [("warning", "通知未发布", "停水时间：结束时间须晚于开始时间")]
    assert QApplication.focusWidget() is period.end_edit
    assert confirmed == [] and opened == []
    QApplication.processEvents()  # anything the key press queued has run
    assert not screen.ctx.tasks.busy  # no publishing task was even started
    assert notices.list_notices(screen.ctx.db, screen.ctx.actor) == []

    period.end_edit.setDateTime(period.start_edit.dateTime().addSecs(3600))
    settled(qtbot, tab)
    assert not tab.ui.errorLabel.isVisible() and not tab.live.greyed
    assert tab.labels["停水时间"].styleSheet() == ""


def test_a_lobby_notice_needs_a_building_or_the_whole_community(
    qtbot, screen: NoticesScreen, shown: Shown
) -> None:
    tab = screen.issue
    assert tab is not None
    fill_water(tab)
    assert tab.ui.wholeCheck.isChecked() and tab.copies() == 1
    tab.ui.wholeCheck.setChecked(False)
    settled(qtbot, tab)
    assert tab.ui.errorLabel.text().startswith("发布对象：请勾选要张贴的楼栋")
    tab.tick_buildings(["5栋"])
    assert tab.ui.countLabel.text() == "<b>将生成 1 份</b>"
    tab.ui.wholeCheck.setChecked(True)
    assert tab.ticked_buildings() == []
    settled(qtbot, tab)
    assert tab.live.error is None
    assert "尊敬的各位业主、住户：" in pdf_text(tab.live.pdf or b"")[0]


def test_letters_go_to_the_sold_households_of_a_building_and_one_added(
    qtbot,
    ctx: AppContext,
    screen: NoticesScreen,
    confirmed: list[str],
    opened: list[PdfPreviewDialog],
    shown: Shown,
) -> None:
    db = ctx.db
    three = structure.room_ids(db, ctx.actor, RoomFilter(building_id=_building(ctx, "3栋")))
    five = structure.room_ids(db, ctx.actor, RoomFilter(building_id=_building(ctx, "5栋")))
    sold = RoomChange("89.5", RoomType.RESIDENCE, RoomStatus.OCCUPIED)
    structure.update_room(db, ctx.actor, three[0], sold)  # 3栋: one sold, one unsold
    tab = screen.issue
    assert tab is not None
    screen.refresh()
    fill_water(tab)
    tab.ui.letterRadio.setChecked(True)
    assert tab.ui.letterPane.isVisible()
    tab.tick_buildings(["3栋"])
    assert tab.ui.countLabel.text() == "<b>共 1 户</b>"
    tab.room_picker.setText("5-1-201")
    tab.room_picker.returnPressed.emit()
    assert list(tab.extra_rooms) == [five[-1]]
    assert tab.ui.countLabel.text() == "<b>共 2 户</b>"
    settled(qtbot, tab)
    assert tab.live.error is None
    tab.issue()
    qtbot.waitUntil(lambda: tab.last_issued is not None, timeout=20_000)
    assert confirmed == [
        "发布《停水通知》业户信函：3栋及另加 1 户，共 2 户。发布后编号存档，不能撤回。"
    ]
    assert shown == []
    assert tab.last_issued is not None and tab.last_issued.copies == 2
    [archived] = notices.list_notices(db, ctx.actor)
    assert archived.copies == 2 and archived.scope == "2 户"


def _building(ctx: AppContext, name: str) -> int:
    return next(b.id for b in structure.list_buildings(ctx.db, ctx.actor) if b.name == name)


def test_a_clerk_issues_and_reads_the_archive_but_has_no_templates_or_register(
    qtbot, db: Database, make_user: Callable[[Role], Actor], screen: NoticesScreen
) -> None:
    assert screen.tab_titles() == ["发布通知", "通知存档", "通知模板", "发文登记"]
    clerk = NoticesScreen(AppContext(db, make_user(Role.CLERK), TaskRunner()))
    qtbot.addWidget(clerk)
    assert clerk.tab_titles() == ["发布通知", "通知存档"]
    assert clerk.templates is None and clerk.register is None
    clerk.refresh()
    assert clerk.issue is not None and clerk.issue.template is not None


def test_unsaved_template_edits_are_asked_about_before_switching(
    qtbot, screen: NoticesScreen, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = screen.templates
    assert editor is not None
    screen.ui.tabs.setCurrentWidget(editor)
    ctx, ui = editor.ctx, editor.ui
    answer = [Unsaved.CANCEL]
    asked: list[str] = []

    def ask(parent, name):
        asked.append(name)
        return answer[0]

    monkeypatch.setattr(templates_tab, "ask_unsaved", ask)
    tree = ui.templateTree
    ui.nameEdit.setText("临时停水通知")
    tree.setCurrentItem(tree.topLevelItem(1))
    assert asked == ["模板「临时停水通知」"]
    assert editor.key == "water_outage" and tree.currentItem() is tree.topLevelItem(0)
    assert ui.nameEdit.text() == "临时停水通知"

    answer[0] = Unsaved.DISCARD
    tree.setCurrentItem(tree.topLevelItem(1))
    assert editor.key == "power_outage"
    assert notice_templates.get_template(ctx.db, "water_outage") == WATER

    ui.titleEdit.setText("临时停电通知")
    answer[0] = Unsaved.SAVE
    tree.setCurrentItem(tree.topLevelItem(2))
    assert editor.key == "lift_maintenance"
    assert notice_templates.get_template(ctx.db, "power_outage").title == "临时停电通知"
    assert len(asked) == 3

    ui.bodyEdit.setPlainText(ui.bodyEdit.toPlainText() + "\n\n请留意{不存在}。")
    answer[0] = Unsaved.SAVE  # the save is refused: the editor stays
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: None))
    tree.setCurrentItem(tree.topLevelItem(0))
    assert editor.key == "lift_maintenance" and editor.dirty()


def test_a_refused_template_names_the_field_and_points_at_it(
    qtbot, screen: NoticesScreen, shown: Shown
) -> None:
    editor = screen.templates
    assert editor is not None
    screen.ui.tabs.setCurrentWidget(editor)
    ui = editor.ui
    ui.bodyEdit.setPlainText("请于{停水时间}前储水，并留意{送水时间}。")
    settled(qtbot, editor)
    assert ui.errorLabel.text().startswith("通知正文：未知的占位符 {送水时间}")
    ui.saveButton.click()
    [(kind, title, text)] = shown
    assert (kind, title) == ("warning", "模板未保存")
    assert text.startswith("通知正文：未知的占位符 {送水时间}")
    assert ui.bodyEdit.textCursor().selectedText() == "{送水时间}"

    ui.fieldsTable.item(1, fields_table.NAME).setText("停水时间")
    ui.saveButton.click()
    assert shown[-1][2] == "字段“停水时间”：重复了"
    assert ui.fieldsTable.currentRow() == 1
    assert notice_templates.get_template(editor.ctx.db, "water_outage") == WATER


def test_placeholders_are_inserted_where_the_cursor_is(screen: NoticesScreen) -> None:
    editor = screen.templates
    assert editor is not None
    screen.ui.tabs.setCurrentWidget(editor)
    ui = editor.ui
    ui.bodyEdit.setPlainText("停水期间")
    ui.bodyEdit.setFocus()
    ui.bodyEdit.moveCursor(ui.bodyEdit.textCursor().MoveOperation.End)
    editor._fill_placeholder_menu()
    texts = [a.text() for a in editor.placeholder_menu.actions()]
    assert "{停水原因}　单行文字" in texts
    assert "{服务中心电话}　物业服务中心电话" in texts
    next(
        a for a in editor.placeholder_menu.actions() if a.text().startswith("{停水原因}")
    ).trigger()
    assert ui.bodyEdit.toPlainText() == "停水期间{停水原因}"


def test_a_new_template_copy_and_retiring_reach_the_issue_list(
    qtbot, screen: NoticesScreen, shown: Shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor, tab = screen.templates, screen.issue
    assert editor is not None and tab is not None
    ctx = editor.ctx
    screen.ui.tabs.setCurrentWidget(editor)
    ui = editor.ui
    ui.copyButton.click()
    assert editor.key == "" and ui.nameEdit.text() == "停水通知（副本）"
    assert ui.templateTree.currentItem().text(0) == templates_tab.UNSAVED_NAME
    ui.nameEdit.setText("二次供水停水通知")
    ui.saveButton.click()
    assert shown == []
    own = notice_templates.get_template(ctx.db, "二次供水停水通知")
    assert own.key.startswith("custom-") and own.body == WATER.body
    assert ui.templateTree.currentItem().text(1) == templates_tab.OWN_MARK

    monkeypatch.setattr(templates_tab, "ask_unsaved", lambda parent, name: Unsaved.DISCARD)
    tree = ui.templateTree
    tree.setCurrentItem(tree.topLevelItem(0))
    ui.retireButton.click()  # saved off the GUI thread: the list shows it once read again
    qtbot.waitUntil(lambda: tree.topLevelItem(0).text(1) == "系统自带、已停用")
    assert ui.retireButton.text() == "启用(&R)"
    screen.ui.tabs.setCurrentWidget(tab)
    names = [tab.ui.templateList.item(i).text() for i in range(tab.ui.templateList.count())]
    assert "停水通知" not in names and names[-1] == "二次供水停水通知"

    screen.ui.tabs.setCurrentWidget(editor)
    monkeypatch.setattr(templates_tab, "confirm", lambda *a: True)
    ui.titleEdit.setText("紧急停水通知")
    ui.saveButton.click()
    assert ui.resetButton.isEnabled()
    ui.resetButton.click()
    qtbot.waitUntil(lambda: tree.topLevelItem(0).text(1) == templates_tab.SHIPPED_MARK)
    assert notice_templates.get_template(ctx.db, "water_outage") == WATER
    assert tree.topLevelItem(0).text(1) == templates_tab.SHIPPED_MARK
    assert ui.titleEdit.text() == "停水通知" and not ui.resetButton.isEnabled()


def test_each_kind_of_field_gives_its_text_the_way_the_service_reads_it(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    from frontdesk.domain.notices import NoticeField

    host = QWidget()
    qtbot.addWidget(host)
    period = input_for(NoticeField("停水时间", FieldKind.PERIOD), host)
    assert period.text() == PERIOD  # tomorrow, 08:00 to 18:00
    assert caption(period.field) == "停水时间 *"
    changed: list[bool] = []
    period.changed.connect(lambda: changed.append(True))
    period.set_text("2026-11-28 09:00至12:00")
    assert period.text() == "2026-11-28 09:00/2026-11-28 12:00" and changed
    assert isinstance(period, PeriodInput)
    period.start_edit.setDateTime(period.start_edit.dateTime().addDays(2))
    assert period.text() == "2026-11-30 09:00/2026-11-30 12:00"  # the end moves along

    optional = input_for(NoticeField("复查日期", FieldKind.DATE, required=False), host)
    assert optional.text() == "" and caption(optional.field) == "复查日期"
    optional.set_text("2027-01-31")
    assert optional.text() == "2027-01-31"
    moment = input_for(
        NoticeField("集合时间", FieldKind.DATETIME, default="2026-12-01 15:30"), host
    )
    assert moment.text() == "2026-12-01 15:30"
    assert datetime.strptime(moment.text(), "%Y-%m-%d %H:%M")
    line = input_for(NoticeField("停水原因", FieldKind.TEXT, hint="水箱清洗"), host)
    assert isinstance(line, TextInput)
    assert line.text() == "" and line.edit.placeholderText() == "水箱清洗"
    lines = input_for(NoticeField("注意事项", FieldKind.LONG_TEXT, default="- 储水"), host)
    assert lines.text() == "- 储水"


def test_a_template_for_letters_previews_as_a_letter_to_one_household(
    qtbot, screen: NoticesScreen
) -> None:
    editor = screen.templates
    assert editor is not None
    screen.ui.tabs.setCurrentWidget(editor)
    ui = editor.ui
    ui.bodyEdit.setPlainText("{房号}的{业主}：您好！请于{停水时间}前储水。")
    settled(qtbot, editor)
    assert ui.previewGroup.title() == "预览（业户信函，示例内容）"
    assert editor.live.error is None and editor.live.pdf is not None
    assert "3-1-101的业主：您好！" in pdf_text(editor.live.pdf)[0]
