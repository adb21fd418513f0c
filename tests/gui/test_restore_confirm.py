"""从所选备份恢复 in 设置 → 备份与恢复: the confirmation shows what the backup holds
(time, households, the last payment with its receipt number) beside what it replaces,
and only 主管 / 系统管理员 may restore."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin import backup_tab as backup_tab_module
from frontdesk.gui.screens.admin.backup_tab import BackupTab
from frontdesk.gui.screens.admin.restore_dialog import RestoreConfirmDialog
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services import stats
from frontdesk.services.database import open_at
from frontdesk.services.fees import payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.households.file import PersonInput
from frontdesk.services.protection import backup_folder, backups
from tests.unit.fee_fixtures import TODAY, make_community

SCREENSHOTS = os.environ.get("FRONTDESK_SCREENSHOTS")


def _pay(ctx: AppContext, room_id: int, fen: int) -> str:
    request = PaymentRequest(room_id, (), (TenderInput(PayMethod.CASH, fen),), prepaid_fen=fen)
    return payments.post_payment(ctx.db, ctx.actor, request, TODAY).receipt_no


@pytest.fixture
def town(ctx: AppContext):
    town = make_community(ctx.db, ctx.actor)
    households.add_record(ctx.db, ctx.actor, town.occupied, PersonInput(PersonKind.OWNER, "张三"))
    return town


def test_the_confirmation_shows_the_backup_beside_the_current_file(
    qtbot, ctx: AppContext, town, shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_receipt = _pay(ctx, town.occupied, 10000)
    tab = BackupTab(ctx)
    qtbot.addWidget(tab)
    tab.quit_after_restore = False
    taken = backups.make_backup(ctx.db, ctx.actor, "manual")
    # After the backup: a second household and a later payment.
    households.add_record(ctx.db, ctx.actor, town.vacant, PersonInput(PersonKind.OWNER, "李四"))
    later_receipt = _pay(ctx, town.vacant, 20000)
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

    dialog = seen[0]
    assert dialog.cell("备份时间/最后修改", 0) == f"{taken.taken_at:%Y-%m-%d %H:%M:%S}"
    assert dialog.cell("住户", 0) == "1 户"
    assert dialog.cell("最后一笔收款", 0).startswith(f"{saved_receipt}（")
    assert "100.00 元" in dialog.cell("最后一笔收款", 0)
    assert dialog.cell("住户", 1) == "2 户"
    assert dialog.cell("最后一笔收款", 1).startswith(f"{later_receipt}（")
    assert "200.00 元" in dialog.cell("最后一笔收款", 1)
    assert taken.path.name in dialog.intro.text()

    # Accepted: the backup is back, the restore audited under the supervisor's name.
    assert shown and "已从" in shown[-1][2] and taken.path.name in shown[-1][2]
    db = open_at(backup_folder.database_path(ctx.db))
    try:
        assert stats.counts(db)["households"] == 1
    finally:
        db.dispose()


def test_a_cancelled_restore_changes_nothing(
    qtbot, ctx: AppContext, town, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups.make_backup(ctx.db, ctx.actor, "manual")
    households.add_record(ctx.db, ctx.actor, town.vacant, PersonInput(PersonKind.OWNER, "李四"))
    tab = BackupTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    select_row(tab.table, 0)
    monkeypatch.setattr(RestoreConfirmDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    restored = []
    monkeypatch.setattr(backup_tab_module.restore, "restore_backup", lambda *a: restored.append(a))
    tab.restore_button.click()
    assert restored == []
    assert stats.counts(ctx.db)["households"] == 2


def test_a_clerk_cannot_back_up_or_restore_from_the_panel(qtbot, db, make_user) -> None:
    for role in (Role.CLERK, Role.CASHIER):
        tab = BackupTab(AppContext(db, make_user(role), TaskRunner(wait=True)))
        qtbot.addWidget(tab)
        assert not tab.backup_button.isEnabled()
        assert not tab.restore_button.isEnabled()
        assert not tab.choose_button.isEnabled()
