"""设置 → 数据导入: the wizard walked by keyboard alone (Alt+letter, Enter = 下一步) from
an old system's sheet to the rooms and owners on file, a column that could mean two
things chosen before going on, refused rows keeping 导入 disabled, and the tab's list
of imports with 撤销导入."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox, QWidget, QWizard
from pytestqt.qtbot import QtBot

from frontdesk.domain.fees import FeeMethod
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.screens.admin.import_wizard import (
    CHECK_PAGE,
    COLUMNS_PAGE,
    DONE_PAGE,
    FILE_PAGE,
    VALUES_PAGE,
    ImportWizard,
)
from frontdesk.gui.screens.admin.imports_tab import ImportsTab
from frontdesk.gui.screens.admin.screen import SettingsScreen
from frontdesk.gui.selftest_import import old_system_sheet
from frontdesk.services import onboarding
from frontdesk.services.fees import items
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.households.structure import NewBuilding
from tests import onboarding_books as books
from tests.gui.conftest import Shown


def alt(qtbot: QtBot, wizard: QWizard, letter: str, until: Callable[[], object]) -> None:
    """Alt+letter as the clerk presses it, to whatever has the focus; a button's
    mnemonic clicks it a moment later, so wait `until` what it does is done."""
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    target = wizard.focusWidget() or wizard
    qtbot.keyClick(target, getattr(Qt.Key, f"Key_{letter}"), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(until()))


def enter(qtbot: QtBot, wizard: QWizard) -> None:
    qtbot.keyClick(wizard.focusWidget() or wizard, Qt.Key.Key_Return)


def opened(qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, path: Path) -> QWizard:
    """The wizard shown, its 选择文件 dialog answering with `path`."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    wizard.file_page.choose_button.setFocus()
    return wizard


