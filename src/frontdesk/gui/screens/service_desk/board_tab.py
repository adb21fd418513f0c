"""工单看板 and 回访: the open orders by what is due first, each with its clock (green,
amber near the promise, red past it), an alert line when a promise is about to be
broken, filters, and the steps on the selected order; the callback list by due time.

Both read again every minute while shown (the service call off the GUI thread) and
after every step; F5 reads at once. Their forms are ui/service_desk/board_tab.ui and
callbacks_tab.ui; a step's button is named after it (`dispatchButton`), and what a
step opens is looked up in a table (`_dialogs`), not a chain of ifs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QDialog, QMenu, QPushButton, QWidget

from frontdesk.domain import clock
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.service_desk import Kind, Light, OrderState, Step, advance
from frontdesk.domain.service_desk_paper import WorkOrderPaper
from frontdesk.errors import UserError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.service_desk_board_tab_ui import Ui_BoardTab
from frontdesk.gui.forms.service_desk_callbacks_tab_ui import Ui_CallbacksTab
from frontdesk.gui.navigation import ReceiptJournal
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.screens.service_desk.charge_dialog import RepairChargeDialog, total_text
from frontdesk.gui.screens.service_desk.common import (
    CLOCK,
    COLUMNS,
    LIGHT_BACKGROUNDS,
    REFRESH_MS,
    BoardFilter,
    Showing,
    alert_text,
    charge_text,
    chargeable,
    clock_colour,
    row_cells,
)
from frontdesk.gui.screens.service_desk.intake_dialog import IntakeDialog
from frontdesk.gui.screens.service_desk.order_view import show_order
from frontdesk.gui.screens.service_desk.step_dialogs import (
    AssignDialog,
    CallbackDialog,
    ReasonDialog,
    finish_dialog,
)
from frontdesk.gui.widgets.colours import GREEN, RED
from frontdesk.gui.widgets.forms import Choices
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.tables import Cell, fill_sortable, row_id, select_row, set_headers
from frontdesk.printouts.work_order import work_order as work_order_printout
from frontdesk.services import service_desk
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.service_desk import OrderRow, repairs
from frontdesk.services.service_desk.repairs import ChargeState, RepairChargeRow

# each step and its button in the forms, in the order of an order's life
STEP_BUTTONS = {
    "dispatch": "dispatchButton",
    "transfer": "transferButton",
    "return_to_desk": "returnButton",
    "arrive": "arriveButton",
    "pause": "pauseButton",
    "resume": "resumeButton",
    "finish": "finishButton",
    "callback": "callbackButton",
    "close": "closeButton",
    "reopen": "reopenButton",
    "charge": "chargeButton",
    "void_charge": "voidChargeButton",
}
# the paid repair's steps: not the state machine's, the charge's own rules
CHARGE_STEPS = ("charge", "void_charge")


@dataclass(frozen=True)
class ReasonStep:
    """A step that says why: its dialog's title and field, the service call."""

    title: str
    field: str
    call: Callable[[Database, Actor, int, str], object]
    placeholder: str = ""
    explanation: str = ""


REASON_STEPS = {
    "return_to_desk": ReasonStep("退单", "退单原因", service_desk.return_to_desk),
    "pause": ReasonStep("暂停", "暂停原因", service_desk.pause, "如 等业主在家、等配件"),
    "resume": ReasonStep("恢复", "说明", service_desk.resume, "可空"),
    "close": ReasonStep(
        "关闭",
        "未回访关闭原因",
        service_desk.close,
        "已回访的可空",
        "已回访的工单直接关闭；未回访的须写明原因（投诉须先回访 3 次未接通；"
        "匿名投诉无法回访，原因可空，记为“匿名投诉，无法回访”）。",
    ),
    "reopen": ReasonStep("重新打开", "重新打开原因", service_desk.reopen),
}

