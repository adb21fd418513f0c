"""The register form's expected leave for a renovation worker is the end of the
permitted working hours (a 16:14 arrival was shown leaving at 00:14)."""

from __future__ import annotations

from datetime import datetime, time

from frontdesk.domain import clock
from frontdesk.domain.visitors import Purpose
from frontdesk.gui.screens.visitors.register_tab import RegisterTab


def test_a_renovation_visit_is_expected_to_leave_when_the_working_hours_end(qtbot, ctx) -> None:
    clock.freeze(datetime.combine(clock.today(), time(16, 14)).astimezone())
    tab = RegisterTab(ctx)
    qtbot.addWidget(tab)
    combo = tab.ui.purposeCombo
    combo.setCurrentIndex(combo.findData(Purpose.RENOVATION.value))
    shown = tab.ui.leaveEdit.dateTime().toPython()
    assert (shown.date(), shown.time().replace(second=0, microsecond=0)) == (
        clock.today(),
        time(18, 0),
    )
    combo.setCurrentIndex(combo.findData(Purpose.FAMILY.value))
    shown = tab.ui.leaveEdit.dateTime().toPython()
    assert shown.time().replace(second=0, microsecond=0) == time(19, 14)  # 3 hours
