"""满意度调查 in the GUI: a phone survey entered by keyboard alone (digits per
dimension, Enter to the next household, 0 未接通, 9 拒访), a paper form typed back by
its number, the results with their margins, a low score turned into a work order, and
the supervisor's dialogs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from sqlalchemy import update

from frontdesk.db.models import Room
from frontdesk.domain.roles import Role
from frontdesk.domain.rooms import RoomStatus
from frontdesk.domain.surveys import Dimension, Status
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.ops import TaskRunner
from frontdesk.gui.screens.service_desk.survey_keys import Key, ScoreKeys
from frontdesk.gui.screens.service_desk.surveys_tab import SampleDialog, SurveyDialog, SurveysTab
from frontdesk.services import surveys
from frontdesk.services.households import structure
from frontdesk.services.surveys import SurveyInput

ASKED = (Dimension.RECEPTION, Dimension.REPAIRS, Dimension.CLEANING)
ENTER = Qt.Key.Key_Return


@pytest.fixture
def survey_id(db, admin) -> int:
    structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 3, 1, 2, "89.50"))
    structure.create_building(db, admin, structure.NewBuilding("2", "2栋", 2, 1, 2, "89.50"))
    with db.write(admin) as session:
        session.execute(update(Room).values(status=RoomStatus.OCCUPIED))
    made = surveys.define_survey(db, admin, SurveyInput("四季度调查", "2026年第四季度", ASKED))
    surveys.draw_sample(db, admin, made, count=5, seed=4)
    return made


def _tab(qtbot, ctx: AppContext) -> SurveysTab:
    tab = SurveysTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1200, 640)
    tab.show()
    tab.refresh()
    return tab


def _keys(qtbot, widget, text: str) -> None:
    """Typed where the cursor is: each key goes to the widget holding the focus."""
    for char in text:
        QTest.keyClicks(widget.window().focusWidget(), char)
        QApplication.processEvents()  # what a press queued (the window's relay) runs


def _key(widget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget.window().focusWidget(), key, modifier)
    QApplication.processEvents()


def _hanzi(widget: QWidget, text: str) -> None:
    """Hanzi arrive from the input method as a commit, not as key presses."""
    commit = QInputMethodEvent()
    commit.setCommitString(text)
    QApplication.sendEvent(widget.window().focusWidget(), commit)


def _to_the_scores(qtbot, tab: SurveysTab) -> None:
    """As the clerk gets there: Alt+V to the surveys, Tab past the pages' tabs and 只列待访
    to the call list, Tab to the scores (no table keeps the Tab key to itself)."""
    tab.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab.window())
    _key(tab, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    assert tab.focusWidget() is tab.ui.surveysTable
    for _ in range(3):
        _key(tab, Qt.Key.Key_Tab)
    assert tab.focusWidget() is tab.ui.callsTable
    _key(tab, Qt.Key.Key_Tab)
    assert tab.focusWidget() is tab.ui.scoresTable


def _shot(widget, name: str) -> None:
    folder = os.environ.get("FRONTDESK_TEST_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def test_the_score_keys_by_themselves() -> None:
    keys = ScoreKeys(ASKED)
    assert keys.press("", enter=True) == Key.INCOMPLETE
    assert [keys.press(c) for c in "57"] == [Key.SCORED, Key.IGNORED]
    assert keys.press("", backspace=True) == Key.BACK and keys.scores == [None, None, None]
    for c in "543":
        keys.press(c)
    assert keys.press("4") == Key.IGNORED  # every dimension scored already
    assert keys.complete and keys.press("", enter=True) == Key.SAVE
    assert keys.press("0") == Key.NO_ANSWER and keys.press("9") == Key.REFUSED
    assert ScoreKeys(ASKED, outcomes=False).press("0") == Key.IGNORED


def test_a_phone_survey_is_entered_by_keyboard_alone(
    qtbot, ctx: AppContext, db, admin, survey_id
) -> None:
    tab = _tab(qtbot, ctx)
    assert tab.survey_id() == survey_id and len(tab.calls) == 5
    _to_the_scores(qtbot, tab)
    scores = tab.ui.scoresTable
    first, second, third = (c.entry_id for c in tab.calls[:3])
    # the first household: 5, 4, 2, Backspace to change the last to 3, the words, Enter
    assert tab.focusWidget() is scores
    _keys(qtbot, tab, "542")
    _key(tab, Qt.Key.Key_Backspace)
    _keys(qtbot, tab, "3")
    assert tab.focusWidget() is tab.ui.wordsEdit
    _hanzi(tab, "维修还可以更快")
    _shot(tab, "surveys-phone-entry")
    _key(tab, ENTER)
    # saved as 接通; the list (pending only) moves on to the next household
    assert tab.current_call() is not None and tab.current_call().entry_id == second
    assert tab.focusWidget() is scores
    _keys(qtbot, tab, "0")  # 未接通: stays pending with one attempt
    assert tab.current_call().entry_id == third
    _keys(qtbot, tab, "9")  # 拒访
    _keys(qtbot, tab, "55")
    _key(tab, ENTER)  # not every dimension yet
    assert "环境保洁" in tab.ui.callErrorLabel.text()
    rows = {r.entry_id: r for r in surveys.call_list(db, admin, survey_id)}
    assert rows[first].status == Status.ANSWERED
    assert (rows[second].status, rows[second].attempts) == (Status.PENDING, 1)
    assert rows[third].status == Status.REFUSED
    result = surveys.results(db, admin, survey_id)
    assert [d.counts for d in result.dimensions] == [
        (0, 0, 0, 0, 1),
        (0, 0, 0, 1, 0),
        (0, 0, 1, 0, 0),
    ]
    assert tab.ui.dimensionsTable.rowCount() == 3
    listed = tab.ui.surveysTable
    assert (listed.item(0, 3).text(), listed.item(0, 6).text()) == ("1", "20.0%")  # 1 of 5


def test_call_rounds_by_keyboard_three_misses_and_the_margins_shown(
    qtbot, ctx: AppContext, db, admin, survey_id
) -> None:
    """Round after round of calls by keys alone in the main window (whose relay of each
    saved call reloads the tab), until no household is left to call; the results as the
    supervisor reads them, every figure counted by hand."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    window.show_area("service")
    tab = window.area_screen("service").show_tab("满意度调查")
    assert isinstance(tab, SurveysTab)
    h1, h2, h3, h4, h5 = (c.entry_id for c in tab.calls)
    _to_the_scores(qtbot, tab)

    def now_calling() -> int:
        call = tab.current_call()
        assert call is not None
        return call.entry_id

    # round 1: h1 answers 5 4 4, h2 not reached, h3 refuses, h4 answers 3 1 2, h5 not reached
    _keys(qtbot, tab, "544")
    _key(tab, ENTER)
    assert now_calling() == h2
    _keys(qtbot, tab, "0")
    _keys(qtbot, tab, "9")
    assert now_calling() == h4
    _keys(qtbot, tab, "312")
    _key(tab, ENTER)
    _keys(qtbot, tab, "0")
    # round 2: the list (pending only) starts again at h2: not reached, then h5 answers 5 5 3
    assert now_calling() == h2 and tab.calls[0].attempts == 1
    _keys(qtbot, tab, "0")
    assert now_calling() == h5
    _keys(qtbot, tab, "553")
    _key(tab, ENTER)
    # round 3: h2's third miss makes it 未接通; nobody is left to call
    assert now_calling() == h2 and tab.calls[0].attempts == 2
    _keys(qtbot, tab, "0")
    assert tab.current_call() is None and tab.ui.callsTable.rowCount() == 0
    assert tab.ui.householdLabel.text() == "没有待访的住户。"
    rows = {r.entry_id: r for r in surveys.call_list(db, admin, survey_id)}
    assert [(rows[h].status, rows[h].attempts) for h in (h1, h2, h3, h4, h5)] == [
        (Status.ANSWERED, 1),
        (Status.UNREACHED, 3),
        (Status.REFUSED, 1),
        (Status.ANSWERED, 1),
        (Status.ANSWERED, 2),
    ]

    # By hand: 3 households answered of the sample of 5, in a community of N = 10 homes
    # (1栋 3 floors × 2, 2栋 2 floors × 2). Scores 客服接待 5 3 5, 工程维修 4 1 5,
    # 环境保洁 4 2 3; 满意度 = scores of 4 or 5: 2/3, 2/3, 1/3.
    # Margin (Wald, finite population correction), n = 3: e = 1.96 · √(p(1−p)/3) · √(7/9)
    #   p = 2/3 or 1/3: 1.96 · √(2/27) · 0.88192 = 1.96 · 0.27217 · 0.88192 = 0.4705 → ±47.0%
    # Overall: 5 of the 9 scores, p = 5/9, and the households (n = 3) as the sample:
    #   1.96 · √((20/81)/3) · 0.88192 = 1.96 · 0.28689 · 0.88192 = 0.4959 → ±49.6%
    table = tab.ui.dimensionsTable
    shown = [[table.item(r, c).text() for c in range(9)] for r in range(table.rowCount())]
    assert shown == [
        ["客服接待", "3", "2", "66.7%（±47.0%）", "0", "0", "1", "0", "2"],
        ["工程维修", "3", "2", "66.7%（±47.0%）", "1", "0", "0", "1", "1"],
        ["环境保洁", "3", "1", "33.3%（±47.0%）", "0", "1", "1", "1", "0"],
    ]
    summary = tab.ui.summaryLabel.text()
    assert "样本 5 户（小区 10 户），已答 3，未接通 1，拒访 1，应答率 60.0%" in summary
    assert "总体满意度 55.6%（±49.6%）" in summary
    assert tab.ui.lowTable.rowCount() == 2  # h4's 1 and 2
    listed = tab.ui.surveysTable
    assert [listed.item(0, c).text() for c in range(2, 8)] == ["5", "3", "1", "1", "60.0%", "55.6%"]


