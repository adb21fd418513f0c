"""Direct printing: with this PC's setting on, a receipt or a visitor pass goes straight to
the chosen printer and paper (no preview, no print dialog) and the preview is one key
away; off, the preview opens as before; a missing printer says so and falls back to the
preview. The printer here is a QPrinter writing a PDF file into the test's folder."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow, QMessageBox

from frontdesk.domain import clock
from frontdesk.domain.fees import Paper
from frontdesk.domain.issued import DocKind, Output
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Role
from frontdesk.domain.visitors import PassPaper, Purpose
from frontdesk.gui import printing
from frontdesk.gui.context import AppContext
from frontdesk.gui.printing import PrintKind, PrintTarget
from frontdesk.gui.screens.admin.printing_tab import PrintingTab
from frontdesk.gui.screens.cashier.counter_tab import CounterTab
from frontdesk.gui.screens.cashier.receipts_tab import ReceiptsTab
from frontdesk.gui.screens.visitors.common import show_pass
from frontdesk.gui.screens.visitors.register_tab import RegisterTab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services.fees import billing, receipts
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.notices.register import RegisterFilter
from frontdesk.services.visitors import register as visitors
from frontdesk.services.visitors.register import VisitInput
from tests.unit.fee_fixtures import Community, make_community

PRINTER = "前台收据打印机"
MM = 72 / 25.4
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class FakePrinters:
    """This PC's printers: each print becomes a PDF file in the test's folder."""

    def __init__(self, folder: Path, names: list[str]) -> None:
        self.folder = folder
        self.names = names
        self.files: list[Path] = []

    def open(self, name: str) -> QPrinter:
        if name not in self.names:
            raise AssertionError(f"asked for a printer this PC does not have: {name}")
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        path = self.folder / f"printed-{len(self.files) + 1}.pdf"
        printer.setOutputFileName(str(path))
        self.files.append(path)
        return printer

    def pages_mm(self, index: int = -1) -> list[tuple[int, int]]:
        """The (width, height) of each page printed, in whole millimetres."""
        reader = PdfReader(io.BytesIO(self.files[index].read_bytes()))
        return [
            (round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM))
            for p in reader.pages
        ]


@pytest.fixture
def printers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakePrinters:
    fake = FakePrinters(tmp_path, [PRINTER, "门岗小票机"])
    monkeypatch.setattr(printing, "open_printer", fake.open)
    monkeypatch.setattr(printing, "printer_names", lambda: list(fake.names))
    monkeypatch.setattr(printing, "default_printer_name", lambda: "")
    return fake


@pytest.fixture
def modals(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every modal that would have opened: previews (kept for a look), print dialogs and
    message boxes."""
    opened: list[object] = []

    def opening(dialog: object) -> int:
        opened.append(dialog)
        return 0

    for kind in (PdfPreviewDialog, QPrintDialog, QMessageBox):
        monkeypatch.setattr(kind, "exec", opening)
    return opened


@pytest.fixture
def town(db, admin) -> Community:
    community = make_community(db, admin)
    billing.run_billing(db, admin, Period.of(clock.today()))
    return community


@pytest.fixture
def cashier_ctx(db, town, make_user) -> AppContext:
    return AppContext(db, make_user(Role.CASHIER), TaskRunner(wait=True))


@pytest.fixture
def counter(qtbot, cashier_ctx) -> tuple[QMainWindow, CounterTab]:
    """The counter in a window with a status bar, as the main window has."""
    window = QMainWindow()
    tab = CounterTab(cashier_ctx)
    window.setCentralWidget(tab)
    qtbot.addWidget(window)
    window.show()
    return window, tab


def take_payment(tab: CounterTab, room_id: int) -> str:
    """Open the room, type the cash handed over, Enter: the receipt number."""
    tab.open_room(room_id)
    due = tab.due_fen()
    QTest.keyClicks(tab.ui.tenderedEdit, f"{due // 100 + 1}")
    QTest.keyClick(tab.ui.tenderedEdit, Qt.Key.Key_Return)
    assert tab.last_receipt_no is not None
    return tab.last_receipt_no