# the state machine's step behind each button
DOMAIN_STEPS = {
    "dispatch": Step.DISPATCH,
    "transfer": Step.TRANSFER,
    "return_to_desk": Step.RETURN,
    "arrive": Step.ARRIVE,
    "pause": Step.PAUSE,
    "resume": Step.RESUME,
    "finish": Step.FINISH,
    "callback": Step.CALLBACK,
    "close": Step.CLOSE,
    "reopen": Step.REOPEN,
}


def refusal(row: OrderRow, step: str) -> str:
    """Why the state machine would refuse `step` on the order now ("" if it would not);
    the reason a step asks for is given in its dialog, so it is taken as given here."""
    state = OrderState(row.kind, row.status, row.paused, row.failed_callbacks, row.anonymous)
    try:
        advance(state, DOMAIN_STEPS[step], reason="（原因）")
    except UserError as exc:
        return exc.message
    return ""


# what the result line says once a step is saved: GD-2611-0001 已派单
STEP_DONE = {
    "dispatch": "派单",
    "transfer": "转单",
    "return_to_desk": "退单",
    "arrive": "到场",
    "pause": "暂停",
    "resume": "恢复",
    "finish": "完工",
    "callback": "回访",
    "close": "关闭",
    "reopen": "重新打开",
    "charge": "记入维修费",
    "void_charge": "作废维修费",
}


