"""设置 → 个人信息: find one person, export their copy, erase with a reason and a
confirmation that names the counts; owners stay."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from stdnum.cn import ric

from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.roles import Actor, Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.personal_data_tab import HEADERS, PersonalDataTab
from frontdesk.gui.screens.admin.screen import SettingsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services.database import Database
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.visitors.register import VisitInput, register_visit, sign_out
from tests.gui.conftest import Shown

TENANT_ID = "11010119900307451"
TENANT_ID += ric.calc_check_digit(TENANT_ID + "0")
PHONE = "13912345678"


@dataclass(frozen=True)
class Home:
    room: int
    tenant: int
    owner: int


@pytest.fixture
def home(db: Database, admin: Actor) -> Home:
    building = structure.create_building(
        db, admin, structure.NewBuilding("3", "3栋", 2, 1, 2, "89.50")
    )
    room = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]
    owner = households.add_record(
        db, admin, room, households.PersonInput(PersonKind.OWNER, "张三", Relation.SELF)
    )
    tenant = households.add_record(
        db,
        admin,
        room,
        households.PersonInput(
            PersonKind.TENANT,
            "李四",
            Relation.TENANT,
            id_number=TENANT_ID,
            phone=PHONE,
            lease_end=date(2025, 6, 30),
            lives_here=False,
        ),
    )
    visit = register_visit(db, admin, VisitInput(room, "李四", PHONE, confirmed_by="业主 张三"))
    sign_out(db, admin, visit.number)
    return Home(room, tenant, owner)


@pytest.fixture
def tab(qtbot: QtBot, ctx: AppContext, home: Home) -> PersonalDataTab:
    widget = PersonalDataTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 560)
    widget.show()
    return widget


def cells(tab: PersonalDataTab, header: str) -> list[str]:
    column = HEADERS.index(header)
    table = tab.ui.resultTable
    return [table.item(row, column).text() for row in range(table.rowCount())]


def search(tab: PersonalDataTab, name: str = "", phone: str = "", number: str = "") -> None:
    tab.ui.nameEdit.setText(name)
    tab.ui.phoneEdit.setText(phone)
    tab.ui.idEdit.setText(number)
    tab.ui.searchButton.click()


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The reason typed is 本人书面申请; every question answered yes and kept."""
    asked: list[str] = []
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *a, **k: ("本人书面申请", True))
    )

    def yes(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    return asked


def test_a_search_lists_each_record_with_what_may_be_erased(tab: PersonalDataTab) -> None:
    assert tab.ui.countLabel.text() == "请输入姓名、电话或证件号码后查找"
    assert not tab.ui.eraseButton.isEnabled()
    search(tab, name="李四", phone="139 1234 5678")
    assert cells(tab, "类别") == ["租户", "访客登记"]
    assert cells(tab, "房屋") == ["3-1-101", "3-1-101"]
    assert cells(tab, "电话") == ["139****5678"] * 2
    assert cells(tab, "匹配") == ["姓名+电话"] * 2
    assert cells(tab, "处理") == ["可删除"] * 2
    assert tab.ui.countLabel.text() == "共 2 条：确认 2 条（可删除 2 条），候选 0 条"
    assert tab.ui.eraseButton.isEnabled()
    search(tab, name="张三")
    assert cells(tab, "类别") == ["候选·产权人"]
    assert cells(tab, "处理") == ["保留"] and "产权人" in cells(tab, "说明")[0]
    assert not tab.ui.eraseButton.isEnabled()  # a candidate is acted on only when picked
    select_row(tab.ui.resultTable, 0)
    assert tab.ui.exportButton.isEnabled() and not tab.ui.eraseButton.isEnabled()


def test_bad_criteria_are_named(tab: PersonalDataTab, shown: Shown) -> None:
    search(tab)
    assert shown == [("warning", "无法查找", "姓名：姓名、电话、证件号码至少填写一项")]


def test_erase_asks_with_the_counts_and_then_the_person_is_gone(
    qtbot: QtBot,
    tab: PersonalDataTab,
    ctx: AppContext,
    home: Home,
    shown: Shown,
    answers: list[str],
) -> None:
    search(tab, number=TENANT_ID)
    assert cells(tab, "类别") == ["租户"]
    search(tab, name="李四", phone=PHONE)
    with qtbot.waitSignal(ctx.tasks.idle, timeout=10_000):
        tab.ui.eraseButton.click()
    assert len(answers) == 1
    assert answers[0].startswith("将删除或匿名化 2 条记录（户档案人员 1、访客登记 1）。")
    assert "不能撤销" in answers[0]
    kind, title, text = shown[-1]
    assert (kind, title) == ("information", "删除/匿名化")
    assert text.startswith("已删除 2 条记录中的个人信息") and "保留：审计日志" in text
    assert tab.ui.resultTable.rowCount() == 0
    assert tab.ui.countLabel.text() == "没有找到此人的记录"
    people = households.open_file(ctx.db, ctx.actor, home.room, reveal=True).people
    assert [(p.name, p.phone, p.id_number) for p in people] == [
        ("张三", "", ""),
        ("已删除", "", ""),
    ]


def test_declining_the_question_erases_nothing(
    tab: PersonalDataTab, shown: Shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("本人申请", True)))
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No)
    )
    search(tab, name="李四", phone=PHONE)
    tab.ui.eraseButton.click()
    search(tab, name="李四", phone=PHONE)
    assert cells(tab, "姓名") == ["李四", "李四"]
    assert shown == []


def test_export_writes_the_copy_with_the_full_number(
    qtbot: QtBot,
    tab: PersonalDataTab,
    ctx: AppContext,
    shown: Shown,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "李四"
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("李四", True)))
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    search(tab, number=TENANT_ID)
    with qtbot.waitSignal(ctx.tasks.idle, timeout=10_000):
        tab.ui.exportButton.click()
    assert shown and shown[-1][2].startswith("已导出 1 条记录")
    book = load_workbook(target.with_suffix(".xlsx"))
    values = [v for row in book["户档案人员"].iter_rows(values_only=True) for v in row]
    assert TENANT_ID in values and PHONE in values


def test_the_tab_is_there_for_those_who_may_use_it(
    qtbot: QtBot, ctx: AppContext, db: Database, make_user: Callable[[Role], Actor]
) -> None:
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    assert "个人信息" in screen.tab_titles()
    assert isinstance(screen.show_tab("个人信息"), PersonalDataTab)
    clerk = SettingsScreen(AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True)))
    qtbot.addWidget(clerk)
    assert "个人信息" not in clerk.tab_titles()


def test_screenshot(tab: PersonalDataTab) -> None:
    search(tab, name="李四")
    target = os.environ.get("PIPL_TAB_PNG")
    if target:
        QApplication.processEvents()  # the table's queued layout, before the picture
        tab.grab().save(target)
    assert cells(tab, "类别") == ["候选·租户", "候选·访客登记"]
