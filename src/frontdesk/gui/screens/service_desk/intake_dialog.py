"""受理: a call or a visit taken down by keyboard alone. Enter walks the form (a digit
picks the type, the channel and the category), Enter in the last field or Ctrl+Enter
saves; the number given and the earlier orders it repeats are shown on saving."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.roles import Permission
from frontdesk.domain.service_desk import Channel, Kind, Urgency
from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.service_desk.common import parse_slot
from frontdesk.gui.screens.service_desk.photo_strip import PhotoStrip
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
    """`taken` holds the saved order once accepted."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, room_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.taken: Taken | None = None
        self.setWindowTitle("受理工单")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        hint = QLabel("回车到下一项，数字键选类型、来源和类别；最后一项回车或 Ctrl+回车 保存。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.form = form = QFormLayout()
        layout.addLayout(form)

        self.kind_combo = QComboBox()
        kinds = list(Kind)
        self.kinds = Choices(
            self.kind_combo,
            list(zip(numbered([k.label for k in kinds]), kinds, strict=True)),
            Kind.REPAIR_HOME,
        )
        self.channel_combo = QComboBox()
        channels = list(Channel)
        self.channels = Choices(
            self.channel_combo,
            list(zip(numbered([c.label for c in channels]), channels, strict=True)),
            Channel.PHONE,
        )
        self.room = RoomPicker(ctx)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("非本小区住户或代报人：姓名")
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("手机或座机")
        self.anonymous_check = QCheckBox("匿名（不记录联系人、电话和房号）")
        self.category_combo = QComboBox()
        rows = service_desk.categories(ctx.db)
        self.category_choices = Choices(
            self.category_combo,
            list(zip(numbered([c.name for c in rows]), [c.id for c in rows], strict=True)),
            rows[0].id if rows else 0,
        )
        self.urgent_check = QCheckBox("紧急（漏水、停电等，30 分钟内到场）")
        self.building_combo = QComboBox()
        buildings = (
            structure.list_buildings(ctx.db, ctx.actor) if ctx.can(Permission.VIEW_ROOMS) else []
        )
        self.buildings: Choices[int | None] = Choices(
            self.building_combo,
            [("（不在楼栋内 / 户内）", None)] + [(b.name, b.id) for b in buildings],
            None,
        )
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText("公区：楼层、区域，如 地下车库 B区")
        self.description_edit = QLineEdit()
        self.description_edit.setPlaceholderText("如 厨房水龙头漏水")
        self.slot_edit = QLineEdit()
        self.slot_edit.setPlaceholderText("户内维修预约，如 11-26 09:00-11:00（可空）")

        form.addRow("类型(&K)：", self.kind_combo)
        form.addRow("来源(&C)：", self.channel_combo)
        form.addRow("房屋(&R)：", self.room)
        form.addRow("联系人(&N)：", self.name_edit)
        form.addRow("联系电话(&P)：", self.phone_edit)
        form.addRow("", self.anonymous_check)
        form.addRow("类别(&G)：", self.category_combo)
        form.addRow("", self.urgent_check)
        form.addRow("楼栋(&B)：", self.building_combo)
        form.addRow("位置(&L)：", self.place_edit)
        form.addRow("问题描述(&D)：", self.description_edit)
        form.addRow("预约时间(&T)：", self.slot_edit)
        self.photo_strip = PhotoStrip(self)
        form.addRow("照片：", self.photo_strip)
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            buddy = field.widget() if field is not None else None
            if isinstance(label, QLabel) and buddy is not None:
                label.setBuddy(buddy)

        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        box = QDialogButtonBox()
        self.save_button = box.addButton("受理(&S)", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.save_button, cancel):
            button.setAutoDefault(False)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

        for widget in self._walked():
            widget.installEventFilter(self)
        self.room.returnPressed.connect(self._room_entered)
        self.room.room_chosen.connect(lambda _room: self._next(self.room))
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.anonymous_check.toggled.connect(lambda _on: self._kind_changed())
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.save)
        if room_id is not None:
            code = structure.room_rows(ctx.db, ctx.actor, [room_id])[0].code
            self.room.set_room(room_id, code)
        self._kind_changed()
        self.kind_combo.setFocus()

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
        ]

    def _last_field(self) -> QWidget:
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
            appointment_from=slot[0] if slot else None,
            appointment_to=slot[1] if slot else None,
            photos=self.photo_strip.paths(),
        )

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