def test_a_paper_form_by_number_and_a_low_score_becomes_a_work_order(
    qtbot, ctx: AppContext, db, admin, survey_id
) -> None:
    tab = _tab(qtbot, ctx)
    number = tab.calls[1].form_number
    tab.ui.pages.setCurrentWidget(tab.ui.paperPage)
    tab.ui.formNumberEdit.setFocus()
    QTest.keyClicks(tab.focusWidget(), number.lower())
    _key(tab, ENTER)
    assert tab.focusWidget() is tab.ui.paperScoresTable
    assert number in tab.ui.paperHouseholdLabel.text()
    _keys(qtbot, tab, "014")  # 0 means nothing on paper
    _keys(qtbot, tab, "5")
    assert tab.focusWidget() is tab.ui.paperWordsEdit
    _hanzi(tab, "前台态度不好")
    _key(tab, ENTER)
    assert "已录入" in tab.ui.resultLabel.text()
    assert tab.focusWidget() is tab.ui.formNumberEdit
    # the same form again is refused, naming the field
    QTest.keyClicks(tab.focusWidget(), number)
    _key(tab, ENTER)
    _keys(qtbot, tab, "555")
    _key(tab, ENTER)
    assert "已录入" in tab.ui.paperErrorLabel.text()
    tab.ui.pages.setCurrentWidget(tab.ui.resultsPage)
    assert tab.ui.lowTable.rowCount() == 1
    assert tab.ui.lowTable.item(0, 4).text() == "前台态度不好"
    tab.ui.lowTable.setCurrentCell(0, 0)
    assert tab.ui.orderButton.isEnabled()
    _shot(tab, "surveys-results")
    tab.ui.orderButton.click()
    assert "已转为工单 GD-" in tab.ui.resultLabel.text()
    assert surveys.low_scores(db, admin, survey_id)[0].order_number.startswith("GD-")
    assert not tab.ui.orderButton.isEnabled()


def test_only_a_supervisor_defines_and_samples(
    qtbot, ctx: AppContext, db, make_user, survey_id
) -> None:
    clerk_ctx = AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True))
    clerk_tab = _tab(qtbot, clerk_ctx)
    assert not clerk_tab.ui.defineButton.isEnabled() and clerk_tab.ui.printButton.isEnabled()
    assert all("****" in c.phone or not c.phone for c in clerk_tab.calls)
    dialog = SurveyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.ui.nameEdit.setText("年终调查")
    dialog.ui.periodEdit.setText("2026年")
    for i in range(dialog.ui.dimensionsList.count()):
        dialog.ui.dimensionsList.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "调查项目" in dialog.ui.errorLabel.text()
    dialog.ui.dimensionsList.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.saved_id is not None
    sample = SampleDialog(ctx, dialog.saved_id)
    qtbot.addWidget(sample)
    sample.ui.unitCombo.setCurrentIndex(1)
    sample.ui.sizeSpin.setValue(99)
    sample.accept()
    assert "样本量" in sample.ui.errorLabel.text()
    sample.ui.sizeSpin.setValue(2)
    sample.accept()
    assert sample.result() == QDialog.DialogCode.Accepted and sample.saved_id == 2
