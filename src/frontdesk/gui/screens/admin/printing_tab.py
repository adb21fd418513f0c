"""打印: this PC's printer and paper for receipts and for visitor passes, whether they
print straight away (no preview, no print dialog), and a test page for each.

Kept on this PC (gui/printing.py), not in the shared database: every counter has its
own printer. Each change is saved at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QPushButton, QWidget

from frontdesk.documents.print_check import paper_size, print_check_pdf
from frontdesk.domain import clock
from frontdesk.domain.fees import Paper
from frontdesk.domain.visitors import PassPaper
from frontdesk.errors import FrontDeskError
from frontdesk.gui import printing
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.admin_printing_tab_ui import Ui_PrintingTab
from frontdesk.gui.ops import Op
from frontdesk.gui.printing import PrintKind, PrintTarget
from frontdesk.gui.widgets.colours import GREEN, RED
from frontdesk.services.fees import receipts
from frontdesk.services.visitors import settings as visitor_settings

NO_PRINTER = "（本机没有找到打印机）"
ADD_PRINTER = (
    "本机没有找到打印机：请先在 Windows 的“设置 › 打印机和扫描仪”中添加，再点“重新查找打印机”。"
)
SHARED_PAPER_HINT = {
    PrintKind.RECEIPT: "全小区统一的收据纸张，在“设置 › 系统 › 收据打印”中修改",
    PrintKind.VISITOR_PASS: "全小区统一的访客单纸张，在“访客 › 设置”中修改",
}


@dataclass(frozen=True)
class _Row:
    """The widgets of one kind of paper."""

    direct: QCheckBox
    printer: QComboBox
    paper: QComboBox
    test: QPushButton


@dataclass(frozen=True)
class SharedPapers:
    """The papers the shared settings name (系统 › 收据打印, 访客 › 设置)."""

    receipt: Paper
    visitor_pass: PassPaper


class PrintingTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_PrintingTab()
        ui.setupUi(self)
        self.rows = {
            PrintKind.RECEIPT: _Row(
                ui.receiptDirectCheck,
                ui.receiptPrinterCombo,
                ui.receiptPaperCombo,
                ui.receiptTestButton,
            ),
            PrintKind.VISITOR_PASS: _Row(
                ui.passDirectCheck, ui.passPrinterCombo, ui.passPaperCombo, ui.passTestButton
            ),
        }
        self.shared = SharedPapers(Paper.A5, PassPaper.ROLL_80)
        self._filling = False
        for kind, row in self.rows.items():
            row.direct.toggled.connect(lambda _on, k=kind: self._changed(k))
            row.printer.currentIndexChanged.connect(lambda _i, k=kind: self._changed(k))
            row.paper.currentIndexChanged.connect(lambda _i, k=kind: self._changed(k))
            row.test.clicked.connect(lambda _c=False, k=kind: self.test_print(k))
        ui.reloadButton.clicked.connect(self.refresh)
        self._fill()

    def refresh(self) -> None:
        """Look for printers again and read the shared papers the defaults stand for."""
        db = self.ctx.db
        Op(
            self,
            self.ctx.tasks,
            lambda: SharedPapers(
                receipts.receipt_settings(db).paper,
                visitor_settings.visitor_settings(db).pass_paper,
            ),
            title="无法读取打印设置",
        ).success(self._shared_read).run()

    def _shared_read(self, shared: SharedPapers) -> None:
        self.shared = shared
        self._fill()

    def _shared_paper(self, kind: PrintKind) -> Paper | PassPaper:
        return self.shared.receipt if kind is PrintKind.RECEIPT else self.shared.visitor_pass

    def _fill(self) -> None:
        """Show what this PC keeps, with the printers it has now."""
        self._filling = True
        try:
            names = printing.printer_names()
            for kind, row in self.rows.items():
                target = printing.load_target(kind)
                self._fill_printers(row.printer, names, target.printer)
                row.paper.clear()
                row.paper.addItem(f"按统一设置（{self._shared_paper(kind).label}）", "")
                row.paper.setItemData(0, SHARED_PAPER_HINT[kind], Qt.ItemDataRole.ToolTipRole)
                for value, label in kind.papers:
                    row.paper.addItem(label, value)
                row.paper.setCurrentIndex(max(0, row.paper.findData(target.paper)))
                row.direct.setChecked(target.direct)
                self._enable(row)
        finally:
            self._filling = False
        if not names:
            self._say(ADD_PRINTER, RED)

    @staticmethod
    def _fill_printers(combo: QComboBox, names: list[str], chosen: str) -> None:
        combo.clear()
        for name in names:
            combo.addItem(name, name)
        if chosen and chosen not in names:
            combo.insertItem(0, f"{chosen}（未找到）", chosen)
        if combo.count() == 0:
            combo.addItem(NO_PRINTER, "")
        wanted = chosen or printing.default_printer_name()
        combo.setCurrentIndex(max(0, combo.findData(wanted)))

    @staticmethod
    def _enable(row: _Row) -> None:
        has_printer = bool(row.printer.currentData())
        # Without a printer direct printing could only fall back to the preview; one
        # switched on before the printer went stays switchable off.
        row.direct.setEnabled(has_printer or row.direct.isChecked())
        row.test.setEnabled(has_printer)

    def target(self, kind: PrintKind) -> PrintTarget:
        row = self.rows[kind]
        return PrintTarget(
            direct=row.direct.isChecked(),
            printer=row.printer.currentData() or "",
            paper=row.paper.currentData() or "",
        )

    def _changed(self, kind: PrintKind) -> None:
        if self._filling:
            return
        self._enable(self.rows[kind])
        target = self.target(kind)
        try:
            printing.save_target(kind, target)
        except FrontDeskError as exc:
            self._say(exc.message, RED)
            return
        how = f"直接打印到 {target.printer}" if target.direct else "先预览再打印"
        self._say(f"已保存（本机）：{kind.label}{how}。", GREEN)

    def test_print(self, kind: PrintKind) -> bool:
        """A test page on the chosen paper straight to the chosen printer."""
        target = self.target(kind)
        paper: Paper | PassPaper
        if target.paper:
            paper = Paper(target.paper) if kind is PrintKind.RECEIPT else PassPaper(target.paper)
        else:
            paper = self._shared_paper(kind)
        lines = (
            f"{kind.label} · {paper.label}",
            f"打印机：{target.printer or '未选择'}",
            f"{clock.now().astimezone():%Y-%m-%d %H:%M} · {self.ctx.actor.display_name}",
            "四边框线完整、中文清晰，说明打印机和纸张设置正确。",
        )
        try:
            pdf = print_check_pdf(paper_size(paper), lines)
            printing.print_pdf(pdf, target.printer, f"打印测试页（{kind.label}）")
        except FrontDeskError as exc:
            self._say(f"测试打印失败：{exc.message}", RED)
            return False
        self._say(f"测试页已送到 {target.printer}（{paper.label}），请查看打印效果。", GREEN)
        return True

    def _say(self, text: str, colour: str) -> None:
        self.ui.resultLabel.setText(text)
        self.ui.resultLabel.setStyleSheet(f"color: {colour};")
