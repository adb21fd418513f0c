"""Direct printing of the counter's slips: this PC's printer and paper for receipts and
for visitor passes, and the one function (`send`) that prints such a paper straight to
its printer, or shows the preview when direct printing is off, when the clerk asked for
the preview (PREVIEW_KEY) or when the printer is missing or fails.

The choice belongs to the PC, not to the community: each counter has its own printer.
It is kept in `printing.json` in this PC's data folder (paths.data_dir()), never in the
shared database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QAbstractButton, QMainWindow, QWidget

from frontdesk import paths
from frontdesk.domain.fees import Paper
from frontdesk.domain.issued import Output, Printout
from frontdesk.domain.visitors import PassPaper
from frontdesk.errors import EnvironmentProblem
from frontdesk.gui.context import AppContext
from frontdesk.gui.widgets.pdf_preview import (
    fit_paper,
    load_document,
    print_document,
    register_output,
    show_printout,
)
from frontdesk.services.protection.safe_files import write_atomically

SETTINGS_FILE = "printing.json"
PREVIEW_KEY = "Ctrl+Shift+P"
STATUS_MS = 10_000


class PrintKind(StrEnum):
    RECEIPT = "receipt"
    VISITOR_PASS = "visitor_pass"

    @property
    def label(self) -> str:
        return {"receipt": "收据", "visitor_pass": "访客单"}[self]

    @property
    def papers(self) -> tuple[tuple[str, str], ...]:
        """(value, label) of each paper this kind prints on."""
        kinds: type[Paper] | type[PassPaper] = Paper if self is PrintKind.RECEIPT else PassPaper
        return tuple((paper.value, paper.label) for paper in kinds)


@dataclass(frozen=True)
class PrintTarget:
    """Where this PC prints one kind of paper."""

    direct: bool = False  # print without the preview
    printer: str = ""  # the printer's name on this PC
    paper: str = ""  # a paper of the kind; "" = the paper the shared settings name


def settings_path() -> Path:
    return paths.data_dir() / SETTINGS_FILE


def _read_all() -> dict[str, object]:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_target(kind: PrintKind) -> PrintTarget:
    """This PC's target for `kind`; anything unreadable counts as not set."""
    entry = _read_all().get(kind.value)
    if not isinstance(entry, dict):
        return PrintTarget()
    direct, printer, paper = entry.get("direct"), entry.get("printer"), entry.get("paper")
    known = {value for value, _label in kind.papers}
    return PrintTarget(
        direct=direct is True,
        printer=printer if isinstance(printer, str) else "",
        paper=paper if isinstance(paper, str) and paper in known else "",
    )


def save_target(kind: PrintKind, target: PrintTarget) -> None:
    data = _read_all()
    data[kind.value] = asdict(target)
    path = settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(data, ensure_ascii=False, indent=2))
    except OSError as exc:
        raise EnvironmentProblem(f"无法保存本机打印设置（{path}）：{exc.strerror}") from exc


def receipt_paper() -> Paper | None:
    """The paper this PC prints receipts on; None: the one the 系统 settings name."""
    paper = load_target(PrintKind.RECEIPT).paper
    return Paper(paper) if paper else None


def pass_paper() -> PassPaper | None:
    """The paper this PC prints visitor passes on; None: the visitor settings' paper."""
    paper = load_target(PrintKind.VISITOR_PASS).paper
    return PassPaper(paper) if paper else None


# printers ---------------------------------------------------------------------------


def printer_names() -> list[str]:
    return [info.printerName() for info in QPrinterInfo.availablePrinters()]


def default_printer_name() -> str:
    return QPrinterInfo.defaultPrinterName()


def open_printer(name: str) -> QPrinter:
    """This PC's printer called `name`; EnvironmentProblem when it is not there or in error."""
    if not name:
        raise EnvironmentProblem("尚未选择打印机，请在“设置 › 打印”中选择。")
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        raise EnvironmentProblem(
            f"找不到打印机“{name}”（可能已删除、改名或未连接），请在“设置 › 打印”中重新选择。"
        )
    if info.state() == QPrinter.PrinterState.Error:
        raise EnvironmentProblem(f"打印机“{name}”处于错误状态（脱机、缺纸或卡纸），请检查打印机。")
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def print_pdf(pdf: bytes, printer_name: str, title: str) -> int:
    """Print a PDF on its own paper to the named printer, without any dialog; returns the
    pages printed. EnvironmentProblem when the printer is missing or fails."""
    printer = open_printer(printer_name)
    printer.setDocName(title)
    owner = QObject()
    try:
        document = load_document(pdf, owner)
        if document.pageCount() == 0:
            raise EnvironmentProblem(f"{title} 的 PDF 无法读取。")
        fit_paper(printer, document)
        return print_document(document, printer)
    finally:
        owner.deleteLater()


def show_status(widget: QWidget | None, text: str) -> None:
    """A line in the main window's status bar (a widget outside one has none)."""
    window = widget.window() if widget is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, STATUS_MS)


def send(
    ctx: AppContext,
    printout: Printout,
    parent: QWidget | None,
    kind: PrintKind,
    *,
    after_output: Callable[[], None] | None = None,
    preview: bool = False,
) -> bool:
    """Print a receipt or a visitor pass straight to this PC's printer when direct printing
    is on (True: printed, registered and `after_output` run, as the preview's print does).
    Otherwise, or when `preview` is asked for, or when the printer is missing or fails, the
    preview opens (False) — saying why it did not print, so the paper is never lost."""
    target = load_target(kind)
    notice = ""
    if target.direct and not preview:
        try:
            print_pdf(printout.pdf, target.printer, printout.issue.title)
        except EnvironmentProblem as exc:
            notice = f"未能直接打印：{exc.message}可在此预览中按 Ctrl+P 选择打印机打印。"
            show_status(parent, f"{printout.issue.title} 未能直接打印，已打开预览")
        else:
            register_output(ctx, printout, Output.PRINTED, parent, after_output=after_output)
            show_status(
                parent,
                f"{printout.issue.title} 已打印到 {target.printer}（{PREVIEW_KEY} 打开预览）",
            )
            return True
    show_printout(
        ctx,
        printout,
        parent,
        after_output=after_output,
        printer_name=target.printer,
        notice=notice,
    )
    return False


def add_preview_key(
    widget: QWidget, preview: Callable[[], object], button: QAbstractButton | None = None
) -> QShortcut:
    """PREVIEW_KEY anywhere in `widget`: the preview of its paper instead of direct
    printing; the print `button` says so in its tooltip."""
    if button is not None:
        button.setToolTip(f"按本机打印设置打印；{PREVIEW_KEY} 先预览")
    shortcut = QShortcut(QKeySequence(PREVIEW_KEY), widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(preview)
    return shortcut
