"""At the gate, a renovation worker with a valid pass is recognised by phone and
registered with the keyboard alone."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from frontdesk.domain import clock
from frontdesk.domain.visitors import Purpose
from frontdesk.gui.screens.visitors.register_tab import RegisterTab
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation import site as renovation_site
from frontdesk.services.renovation.applications import ChargeInput
from frontdesk.services.visitors import register as visitors
from tests.unit.fee_fixtures import make_community
from tests.unit.test_renovations import application, pay_everything


def test_a_worker_with_a_valid_pass_is_filled_in_by_f2(
    qtbot, ctx, db, admin, monkeypatch, shown
) -> None:
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda _dialog: 0)
    town = make_community(db, admin)
    today = clock.today()
    renovation = renovations.apply(
        db,
        admin,
        application(town.occupied, starts_on=today, ends_on=today + timedelta(days=30)),
        today,
    )
    renovations.review(db, admin, renovation)
    renovations.approve(db, admin, renovation, [ChargeInput(town.deposit, "deposit")], today=today)
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, renovation)
    renovation_site.add_worker(
        db, admin, renovation, renovation_site.WorkerInput("王师傅", "13700002222", "水电工")
    )
    tab = RegisterTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1200, 760)
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.ui.phoneEdit.setFocus()
    QTest.keyClicks(tab.ui.phoneEdit, "13700002222")
    assert "装修工人" in tab.ui.returningLabel.text() and "ZX" in tab.ui.returningLabel.text()
    QTest.keyClick(tab, Qt.Key.Key_F2)
    QTest.keyClick(tab, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [visit] = visitors.inside_now(db, admin).rows
    assert (visit.visitor, visit.room_id, visit.purpose) == (
        "王师傅",
        town.occupied,
        Purpose.RENOVATION,
    )
    assert visit.confirmed_by.startswith("持装修出入证 ZX")
