"""报表 → 工作月报: the month or the year chosen, the report shown as the paper with
the KPIs below target in red, exported to Excel, printed and saved as PDF (each copy
registered in the 发文登记, the second as a reprint); offered only to those who may
read the money and the arrears; the summary gives the survey's 满意度."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtPrintSupport import QPrinter

from frontdesk.domain import clock
from frontdesk.domain.issued import DocKind, Output
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.reports.screen import ReportsScreen
from frontdesk.gui.screens.reports.work_report_tab import summary_text
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.colours import RED
from frontdesk.services.fees import billing
from frontdesk.services.figures import monthly_figures
from frontdesk.services.notices.register import RegisterFilter, list_issued
from tests.unit.fee_fixtures import make_community
from tests.unit.survey_fixtures import make_estate, surveyed


def _screen(qtbot, db, actor) -> ReportsScreen:
    screen = ReportsScreen(AppContext(db, actor, TaskRunner(wait=True)))
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_the_month_and_the_year_are_shown_with_missed_targets_in_red_and_exported(
    qtbot, db, admin, tmp_path: Path
) -> None:
    make_community(db, admin)
    month = Period.of(clock.today())
    billing.run_billing(db, admin, month, today=clock.today())  # billed, nothing paid
    screen = _screen(qtbot, db, admin)
    tab = screen.work_report
    assert tab is not None and screen.ui.tabs.tabText(screen.ui.tabs.indexOf(tab)) == "工作月报"
    assert tab.paper.document is None  # made when shown
    screen.ui.tabs.setCurrentWidget(tab)
    assert tab.span() == (month, None)
    assert tab.paper.document is not None and tab.paper.document.pageCount() >= 4
    summary = tab.ui.summaryLabel.text()
    assert f"<b>{month.label}</b>" in summary
    assert (
        f'<span style="color: {RED};">物业费收缴率 0.0%（目标 ≥ 98.0%，未达标）</span>' in summary
    )
    assert "投诉处理及时率 无数据" in summary  # no complaints: no verdict, not red

    tab.ui.spanCombo.setCurrentIndex(tab.ui.spanCombo.findData(str(month.year)))
    assert tab.span() == (None, month.year)
    assert tab.paper.printout is not None and tab.paper.printout.issue.reference == str(month.year)
    workbook = tmp_path / "年度.xlsx"
    tab.export_excel(workbook)
    assert load_workbook(workbook)["主要指标"].cell(4, 2).value.startswith(f"本年（{month.year}年")


def test_an_empty_month_says_so(qtbot, db, admin) -> None:
    screen = _screen(qtbot, db, admin)
    tab = screen.work_report
    assert tab is not None
    screen.ui.tabs.setCurrentWidget(tab)
    assert "没有任何记录" in tab.ui.summaryLabel.text()
    assert tab.paper.document is not None and tab.paper.document.pageCount() == 2


def test_only_those_who_read_the_money_and_the_arrears_see_the_tab(qtbot, db, make_user) -> None:
    assert _screen(qtbot, db, make_user(Role.SUPERVISOR)).work_report is not None
    for role in (Role.CLERK, Role.BUTLER):
        assert _screen(qtbot, db, make_user(role)).work_report is None


def test_printed_and_saved_copies_are_registered(qtbot, db, admin, tmp_path: Path) -> None:
    make_community(db, admin)
    screen = _screen(qtbot, db, admin)
    tab = screen.work_report
    assert tab is not None
    screen.ui.tabs.setCurrentWidget(tab)
    assert tab.paper.document is not None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert tab.paper.print_to(printer) == tab.paper.document.pageCount()
    saved = tmp_path / "工作月报.pdf"
    tab.paper.save_to(saved)
    assert tab.paper.printout is not None and saved.read_bytes() == tab.paper.printout.pdf
    month = Period.of(clock.today())
    issued = list_issued(db, admin, RegisterFilter(kinds=(DocKind.WORK_REPORT,)))
    assert [(d.title, d.output, d.reference) for d in issued] == [
        (f"物业工作月报 {month.label}", Output.SAVED, str(month)),
        (f"物业工作月报 {month.label}", Output.PRINTED, str(month)),
    ]
    assert issued[0].reprint_of == issued[1].number


def test_the_summary_gives_the_surveys_satisfaction(db, admin) -> None:
    make_estate(db, admin)
    surveyed(db, admin, "二季度满意度调查", datetime(2026, 5, 12, 15, 0).astimezone())
    clock.freeze(datetime(2026, 5, 25, 10, 0).astimezone())
    may = summary_text(monthly_figures(db, admin, Period(2026, 5)))
    # 9 of the 12 scores satisfied, below the plan's 95%
    assert f'<span style="color: {RED};">满意度（问卷调查） 75.0%（±29.7%，6 户）' in may
    assert "回访满意率" in may
