"""审计日志 tab: a lazy model over the log, filters, field changes, chain check, export."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QTableView
from pytestqt.qtbot import QtBot

from frontdesk.db.audit import write_entry
from frontdesk.domain import clock
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import AuthenticationFailed
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.audit_model import AuditModel
from frontdesk.gui.screens.admin.audit_tab import AuditTab
from frontdesk.gui.screens.admin.screen import SettingsScreen
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services import users
from frontdesk.services.database import Database
from frontdesk.services.protection import audit
from frontdesk.services.protection.audit import AuditRow
from tests.gui.conftest import Shown


@pytest.fixture
def history(db: Database, admin: Actor, make_user: Callable[[Role], Actor]) -> None:
    """A few kinds of entries: new users, a renamed one, failed sign-ins."""
    make_user(Role.CLERK)
    users.create_user(db, admin, users.NewUser("lisi", "李四", Role.BUTLER, "lisi2024"))
    lisi = next(u for u in users.list_users(db, admin) if u.username == "lisi")
    users.update_user(db, admin, lisi.id, "李小四", Role.BUTLER, True)
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            users.login(db, "lisi", "wrong-password1")


@pytest.fixture
def tab(qtbot: QtBot, ctx: AppContext, history: None) -> AuditTab:
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    tab = screen.show_tab("审计日志")
    assert isinstance(tab, AuditTab)
    return tab


def shown_rows(tab: AuditTab) -> list[list[str]]:
    model = tab.model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def fake_row(entry_id: int) -> AuditRow:
    at = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=entry_id)
    return AuditRow(entry_id, at, "admin", "update", "修改", "room", "1", f"摘要{entry_id}", {})


# the model --------------------------------------------------------------------
def test_audit_model_passes_the_model_tester(qtmodeltester, ctx: AppContext, history: None) -> None:
    model = AuditModel(lambda ids: audit.entry_rows(ctx.db, ctx.actor, ids))
    model.set_ids(audit.entry_ids(ctx.db, ctx.actor))
    assert model.rowCount() > 5
    qtmodeltester.check(model)


def test_a_hundred_thousand_entries_cost_nothing_up_front(qtbot: QtBot) -> None:
    asked: list[list[int]] = []

    def fetch(ids: list[int]) -> list[AuditRow]:
        asked.append(ids)
        return [fake_row(i) for i in ids]

    model = AuditModel(fetch)
    model.set_ids(list(range(100_000, 0, -1)))
    assert model.rowCount() == 100_000
    assert asked == []

    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # paint once, as the screen would
    assert 1 <= model.pages_fetched <= 2  # only what is on screen
    assert all(len(page) <= 200 for page in asked)
    assert model.cached_rows <= 400

    far = model.index(77_777, 3)
    assert far.data() == f"摘要{100_000 - 77_777}"
    assert model.cached_rows <= 600


def test_columns_show_local_time_user_action_and_summary(tab: AuditTab, ctx: AppContext) -> None:
    newest = audit.entry_rows(ctx.db, ctx.actor, [audit.entry_ids(ctx.db, ctx.actor)[0]])[0]
    first = shown_rows(tab)[0]
    assert first[0] == newest.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert first[1:] == ["李小四", "登录失败", "李小四登录失败"]  # the person, not the login
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["时间", "用户", "操作", "摘要"]


# filters ----------------------------------------------------------------------
def test_action_filter(tab: AuditTab) -> None:
    everything = tab.model.rowCount()
    combo = tab.ui.actionCombo
    combo.setCurrentIndex(combo.findText("登录失败"))
    rows = shown_rows(tab)
    assert len(rows) == 2
    assert {row[2] for row in rows} == {"登录失败"}
    assert tab.ui.countLabel.text() == "共 2 条"
    tab.ui.clearButton.click()
    assert tab.model.rowCount() == everything


def test_user_filter_lists_who_appears_in_the_log(tab: AuditTab) -> None:
    combo = tab.ui.userCombo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names[0] == "全部"
    assert {"管理员", "前台甲", "李小四", "系统"} <= set(names)  # people by name
    combo.setCurrentIndex(combo.findText("前台甲"))
    assert combo.currentData() == "clerk1"
    rows = shown_rows(tab)
    assert rows and {row[1] for row in rows} == {"前台甲"}
    combo.setCurrentIndex(combo.findText("系统"))
    assert {row[1] for row in shown_rows(tab)} == {"系统"}


def test_text_search_finds_summaries(qtbot: QtBot, tab: AuditTab) -> None:
    tab.ui.searchEdit.insert("李小四")  # QTest types ASCII only
    qtbot.keyClick(tab.ui.searchEdit, Qt.Key.Key_Return)
    rows = shown_rows(tab)
    assert rows and all("李小四" in row[3] for row in rows)
    assert len(rows) < len(shown_rows_after_clear(tab))


def shown_rows_after_clear(tab: AuditTab) -> list[list[str]]:
    tab.clear_filters()
    return shown_rows(tab)


def test_date_range(tab: AuditTab) -> None:
    everything = tab.model.rowCount()
    ui = tab.ui
    today = QDate(clock.today())
    ui.fromDate.setDate(today.addDays(-3))
    ui.toDate.setDate(today.addDays(-1))
    assert tab.model.rowCount() == everything  # the range is off until ticked
    ui.dateCheck.setChecked(True)
    assert tab.model.rowCount() == 0
    ui.toDate.setDate(today)
    assert tab.model.rowCount() == everything


# detail -----------------------------------------------------------------------
def test_selecting_an_entry_shows_its_field_changes(tab: AuditTab) -> None:
    rows = shown_rows(tab)
    position = next(
        i
        for i, row in enumerate(rows)
        if row[1:] == ["管理员", "修改", "修改用户「李小四（lisi）」"]
    )
    select_row(tab.ui.auditTable, position)
    assert "修改用户「李小四（lisi）」" in tab.ui.detailHeader.text()
    assert tab.ui.detailText.toPlainText() == "姓名：李四 → 李小四"

    created = next(i for i, row in enumerate(rows) if row[3] == "新增用户「李四（lisi）」")
    select_row(tab.ui.auditTable, created)
    lines = tab.ui.detailText.toPlainText().splitlines()
    assert "用户名：lisi" in lines
    assert "角色：管家" in lines
    assert "密码：（已修改，不记录内容）" in lines
    assert not any("lisi2024" in line for line in lines)


# chain check and export -------------------------------------------------------
def test_verify_chain_reports_an_intact_log(
    qtbot: QtBot, tab: AuditTab, ctx: AppContext, shown: Shown
) -> None:
    count = len(audit.entry_ids(ctx.db, ctx.actor))
    with qtbot.waitSignal(ctx.tasks.idle, timeout=10_000):
        qtbot.mouseClick(tab.ui.verifyButton, Qt.MouseButton.LeftButton)
    last = audit.last_entry(ctx.db, ctx.actor)
    assert last is not None and last.hash.startswith("k")  # signed with the key
    expected = f"审计日志完整，共 {count} 条，链首 {last.hash[:6]}…{last.hash[-4:]}"
    assert shown == [("information", "校验完整性", f"{expected}。")]
    assert tab.ui.chainLabel.text() == expected
    assert tab.ui.verifyButton.isEnabled()


def test_verify_chain_names_the_first_altered_entry(
    qtbot: QtBot, tab: AuditTab, ctx: AppContext, shown: Shown
) -> None:
    path = ctx.db.url.removeprefix("sqlite:///")
    victim = sorted(audit.entry_ids(ctx.db, ctx.actor))[2]
    with sqlite3.connect(path) as raw:  # what someone with the file and a SQLite tool could do
        raw.execute("DROP TRIGGER audit_log_no_update")
        raw.execute("UPDATE audit_log SET summary = '被篡改' WHERE id = ?", (victim,))
    with qtbot.waitSignal(ctx.tasks.idle, timeout=10_000):
        tab.ui.verifyButton.click()
    assert len(shown) == 1
    kind, _title, text = shown[0]
    assert kind == "critical"
    assert f"第 {victim} 号记录" in text
    assert f"第 {victim} 号记录" in tab.ui.chainLabel.text()


def test_export_writes_the_filtered_entries(
    qtbot: QtBot,
    tab: AuditTab,
    ctx: AppContext,
    shown: Shown,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "审计"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    tab.ui.actionCombo.setCurrentIndex(tab.ui.actionCombo.findText("登录失败"))
    with qtbot.waitSignal(ctx.tasks.idle, timeout=10_000):
        tab.ui.exportButton.click()
    written = target.with_suffix(".xlsx")
    assert shown and shown[0][2].startswith("已导出 2 条记录")
    sheet = load_workbook(written).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("编号", "时间", "用户", "操作", "摘要", "字段变更", "哈希")
    assert [row[3] for row in values[1:]] == ["登录失败", "登录失败"]


# words a clerk understands (issue 20) -------------------------------------------
def test_an_entrys_detail_reads_in_chinese_with_names_yuan_and_local_time(
    qtbot: QtBot,
    tab: AuditTab,
    ctx: AppContext,
    shown: Shown,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No raw keys, fen, ISO times or user ids: the screen and the Excel export alike."""
    lisi = next(u for u in users.list_users(ctx.db, ctx.actor) if u.username == "lisi")
    issued = datetime(2026, 12, 6, 16, 28, 29, tzinfo=UTC)
    changes = {
        "by_id": [None, lisi.id],
        "owed_fen": [None, 434091],
        "issued_at": [None, issued.isoformat()],
        "document_sha256": [
            None,
            "8c840867a7e0ee9660fa04cb3c02880a72cdc8c266442b703435294b8194a04d",
        ],
        "number": [None, "FW-2026-000001"],
    }
    with ctx.db.write(ctx.actor) as session:
        write_entry(
            session.connection(),
            ctx.actor,
            "create",
            "issued_document",
            "1",
            "新增发文登记",
            changes,
        )
    tab.refresh()
    select_row(tab.ui.auditTable, 0)
    detail = tab.ui.detailText.toPlainText().splitlines()
    assert sorted(detail) == sorted(
        [
            "出具人：李小四",
            "当时欠费：¥4,340.91",
            f"发出时间：{issued.astimezone():%Y-%m-%d %H:%M}",
            "文件校验码：8c8408…a04d",
            "发文编号：FW-2026-000001",
        ]
    )
    assert "管理员" in tab.ui.detailHeader.text()  # the writer by name too

    target = tmp_path / "审计.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    with qtbot.waitSignal(ctx.tasks.idle, timeout=10_000):
        tab.ui.exportButton.click()
    exported = list(load_workbook(target).active.iter_rows(values_only=True))[1]
    assert exported[2] == "管理员"
    assert exported[5].splitlines() == detail