class OrdersTab(QWidget):
    """A list of orders with the step buttons of its form; subclasses set up the form
    and say what it lists."""

    ui: Ui_BoardTab | Ui_CallbacksTab

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[OrderRow] = []
        self.shown_rows: list[OrderRow] = []
        self.charges: tuple[RepairChargeRow, ...] = ()  # the selected order's
        self.charges_read = True  # False while they are being read
        self.setup_form()
        ui = self.ui
        self.table, self.alert_label = ui.table, ui.alertLabel
        self.charge_label, self.result_label = ui.chargeLabel, ui.resultLabel
        self.table.verticalHeader().hide()
        set_headers(self.table, COLUMNS, stretch=len(COLUMNS) - 1)
        self.buttons: dict[str, QPushButton] = {
            step: button
            for step, name in STEP_BUTTONS.items()
            if isinstance(button := getattr(ui, name, None), QPushButton)
        }
        for step, button in self.buttons.items():
            button.clicked.connect(partial(self._clicked, step))
        self._print_menu(ui.printButton)
        self.table.currentCellChanged.connect(lambda *_a: self._enable_steps())
        self.table.activated.connect(lambda _i: show_order(self.ctx, self.selected_id(), self))
        refresh_key = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        refresh_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh_key.activated.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def setup_form(self) -> None:
        raise NotImplementedError

    def _clicked(self, step: str, _checked: bool = False) -> None:
        self.do_step(step)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    # reading ----------------------------------------------------------------------

    def load(self) -> list[OrderRow]:
        raise NotImplementedError

    def keeps(self, row: OrderRow) -> bool:
        return True

    def refresh(self) -> None:
        chosen = self.selected_id()
        Op(self, self.ctx.tasks, self.load).inline(
            self.alert_label,
            every_message=True,  # a timer pops up no boxes
        ).success(lambda rows: self.show_rows(rows, chosen)).run()

    def show_rows(self, rows: list[OrderRow], chosen: int | None = None) -> None:
        self.rows = rows
        self.refill(chosen)

    def refill(self, chosen: int | None = None) -> None:
        self.shown_rows = [r for r in self.rows if self.keeps(r)]
        table, shown = self.table, self.shown_rows
        cells: list[list[Cell]] = []
        for r in shown:
            row_text = row_cells(r)
            due = r.due_at.timestamp() if r.due_at is not None else float("inf")
            cells.append([(row_text[CLOCK], due), *row_text[1:]])
        fill_sortable(table, cells, set(), [r.id for r in shown])
        for index, row in enumerate(shown):
            self._colour(index, row)
        self.show_alert()
        if chosen is not None:
            self.select_order(chosen)
        elif shown and table.currentRow() < 0:
            select_row(table, 0)
        self._enable_steps()

    def _colour(self, index: int, row: OrderRow) -> None:
        item = self.table.item(index, CLOCK)
        if item is None:
            return
        item.setForeground(QBrush(QColor(clock_colour(row))))
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
        background = LIGHT_BACKGROUNDS.get(row.light) if row.light and not row.paused else None
        if background is not None:
            item.setBackground(QBrush(QColor(background)))
        if row.due_at is not None:
            stage = row.stage.label if row.stage else ""
            item.setToolTip(f"{stage}时限 {clock.local_time(row.due_at, seconds=False)}")

    def _print_menu(self, button: QPushButton) -> None:
        """派工单 before the work, 维修回执 after it: on A5 for a clipboard or on the 80 mm
        roll of the counter's slip printer."""
        menu = QMenu(button)
        for paper in WorkOrderPaper:
            action = menu.addAction(paper.label)
            action.triggered.connect(lambda _checked=False, p=paper: self.print_order(p))
        button.setMenu(menu)

    def print_order(self, paper: WorkOrderPaper) -> None:
        row = self.selected()
        if row is None:
            self.say("请先选中一张工单", RED)
            return
        db, actor, order_id = self.ctx.db, self.ctx.actor, row.id
        Op(
            self,
            self.ctx.tasks,
            lambda: work_order_printout(db, actor, order_id, paper),
            title="打印派工单",
        ).labelled(f"正在生成 {row.number} 的派工单…").success(
            lambda printout: show_printout(self.ctx, printout, self)
        ).run()

    def show_alert(self) -> None:
        text = alert_text(self.shown_rows)
        self.alert_label.setStyleSheet(f"font-weight: bold; color: {RED};" if text else "")
        self.alert_label.setText(text)

    def selected_id(self) -> int | None:
        return row_id(self.table, self.table.currentRow())

    def selected(self) -> OrderRow | None:
        order_id = self.selected_id()
        return next((r for r in self.shown_rows if r.id == order_id), None)

    def select_order(self, order_id: int) -> bool:
        for index in range(self.table.rowCount()):
            if row_id(self.table, index) == order_id:
                select_row(self.table, index)
                return True
        return False

    def _enable_steps(self) -> None:
        """A step the order cannot take now is greyed, its tip saying why; the line
        under the list shows the order's paid-repair charge once it is read (off the
        GUI thread; the paid-repair buttons wait for it)."""
        row = self.selected()
        self.charges = ()
        self.charge_label.clear()
        wanted = row is not None and bool(self.buttons.keys() & CHARGE_STEPS)
        self.charges_read = not (wanted and row is not None and not chargeable(row))
        self._show_steps(row)
        if self.charges_read or row is None:
            return
        db, actor, order_id = self.ctx.db, self.ctx.actor, row.id
        Op(self, self.ctx.tasks, lambda: repairs.order_charges(db, actor, order_id)).inline(
            self.charge_label, every_message=True
        ).success(lambda charges: self._charges_read(order_id, charges)).run()

    def _charges_read(self, order_id: int, charges: tuple[RepairChargeRow, ...]) -> None:
        row = self.selected()
        if row is None or row.id != order_id:  # the clerk has moved on meanwhile
            return
        self.charges, self.charges_read = charges, True
        self.charge_label.setText(charge_text(charges))
        self._show_steps(row)

    def _show_steps(self, row: OrderRow | None) -> None:
        for step, button in self.buttons.items():
            if row is None:
                why = "请先选中一张工单"
            elif step in CHARGE_STEPS:
                why = self._charge_refusal(row, step)
            else:
                why = refusal(row, step)
            button.setEnabled(not why)
            button.setToolTip(why)
        if "finish" in self.buttons:  # a complaint is finished by its reply (答复)
            answered = row is not None and row.kind == Kind.COMPLAINT
            self.buttons["finish"].setText("答复(&W)" if answered else "完工(&W)")

    def _charge_refusal(self, row: OrderRow, step: str) -> str:
        if not self.charges_read:
            return "正在读取该工单的维修费…"
        live = [c for c in self.charges if c.state != ChargeState.VOIDED]
        if step == "charge":
            if live:
                return f"已有{charge_text(live)}；如有误请先作废"
            return chargeable(row)
        if not live:
            return "没有待收的维修费"
        if live[-1].state == ChargeState.PAID:
            return "已缴费的维修费须先在收费处作废收据"
        if not self.ctx.can(Permission.GRANT_REDUCTIONS):
            return "作废维修费须由有减免权限的主管办理"
        return ""

    # the steps --------------------------------------------------------------------

    def do_step(self, step: str) -> None:
        """The step's dialog (or, for 到场, the call itself) on the selected order."""
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("工单", "请先在列表中选中一张工单"))
            return
        said = "答复" if step == "finish" and row.kind == Kind.COMPLAINT else STEP_DONE[step]
        done = f"{row.number} 已{said}"
        if step == "arrive":
            db, actor, order_id = self.ctx.db, self.ctx.actor, row.id
            self._direct(lambda: service_desk.arrive(db, actor, order_id), done, order_id)
            return
        dialog = self._dialogs()[step](row)
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted:
            self.say(self._outcome(dialog, done), GREEN)
            self.after_step(row.id)

    def _dialogs(self) -> dict[str, Callable[[OrderRow], QDialog | None]]:
        """The dialog each step opens on an order."""
        ctx = self.ctx
        return {
            "dispatch": lambda row: AssignDialog(ctx, row, parent=self),
            "transfer": lambda row: AssignDialog(ctx, row, transfer=True, parent=self),
            "finish": lambda row: finish_dialog(ctx, row, self),  # a complaint's is its 答复
            "callback": lambda row: CallbackDialog(ctx, row, self),
            "charge": self._charge_dialog,
            "void_charge": self._void_dialog,
            **{step: partial(self._reason, step) for step in REASON_STEPS},
        }

    def _reason(self, step: str, row: OrderRow) -> ReasonDialog:
        asked = REASON_STEPS[step]
        db, actor, order_id = self.ctx.db, self.ctx.actor, row.id
        return ReasonDialog(
            self.ctx,
            row,
            asked.title,
            asked.field,
            lambda why: asked.call(db, actor, order_id, why),
            placeholder=asked.placeholder,
            explanation=asked.explanation,
            parent=self,
        )

    def _charge_dialog(self, row: OrderRow) -> QDialog | None:
        prices = repairs.price_list(self.ctx.db)
        if not prices:
            report_error(
                self, UserError("有偿维修价目表是空的，请主管在 设置 → 有偿维修价目 中添加。")
            )
            return None
        return RepairChargeDialog(self.ctx, row, prices, self)

    def _void_dialog(self, row: OrderRow) -> QDialog | None:
        live = [c for c in self.charges if c.state == ChargeState.OPEN]
        if not live:
            report_error(self, UserError("该工单没有待收的维修费可以作废。"))
            return None
        db, actor, charge_id = self.ctx.db, self.ctx.actor, live[-1].id
        return ReasonDialog(
            self.ctx,
            row,
            "作废收费",
            "作废原因",
            lambda why: repairs.void_charge(db, actor, charge_id, why),
            explanation=f"作废{charge_text(live)}，账单随之减免为零；作废后可以重新收费。",
            parent=self,
        )

    @staticmethod
    def _outcome(dialog: QDialog, done: str) -> str:
        if isinstance(dialog, RepairChargeDialog):
            lines = dialog.lines
            return f"{done} {total_text(lines)}，请住户到收费处缴纳"
        if isinstance(dialog, CallbackDialog):
            number = dialog.row.number
            if dialog.failed_attempt:
                return f"{number} 回访未接通，已记第 {dialog.result_value} 次"
            if dialog.result_value is False:
                return f"{number} 回访不满意，工单已退回前台重新处理"
            return f"{number} 已回访，业主满意"
        return done

    def _direct(self, call: Callable[[], object], done: str, order_id: int) -> None:
        def succeeded(_result: object) -> None:
            self.say(done, GREEN)
            self.after_step(order_id)

        Op(self, self.ctx.tasks, call, title="无法办理").success(succeeded).run()

    def after_step(self, order_id: int) -> None:
        chosen = order_id
        Op(self, self.ctx.tasks, self.load).success(lambda rows: self.show_rows(rows, chosen)).run()

    def say(self, text: str, colour: str) -> None:
        self.result_label.setStyleSheet(f"font-weight: bold; color: {colour};")
        self.result_label.setText(text)


