"""In-app preview of any PDF we produce, with Print (chosen printer and paper) and Save As."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from frontdesk.domain.issued import Output, Printout
from frontdesk.errors import EnvironmentProblem, FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.widgets_pdf_preview_ui import Ui_PdfPreviewDialog
from frontdesk.gui.messages import show_error
from frontdesk.services.notices import register as issued_documents

ZOOM_STEP = 1.25


class PdfPreviewDialog(QDialog):
    def __init__(
        self,
        pdf: bytes,
        title: str,
        filename: str,
        parent: QWidget | None = None,
        on_output: Callable[[Output], None] | None = None,
        before_output: Callable[[Output], bool] | None = None,
    ):
        """`on_output` runs after each print or save: the document is issued then.
        `before_output` runs before one (a batch of reminders is recorded then); when it
        returns False nothing is printed or saved."""
        super().__init__(parent)
        self.on_output = on_output
        self.before_output = before_output
        self.ui = Ui_PdfPreviewDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(f"打印预览 — {title}")
        self.pdf = pdf
        self.filename = filename
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        view = self.ui.pdfView
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.ui.pageLabel.setText(f"共 {self.document.pageCount()} 页")
        self.ui.printButton.clicked.connect(self.ask_print)
        self.ui.saveButton.clicked.connect(self.ask_save)
        self.ui.closeButton.clicked.connect(self.accept)
        self.ui.zoomInButton.clicked.connect(lambda: self._zoom(ZOOM_STEP))
        self.ui.zoomOutButton.clicked.connect(lambda: self._zoom(1 / ZOOM_STEP))
        self.ui.fitWidthButton.clicked.connect(
            lambda: view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        )

    def _zoom(self, factor: float) -> None:
        view = self.ui.pdfView
        view.setZoomMode(QPdfView.ZoomMode.Custom)
        view.setZoomFactor(max(0.25, min(4.0, view.zoomFactor() * factor)))

    def page_size_points(self, page: int = 0) -> QSizeF:
        return self.document.pagePointSize(page)

    def ask_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        size = self.page_size_points()
        layout = QPageLayout(
            QPageSize(size, QPageSize.Unit.Point), QPageLayout.Orientation.Portrait, QMarginsF()
        )
        printer.setPageLayout(layout)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QDialog.DialogCode.Accepted or not self._may_output(Output.PRINTED):
            return
        if self.print_to(printer):
            self._output_done(Output.PRINTED)

    def print_to(self, printer: QPrinter) -> int:
        """Render every page at the printer's resolution; returns the pages printed."""
        painter = QPainter()
        if not painter.begin(printer):
            show_error(self, EnvironmentProblem("无法开始打印，请检查打印机是否开启并已连接。"))
            return 0
        try:
            dpi = printer.resolution()
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                pixels = (self.document.pagePointSize(page) * dpi / 72).toSize()
                image = self.document.render(page, pixels)
                target = painter.viewport()
                fitted = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(target.topLeft(), fitted), image)
        finally:
            painter.end()
        return self.document.pageCount()

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


def show_printout(
    ctx: AppContext,
    printout: Printout,
    parent: QWidget | None,
    *,
    after_output: Callable[[], None] | None = None,
    kept: bool = False,
) -> None:
    """Preview a document; each print or save registers it in the 发文登记 (unless it
    was `kept` when produced, like a batch of reminders) and then runs `after_output`."""

    def issued(how: Output) -> None:
        try:
            if not kept:
                issued_documents.record(ctx.db, ctx.actor, printout, how)
            if after_output is not None:
                after_output()
        except FrontDeskError as exc:
            show_error(parent, exc, "登记发文")

    title = printout.issue.title
    PdfPreviewDialog(printout.pdf, title, printout.filename, parent, issued).exec()
