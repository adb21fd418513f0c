"""The contractor's phone in the 装修登记 list: masked for a clerk like every other
phone; whole only for those who may unmask (a butler in own buildings only)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QTableWidget

from frontdesk.domain import clock
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.renovation import works_tab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation import views as renovation_views
from tests.unit.fee_fixtures import TODAY, Community, make_community
from tests.unit.test_renovations import application

pytestmark = pytest.mark.clock(TODAY)
WHOLE = "13900001111"  # the contractor's phone in tests.unit.test_renovations.application


@pytest.fixture
def town(db, admin) -> Community:
    return make_community(db, admin)


def _everything_shown(tab: works_tab.WorksTab) -> str:
    texts = [label.text() for label in tab.findChildren(QLabel)]
    for table in tab.findChildren(QTableWidget):
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                item = table.item(row, column)
                if item is not None:
                    texts += [item.text(), item.toolTip()]
    return "\n".join(texts)


def _shown_to(qtbot, db, actor, rid: int) -> str:
    tab = works_tab.WorksTab(AppContext(db, actor, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    tab.refresh()
    tab.select(rid)
    return _everything_shown(tab)


def test_a_clerk_sees_the_contractors_phone_masked(qtbot, db, admin, town, make_user):
    rid = renovations.apply(db, admin, application(town.occupied, starts_on=clock.today()))
    clerk = make_user(Role.CLERK)
    shown = _shown_to(qtbot, db, clerk, rid)
    assert "刘工" in shown and "139****1111" in shown
    assert WHOLE not in shown
    # The service hands the clerk nothing else: the row itself is masked.
    [row] = renovation_views.list_renovations(db, clerk)
    assert row.contractor_phone == "139****1111"
    assert renovation_views.facts(db, clerk, rid).row.contractor_phone == "139****1111"
    # A supervisor, who may unmask, still sees it whole.
    supervisor = make_user(Role.SUPERVISOR)
    assert WHOLE in _shown_to(qtbot, db, supervisor, rid)


def test_a_butler_sees_it_whole_only_in_own_buildings(db, admin, town, make_user):
    rid = renovations.apply(db, admin, application(town.occupied, starts_on=clock.today()))
    butler = make_user(Role.BUTLER)  # looks after no building of the fixture community
    [row] = renovation_views.list_renovations(db, butler)
    assert row.contractor_phone == "139****1111"
    assert renovation_views.facts(db, butler, rid).row.contractor_phone == "139****1111"


def test_the_papers_keep_the_contractors_phone_whole(db, admin, town, make_user) -> None:
    """The application form is the office's paper of record, and the permit at the door
    is how neighbours reach the contractor: they print the number whole, whoever prints
    them (each paper is kept in the document register)."""
    from io import BytesIO

    from pypdf import PdfReader

    from frontdesk.printouts import renovation as renovation_papers

    rid = renovations.apply(db, admin, application(town.occupied, starts_on=clock.today()))
    clerk = make_user(Role.CLERK)
    assert renovation_views.facts(db, clerk, rid).contractor_phone == WHOLE
    pdf = renovation_papers.application(db, clerk, rid).pdf
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert WHOLE in text
    assert "138****5678" in text  # the applicant's, masked on the form as before
