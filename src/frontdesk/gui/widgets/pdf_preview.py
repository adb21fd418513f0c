"""In-app preview of any PDF we produce, with Print (chosen printer and paper) and Save As;
and the one way a PDF reaches a printer (`print_document`), the preview's and direct
printing's alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMargins,
    QMarginsF,
    QObject,
    QRect,
    QSizeF,
    Qt,
)
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from frontdesk.domain.issued import Output, Printout
from frontdesk.errors import EnvironmentProblem, FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.widgets_pdf_preview_ui import Ui_PdfPreviewDialog
from frontdesk.gui.messages import show_error
from frontdesk.services.notices import register as issued_documents

ZOOM_STEP = 1.25
# A page narrower than this is a slip (80 and 58 mm rolls, an A6 pass): it is shown whole.
SLIP_MAX_WIDTH_MM = 110
POINTS_PER_MM = 72 / 25.4
# Pages reach the printer as images. Past 300 dpi (a laser's 600, a PDF printer's 1200)
# 9-point type looks no sharper and each A5 page takes seconds to render.
RENDER_DPI_LIMIT = 300


def load_document(pdf: bytes, owner: QObject) -> QPdfDocument:
    """The PDF as a Qt document; it lives as long as `owner`."""
    buffer = QBuffer(owner)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(owner)
    document.load(buffer)
    return document


def is_slip(document: QPdfDocument) -> bool:
    return (
        document.pageCount() > 0
        and document.pagePointSize(0).width() < SLIP_MAX_WIDTH_MM * POINTS_PER_MM
    )


def fit_paper(printer: QPrinter, document: QPdfDocument) -> None:
    """Set the printer's paper to the document's first page, without margins."""
    layout = QPageLayout(
        QPageSize(document.pagePointSize(0), QPageSize.Unit.Point),
        QPageLayout.Orientation.Portrait,
        QMarginsF(),
    )
    printer.setPageLayout(layout)


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Render every page at the printer's resolution (at most RENDER_DPI_LIMIT); returns
    the pages printed. EnvironmentProblem when the printer cannot start or reports an
    error."""
    painter = QPainter()
    if not painter.begin(printer):
        raise EnvironmentProblem("无法开始打印，请检查打印机是否开启并已连接。")
    try:
        dpi = min(printer.resolution(), RENDER_DPI_LIMIT)
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            pixels = (document.pagePointSize(page) * dpi / 72).toSize()
            image = document.render(page, pixels)
            target = painter.viewport()
            fitted = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), fitted), image)
    finally:
        painter.end()
    if printer.printerState() == QPrinter.PrinterState.Error:
        raise EnvironmentProblem("打印机报告错误（缺纸、卡纸或脱机），请检查打印机。")
    return document.pageCount()


class PdfPreviewDialog(QDialog):
    def __init__(
        self,
        pdf: bytes,
        title: str,
        filename: str,
        parent: QWidget | None = None,
        on_output: Callable[[Output], None] | None = None,
        before_output: Callable[[Output], bool] | None = None,
        *,
        printer_name: str = "",
        notice: str = "",
    ):
        """`on_output` runs after each print or save: the document is issued then.
        `before_output` runs before one (a batch of reminders is recorded then); when it
        returns False nothing is printed or saved. `printer_name`: the printer the print
        dialog offers first; `notice`: a warning above the page (why it was not printed
        directly)."""
        super().__init__(parent)
        self.on_output = on_output
        self.before_output = before_output
        self.ui = Ui_PdfPreviewDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(f"打印预览 — {title}")
        self.pdf = pdf
        self.filename = filename
        self.printer_name = printer_name
        self.ui.noticeLabel.setText(notice)
        self.ui.noticeLabel.setVisible(bool(notice))
        self.document = load_document(pdf, self)
        view = self.ui.pdfView
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        self._margins = view.documentMargins()
        if is_slip(self.document):
            self.fit_page()
        else:
            self.fit_width()
        self.ui.pageLabel.setText(f"共 {self.document.pageCount()} 页")
        self.ui.printButton.clicked.connect(self.ask_print)
        self.ui.saveButton.clicked.connect(self.ask_save)
        self.ui.closeButton.clicked.connect(self.accept)
        self.ui.zoomInButton.clicked.connect(lambda: self._zoom(ZOOM_STEP))
        self.ui.zoomOutButton.clicked.connect(lambda: self._zoom(1 / ZOOM_STEP))
        self.ui.fitWidthButton.clicked.connect(self.fit_width)
        self.ui.fitPageButton.clicked.connect(self.fit_page)

    def fit_width(self) -> None:
        view = self.ui.pdfView
        view.setDocumentMargins(self._margins)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        """The whole page in view. QPdfView fits the page to the viewport without its
        document margins, which then scroll: a page shown whole goes without them."""
        view = self.ui.pdfView
        view.setDocumentMargins(QMargins())
        view.setZoomMode(QPdfView.ZoomMode.FitInView)

    def _zoom(self, factor: float) -> None:
        view = self.ui.pdfView
        view.setZoomMode(QPdfView.ZoomMode.Custom)
        view.setZoomFactor(max(0.25, min(4.0, view.zoomFactor() * factor)))

    def page_size_points(self, page: int = 0) -> QSizeF:
        return self.document.pagePointSize(page)

    def ask_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.printer_name and not QPrinterInfo.printerInfo(self.printer_name).isNull():
            printer.setPrinterName(self.printer_name)
        fit_paper(printer, self.document)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QDialog.DialogCode.Accepted or not self._may_output(Output.PRINTED):
            return
        if self.print_to(printer):
            self._output_done(Output.PRINTED)

    def print_to(self, printer: QPrinter) -> int:
        """Print every page; returns the pages printed (0 after saying why not)."""
        try:
            return print_document(self.document, printer)
        except EnvironmentProblem as exc:
            show_error(self, exc)
            return 0

    def ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "另存为", self.filename, "PDF 文件 (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        if not self._may_output(Output.SAVED):
            return
        try:
            path.write_bytes(self.pdf)
        except OSError as exc:
            show_error(self, exc)
            return
        self._output_done(Output.SAVED)

    def _may_output(self, how: Output) -> bool:
        return self.before_output is None or self.before_output(how)

    def _output_done(self, how: Output) -> None:
        if self.on_output is not None:
            self.on_output(how)


def register_output(
    ctx: AppContext,
    printout: Printout,
    how: Output,
    parent: QWidget | None,
    *,
    after_output: Callable[[], None] | None = None,
    kept: bool = False,
) -> None:
    """A copy of the document went to paper or a file: register it in the 发文登记
    (unless it was `kept` when produced, like a batch of reminders), then `after_output`."""
    try:
        if not kept:
            issued_documents.record(ctx.db, ctx.actor, printout, how)
        if after_output is not None:
            after_output()
    except FrontDeskError as exc:
        show_error(parent, exc, "登记发文")


def show_printout(
    ctx: AppContext,
    printout: Printout,
    parent: QWidget | None,
    *,
    after_output: Callable[[], None] | None = None,
    kept: bool = False,
    printer_name: str = "",
    notice: str = "",
) -> None:
    """Preview a document; each print or save registers it in the 发文登记 (unless it
    was `kept` when produced, like a batch of reminders) and then runs `after_output`."""

    def issued(how: Output) -> None:
        register_output(ctx, printout, how, parent, after_output=after_output, kept=kept)

    title = printout.issue.title
    PdfPreviewDialog(
        printout.pdf,
        title,
        printout.filename,
        parent,
        issued,
        printer_name=printer_name,
        notice=notice,
    ).exec()