def test_a_clerk_imports_an_old_systems_sheet_by_keyboard_alone(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wizard = opened(qtbot, ctx, monkeypatch, old_system_sheet(tmp_path / "房屋.xlsx"))
    assert wizard.currentId() == FILE_PAGE
    alt(qtbot, wizard, "O", lambda: wizard.choices.table)  # 选择文件(&O)…
    assert wizard.file_page.status.text() == "工作表“房屋信息”：表头在第 3 行，数据 4 行。"
    enter(qtbot, wizard)
    assert wizard.currentId() == COLUMNS_PAGE
    page = wizard.columns_page
    assert [(c, page.combos[c].currentText()) for c in sorted(page.combos)] == [
        (0, "楼栋"),
        (1, "单元"),
        (2, "房间号"),
        (3, "建筑面积"),
        (4, "房屋类型"),
        (5, "姓名"),
        (6, "电话"),
        (7, "备注"),
    ]
    note = page.combos[7]
    note.setFocus()
    qtbot.keyClick(note, Qt.Key.Key_Home)  # 备注: not imported
    assert note.currentText() == "（不导入）"
    assert page.kind_label.text() == "按所选各列，此表为：房屋"
    enter(qtbot, wizard)
    assert wizard.currentId() == VALUES_PAGE
    words = wizard.values_page.combos
    assert {value: combo.currentText() for (_f, value), combo in words.items()} == {
        "普通住宅": "住宅",
        "住房": "住宅",
    }
    enter(qtbot, wizard)
    assert wizard.currentId() == CHECK_PAGE
    check = wizard.check_page
    assert check.buildings.text() == "将新建楼栋 1 栋：38"
    assert check.totals.item(0, 1).text() == "4" and check.totals.item(1, 1).text() == "6"
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    alt(qtbot, wizard, "C", check.confirm.isChecked)  # the new building confirmed
    assert structure.list_buildings(ctx.db, ctx.actor) == []  # the check wrote nothing
    alt(qtbot, wizard, "I", lambda: wizard.currentId() == DONE_PAGE)  # 导入
    assert [b.code for b in structure.list_buildings(ctx.db, ctx.actor)] == ["38"]
    room = structure.find_room_id(ctx.db, ctx.actor, "38-2-201")
    owners = [p.name for p in households.open_file(ctx.db, ctx.actor, room).people]
    assert owners == ["李四", "周五"]  # two owners in one cell
    done = wizard.done_page
    assert done.totals.item(0, 3).text() == "4"  # rooms after the import
    alt(qtbot, wizard, "A", lambda: wizard.focusWidget() is done.name_edit)
    done.name_edit.insert("原系统房屋表")  # typed (QTest types no hanzi)
    alt(qtbot, wizard, "V", done.saved.text)  # 保存对应关系
    assert done.saved.text() == "已保存为“原系统房屋表”，下次导入时可选用。"
    assert [m.name for m in onboarding.saved_mappings(ctx.db, ctx.actor)] == ["原系统房屋表"]

    again = opened(qtbot, ctx, monkeypatch, tmp_path / "房屋.xlsx")
    mappings = again.file_page.mapping_combo
    assert [mappings.itemText(i) for i in range(mappings.count())] == [
        "（按表头自动识别）",
        "原系统房屋表（房屋）",
    ]


def test_a_column_that_could_mean_two_things_must_be_chosen(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sheet = books.write_book(
        tmp_path / "两个电话.xlsx",
        {
            "Sheet1": [
                ("房号", "业主", "电话", "电话"),
                ("1-1-101", "张三", 13800001111, 13900002222),
            ]
        },
    )
    wizard = opened(qtbot, ctx, monkeypatch, sheet)
    alt(qtbot, wizard, "O", lambda: wizard.choices.table)
    enter(qtbot, wizard)
    second: QComboBox = wizard.columns_page.combos[3]
    assert second.currentIndex() == -1 and second.placeholderText() == "（请选择）"
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    enter(qtbot, wizard)
    assert wizard.currentId() == COLUMNS_PAGE  # Enter does not go on past it
    second.setFocus()
    qtbot.keyClick(second, Qt.Key.Key_Home)  # 不导入
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_refused_rows_are_listed_and_nothing_can_be_imported(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shown: Shown
) -> None:
    wizard = opened(qtbot, ctx, monkeypatch, books.rooms_one_code(tmp_path / "rooms.xlsx"))
    alt(qtbot, wizard, "O", lambda: wizard.choices.table)
    while wizard.currentId() != CHECK_PAGE:
        enter(qtbot, wizard)
    refusals = wizard.check_page.refusals
    rows = [tuple(refusals.item(r, c).text() for c in range(3)) for r in range(refusals.rowCount())]
    assert ("房屋资料", "11", "身份证号") in rows
    assert wizard.check_page.refused_caption.text().startswith("不能导入的行")
    alt(qtbot, wizard, "C", wizard.check_page.confirm.isChecked)  # new buildings confirmed
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert structure.list_buildings(ctx.db, ctx.actor) == []
    report = tmp_path / "检查报告.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(report), ""))
    alt(qtbot, wizard, "R", lambda: shown)  # 保存检查报告…
    assert shown == [("information", "保存检查报告", f"报告已保存到\n{report}")]
    book = load_workbook(report)
    assert book.sheetnames == ["汇总", "拒绝", "新建楼栋"]
    refused = [row[:3] for row in book["拒绝"].iter_rows(min_row=2, values_only=True)]
    assert ("房屋资料", 11, "身份证号") in refused


def test_the_tab_lists_imports_and_undoes_one_whole(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wizard = opened(qtbot, ctx, monkeypatch, old_system_sheet(tmp_path / "房屋.xlsx"))
    alt(qtbot, wizard, "O", lambda: wizard.choices.table)
    while wizard.currentId() != CHECK_PAGE:
        enter(qtbot, wizard)
    alt(qtbot, wizard, "C", wizard.check_page.confirm.isChecked)
    alt(qtbot, wizard, "I", lambda: wizard.currentId() == DONE_PAGE)
    opened_wizards: list[ImportWizard] = []
    monkeypatch.setattr(ImportWizard, "exec", lambda self: opened_wizards.append(self) or 0)
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    tab = screen.show_tab("数据导入")
    assert isinstance(tab, ImportsTab)
    assert tab.table.rowCount() == 1
    assert [tab.table.item(0, c).text() for c in (0, 3, 4, 5, 6, 9)] == [
        "1",
        "房屋.xlsx",
        "房屋、业主与住户",
        "4",
        "6",
        "可撤销",
    ]
    tab.table.selectRow(0)
    assert tab.undo_button.isEnabled() and tab.reason.text() == "导入 1 可以整批撤销。"
    asked: list[str] = []

    def yes(_parent: QWidget, title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    tab.undo_button.click()
    assert asked == ["撤销导入"]
    assert structure.list_buildings(ctx.db, ctx.actor) == []
    assert tab.table.item(0, 9).text() == "已撤销"
    assert tab.reason.text().startswith("已撤销导入 1：删除房屋 4 间、人员 6 人")
    assert not tab.undo_button.isEnabled()
    tab.import_button.click()
    assert len(opened_wizards) == 1


def test_amounts_owed_without_an_item_column_are_given_their_item(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    structure.create_building(ctx.db, ctx.actor, NewBuilding("3", "", 12, 2, 2, "89.5"))
    for name in ("物业服务费", "生活垃圾处理费"):
        items.add_fee_item(ctx.db, ctx.actor, name, name, FeeMethod.FIXED_MONTHLY)
    sheet = books.write_book(
        tmp_path / "欠费.xlsx",
        {"欠费": [("房号", "所属月份", "欠费金额"), ("3-2-1201", "2026-09", 268.5)]},
    )
    wizard = opened(qtbot, ctx, monkeypatch, sheet)
    alt(qtbot, wizard, "O", lambda: wizard.choices.table)
    enter(qtbot, wizard)
    enter(qtbot, wizard)
    assert wizard.currentId() == VALUES_PAGE  # no words to map, but the item to name
    combo = wizard.values_page.item_combo
    assert combo.currentText() == "（不指定）"  # two items: the program does not guess
    alt(qtbot, wizard, "G", combo.hasFocus)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "物业服务费"
    enter(qtbot, wizard)
    assert wizard.currentId() == CHECK_PAGE
    plan = wizard.choices.plan
    assert plan is not None and plan.refusals == ()
    assert [(a.fee_item, str(a.period), a.amount_fen) for a in plan.read.arrears] == [
        ("物业服务费", "2026-09", 26850)
    ]


def test_owners_on_another_sheet_are_found_and_their_words_asked(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wizard = opened(qtbot, ctx, monkeypatch, books.owners_linked(tmp_path / "linked.xlsx"))
    alt(qtbot, wizard, "O", lambda: wizard.choices.table)
    assert wizard.file_page.link_combo.currentText() == "业主"
    enter(qtbot, wizard)
    enter(qtbot, wizard)
    assert wizard.currentId() == VALUES_PAGE
    words = wizard.values_page.combos
    assert [(f.label, value, c.currentText()) for (f, value), c in words.items()] == [
        ("性别", "1", "男")  # from the owners sheet, as old systems code it
    ]
    enter(qtbot, wizard)
    plan = wizard.choices.plan
    assert plan is not None and plan.file_totals.people == 4  # 1001 on two flats, 1002's two
    refusals = wizard.check_page.refusals
    assert refusals.item(0, 3).text() == "「1009」在工作表「业主」中找不到"


def test_the_main_windows_roster_import_opens_the_wizard_for_people(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened_wizards: list[ImportWizard] = []
    monkeypatch.setattr(ImportWizard, "exec", lambda self: opened_wizards.append(self) or 0)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.ui.importAction.trigger()
    assert [w.file_page.kind_combo.currentText() for w in opened_wizards] == ["业主与住户"]
