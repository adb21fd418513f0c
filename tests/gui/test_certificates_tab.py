"""开具证明 by keyboard: the room picked, what is owed shown instead of a 结清证明, the
certificate issued with Ctrl+Enter once paid, then checked by number and code (typed,
or scanned as the QR code's text) and revoked with a reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from frontdesk.domain.certificates import qr_text, shown_code
from frontdesk.domain.household import PersonKind
from frontdesk.domain.issued import DocKind, Printout
from frontdesk.domain.periods import Period
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.counter import certificates_tab
from frontdesk.gui.screens.counter.certificates_tab import CertificatesTab, RevokeDialog
from frontdesk.gui.screens.counter.screen import CounterScreen
from frontdesk.services.certificates import register
from frontdesk.services.fees import billing
from frontdesk.services.households import file as households
from frontdesk.services.households.file import PersonInput
from tests.unit.fee_fixtures import TODAY, Community, make_community
from tests.unit.test_renovations import pay_everything

pytestmark = pytest.mark.clock(TODAY)
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def town(ctx: AppContext) -> Community:
    town = make_community(ctx.db, ctx.actor)
    billing.run_billing(ctx.db, ctx.actor, Period(2026, 11), today=TODAY)
    households.add_record(ctx.db, ctx.actor, town.occupied, PersonInput(PersonKind.OWNER, "陈远洋"))
    return town


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[Printout]:
    seen: list[Printout] = []
    monkeypatch.setattr(
        certificates_tab,
        "show_printout",
        lambda _ctx, printout, _parent, **_k: seen.append(printout),
    )
    return seen


@pytest.fixture
def tab(qtbot, ctx: AppContext, town: Community) -> CertificatesTab:
    screen = CounterScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    tab = screen.show_tab("开具证明")
    assert isinstance(tab, CertificatesTab)
    screen.refresh()
    return tab


def pick_room(tab: CertificatesTab, code: str) -> None:
    tab.room.setFocus()
    QTest.keyClicks(tab.room, code)
    QTest.keyClick(tab.room, Qt.Key.Key_Return)


def test_a_paid_up_certificate_shows_what_is_owed_then_issues_once_paid(
    qtbot, tab: CertificatesTab, ctx: AppContext, town: Community, printed
) -> None:
    pick_room(tab, "1-1-101")
    assert tab.room.room_id == town.occupied
    assert QApplication.focusWidget() is tab.ui.kindCombo
    assert "不能开具" in tab.ui.draftLabel.text() and "合计 233.75 元" in tab.ui.draftLabel.text()
    pay_everything(ctx.db, ctx.actor, town.occupied)
    tab.refresh()  # back from the cashier
    tab.ui.purposeEdit.setText("办理房屋过户")  # QTest types ASCII only
    assert "已缴纳至2026年11月" in tab.ui.draftLabel.text()
    QTest.keyClick(tab.ui.purposeEdit, Qt.Key.Key_Return, CTRL)
    [printout] = printed
    assert printout.issue.kind is DocKind.CERTIFICATE
    [row] = register.list_certificates(ctx.db, ctx.actor)
    assert row.purpose == "办理房屋过户" and row.holder == "陈远洋"
    assert tab.ui.table.rowCount() == 1 and row.number in tab.ui.draftLabel.text()


def test_a_certificate_is_checked_by_number_and_code_typed_or_scanned_and_revoked(
    qtbot, tab: CertificatesTab, ctx: AppContext, town: Community, printed
) -> None:
    pay_everything(ctx.db, ctx.actor, town.occupied)
    pick_room(tab, "1-1-101")
    for expected in (tab.ui.purposeEdit, tab.ui.issueButton):  # Enter walks the form
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert QApplication.focusWidget() is expected
    QTest.keyClick(tab.ui.issueButton, Qt.Key.Key_Return)
    [row] = register.list_certificates(ctx.db, ctx.actor)
    code = _code_in(tab.ui.draftLabel.text())
    ui = tab.ui
    ui.verifyNumberEdit.setFocus()
    QTest.keyClicks(ui.verifyNumberEdit, row.number.lower())
    QTest.keyClick(ui.verifyNumberEdit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is ui.verifyCodeEdit
    QTest.keyClicks(ui.verifyCodeEdit, "AAAA-AAAA")
    QTest.keyClick(ui.verifyCodeEdit, Qt.Key.Key_Return)
    assert "核验码不符" in ui.verifyResult.text() and "陈远洋" not in ui.verifyResult.text()
    ui.verifyCodeEdit.clear()
    QTest.keyClicks(ui.verifyCodeEdit, code)
    QTest.keyClick(ui.verifyCodeEdit, Qt.Key.Key_Return)
    assert "有效" in ui.verifyResult.text() and "陈远洋" in ui.verifyResult.text()
    dialog = RevokeDialog.of(ctx, row, tab)
    qtbot.addWidget(dialog)
    dialog.ui.reasonEdit.setText("产权人姓名有误")
    dialog.accept()
    ui.verifyNumberEdit.clear()
    ui.verifyNumberEdit.setText(qr_text(row.number, code.replace("-", ""), "中心", ""))
    QTest.keyClick(ui.verifyNumberEdit, Qt.Key.Key_Return)
    assert "已作废" in ui.verifyResult.text() and "产权人姓名有误" in ui.verifyResult.text()


def _code_in(text: str) -> str:
    """The code as the tab reports it after issuing: 核验码 K7QM-3XPA."""
    shown = text.split("核验码 ")[1][:9]
    assert shown == shown_code(shown.replace("-", ""))
    return shown
