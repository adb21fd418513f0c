"""A report shown as its paper in a tab (客服月报, 工作月报): printing it or saving it
as PDF, each copy registered in the 发文登记 as the preview dialog registers it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from frontdesk.domain.issued import Output, Printout
from frontdesk.errors import EnvironmentProblem
from frontdesk.gui.context import AppContext
from frontdesk.gui.messages import show_error
from frontdesk.gui.widgets.pdf_preview import fit_paper, print_document, register_output


class ShownPaper:
    """The printout a tab shows and its loaded document, with what a clerk does with
    them; `name` is the paper's name in the dialogs' titles."""

    def __init__(self, ctx: AppContext, owner: QWidget, name: str) -> None:
        self.ctx, self.owner, self.name = ctx, owner, name
        self.printout: Printout | None = None
        self.document: QPdfDocument | None = None

    def ask_print(self) -> None:
        if self.document is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        fit_paper(printer, self.document)
        dialog = QPrintDialog(printer, self.owner)
        dialog.setWindowTitle(f"打印{self.name}")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Print every page and register the copy; the pages printed (0 after saying why
        not)."""
        if self.document is None or self.printout is None:
            return 0
        try:
            pages = print_document(self.document, printer)
        except EnvironmentProblem as exc:
            show_error(self.owner, exc)
            return 0
        register_output(self.ctx, self.printout, Output.PRINTED, self.owner)
        return pages

    def ask_save(self) -> None:
        if self.printout is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.owner, f"保存{self.name}", self.printout.filename, "PDF 文件 (*.pdf)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        if self.printout is None:
            return
        try:
            path.write_bytes(self.printout.pdf)
        except OSError as exc:
            show_error(self.owner, exc)
            return
        register_output(self.ctx, self.printout, Output.SAVED, self.owner)
