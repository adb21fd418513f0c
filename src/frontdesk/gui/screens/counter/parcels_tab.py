"""快递代收: take a parcel in with the keyboard alone, hand it over on its pick-up code
or tracking number, and see what waits on the shelves.

Taking in: scan the tracking number (Enter; a known prefix picks the courier), the
courier, the room (the room picker, Enter), the recipient among the household's
people (phones masked) or as written on the parcel, the shelf (kept from the last
parcel): Enter there — or in 备注, or Ctrl+Enter anywhere — takes it in and prints
the label; a photo of the parcel with its waybill may go along (照片…). Handing
over: the code or the tracking number, Enter shows the parcel; Enter again (or F9)
hands it over with the identity check chosen. Esc clears.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.domain.clock import local_time
from frontdesk.domain.parcels import IdentityCheck, ParcelState, guess_courier, parse_code
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui import printing
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_parcels_tab_ui import Ui_ParcelsTab
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.printing import PrintKind
from frontdesk.gui.screens.counter.parcel_settings import ParcelSettingsDialog
from frontdesk.gui.widgets.photo_view import PhotoChoice, open_photo
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.shortcuts import add_shortcuts
from frontdesk.gui.widgets.tables import fill_sortable, row_id, set_headers
from frontdesk.printouts import parcels as parcel_printouts
from frontdesk.services.parcels import intake, lists, photos
from frontdesk.services.parcels import settings as parcel_settings
from frontdesk.services.parcels.intake import HandOver, ParcelInput, ParcelRow, Recipient

GREEN, RED = "#1b7f3b", "#b3261e"
COLUMNS = ("取件码", "房号", "收件人", "快递", "货架", "收件时间", "状态")
ENTER = (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter"))


def parcel_text(row: ParcelRow) -> str:
    """One parcel, as the clerk reads it before handing it over."""
    days = f"，已放 {row.days} 天" if row.collected_at is None else ""
    state = row.state.label if row.state != ParcelState.OVERDUE else f"<b>{row.state.label}</b>"
    return (
        f"<b>{escape(row.room_code)}　{escape(row.recipient)}</b>　{escape(row.courier)} "
        f"{escape(row.tracking)}<br>货架 <b>{escape(row.shelf)}</b>　取件码 {row.code}　"
        f"{local_time(row.received_at, seconds=False)} 收{days}　{state}"
    )


def _armed(label: QLabel) -> QLabel:
    """A result line cleared and set red for the message an action may leave in it."""
    label.clear()
    label.setStyleSheet(f"color: {RED};")
    return label


class ParcelsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_ParcelsTab()
        ui.setupUi(self)
        self.room = RoomPicker.in_place_of(ctx, ui.roomSlot)
        QWidget.setTabOrder(ui.courierCombo, self.room)
        QWidget.setTabOrder(self.room, ui.recipientCombo)
        self.people: list[Recipient] = []
        self.found: ParcelRow | None = None  # the parcel shown under 取件
        self.last: ParcelRow | None = None  # the parcel just taken in
        self.rows: list[ParcelRow] = []
        self.fields: dict[str, QWidget] = {
            "快递单号": ui.trackingEdit,
            "快递公司": ui.courierCombo,
            "收件房屋": self.room,
            "收件人": ui.recipientCombo,
            "货架位置": ui.shelfEdit,
            "备注": ui.noteEdit,
        }
        for check in IdentityCheck:
            ui.checkCombo.addItem(check.label, check.value)
        set_headers(ui.table, COLUMNS, stretch=3)
        self._connect()
        self._add_shortcuts()
        self._proxy_changed()
        self._show_found(None)
        self.refresh()

    def _connect(self) -> None:
        ui = self.ui
        ui.trackingEdit.returnPressed.connect(self._tracking_entered)
        self.room.room_chosen.connect(self._room_chosen)
        self.room.cleared.connect(self._room_cleared)
        combo_line = ui.recipientCombo.lineEdit()
        if combo_line is not None:
            combo_line.returnPressed.connect(ui.shelfEdit.setFocus)
        ui.shelfEdit.returnPressed.connect(self.take_in)
        ui.noteEdit.returnPressed.connect(self.take_in)
        ui.takeInButton.clicked.connect(self.take_in)
        self.photo = PhotoChoice(ui.photoButton, ui.photoLabel)
        ui.clearButton.clicked.connect(self.clear_form)
        ui.pickupEdit.returnPressed.connect(self._pickup_entered)
        ui.pickupEdit.textEdited.connect(lambda _t: self._show_found(None))
        ui.proxyCheck.toggled.connect(lambda _on: self._proxy_changed())
        ui.collectorEdit.returnPressed.connect(self.hand_over)
        ui.handOverButton.clicked.connect(self.hand_over)
        ui.searchEdit.returnPressed.connect(self.refresh)
        ui.overdueCheck.toggled.connect(lambda _on: self.refresh())
        ui.table.cellDoubleClicked.connect(lambda _r, _c: self.pick_selected())
        ui.pickButton.clicked.connect(self.pick_selected)
        ui.reprintButton.clicked.connect(self.reprint_selected)
        ui.photoViewButton.clicked.connect(self.show_photo)
        ui.settingsButton.setVisible(self.ctx.can(Permission.EDIT_COMMUNITY))
        ui.settingsButton.clicked.connect(self.edit_settings)

    def _add_shortcuts(self) -> None:
        add_shortcuts(
            self,
            [
                *((key, self.take_in) for key in ENTER),
                (Qt.Key.Key_F9, self.hand_over),
                (Qt.Key.Key_Escape, self.clear_form),
            ],
        )
        self.ui.printCheck.setToolTip("登记后按本机访客单打印机的设置打印 80 毫米标签")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.isAncestorOf(self.focusWidget()):
            self.ui.trackingEdit.setFocus()

    # showing --------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx, text = self.ctx, self.ui.searchEdit.text()
        overdue = self.ui.overdueCheck.isChecked()
        Op(
            self,
            ctx.tasks,
            lambda: (
                parcel_settings.parcel_settings(ctx.db).couriers,
                lists.search_parcels(ctx.db, ctx.actor, text)
                if text.strip()
                else lists.waiting_parcels(ctx.db, ctx.actor, overdue_only=overdue),
                lists.shelf_count(ctx.db, ctx.actor),
            ),
            title="快递代收",
        ).success(lambda read: self._show(*read)).run()

    def _show(
        self, couriers: tuple[str, ...], rows: list[ParcelRow], count: lists.ShelfCount
    ) -> None:
        ui = self.ui
        if tuple(ui.courierCombo.itemText(i) for i in range(ui.courierCombo.count())) != couriers:
            ui.courierCombo.clear()
            ui.courierCombo.addItems(list(couriers))
        self.rows = rows
        fill_sortable(
            ui.table,
            [
                (
                    r.code,
                    r.room_code,
                    r.recipient,
                    f"{r.courier} {r.tracking_tail}",
                    r.shelf,
                    (local_time(r.received_at, seconds=False), r.received_at.timestamp()),
                    r.state.label if r.collected_at is None else r.collected_text,
                )
                for r in rows
            ],
            set(),
            [r.id for r in rows],
        )
        for index, row in enumerate(rows):
            state = ui.table.item(index, len(COLUMNS) - 1)
            if state is not None and row.state == ParcelState.OVERDUE:
                state.setForeground(QBrush(QColor(RED)))
        searched = ui.searchEdit.text().strip()
        ui.listCaption.setText(
            f"查找“{searched}”：{len(rows)} 件"
            if searched
            else ("超期未取" if ui.overdueCheck.isChecked() else "待取快递")
        )
        overdue = f"超过 {count.overdue_days} 天未取 {count.overdue} 件"
        if count.overdue:
            overdue = f"<span style='color:{RED}'>{overdue}</span>"
        ui.countLabel.setText(f"待取 {count.waiting} 件 · {overdue}")

    # taking in ------------------------------------------------------------------------

    def _tracking_entered(self) -> None:
        ui = self.ui
        couriers = [ui.courierCombo.itemText(i) for i in range(ui.courierCombo.count())]
        courier = guess_courier(ui.trackingEdit.text(), couriers)
        if courier is not None:
            ui.courierCombo.setCurrentText(courier)
            self.room.setFocus()  # the scan named the courier: straight on to the room
        else:
            ui.courierCombo.setFocus()

    def _room_chosen(self, room_id: int) -> None:
        ctx = self.ctx
        Op(
            self, ctx.tasks, lambda: intake.recipients(ctx.db, ctx.actor, room_id), title="收件人"
        ).success(lambda people: self._show_people(room_id, people)).run()

    def _show_people(self, room_id: int, people: list[Recipient]) -> None:
        if self.room.room_id != room_id:
            return
        self.people = people
        combo = self.ui.recipientCombo
        combo.clear()
        for person in people:
            combo.addItem(person.text, person.person_id)
        combo.setCurrentIndex(0 if people else -1)

    def _room_cleared(self) -> None:
        self.people = []
        self.ui.recipientCombo.clear()

    def parcel_input(self) -> ParcelInput:
        ui = self.ui
        if self.room.room_id is None:
            raise ValidationError("收件房屋", "请输入房号或业主姓名，回车选中一户")
        combo = ui.recipientCombo
        chosen = combo.currentIndex()
        typed = combo.currentText().strip()
        person = combo.itemData(chosen) if chosen >= 0 and combo.itemText(chosen) == typed else None
        return ParcelInput(
            room_id=self.room.room_id,
            courier=ui.courierCombo.currentText(),
            tracking=ui.trackingEdit.text(),
            shelf=ui.shelfEdit.text(),
            person_id=person,
            recipient="" if person is not None else typed,
            note=ui.noteEdit.text(),
        )

    def take_in(self) -> None:
        try:
            data = self.parcel_input()
        except ValidationError as exc:
            report_error(self, exc, "快递登记", fields=self.fields)
            return
        ctx, photo = self.ctx, self.photo.path
        Op(
            self,
            ctx.tasks,
            lambda: intake.take_in(ctx.db, ctx.actor, data, photo=photo),
            title="快递登记",
        ).fields({**self.fields, "照片": self.ui.photoButton}).inline(
            _armed(self.ui.intakeResult), every_message=True
        ).success(self._taken_in).run()

    def _taken_in(self, row: ParcelRow) -> None:
        self.last = row
        printing_on = self.ui.printCheck.isChecked()
        self.clear_form(keep_shelf=True)
        self.ui.shelfEdit.setText(row.shelf)  # the next parcel most often goes beside it
        self.ui.intakeResult.setStyleSheet(f"color: {GREEN}; font-size: 12pt;")
        self.ui.intakeResult.setText(
            f"已登记 {row.room_code} {escape(row.recipient)}　取件码 <b>{row.code}</b>　"
            f"货架 {escape(row.shelf)}"
        )
        self.refresh()
        if printing_on:
            self.print_label(row)

    def print_label(self, row: ParcelRow, *, preview: bool = False) -> None:
        """The label on this PC's pass printer (the 80 mm roll the 访客单 prints on)."""
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: parcel_printouts.parcel_label(ctx.db, row),
            title=f"打印快递标签 {row.number}",
        ).success(
            lambda printout: printing.send(
                ctx, printout, self, PrintKind.VISITOR_PASS, preview=preview
            )
        ).run()

    def clear_form(self, keep_shelf: bool = False) -> None:
        ui = self.ui
        for edit in (ui.trackingEdit, ui.noteEdit, ui.pickupEdit, ui.collectorEdit):
            edit.clear()
        if not keep_shelf:
            ui.shelfEdit.clear()
            ui.intakeResult.clear()
            ui.pickupResult.clear()
        self.room.clear_room()
        self._room_cleared()
        self.photo.set(None)
        ui.proxyCheck.setChecked(False)
        self._show_found(None)
        ui.trackingEdit.setFocus()

    # handing over ---------------------------------------------------------------------

    def _proxy_changed(self) -> None:
        self.ui.collectorEdit.setEnabled(self.ui.proxyCheck.isChecked())

    def _pickup_entered(self) -> None:
        """The first Enter finds the parcel; the next hands it over."""
        if self.found is not None:
            self.hand_over()
            return
        ctx, text = self.ctx, self.ui.pickupEdit.text()
        Op(
            self, ctx.tasks, lambda: intake.find_parcel(ctx.db, ctx.actor, text), title="取件"
        ).inline(_armed(self.ui.pickupResult), every_message=True).success(self._found).failure(
            lambda _e: self.ui.pickupEdit.selectAll()
        ).run()

    def _found(self, row: ParcelRow) -> None:
        ui = self.ui
        if row.collected_at is not None:
            self._show_found(None)
            _armed(ui.pickupResult).setText(
                f"该快递已于 {local_time(row.collected_at, seconds=False)} 取走"
                f"（{escape(row.collected_text)}，经办 {escape(row.handed_by)}）"
            )
            ui.pickupEdit.selectAll()
            return
        self._show_found(row)
        by_code = parse_code(ui.pickupEdit.text()) == row.code
        check = IdentityCheck.CODE if by_code else IdentityCheck.KNOWN_FACE
        ui.checkCombo.setCurrentIndex(ui.checkCombo.findData(check.value))
        ui.pickupEdit.setFocus()  # Enter again hands it over

    def _show_found(self, row: ParcelRow | None) -> None:
        self.found = row
        self.ui.pickupParcel.setText(parcel_text(row) if row else "")
        self.ui.pickupForm.setRowVisible(self.ui.pickupParcel, row is not None)

    def hand_over(self) -> None:
        ui, ctx, row = self.ui, self.ctx, self.found
        if row is None:
            ui.pickupEdit.setFocus()
            return
        data = HandOver(
            row.id,
            IdentityCheck(ui.checkCombo.currentData()),
            ui.collectorEdit.text() if ui.proxyCheck.isChecked() else "",
            ui.proxyCheck.isChecked(),
        )
        Op(self, ctx.tasks, lambda: intake.hand_over(ctx.db, ctx.actor, data), title="取件").fields(
            {"取件人": ui.collectorEdit, "核验方式": ui.checkCombo}
        ).inline(_armed(ui.pickupResult), every_message=True).success(self._handed_over).run()

    def _handed_over(self, row: ParcelRow) -> None:
        ui = self.ui
        ui.pickupEdit.clear()
        ui.collectorEdit.clear()
        ui.proxyCheck.setChecked(False)
        self._show_found(None)
        ui.pickupResult.setStyleSheet(f"color: {GREEN}; font-size: 12pt;")
        ui.pickupResult.setText(
            f"已取件 {row.room_code} 货架 {escape(row.shelf)}　{escape(row.collected_text)}"
        )
        ui.pickupEdit.setFocus()
        self.refresh()

    # the list ---------------------------------------------------------------------------

    def _selected(self) -> ParcelRow | None:
        parcel_id = row_id(self.ui.table, self.ui.table.currentRow())
        return next((r for r in self.rows if r.id == parcel_id), None)

    def pick_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        self.ui.pickupEdit.setText(row.code if row.collected_at is None else row.number)
        self._found(row)

    def show_photo(self) -> None:
        row = self._selected()
        if row is None or row.collected_at is not None:
            return
        ctx = self.ctx
        open_photo(
            self,
            ctx.tasks,
            lambda: photos.parcel_photo(ctx.db, ctx.actor, row.id),
            f"快递照片 {row.number}",
            "查看照片",
        )

    def edit_settings(self) -> None:
        if ParcelSettingsDialog.edit(self.ctx, self):
            self.refresh()

    def reprint_selected(self) -> None:
        row = self._selected()
        if row is not None:
            try:
                self.print_label(row, preview=True)
            except FrontDeskError as exc:
                report_error(self, exc, "补打标签")