class BoardTab(OrdersTab):
    """工单看板: every open order, what is due first at the top."""

    ui: Ui_BoardTab

    def setup_form(self) -> None:
        self.ui = ui = Ui_BoardTab()
        ui.setupUi(self)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        ui = self.ui
        ui.newButton.clicked.connect(self.take_call)
        self.kinds: Choices[Kind | None] = Choices(
            ui.kindCombo, [("全部类型", None)] + [(k.label, k) for k in Kind], None
        )
        self.showing: Choices[Showing] = Choices(
            ui.showingCombo, [(s.value, s) for s in Showing], Showing.OPEN
        )
        buildings = (
            structure.list_buildings(ctx.db, ctx.actor) if ctx.can(Permission.VIEW_ROOMS) else []
        )
        self.buildings: Choices[int | None] = Choices(
            ui.buildingCombo, [("全部楼栋", None)] + [(b.name, b.id) for b in buildings], None
        )
        for combo in (ui.kindCombo, ui.showingCombo, ui.buildingCombo):
            combo.currentIndexChanged.connect(lambda _i: self.refill(self.selected_id()))
        self.count_label = ui.countLabel
        ui.refreshButton.clicked.connect(self.refresh)
        ui.receiptButton.clicked.connect(self.open_receipt)

    def _show_steps(self, row: OrderRow | None) -> None:
        super()._show_steps(row)
        paid = self.paid_receipt()
        self.ui.receiptButton.setEnabled(bool(paid))
        self.ui.receiptButton.setToolTip(
            f"到 收费 → 收据 查看 {paid}" if paid else "维修费缴纳后，可查看其收据"
        )

    def paid_receipt(self) -> str:
        """The receipt the selected order's repair fee was paid on ("" if none)."""
        paid = [c for c in self.charges if c.state == ChargeState.PAID and c.receipts]
        return paid[-1].receipts[-1] if paid else ""

    def open_receipt(self) -> None:
        number = self.paid_receipt()
        if number and not self.ctx.navigator.go(ReceiptJournal(number)):
            self.say(f"请到 收费 → 收据 查找收据 {number}", RED)

    def load(self) -> list[OrderRow]:
        return service_desk.board(self.ctx.db, self.ctx.actor)

    def filter(self) -> BoardFilter:
        return BoardFilter(self.kinds.value(), self.showing.value(), self.buildings.value())

    def keeps(self, row: OrderRow) -> bool:
        return self.filter().keeps(row)

    def refill(self, chosen: int | None = None) -> None:
        super().refill(chosen)
        late = sum(1 for r in self.rows if r.light == Light.RED and not r.paused)
        self.count_label.setText(f"未关闭 {len(self.rows)} 单，超时 {late} 单")

    def take_call(self) -> None:
        dialog = IntakeDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.taken is not None:
            self.say(f"已受理 {dialog.taken.number}", GREEN)
            self.after_step(dialog.taken.order_id)


class CallbacksTab(OrdersTab):
    """回访: finished orders owed a callback, by the callback's due time."""

    ui: Ui_CallbacksTab

    def setup_form(self) -> None:
        self.ui = ui = Ui_CallbacksTab()
        ui.setupUi(self)

    def load(self) -> list[OrderRow]:
        return service_desk.callback_list(self.ctx.db, self.ctx.actor)
