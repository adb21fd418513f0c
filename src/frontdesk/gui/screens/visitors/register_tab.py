"""登记: the gate clerk registers a visitor with the keyboard alone — the phone first
(a returning visitor fills the form with F2), or a booking code that admits in one
step — and the 访客单 prints at once. On the right: today's latest visits and who
is inside now.

Keys: F2 fills in a returning visitor, F4 (确认来访) shows the household's whole
numbers to call (audited; hidden again once the visit is registered or the room
changes), Ctrl+Enter (or Enter in 备注) registers, Esc clears, Enter in a field moves
on; 1–7 choose the purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from html import escape
from typing import cast

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from frontdesk.domain import clock
from frontdesk.domain.clock import local_clock
from frontdesk.domain.identity import IdType
from frontdesk.domain.roles import Permission
from frontdesk.domain.visitors import FREQUENT_DAYS, Confirmation, Purpose
from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui import printing
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.visitors_register_tab_ui import Ui_RegisterTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.screens.visitors import order_choice
from frontdesk.gui.screens.visitors.common import (
    GREEN,
    RED,
    REFRESH_MS,
    SaveVisit,
    board_status,
    save_with_watch_check,
    show_pass,
)
from frontdesk.gui.screens.visitors.order_choice import OrderChoice
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.renovation import site as renovation_site
from frontdesk.services.renovation.site import ValidPass
from frontdesk.services.service_desk import orders as desk_orders
from frontdesk.services.service_desk import views as desk_views
from frontdesk.services.visitors import bookings as visitor_bookings
from frontdesk.services.visitors import history as visitor_history
from frontdesk.services.visitors import order_link as visitor_orders
from frontdesk.services.visitors import register as visitors
from frontdesk.services.visitors import settings as visitor_settings
from frontdesk.services.visitors.history import VisitFilter
from frontdesk.services.visitors.register import (
    HostPhone,
    InsideBoard,
    ReturningVisitor,
    VisitInput,
    VisitRow,
)
from frontdesk.services.visitors.settings import VisitorSettings

RECENT_COLUMNS = ("访客单号", "访客", "到访房屋", "时间")
RECENT_LIMIT = 15
TAB_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
ORANGE = "#b85c00"
FREQUENT_NOTE = "近期多次到访该户，请核实是否为未登记的住户"


def worker_hint(worker: ValidPass) -> str:
    return (
        f"<span style='color:{GREEN}'>装修工人：<b>{escape(worker.name)}</b>（{worker.trade}），"
        f"出入证 {worker.pass_no}，在 {worker.room_code} 施工，有效至 {worker.valid_until:%m-%d}"
        " — 按 F2 填入</span>"
    )


def returning_hint(visitor: ReturningVisitor) -> str:
    last = visitor.last_at.astimezone()
    text = (
        f"回访访客：<b>{escape(visitor.name)}</b>，上次 {escape(visitor.room_code)} "
        f"{visitor.purpose.label}（{last:%m-%d}）— 按 F2 填入"
    )
    if visitor.frequent:
        text += (
            f"<br><span style='color:{ORANGE}; font-weight:bold'>{FREQUENT_DAYS} 天内已到访该户 "
            f"{visitor.visits_in_window} 次，可能是未登记的住户，请核实</span>"
        )
    return text


def dialled(phone: str) -> str:
    """A mobile number grouped as it is read out and dialled: 139 1234 5678."""
    if len(phone) == 11 and phone.isdigit() and phone.startswith("1"):
        return f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    return phone


def to_qt(at: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(at.timestamp()))


def from_qt(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch()).astimezone()


class RegisterTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_RegisterTab()
        ui.setupUi(self)
        self.settings = VisitorSettings()
        self.returning: ReturningVisitor | None = None
        self.worker: ValidPass | None = None
        self.last_visit: VisitRow | None = None
        self.host_room: int | None = None  # whose numbers 确认来访 shows now
        self._leave_edited = False
        self.room = self._place_room_picker()
        self.orders = OrderChoice(ctx, ui.orderCaption, ui.orderCombo)
        self.field_widgets: dict[str, QWidget] = {
            "预约码": ui.bookingEdit,
            "预约": ui.bookingEdit,
            "访客电话": ui.phoneEdit,
            "访客姓名": ui.nameEdit,
            "人数": ui.partySpin,
            "车牌号": ui.plateEdit,
            "到访房屋": self.room,
            "确认人": ui.confirmedByEdit,
            "预计离开": ui.leaveEdit,
            "证件号码": ui.idNumberEdit,
            "备注": ui.noteEdit,
            order_choice.FIELD: ui.orderCombo,
        }
        self._fill_choices()
        set_headers(ui.recentTable, RECENT_COLUMNS)
        self._connect()
        self._add_shortcuts()
        # The hint rows show only with something in them (no gap under 访客电话).
        ui.form.setRowVisible(ui.returningLabel, False)
        ui.form.setRowVisible(ui.hostPhoneLabel, False)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh_side)
        self.clear_form()
        self.refresh()

    def _place_room_picker(self) -> RoomPicker:
        """RoomPicker needs the context, so it takes the place of the form's slot."""
        ui, picker = self.ui, RoomPicker(self.ctx, self)
        ui.form.replaceWidget(ui.roomSlot, picker)
        ui.roomSlot.hide()
        ui.roomSlot.deleteLater()
        ui.roomCaption.setBuddy(picker)
        QWidget.setTabOrder(ui.purposeCombo, picker)
        QWidget.setTabOrder(picker, ui.orderCombo)
        QWidget.setTabOrder(ui.orderCombo, ui.confirmCombo)
        return picker

    def _fill_choices(self) -> None:
        ui = self.ui
        for number, purpose in enumerate(Purpose, 1):
            ui.purposeCombo.addItem(f"{number} {purpose.label}", purpose.value)
        for confirmation in Confirmation:
            ui.confirmCombo.addItem(confirmation.label, confirmation.value)
        for id_type in IdType:
            ui.idTypeCombo.addItem(id_type.label, id_type.value)

    def _connect(self) -> None:
        ui = self.ui
        ui.bookingEdit.returnPressed.connect(self.admit_booking)
        ui.phoneEdit.textChanged.connect(self._look_up_returning)
        ui.purposeCombo.currentIndexChanged.connect(lambda _i: self._purpose_changed())
        ui.purposeCombo.installEventFilter(self)
        ui.confirmCombo.currentIndexChanged.connect(lambda _i: self._confirmation_changed())
        ui.leaveEdit.dateTimeChanged.connect(self._leave_changed)
        ui.leaveEdit.installEventFilter(self)
        for edit in (ui.phoneEdit, ui.nameEdit, ui.plateEdit, ui.confirmedByEdit):
            edit.returnPressed.connect(self.focusNextChild)
        ui.idNumberEdit.returnPressed.connect(self._id_entered)
        self.room.room_chosen.connect(lambda _room_id: self.hide_host_phones())
        self.room.cleared.connect(self.hide_host_phones)
        for changed in (
            self.room.room_chosen,
            self.room.cleared,
            ui.purposeCombo.currentIndexChanged,
        ):
            changed.connect(lambda *_a: self.orders.refresh(self.room.room_id, self._purpose()))
        ui.callHostButton.clicked.connect(self.call_host)
        ui.noteEdit.returnPressed.connect(self.register)
        ui.registerButton.clicked.connect(self.register)
        ui.clearButton.clicked.connect(self.clear_form)

    def _add_shortcuts(self) -> None:
        keys: list[tuple[QKeySequence | Qt.Key, Callable[[], object]]] = [
            (Qt.Key.Key_F2, self.fill_returning),
            (Qt.Key.Key_F4, self.call_host),
            (QKeySequence("Ctrl+Return"), self.register),
            (QKeySequence("Ctrl+Enter"), self.register),
            (Qt.Key.Key_Escape, self.clear_form),
            (QKeySequence(printing.PREVIEW_KEY), self.preview_last_pass),
        ]
        self.ui.printCheck.setToolTip(
            f"登记后按本机打印设置打印访客单；{printing.PREVIEW_KEY} 预览刚登记的访客单"
        )
        for key, action in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    def preview_last_pass(self) -> None:
        """The pass of the visit just registered, in the preview."""
        if self.last_visit is not None:
            show_pass(self, self.ctx, self.last_visit.id, self.last_visit.number, preview=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = cast(QKeyEvent, event)
            if watched is self.ui.purposeCombo and self._purpose_key(key.text()):
                return True
            if watched is self.ui.leaveEdit and key.key() in TAB_KEYS:
                # Tab leaves the field; the date edit's own Tab walks its five sections.
                self.focusNextPrevChild(key.key() == Qt.Key.Key_Tab)
                return True
        return super().eventFilter(watched, event)

    def _purpose_key(self, text: str) -> bool:
        """A digit picks that purpose at once (the combo's type-ahead would join "4", "2")."""
        combo = self.ui.purposeCombo
        if not (text.isdigit() and 1 <= int(text) <= combo.count()):
            return False
        combo.setCurrentIndex(int(text) - 1)
        return True

    # showing --------------------------------------------------------------------

    def refresh(self) -> None:
        self._apply_settings()
        self.refresh_side()

    def _apply_settings(self) -> None:
        db = self.ctx.db
        Op(
            self, self.ctx.tasks, lambda: visitor_settings.visitor_settings(db), title="访客设置"
        ).success(self._settings_read).now()

    def _settings_read(self, settings: VisitorSettings) -> None:
        self.settings = settings
        self.ui.form.setRowVisible(self.ui.idRow, settings.require_id)

    def refresh_side(self) -> None:
        today, ctx = clock.today(), self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: (
                visitor_history.search_visits(
                    ctx.db, ctx.actor, VisitFilter(day_from=today, day_to=today), limit=RECENT_LIMIT
                ),
                visitors.inside_now(ctx.db, ctx.actor),
            ),
        ).inline(self.ui.statusLabel, every_message=True).failure(  # a timer pops up no boxes
            self._side_failed
        ).success(lambda read: self._show_side(*read)).run()

    def _side_failed(self, error: BaseException) -> None:
        if isinstance(error, FrontDeskError):
            self.ui.statusLabel.setText(f"<span style='color:{RED}'>{escape(error.message)}</span>")

    def _show_side(self, recent: list[VisitRow], board: InsideBoard) -> None:
        fill_rows(
            self.ui.recentTable,
            [(r.number, r.visitor, r.room_code, local_clock(r.arrived_at)) for r in recent],
        )
        self.ui.statusLabel.setText(board_status(board))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()
        if not self.isAncestorOf(self.focusWidget()):
            self.ui.phoneEdit.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        self.hide_host_phones()  # a number shown for one call does not wait on screen
        super().hideEvent(event)

    def say(self, text: str, color: str = GREEN) -> None:
        self.ui.resultLabel.setStyleSheet(f"font-size: 12pt; font-weight: bold; color: {color};")
        self.ui.resultLabel.setText(text)

    # filling in -----------------------------------------------------------------

    def _purpose(self) -> Purpose:
        return Purpose(self.ui.purposeCombo.currentData())

    def _confirmation(self) -> Confirmation:
        return Confirmation(self.ui.confirmCombo.currentData())

    def _look_up_returning(self, text: str) -> None:
        self.returning, self.worker = None, None
        if text.strip():
            with suppress(FrontDeskError):  # only a hint; registering reports real problems
                self.worker = renovation_site.valid_pass(self.ctx.db, text)
                self.returning = visitors.returning_visitor(self.ctx.db, self.ctx.actor, text)
        hint = (
            worker_hint(self.worker)
            if self.worker
            else returning_hint(self.returning)
            if self.returning
            else ""
        )
        self.ui.returningLabel.setText(hint)
        self.ui.form.setRowVisible(self.ui.returningLabel, bool(hint))

    def fill_worker(self, worker: ValidPass) -> None:
        """A renovation worker with a valid pass: the permit is the household's consent."""
        ui = self.ui
        ui.nameEdit.setText(worker.name)
        self.room.set_room(worker.room_id, worker.room_code)
        ui.purposeCombo.setCurrentIndex(ui.purposeCombo.findData(Purpose.RENOVATION.value))
        ui.partySpin.setValue(1)
        ui.confirmCombo.setCurrentIndex(ui.confirmCombo.findData(Confirmation.PHONE.value))
        ui.confirmedByEdit.setText(f"持装修出入证 {worker.pass_no}")
        ui.noteEdit.setFocus()

    def fill_returning(self) -> None:
        if self.worker is not None:
            self.fill_worker(self.worker)
            return
        visitor = self.returning
        if visitor is None:
            return
        ui = self.ui
        ui.nameEdit.setText(visitor.name)
        self.room.set_room(visitor.room_id, f"{visitor.room_code}（{visitor.place}）")
        ui.purposeCombo.setCurrentIndex(ui.purposeCombo.findData(visitor.purpose.value))
        ui.partySpin.setValue(visitor.party_size)
        ui.plateEdit.setText(visitor.plate)
        # Next the clerk calls the household and types who answered.
        (ui.confirmedByEdit if ui.confirmedByEdit.isEnabled() else ui.noteEdit).setFocus()

    def _purpose_changed(self) -> None:
        if not self._leave_edited:
            self._show_usual_leave()

    def _show_usual_leave(self) -> None:
        leave = visitors.usual_leave(self.ctx.db, self._purpose(), clock.now())
        edit = self.ui.leaveEdit
        edit.blockSignals(True)  # not the clerk's edit
        edit.setDateTime(to_qt(leave))
        edit.blockSignals(False)

    def _leave_changed(self, _value: QDateTime) -> None:
        self._leave_edited = True

    def _confirmation_changed(self) -> None:
        by_phone = self._confirmation() == Confirmation.PHONE
        self.ui.confirmedByEdit.setEnabled(by_phone)
        self.ui.confirmedByCaption.setEnabled(by_phone)

    # 确认来访 --------------------------------------------------------------------

    def call_host(self) -> None:
        """Show the whole numbers of the household asked for, to call it (audited)."""
        room_id, ctx, ui = self.room.room_id, self.ctx, self.ui
        if room_id is None:
            self.say("确认来访：请先输入到访房屋，回车选中一户", RED)
            self.room.setFocus()
            return
        name, phone = ui.nameEdit.text(), ui.phoneEdit.text()
        Op(
            self,
            ctx.tasks,
            lambda: visitors.host_phones(
                ctx.db, ctx.actor, room_id, visitor_name=name, visitor_phone=phone
            ),
            title="确认来访",
        ).success(lambda hosts: self._show_host_phones(room_id, hosts)).run()

    def _show_host_phones(self, room_id: int, hosts: list[HostPhone]) -> None:
        ui = self.ui
        if self.room.room_id != room_id:
            return  # the room changed while the numbers were read
        if not hosts:
            ui.hostPhoneLabel.setText(
                f"<span style='color:{RED}'>该户没有登记电话：请访客自行联系住户，"
                "或请住户到门岗接（确认方式选“业主陪同”）</span>"
            )
        else:
            calls = "".join(
                f"<tr valign='middle'><td>{escape(h.who)}　</td>"
                f"<td style='font-size:13pt; font-weight:bold'>{escape(dialled(h.phone))}</td></tr>"
                for h in hosts
            )
            ui.hostPhoneLabel.setText(
                "请致电确认来访（号码仅供这次致电，登记或换房后隐藏）："
                f"<table cellspacing='0' cellpadding='1'>{calls}</table>"
            )
            ui.confirmCombo.setCurrentIndex(ui.confirmCombo.findData(Confirmation.PHONE.value))
            ui.confirmedByEdit.setFocus()  # next: who answered
        self.host_room = room_id
        ui.form.setRowVisible(ui.hostPhoneLabel, True)

    def hide_host_phones(self) -> None:
        self.host_room = None
        self.ui.hostPhoneLabel.clear()
        self.ui.form.setRowVisible(self.ui.hostPhoneLabel, False)

    def clear_form(self) -> None:
        ui = self.ui
        for edit in (
            ui.bookingEdit,
            ui.phoneEdit,
            ui.nameEdit,
            ui.plateEdit,
            ui.confirmedByEdit,
            ui.idNumberEdit,
            ui.noteEdit,
        ):
            edit.clear()
        self.room.clear_room()
        self.hide_host_phones()
        ui.partySpin.setValue(1)
        for combo in (ui.purposeCombo, ui.confirmCombo, ui.idTypeCombo):
            combo.setCurrentIndex(0)
        ui.idCheck.setChecked(False)
        self._leave_edited = False
        self._show_usual_leave()
        self._confirmation_changed()
        ui.phoneEdit.setFocus()

    # registering ----------------------------------------------------------------

    def visit_input(self) -> VisitInput:
        ui = self.ui
        if self.room.room_id is None:
            raise ValidationError("到访房屋", "请输入房号或业主姓名，回车选中一户")
        require_id = self.settings.require_id
        return VisitInput(
            room_id=self.room.room_id,
            visitor_name=ui.nameEdit.text(),
            visitor_phone=ui.phoneEdit.text(),
            purpose=self._purpose(),
            confirmation=self._confirmation(),
            confirmed_by=ui.confirmedByEdit.text() if ui.confirmedByEdit.isEnabled() else "",
            party_size=ui.partySpin.value(),
            plate=ui.plateEdit.text(),
            expected_leave_at=from_qt(ui.leaveEdit.dateTime()) if self._leave_edited else None,
            id_type=IdType(ui.idTypeCombo.currentData()) if require_id else None,
            id_number=ui.idNumberEdit.text() if require_id else "",
            id_checked=ui.idCheck.isChecked(),
            note=ui.noteEdit.text(),
            work_order_id=self.orders.chosen(),
        )

    def register(self) -> None:
        try:
            data = self.visit_input()
        except ValidationError as exc:
            report_error(self, exc, "登记访客", fields=self.field_widgets)
            return
        ctx = self.ctx
        self._save(
            lambda confirmed: visitors.register_visit(
                ctx.db, ctx.actor, data, confirmed_watch=confirmed
            )
        )

    def _id_entered(self) -> None:
        """With a booking code waiting, the document number was the last thing missing."""
        if self.ui.bookingEdit.text().strip():
            self.admit_booking()
        else:
            self.focusNextChild()

    def admit_booking(self) -> None:
        code, ctx = self.ui.bookingEdit.text(), self.ctx
        if not code.strip():
            self.ui.phoneEdit.setFocus()
            return
        ui, require_id = self.ui, self.settings.require_id
        if require_id and not ui.idNumberEdit.text().strip():
            self.say("本小区须登记证件号码：请填写证件号码后回车，即按预约登记", RED)
            ui.idNumberEdit.setFocus()
            return
        # Where documents are required, the clerk types the number first, then the code.
        id_type = IdType(ui.idTypeCombo.currentData()) if require_id else None
        id_number, id_checked = ui.idNumberEdit.text() if require_id else "", ui.idCheck.isChecked()
        self._save(
            lambda confirmed: visitor_bookings.admit_booking(
                ctx.db,
                ctx.actor,
                code,
                confirmed_watch=confirmed,
                id_type=id_type,
                id_number=id_number,
                id_checked=id_checked,
            ),
            self.ui.bookingEdit,
        )

    def _save(self, save: SaveVisit, retry_in: QLineEdit | None = None) -> None:
        def failed(error: BaseException) -> None:
            if retry_in is not None and not isinstance(error, ValidationError):
                retry_in.setFocus()
                retry_in.selectAll()  # the next scan replaces it

        save_with_watch_check(
            self,
            self.ctx.tasks,
            save,
            self._saved,
            title="登记访客",
            fields=self.field_widgets,
            failed=failed,
        )

    def _saved(self, visit: VisitRow | None) -> None:
        if visit is None:
            self.say("黑名单提示后已取消，未登记", RED)
            return
        self._registered(visit)

    def _registered(self, visit: VisitRow) -> None:
        self.last_visit = visit
        printing = self.ui.printCheck.isChecked()
        self.clear_form()
        text = f"已登记 {visit.number}　{escape(visit.visitor)}（{escape(visit.room_code)}）"
        if visit.frequent:
            text += f"<br><span style='color:{ORANGE}'>{FREQUENT_NOTE}</span>"
        self.say(text)
        self.refresh_side()
        self._offer_order_link(visit, text)
        if printing:
            show_pass(self, self.ctx, visit.id, visit.number)

    def _arrive(self, order_id: int, visit: VisitRow) -> None:
        """The order's 到场 at the entry; the visit then names the order it served."""
        ctx = self.ctx
        desk_orders.arrive(
            ctx.db, ctx.actor, order_id, visit.arrived_at, f"访客登记 {visit.number}"
        )
        if not visit.work_order:
            visitor_orders.link_visit_order(ctx.db, ctx.actor, visit.id, order_id)

    def _offer_order_link(self, visit: VisitRow, said: str) -> None:
        """A repair worker signing in for a room with a repair dispatched and not yet
        arrived at: offer to record his entry as the order's 到场 (the order's step
        names the visit)."""
        ctx = self.ctx
        if visit.purpose != Purpose.REPAIR or not ctx.can(Permission.TAKE_WORK_ORDERS):
            return
        waiting = desk_views.awaiting_worker(ctx.db, ctx.actor, visit.room_id)
        if not waiting:
            return
        order = next((o for o in waiting if o.number == visit.work_order), waiting[0])
        who = f"，派给 {order.staff}" if order.staff else ""
        question = (
            f"{visit.room_code} 有已派单、尚未到场的维修工单 {order.number}"
            f"（{order.category}{who}）：{order.description}\n\n"
            f"将 {visit.visitor} 的这次到访记为该工单的维修人员到场吗？"
        )
        if not confirm(self, "关联维修工单", question):
            return
        Op(
            self,
            ctx.tasks,
            lambda: self._arrive(order.id, visit),
            title="无法记录到场",
        ).success(lambda _: self.say(f"{said}<br>工单 {order.number} 已记为维修人员到场")).run()
