"""What the visitor tabs share: the watchlist warning before a save, the pass
preview, the one-line count of who is inside."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.domain.visitors import VisitState
from frontdesk.gui import printing
from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import Op
from frontdesk.gui.printing import PrintKind
from frontdesk.gui.tasks import TaskRunner
from frontdesk.printouts import visitors as visitor_printouts
from frontdesk.services.visitors.register import InsideBoard, VisitRow
from frontdesk.services.visitors.watchlist import WatchlistWarning

GREEN, RED = "#1b7f3b", "#b3261e"
REFRESH_MS = 60_000  # visit states change as time passes

SaveVisit = Callable[[bool], VisitRow]  # called with confirmed_watch


def ask_watch_override(parent: QWidget, warning: WatchlistWarning) -> bool:
    """The watchlist reasons, with 仍然登记 / 取消; True to register anyway."""
    reasons = "\n".join(f"· {m.text}" for m in warning.matches)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "黑名单提示",
        f"该访客与访客黑名单相符：\n{reasons}\n\n请核实身份，必要时请示主管。\n"
        "仍然登记将记入审计日志。",
        parent=parent,
    )
    go_on = box.addButton("仍然登记", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)  # a reflex Enter must not let a watched visitor in
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go_on


def save_with_watch_check(
    parent: QWidget,
    tasks: TaskRunner,
    save: SaveVisit,
    then: Callable[[VisitRow | None], object],
    *,
    title: str,
    fields: Mapping[str, QWidget] | None = None,
    failed: Callable[[BaseException], object] | None = None,
) -> None:
    """Save through an Op; on a watchlist match ask the clerk (on the GUI thread) and
    save again confirmed. `then(None)`: the clerk cancelled."""

    def attempt(confirmed: bool) -> None:
        op = Op(parent, tasks, lambda: _save_or_warning(save, confirmed), title=title)
        op.fields(fields or {}).success(answered)
        if failed is not None:
            op.failure(failed)
        op.run()

    def answered(result: VisitRow | WatchlistWarning) -> None:
        if not isinstance(result, WatchlistWarning):
            then(result)
        elif ask_watch_override(parent, result):
            attempt(True)
        else:
            then(None)

    attempt(False)


def _save_or_warning(save: SaveVisit, confirmed: bool) -> VisitRow | WatchlistWarning:
    try:
        return save(confirmed)
    except WatchlistWarning as warning:
        if confirmed:
            raise
        return warning


def show_pass(
    parent: QWidget, ctx: AppContext, visit_id: int, number: str, *, preview: bool = False
) -> None:
    """The 访客单 on this PC's pass paper (else the one the visitor settings name): straight
    to this PC's pass printer when it says so, else (or with `preview`) in the preview."""
    paper = printing.pass_paper()
    Op(
        parent,
        ctx.tasks,
        lambda: visitor_printouts.visitor_pass(ctx.db, ctx.actor, visit_id, paper),
        title=f"打印访客单 {number}",
    ).success(
        lambda printout: printing.send(
            ctx, printout, parent, PrintKind.VISITOR_PASS, preview=preview
        )
    ).run()


def board_counts(board: InsideBoard) -> str:
    return f"在场 {len(board.rows)} 批 {board.people} 人"


def board_status(board: InsideBoard) -> str:
    """One line for the shift; red with a pointer to 在场访客 when visits are stale."""
    stale = board.count(VisitState.STALE)
    text = f"{board_counts(board)} · 超时 {board.count(VisitState.OVERDUE)} · 跨日未签离 {stale}"
    if not stale:
        return text
    return (
        f"<span style='color:{RED}; font-weight:bold'>{text}</span><br>"
        f"<span style='color:{RED}'>请到“在场访客”页核实之前班次未签离的访客并签离。</span>"
    )
