"""报表 → 客服月报: the month chosen, the report shown as the paper with its figures
against the plan's targets (a missed one in red), printed, saved as PDF (each copy
registered in the 发文登记, the second as a reprint) and exported to Excel."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtPrintSupport import QPrinter

from frontdesk.domain import clock
from frontdesk.domain.issued import DocKind, Output
from frontdesk.domain.periods import Period
from frontdesk.domain.service_desk import Channel, Kind, Team
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.reports.screen import ReportsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.colours import RED
from frontdesk.services import service_desk as desk
from frontdesk.services.households import structure
from frontdesk.services.notices.register import RegisterFilter, list_issued
from frontdesk.services.service_desk import CallbackInput, OrderInput


def test_the_months_report_is_shown_printed_saved_and_registered(
    qtbot, db, admin, tmp_path: Path
) -> None:
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    (room, *_rest) = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))
    taken_at = clock.now()
    complaint = desk.take_order(
        db,
        admin,
        OrderInput(
            Kind.COMPLAINT, Channel.PHONE, desk.category_id(db, "噪音"), "夜间施工", room_id=room
        ),
    ).order_id
    desk.dispatch(db, admin, complaint, team=Team.SERVICE)
    clock.freeze(taken_at + timedelta(hours=25))  # answered past the 24-hour promise
    desk.finish(db, admin, complaint, "已联系施工方停工")
    desk.callback(db, admin, complaint, CallbackInput(5, 5, 5))

    screen = ReportsScreen(AppContext(db, admin, TaskRunner(wait=True)))
    qtbot.addWidget(screen)
    screen.show()
    tab = screen.service_report
    assert tab is not None and screen.ui.tabs.tabText(screen.ui.tabs.indexOf(tab)) == "客服月报"
    screen.ui.tabs.setCurrentWidget(tab)
    month = Period.of(taken_at.date())
    tab.ui.monthCombo.setCurrentIndex(tab.ui.monthCombo.findData(str(month)))
    assert tab.paper.document is not None and tab.paper.document.pageCount() >= 1
    summary = tab.ui.summaryLabel.text()
    assert f"{month.label}：工单 1 张" in summary
    assert (
        f'<span style="color: {RED};">投诉处理及时率 0.0%（目标 100.0%，未达标）</span>' in summary
    )
    assert "回访率 100.0%" in summary

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert tab.paper.print_to(printer) == tab.paper.document.pageCount()
    saved = tmp_path / "客服月报.pdf"
    tab.paper.save_to(saved)
    assert tab.paper.printout is not None and saved.read_bytes() == tab.paper.printout.pdf
    issued = list_issued(db, admin, RegisterFilter(kinds=(DocKind.SERVICE_REPORT,)))
    assert [(d.title, d.output, d.reference) for d in issued] == [
        (f"客服服务月报 {month.label}", Output.SAVED, str(month)),
        (f"客服服务月报 {month.label}", Output.PRINTED, str(month)),
    ]
    assert issued[0].reprint_of == issued[1].number

    workbook = tmp_path / "客服月报.xlsx"
    tab.export_excel(workbook)
    assert load_workbook(workbook).sheetnames  # a workbook that opens


def test_the_report_is_made_when_its_tab_is_shown_not_on_every_change(qtbot, db, admin) -> None:
    screen = ReportsScreen(AppContext(db, admin, TaskRunner(wait=True)))
    qtbot.addWidget(screen)
    screen.show()
    tab = screen.service_report
    assert tab is not None
    screen.refresh()  # the rooms tab is current: nothing made yet
    assert tab.paper.document is None
    screen.ui.tabs.setCurrentWidget(tab)
    assert tab.paper.document is not None and "工单 0 张" in tab.ui.summaryLabel.text()