def only_previews(modals: list[object]) -> list[PdfPreviewDialog]:
    assert all(isinstance(m, PdfPreviewDialog) for m in modals), modals
    return [m for m in modals if isinstance(m, PdfPreviewDialog)]


def pdf_text(pdf: bytes) -> str:
    return "".join(
        "".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_posting_with_direct_printing_prints_without_any_dialog(
    db, admin, counter, cashier_ctx, town, printers, modals
) -> None:
    printing.save_target(PrintKind.RECEIPT, PrintTarget(direct=True, printer=PRINTER))
    window, tab = counter

    number = take_payment(tab, town.occupied)

    assert modals == []  # no preview, no print dialog, no question
    assert len(printers.files) == 1
    # The community's paper (A5 landscape), one page per copy (客户联, 记账联).
    assert printers.pages_mm() == [(210, 148), (210, 148)]
    assert window.statusBar().currentMessage().startswith(f"收款收据 {number} 已打印到 {PRINTER}")
    # Logged as a print, as the preview's print is: the next copy says 补打.
    assert receipts.receipt_view(db, admin, number).prints == 1
    issued = issued_documents.list_issued(db, admin, RegisterFilter(kinds=(DocKind.RECEIPT,)))
    assert [(r.reference, r.output) for r in issued] == [(number, Output.PRINTED)]

    # The preview is one key away: the receipt just printed, now marked 补打.
    QTest.keyClick(
        tab.ui.roomEdit,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    [preview] = only_previews(modals)
    assert preview.windowTitle() == f"打印预览 — 收款收据 {number}"
    assert "补打" in pdf_text(preview.pdf)
    assert preview.printer_name == PRINTER  # its print dialog offers this PC's printer
    assert len(printers.files) == 1  # the key printed nothing


def test_with_direct_printing_off_the_preview_opens_as_before(
    db, admin, counter, town, printers, modals
) -> None:
    _window, tab = counter
    number = take_payment(tab, town.occupied)
    [preview] = only_previews(modals)
    assert preview.windowTitle() == f"打印预览 — 收款收据 {number}"
    assert not preview.ui.noticeLabel.text()
    assert printers.files == []
    assert receipts.receipt_view(db, admin, number).prints == 0  # only a print logs


def test_a_missing_printer_is_named_and_the_receipt_opens_in_the_preview(
    db, admin, counter, town, modals
) -> None:
    """No fake printers here: the name is looked up among this machine's real ones."""
    printing.save_target(PrintKind.RECEIPT, PrintTarget(direct=True, printer="已拔掉的打印机-x9"))
    window, tab = counter

    number = take_payment(tab, town.occupied)

    [preview] = only_previews(modals)
    assert preview.windowTitle() == f"打印预览 — 收款收据 {number}"
    assert "找不到打印机“已拔掉的打印机-x9”" in preview.ui.noticeLabel.text()
    assert not preview.ui.noticeLabel.isHidden()
    assert "未能直接打印" in window.statusBar().currentMessage()
    assert receipts.receipt_view(db, admin, number).prints == 0  # not printed: not logged
    # The receipt is not lost: printing it from the preview logs it.
    preview.on_output(Output.PRINTED)  # type: ignore[misc]
    assert receipts.receipt_view(db, admin, number).prints == 1


def test_a_reprint_goes_straight_to_the_printer_on_this_pcs_paper(
    db, admin, counter, cashier_ctx, town, printers, modals, qtbot
) -> None:
    _window, tab = counter
    tab.preview_receipts = False
    number = take_payment(tab, town.occupied)
    printing.save_target(
        PrintKind.RECEIPT,
        PrintTarget(direct=True, printer=PRINTER, paper=Paper.FORM_241x93.value),
    )
    receipts_tab = ReceiptsTab(cashier_ctx)
    qtbot.addWidget(receipts_tab)
    receipts_tab.refresh()
    select_row(receipts_tab.ui.table, 0)

    receipts_tab.reprint()

    assert modals == []
    assert printers.pages_mm() == [(241, 93), (241, 93)]  # this counter's dot-matrix forms
    assert receipts.receipt_view(db, admin, number).prints == 1
    receipts_tab.reprint(preview=True)  # what the preview key does
    [preview] = only_previews(modals)
    assert "补打" in pdf_text(preview.pdf)
    assert len(printers.files) == 1


def test_a_visitor_pass_prints_straight_to_the_gate_printer(
    qtbot, db, admin, printers, modals, counter
) -> None:
    from frontdesk.services.households import structure

    building = structure.create_building(
        db, admin, structure.NewBuilding("9", "9栋", 1, 1, 1, "89.50")
    )
    room = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]
    visit = visitors.register_visit(
        db,
        admin,
        VisitInput(room, "王五", "13912345678", purpose=Purpose.REPAIR, confirmed_by="业主"),
    )
    printing.save_target(
        PrintKind.VISITOR_PASS,
        PrintTarget(direct=True, printer="门岗小票机", paper=PassPaper.ROLL_58.value),
    )
    ctx = AppContext(db, admin, TaskRunner(wait=True))
    window, tab = counter

    show_pass(tab, ctx, visit.id, visit.number)

    assert modals == []
    [(width, _height)] = printers.pages_mm()
    assert width == 58
    assert "已打印到 门岗小票机" in window.statusBar().currentMessage()
    issued = issued_documents.list_issued(db, admin, RegisterFilter(kinds=(DocKind.VISITOR_PASS,)))
    assert [(r.reference, r.output) for r in issued] == [(visit.number, Output.PRINTED)]

    show_pass(tab, ctx, visit.id, visit.number, preview=True)
    [preview] = only_previews(modals)
    # A slip is shown whole, not fitted to the width: nothing to scroll.
    view = preview.ui.pdfView
    assert view.zoomMode() == QPdfView.ZoomMode.FitInView
    qtbot.addWidget(preview)
    preview.resize(600, 900)
    preview.show()
    qtbot.waitExposed(preview)
    assert view.verticalScrollBar().maximum() == 0
    assert view.horizontalScrollBar().maximum() == 0


def test_registering_a_visitor_prints_the_pass_without_a_dialog(
    qtbot, db, admin, printers, modals
) -> None:
    from frontdesk.services.households import structure

    building = structure.create_building(
        db, admin, structure.NewBuilding("9", "9栋", 1, 1, 1, "89.50")
    )
    room = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]
    printing.save_target(PrintKind.VISITOR_PASS, PrintTarget(direct=True, printer="门岗小票机"))
    window = QMainWindow()
    tab = RegisterTab(AppContext(db, admin, TaskRunner(wait=True)))
    window.setCentralWidget(tab)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    ui = tab.ui
    assert ui.printCheck.isChecked()
    ui.phoneEdit.setText("13912345678")
    ui.nameEdit.setText("赵六")
    tab.room.set_room(room, "9-1-101")
    ui.confirmedByEdit.setText("业主 张三")
    QTest.keyClick(ui.confirmedByEdit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    [visit] = visitors.inside_now(db, admin).rows
    assert modals == []
    [(width, _height)] = printers.pages_mm()
    assert width == 80  # the visitor settings' roll: this PC names no paper of its own
    message = window.statusBar().currentMessage()
    assert message == f"访客单 {visit.number} 已打印到 门岗小票机（Ctrl+Shift+P 打开预览）"

    QTest.keyClick(ui.phoneEdit, Qt.Key.Key_P, CTRL_SHIFT)
    [preview] = only_previews(modals)
    assert preview.filename == f"访客单-{visit.number}.pdf"
    assert len(printers.files) == 1


def test_a_full_page_receipt_is_previewed_fit_to_width(qtbot, counter, town) -> None:
    _window, tab = counter
    tab.preview_receipts = False
    take_payment(tab, town.occupied)
    assert tab.last_pdf is not None
    dialog = PdfPreviewDialog(tab.last_pdf, "收据", "x.pdf")
    qtbot.addWidget(dialog)
    assert dialog.ui.pdfView.zoomMode() == QPdfView.ZoomMode.FitToWidth  # A5 landscape
    dialog.ui.fitPageButton.click()
    assert dialog.ui.pdfView.zoomMode() == QPdfView.ZoomMode.FitInView


def test_the_setting_is_kept_on_this_pc_and_survives_a_restart(
    qtbot,
    db,
    admin,
    printers,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx = AppContext(db, admin, TaskRunner(wait=True))
    tab = PrintingTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    ui = tab.ui
    assert not ui.receiptDirectCheck.isChecked()
    assert ui.receiptPaperCombo.currentText() == "按统一设置（A5）"
    assert ui.passPaperCombo.currentText() == "按统一设置（80 毫米小票）"

    ui.passPrinterCombo.setCurrentIndex(ui.passPrinterCombo.findData("门岗小票机"))
    ui.passPaperCombo.setCurrentIndex(ui.passPaperCombo.findData(PassPaper.ROLL_58.value))
    ui.passDirectCheck.click()
    assert ui.resultLabel.text() == "已保存（本机）：访客单直接打印到 门岗小票机。"

    # The file lives in this PC's data folder (the test's, never the real user's) ...
    home = Path(os.environ["FRONTDESK_HOME"])
    assert printing.settings_path().parent == home
    assert home.is_relative_to(tmp_path_factory.getbasetemp())
    # ... and a restart (a new tab reading it again) shows the same.
    again = PrintingTab(ctx)
    qtbot.addWidget(again)
    assert again.ui.passDirectCheck.isChecked()
    assert again.ui.passPrinterCombo.currentData() == "门岗小票机"
    assert again.ui.passPaperCombo.currentData() == PassPaper.ROLL_58.value
    assert not again.ui.receiptDirectCheck.isChecked()
    assert printing.load_target(PrintKind.VISITOR_PASS) == PrintTarget(
        True, "门岗小票机", PassPaper.ROLL_58.value
    )

    # Another PC on the same database keeps its own choice.
    monkeypatch.setenv("FRONTDESK_HOME", str(tmp_path / "another-pc"))
    assert printing.load_target(PrintKind.VISITOR_PASS) == PrintTarget()


def test_a_printer_that_went_away_stays_named_until_changed(qtbot, db, admin, printers) -> None:
    printing.save_target(PrintKind.RECEIPT, PrintTarget(direct=True, printer="旧打印机"))
    tab = PrintingTab(AppContext(db, admin, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    combo = tab.ui.receiptPrinterCombo
    assert combo.currentText() == "旧打印机（未找到）"
    assert tab.ui.receiptDirectCheck.isChecked() and tab.ui.receiptDirectCheck.isEnabled()
    assert printing.load_target(PrintKind.RECEIPT).printer == "旧打印机"  # not overwritten


def test_the_test_print_sends_a_page_of_the_chosen_paper(qtbot, db, admin, printers) -> None:
    tab = PrintingTab(AppContext(db, admin, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    ui = tab.ui
    ui.passPrinterCombo.setCurrentIndex(ui.passPrinterCombo.findData("门岗小票机"))
    ui.passTestButton.click()
    assert printers.pages_mm() == [(80, 60)]  # the visitor settings' 80 mm roll
    assert ui.resultLabel.text().startswith("测试页已送到 门岗小票机（80 毫米小票）")

    ui.receiptPrinterCombo.setCurrentIndex(ui.receiptPrinterCombo.findData(PRINTER))
    ui.receiptPaperCombo.setCurrentIndex(ui.receiptPaperCombo.findData(Paper.FORM_241x140.value))
    ui.receiptTestButton.click()
    assert printers.pages_mm() == [(241, 140)]


def test_without_a_printer_the_test_print_says_so(qtbot, db, admin, monkeypatch) -> None:
    monkeypatch.setattr(printing, "printer_names", lambda: [])
    monkeypatch.setattr(printing, "default_printer_name", lambda: "")
    tab = PrintingTab(AppContext(db, admin, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    ui = tab.ui
    assert ui.receiptPrinterCombo.currentText() == "（本机没有找到打印机）"
    assert ui.resultLabel.text().startswith("本机没有找到打印机：请先在 Windows")
    assert not ui.receiptDirectCheck.isEnabled()
    assert not ui.receiptTestButton.isEnabled()
    assert not tab.test_print(PrintKind.RECEIPT)
    assert ui.resultLabel.text() == "测试打印失败：尚未选择打印机，请在“设置 › 打印”中选择。"
