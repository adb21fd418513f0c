"""Restoring from 设置 → 备份与恢复, in the real main window of a signed-in supervisor:
the backup checked and no other counter on the database before anything is asked;
the confirmation shows what the backup holds (time, community, households, payments,
the last receipt) beside what it replaces; then the window closes, the backup goes in
place off the GUI thread with the current data kept aside, and the program opens the
restored database with a new sign-in. Only 主管 / 系统管理员 may restore."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.roles import Actor, Role
from frontdesk.gui import app
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.backup_tab import BackupTab
from frontdesk.gui.screens.admin.restore_dialog import RestoreConfirmDialog
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services import stats, users
from frontdesk.services.database import Database, open_at
from frontdesk.services.fees import payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.households.file import PersonInput
from frontdesk.services.protection import audit, backup_contents, backup_folder, backups
from tests.conftest import ADMIN_PASSWORD
from tests.unit.fee_fixtures import TODAY, Community, make_community

SCREENSHOTS = os.environ.get("FRONTDESK_SCREENSHOTS")


def _pay(db: Database, actor: Actor, room_id: int, fen: int) -> str:
    request = PaymentRequest(room_id, (), (TenderInput(PayMethod.CASH, fen),), prepaid_fen=fen)
    return payments.post_payment(db, actor, request, TODAY).receipt_no


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    town = make_community(db, admin)
    households.add_record(db, admin, town.occupied, PersonInput(PersonKind.OWNER, "张三"))
    return town


@pytest.fixture
def signed_in(monkeypatch: pytest.MonkeyPatch) -> list[Database]:
    """The sign-in dialog answered by the administrator: the databases it was shown on."""
    asked: list[Database] = []

    def sign_in(db: Database) -> Actor:
        asked.append(db)
        return users.login(db, "admin", ADMIN_PASSWORD)

    monkeypatch.setattr(app, "ask_actor", sign_in)
    return asked


@pytest.fixture
def program(db: Database, signed_in: list[Database]):
    program = app.Program(db, wait=True)
    assert program.start_session()
    yield program
    if program.session is not None:
        program.session.idle.stop()
        program.session.window.hide()
    program.db.dispose()


def _backup_tab(program: app.Program) -> BackupTab:
    assert program.session is not None
    settings = program.session.window.show_area("settings")
    tab = settings.show_tab("备份与恢复")  # type: ignore[union-attr]
    assert isinstance(tab, BackupTab)
    return tab


def test_a_supervisor_restores_from_the_window_and_signs_in_again(
    qtbot,
    db: Database,
    admin: Actor,
    town: Community,
    program: app.Program,
    signed_in: list[Database],
    shown,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved_receipt = _pay(db, admin, town.occupied, 10000)
    taken = backups.make_backup(db, admin, "manual")
    # After the backup: a second household and a later payment.
    households.add_record(db, admin, town.vacant, PersonInput(PersonKind.OWNER, "李四"))
    later_receipt = _pay(db, admin, town.vacant, 20000)
    db_path = backup_folder.database_path(db)
    old_session = program.session
    assert old_session is not None
    tab = _backup_tab(program)
    tab.refresh()
    select_row(tab.table, 0)

    seen: list[RestoreConfirmDialog] = []

    def answer(dialog: RestoreConfirmDialog) -> int:
        seen.append(dialog)
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            dialog.grab().save(str(Path(SCREENSHOTS) / "restore-confirm.png"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RestoreConfirmDialog, "exec", lambda self: answer(self))
    tab.restore_button.click()

    [dialog] = seen
    assert dialog.cell("备份时间/最后修改", 0) == f"{taken.taken_at:%Y-%m-%d %H:%M:%S}"
    assert dialog.cell("小区", 0) == dialog.cell("小区", 1) == "测试小区"
    assert dialog.cell("住户", 0) == "1 户"
    assert dialog.cell("收款记录", 0) == "1 笔，合计 100.00 元"
    assert dialog.cell("最后一笔收款", 0).startswith(f"{saved_receipt}（")
    assert dialog.cell("住户", 1) == "2 户"
    assert dialog.cell("收款记录", 1) == "2 笔，合计 300.00 元"
    assert dialog.cell("最后一笔收款", 1).startswith(f"{later_receipt}（")
    assert taken.path.name in dialog.intro.text()

    # Restored: told so, the old window gone, a new sign-in on a new database object.
    [(kind, _title, text)] = shown
    assert kind == "information" and f"已从备份 {taken.path.name} 恢复数据库" in text
    assert "请重新登录" in text
    assert not old_session.window.isVisible()
    assert program.db is not db and signed_in == [db, program.db]
    assert program.session is not None and program.session is not old_session
    assert program.session.window.isVisible()
    assert program.session.ctx.db is program.db
    # The data is the backup's; the data it replaced is kept aside, whole.
    assert stats.counts(program.db)["households"] == 1
    [aside] = backup_folder.folder_for(db_path).glob("*before-restore*.sqlite")
    kept = backup_contents.contents_of(aside)
    assert (kept.households, kept.last_receipt) == (2, later_receipt)
    ids = audit.entry_ids(program.db, admin, audit.AuditFilter(action="restore"))
    [entry] = audit.entry_rows(program.db, admin, ids)
    assert entry.username == "admin" and aside.name in entry.summary
    # The new window works on the restored data.
    rooms = program.session.window.show_area("households")
    assert rooms is not None


def test_refused_while_another_counter_has_the_database_open(
    qtbot,
    db: Database,
    admin: Actor,
    town: Community,
    program: app.Program,
    shown,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    taken = backups.make_backup(db, admin, "manual")
    households.add_record(db, admin, town.vacant, PersonInput(PersonKind.OWNER, "李四"))
    db_path = backup_folder.database_path(db)
    session = program.session
    tab = _backup_tab(program)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(taken.path), ""))
    )
    asked: list[RestoreConfirmDialog] = []
    monkeypatch.setattr(
        RestoreConfirmDialog,
        "exec",
        lambda self: asked.append(self) or QDialog.DialogCode.Rejected,
    )

    other = open_at(backup_folder.database_path(db))  # another counter, signed in
    try:
        assert stats.counts(other)["households"] == 2
        tab.restore_file_button.click()
    finally:
        other.dispose()
    [(kind, title, text)] = shown
    assert (kind, title) == ("warning", "不能恢复")
    assert "正在被使用" in text and "请关闭所有物业前台程序后再恢复" in text
    assert asked == []  # refused before the supervisor is asked anything
    assert program.session is session and session is not None and session.window.isVisible()
    assert program.db is db and stats.counts(db)["households"] == 2

    # The other counter closed: now it is asked, and cancelling changes nothing.
    tab.restore_file_button.click()
    assert len(asked) == 1 and len(shown) == 1
    assert program.session is session and stats.counts(db)["households"] == 2

    # A counter opened while the supervisor read the confirmation: the restore itself
    # refuses, nothing is replaced, and the database opens again as it was.
    late: list[Database] = []

    def open_another_then_confirm(_dialog: RestoreConfirmDialog) -> int:
        late.append(open_at(backup_folder.database_path(db)))
        stats.counts(late[0])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RestoreConfirmDialog, "exec", open_another_then_confirm)
    try:
        tab.restore_file_button.click()
    finally:
        late[0].dispose()
    (kind, title, text) = shown[-1]
    assert (kind, title) == ("warning", "恢复失败") and "正在被使用" in text
    assert program.session is not None and program.session is not session
    assert program.db is not db and stats.counts(program.db)["households"] == 2
    assert not list(backup_folder.folder_for(db_path).glob("*before-restore*"))


def test_a_clerk_cannot_back_up_or_restore_from_the_panel(qtbot, db, make_user) -> None:
    for role in (Role.CLERK, Role.CASHIER):
        tab = BackupTab(AppContext(db, make_user(role), TaskRunner(wait=True)))
        qtbot.addWidget(tab)
        assert not tab.backup_button.isEnabled()
        assert not tab.restore_button.isEnabled()
        assert not tab.restore_file_button.isEnabled()
        assert not tab.choose_button.isEnabled()
