"""预约: bookings from today on. A new booking gets the six-digit code the clerk reads
to the household; when the visitor arrives the booking becomes a visit in one step."""

from __future__ import annotations

from datetime import date, time, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTableWidget, QWidget

from frontdesk.domain import clock
from frontdesk.domain.clock import local_clock
from frontdesk.domain.visitors import BOOKING_DAYS_AHEAD, BookingState, Purpose
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.visitors_booking_dialog_ui import Ui_BookingDialog
from frontdesk.gui.forms.visitors_bookings_tab_ui import Ui_BookingsTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell, qdate, qtime, to_date, to_time
from frontdesk.gui.screens.visitors.common import save_with_watch_check, show_pass
from frontdesk.gui.widgets.forms import Choices, form_fields
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.tables import fill_sortable, row_id, select_row, set_headers
from frontdesk.services.visitors import bookings as visitor_bookings
from frontdesk.services.visitors import settings as visitor_settings
from frontdesk.services.visitors.bookings import BookingInput, BookingRow
from frontdesk.services.visitors.register import VisitRow

COLUMNS = (
    "预约码",
    "日期时段",
    "访客",
    "电话",
    "人数",
    "到访房屋",
    "事由",
    "预约人",
    "状态",
    "访客单号",
)
WINDOW, PARTY, ROOM = 1, 4, 5
DEFAULT_WINDOW_HOURS = 3
CLOSED_FOREGROUND = QColor("#8a8f98")
WEEKDAYS = "一二三四五六日"
# Qt sizes a message box to its text, so longer reasons wrap after a few words.
MESSAGE_WIDTH = "QLabel#qt_msgbox_informativelabel { min-width: 380px; }"


def day_text(day: date, today: date) -> str:
    if day == today:
        return "今天"
    if day == today + timedelta(days=1):
        return "明天"
    return f"{day:%m-%d} 周{WEEKDAYS[day.weekday()]}"


def window_text(row: BookingRow, today: date) -> str:
    return f"{day_text(row.expected_on, today)} {row.window_start:%H:%M}–{row.window_end:%H:%M}"


def default_window(hour: int) -> tuple[time, time]:
    """A window starting this hour, so the form's defaults are never already past."""
    end = time(hour + DEFAULT_WINDOW_HOURS) if hour + DEFAULT_WINDOW_HOURS < 24 else time(23, 59)
    return time(hour), end


def booking_cells(row: BookingRow, today: date) -> list[str | tuple[str, object]]:
    return [
        row.code,
        (window_text(row, today), f"{row.expected_on.isoformat()} {row.window_start:%H:%M}"),
        row.visitor,
        row.phone,
        (str(row.party_size), row.party_size),
        row.room_code,
        row.purpose.label,
        row.booked_by,
        row.state.label,
        row.visit_number,
    ]


def code_message(row: BookingRow) -> str:
    when = window_text(row, clock.today())
    return (
        f"<p>{row.visitor}（{row.party_size} 人）　{when}　到访 {row.room_code}</p>"
        f'<p style="font-size: 26pt; font-weight: bold;">预约码 {row.code}</p>'
        "<p>— 请告知访客到达时出示</p>"
    )


