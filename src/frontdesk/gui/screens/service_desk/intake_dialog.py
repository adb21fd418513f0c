"""受理: a call or a visit taken down by keyboard alone. Enter walks the form (a digit
picks the type, the channel and the category), Enter in the last field or Ctrl+Enter
saves; the number given and the earlier orders it repeats are shown on saving."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QWidget

from frontdesk.domain import clock
from frontdesk.domain.roles import Permission
from frontdesk.domain.service_desk import Channel, Kind, Team, Urgency
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.service_desk_intake_dialog_ui import Ui_IntakeDialog
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.service_desk.common import parse_slot
from frontdesk.gui.screens.service_desk.complaint_fields import parse_deadline
from frontdesk.gui.screens.service_desk.photo_strip import PhotoStrip
from frontdesk.gui.screens.service_desk.step_dialogs import staff_choices, team_choices
from frontdesk.gui.widgets.forms import Choices, form_fields
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.services import service_desk
from frontdesk.services.households import structure
from frontdesk.services.service_desk import OrderInput, Taken

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
ANONYMOUS_KINDS = (Kind.COMPLAINT, Kind.SUGGESTION, Kind.PRAISE)


def numbered(labels: list[str]) -> list[str]:
    """`1 来电`, `2 来访` …: typing the digit in the closed list picks the entry."""
    return [f"{n} {label}" for n, label in enumerate(labels, 1)]


class IntakeDialog(QDialog):
    """`taken` holds the saved order once accepted. A complaint shows its responsible
    department and person (dispatched to them at once) and, for a supervisor, a
    deadline other than the category's promise."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, room_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.taken: Taken | None = None
        self.ui = ui = Ui_IntakeDialog()
        ui.setupUi(self)
        self.form = ui.form
        self.error_label = ui.errorLabel
        self.kind_combo, self.channel_combo = ui.kindCombo, ui.channelCombo
        self.name_edit, self.phone_edit = ui.nameEdit, ui.phoneEdit
        self.anonymous_check, self.urgent_check = ui.anonymousCheck, ui.urgentCheck
        self.category_combo, self.building_combo = ui.categoryCombo, ui.buildingCombo
        self.place_edit, self.description_edit = ui.placeEdit, ui.descriptionEdit
        self.slot_edit = ui.slotEdit
        self.department_combo, self.handler_combo = ui.departmentCombo, ui.handlerCombo
        self.deadline_edit = ui.deadlineEdit
        self.room = self._place_room_picker()

        kinds = list(Kind)
        self.kinds = Choices(
            self.kind_combo,
            list(zip(numbered([k.label for k in kinds]), kinds, strict=True)),
            Kind.REPAIR_HOME,
        )
        channels = list(Channel)
        self.channels = Choices(
            self.channel_combo,
            list(zip(numbered([c.label for c in channels]), channels, strict=True)),
            Channel.PHONE,
        )
        rows = service_desk.categories(ctx.db)
        self.category_choices = Choices(
            self.category_combo,
            list(zip(numbered([c.name for c in rows]), [c.id for c in rows], strict=True)),
            rows[0].id if rows else 0,
        )
        self.category_teams = {c.id: c.team for c in rows}
        buildings = (
            structure.list_buildings(ctx.db, ctx.actor) if ctx.can(Permission.VIEW_ROOMS) else []
        )
        self.buildings: Choices[int | None] = Choices(
            self.building_combo,
            [("（不在楼栋内 / 户内）", None)] + [(b.name, b.id) for b in buildings],
            None,
        )
        self.departments: Choices[Team | None] = team_choices(
            self.department_combo, "（暂不指定，留在前台）"
        )
        self.handlers = staff_choices(ctx, self.handler_combo, "（不指定人）")
        if not ctx.can(Permission.MANAGE_SERVICE_DESK):
            self.deadline_edit.setEnabled(False)
            self.deadline_edit.setPlaceholderText("按类别承诺时限（主管可另定）")

        self.photo_strip = PhotoStrip(self)
        ui.photosLayout.addWidget(self.photo_strip)
        box = ui.buttonBox
        self.save_button = box.addButton("受理(&S)", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.save_button, cancel):
            button.setAutoDefault(False)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)

        for widget in self._walked():
            widget.installEventFilter(self)
        self.room.returnPressed.connect(self._room_entered)
        self.room.room_chosen.connect(lambda _room: self._next(self.room))
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.anonymous_check.toggled.connect(lambda _on: self._kind_changed())
        self.handler_combo.currentIndexChanged.connect(lambda _i: self._handler_changed())
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.save)
        if room_id is not None:
            code = structure.room_rows(ctx.db, ctx.actor, [room_id])[0].code
            self.room.set_room(room_id, code)
        self._kind_changed()
        self.kind_combo.setFocus()

    def _place_room_picker(self) -> RoomPicker:
        """RoomPicker needs the context, so it takes the place of the form's slot."""
        ui, picker = self.ui, RoomPicker(self.ctx, self)
        ui.form.replaceWidget(ui.roomSlot, picker)
        ui.roomSlot.hide()
        ui.roomSlot.deleteLater()
        ui.roomCaption.setBuddy(picker)
        QWidget.setTabOrder(ui.channelCombo, picker)
        QWidget.setTabOrder(picker, ui.nameEdit)
        return picker

    # walking the form -------------------------------------------------------------

    def _walked(self) -> list[QWidget]:
        """The fields Enter walks through, in order (the room picker handles its own)."""
        return [
            self.kind_combo,
            self.channel_combo,
            self.name_edit,
            self.phone_edit,
            self.anonymous_check,
            self.category_combo,
            self.urgent_check,
            self.building_combo,
            self.place_edit,
            self.description_edit,
            self.slot_edit,
            self.department_combo,
            self.handler_combo,
            self.deadline_edit,
        ]

    def _last_field(self) -> QWidget:
        if self.kinds.value() == Kind.COMPLAINT:
            return self.deadline_edit if self.deadline_edit.isEnabled() else self.handler_combo
        return self.slot_edit if self.slot_edit.isEnabled() else self.description_edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = cast(QKeyEvent, event)
            plain = not key.modifiers() & Qt.KeyboardModifier.ControlModifier
            if key.key() in ENTER_KEYS and plain and isinstance(watched, QWidget):
                if watched is self._last_field():
                    self.save()
                else:
                    self._next(watched)
                return True
        return super().eventFilter(watched, event)

    def _next(self, _widget: QWidget) -> None:
        self.focusNextChild()

    def _room_entered(self) -> None:
        """Enter in the room: on once a household is chosen, or with the field empty
        (a caller from outside, typed by name and phone)."""
        if not self.room.hasFocus():  # a household just chosen moved on already
            return
        if self.room.room_id is not None or not self.room.text().strip():
            self._next(self.room)

    def _kind_changed(self) -> None:
        kind = self.kinds.value()
        anonymous_allowed = kind in ANONYMOUS_KINDS
        if not anonymous_allowed:
            self.anonymous_check.setChecked(False)
        self.anonymous_check.setEnabled(anonymous_allowed)
        anonymous = self.anonymous_check.isChecked()
        for widget in (self.room, self.name_edit, self.phone_edit):
            widget.setEnabled(not anonymous)
        self.slot_edit.setEnabled(kind == Kind.REPAIR_HOME)
        self.urgent_check.setEnabled(kind.is_repair or kind == Kind.COMPLAINT)
        if not self.urgent_check.isEnabled():
            self.urgent_check.setChecked(False)
        complaint = kind == Kind.COMPLAINT
        self.form.setRowVisible(self.slot_edit, not complaint)
        for field in (self.department_combo, self.handler_combo, self.deadline_edit):
            self.form.setRowVisible(field, complaint)

    def _handler_changed(self) -> None:
        """A person chosen brings his department: the department list steps aside."""
        chosen = self.handlers.value() is not None
        if chosen:
            self.departments.select(None)
        self.department_combo.setEnabled(not chosen)

    # saving -----------------------------------------------------------------------

    def order_input(self) -> OrderInput:
        kind = self.kinds.value()
        anonymous = self.anonymous_check.isChecked()
        slot = parse_slot(self.slot_edit.text()) if self.slot_edit.isEnabled() else None
        return OrderInput(
            kind=kind,
            channel=self.channels.value(),
            category_id=self.category_choices.value(),
            description=self.description_edit.text(),
            urgency=Urgency.URGENT if self.urgent_check.isChecked() else Urgency.NORMAL,
            room_id=None if anonymous else self.room.room_id,
            place_building_id=self.buildings.value(),
            place=self.place_edit.text(),
            caller_name="" if anonymous else self.name_edit.text(),
            caller_phone="" if anonymous else self.phone_edit.text(),
            anonymous=anonymous,
            **self._complaint_fields(kind),
            appointment_from=slot[0] if slot else None,
            appointment_to=slot[1] if slot else None,
            photos=self.photo_strip.paths(),
        )

    def _complaint_fields(self, kind: Kind) -> dict[str, Any]:
        """A complaint's department, person and deadline (OrderInput's fields)."""
        if kind != Kind.COMPLAINT:
            return {}
        deadline = self.deadline_edit.text() if self.deadline_edit.isEnabled() else ""
        return {
            "department": self.departments.value(),
            "handler_id": self.handlers.value(),
            "deadline": parse_deadline(deadline),
        }

    def save(self) -> None:
        ctx = self.ctx
        fields = form_fields(self.form)
        fields.update(
            {
                "报修房屋": self.room,
                "匿名": self.anonymous_check,
                "预约时段": self.slot_edit,
                "联系电话": self.phone_edit,
                "类别": self.category_combo,
                "处理人": self.handler_combo,
                "班组": self.department_combo,
            }
        )
        Op(
            self,
            ctx.tasks,
            lambda data: service_desk.take_order(ctx.db, ctx.actor, data),
            given=self.order_input,
            title="无法受理",
        ).fields(fields).inline(self.error_label).success(self._taken).run()

    def _taken(self, taken: Taken) -> None:
        self.taken = taken
        text = f"已受理，工单号 {taken.number}。"
        if taken.repeats:
            lines = [
                f"{r.number}　{clock.local_time(r.taken_at, seconds=False)}　"
                f"{r.kind.label}·{r.category}　{r.status.label}　{r.description}"
                for r in taken.repeats
            ]
            text += (
                f"\n\n注意：30 天内同一位置已有 {len(lines)} 张工单（重复报事）：\n"
                + "\n".join(lines)
            )
        QMessageBox.information(self, "受理工单", text)
        self.accept()