def offer_pass_print(parent: QWidget, visit: VisitRow) -> bool:
    """The new pass number; True when the clerk wants the pass printed."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "到访登记",
        f"已登记到访，访客单号 {visit.number}",
        parent=parent,
    )
    box.setStyleSheet(MESSAGE_WIDTH)
    box.setInformativeText(
        f"{visit.visitor}（{visit.party_size} 人）到访 {visit.room_code}，"
        f"预计 {local_clock(visit.expected_leave_at)} 前离开。"
    )
    print_button = box.addButton("打印访客单", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("不打印", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(print_button)
    box.exec()
    return box.clickedButton() is print_button


def paint_row(table: QTableWidget, row: int, colour: QColor) -> None:
    for column in range(table.columnCount()):
        item = table.item(row, column)
        if item is not None:
            item.setForeground(QBrush(colour))


class BookingDialog(QDialog):
    """OK saves while the dialog is open: a refused field is named and gets the cursor."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.booking: BookingRow | None = None
        self.ui = ui = Ui_BookingDialog()
        ui.setupUi(self)
        self.room = RoomPicker(ctx, ui.roomHost)
        ui.roomLayout.addWidget(self.room)
        ui.roomCaption.setBuddy(self.room)
        self.setTabOrder(self.room, ui.bookedByEdit)
        self.purposes = Choices(ui.purposeCombo, [(p.label, p) for p in Purpose], Purpose.FAMILY)
        today = qdate(clock.today())
        ui.dateEdit.setDateRange(today, today.addDays(BOOKING_DAYS_AHEAD))
        ui.dateEdit.setDate(today)
        start, end = default_window(clock.wall_now().hour)
        ui.startEdit.setTime(qtime(start))
        ui.endEdit.setTime(qtime(end))
        ui.hintLabel.setText(
            "保存后生成 6 位预约码，请读给预约的住户，由住户转告访客。"
            f"最多可提前 {BOOKING_DAYS_AHEAD} 天预约；时段结束 1 小时后预约过期。"
        )
        self.fields = {**form_fields(ui.form), "预约房屋": self.room, "到访时段": ui.endEdit}
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("保存并生成预约码")
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        self.room.setFocus()

    def chosen(self) -> BookingInput:
        ui = self.ui
        if self.room.room_id is None:
            raise ValidationError("预约房屋", "请输入房号或业主姓名，从查找结果中选择一户")
        return BookingInput(
            room_id=self.room.room_id,
            visitor_name=ui.nameEdit.text(),
            visitor_phone=ui.phoneEdit.text(),
            expected_on=to_date(ui.dateEdit.date()),
            window_start=to_time(ui.startEdit.time()),
            window_end=to_time(ui.endEdit.time()),
            booked_by=ui.bookedByEdit.text(),
            party_size=ui.partySpin.value(),
            purpose=self.purposes.value(),
            note=ui.noteEdit.text(),
        )

    def accept(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda booking: visitor_bookings.create_booking(ctx.db, ctx.actor, booking),
            given=self.chosen,
            title="无法保存预约",
        ).fields(self.fields).success(self._saved).run()

    def _saved(self, booking: BookingRow) -> None:
        self.booking = booking
        super().accept()


class BookingsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: dict[int, BookingRow] = {}
        self.ui = ui = Ui_BookingsTab()
        ui.setupUi(self)
        set_headers(ui.table, COLUMNS)
        ui.table.setSortingEnabled(True)
        ui.table.sortByColumn(WINDOW, Qt.SortOrder.AscendingOrder)
        ui.showAllCheck.toggled.connect(lambda _on: self.refresh())
        ui.newButton.clicked.connect(self.new_booking)
        ui.admitButton.clicked.connect(self.admit_selected)
        ui.cancelButton.clicked.connect(self.cancel_selected)
        ui.table.cellDoubleClicked.connect(lambda _r, _c: self.admit_selected())
        ui.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def refresh(self, select: int | None = None) -> None:
        """Reload (off the GUI thread), then select `select` or the one selected."""
        keep = select if select is not None else self.selected_id()
        ctx, open_only = self.ctx, not self.ui.showAllCheck.isChecked()
        Op(
            self,
            ctx.tasks,
            lambda: visitor_bookings.list_bookings(ctx.db, ctx.actor, open_only=open_only),
            title="预约",
        ).success(lambda rows: self._listed(rows, keep)).run()

    def _listed(self, rows: list[BookingRow], keep: int | None) -> None:
        self.rows = {r.id: r for r in rows}
        self._show(rows)
        if keep is not None:
            self.select(keep)
        self._update_buttons()

    def _show(self, rows: list[BookingRow]) -> None:
        table = self.ui.table
        today = clock.today()
        cells = [booking_cells(r, today) for r in rows]
        fill_sortable(table, cells, {PARTY}, [r.id for r in rows])
        for index in range(table.rowCount()):
            row = self.rows[row_id(table, index) or 0]
            cell(table, index, ROOM).setToolTip(row.place)
            if row.note:
                cell(table, index, 2).setToolTip(f"备注：{row.note}")
            if row.state != BookingState.OPEN:
                paint_row(table, index, CLOSED_FOREGROUND)
        waiting = [r for r in rows if r.state == BookingState.OPEN]
        people = sum(r.party_size for r in waiting)
        self.ui.countLabel.setText(f"待到访 {len(waiting)} 个预约，共 {people} 人")

    def selected_id(self) -> int | None:
        table = self.ui.table
        if not table.selectionModel().hasSelection():
            return None
        return row_id(table, table.currentRow())

    def selected(self) -> BookingRow | None:
        booking_id = self.selected_id()
        return None if booking_id is None else self.rows.get(booking_id)

    def select(self, booking_id: int) -> None:
        table = self.ui.table
        for index in range(table.rowCount()):
            if row_id(table, index) == booking_id:
                select_row(table, index)
                return

    def _update_buttons(self) -> None:
        row = self.selected()
        is_open = row is not None and row.state == BookingState.OPEN
        due_today = is_open and row is not None and row.expected_on == clock.today()
        self.ui.admitButton.setEnabled(due_today)
        self.ui.admitButton.setToolTip(
            "访客已到达：按选中的预约登记并生成访客单"
            if due_today or not is_open
            else "只能登记今天的预约"
        )
        self.ui.cancelButton.setEnabled(is_open)

    def _need_open(self) -> BookingRow | None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("预约", "请先在列表中选中一个预约"))
        elif row.state != BookingState.OPEN:
            report_error(self, ValidationError("预约", f"该预约{row.state.label}"))
            return None
        return row

    # actions -----------------------------------------------------------------------

    def new_booking(self) -> None:
        dialog = BookingDialog(self.ctx, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.booking is None:
            return
        self.refresh(select=dialog.booking.id)
        QMessageBox.information(self, "预约已保存", code_message(dialog.booking))

    def cancel_selected(self) -> None:
        row = self._need_open()
        if row is None:
            return
        when = window_text(row, clock.today())
        if not confirm(
            self,
            "取消预约",
            f"取消 {row.visitor}（{when}，到访 {row.room_code}）的预约？\n"
            f"取消后预约码 {row.code} 不能再用于登记。",
        ):
            return
        db, actor, booking_id = self.ctx.db, self.ctx.actor, row.id
        Op(
            self,
            self.ctx.tasks,
            lambda: visitor_bookings.cancel_booking(db, actor, booking_id),
            title="取消预约",
        ).success(lambda _: self.refresh()).failure(lambda _: self.refresh()).run()

    def admit_selected(self) -> None:
        row = self._need_open()
        if row is not None and visitor_settings.visitor_settings(self.ctx.db).require_id:
            QMessageBox.information(
                self,
                "到访登记",
                f"本小区要求登记访客证件号码：请在“登记”页填写证件号码，"
                f"再输入预约码 {row.code} 回车登记。",
            )
            return
        if row is None or not confirm(
            self,
            "到访登记",
            f"{row.visitor}（{row.party_size} 人）到访 {row.room_code}，预约码 {row.code}。\n"
            "请核对访客报出的预约码和本人后登记。现在登记到访吗？",
        ):
            return
        db, actor, code = self.ctx.db, self.ctx.actor, row.code
        save_with_watch_check(
            self,
            self.ctx.tasks,
            lambda confirmed: visitor_bookings.admit_booking(
                db, actor, code, confirmed_watch=confirmed
            ),
            self._admitted,
            title="到访登记",
            failed=lambda _: self.refresh(),
        )

    def _admitted(self, visit: VisitRow | None) -> None:
        self.refresh()
        if visit is not None and offer_pass_print(self, visit):
            show_pass(self, self.ctx, visit.id, visit.number)
