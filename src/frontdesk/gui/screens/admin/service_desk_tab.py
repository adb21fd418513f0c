"""客服设置 (supervisors): the work-order categories with their team and promises
(arrive, finish and call back within, per urgency), in use or not, and the staff
register (name, team, phone, on duty, the program user a worker signs in as).

Promises are typed as a clerk says them: 30分钟, 4小时, 2天, 1天2小时 (a bare number
is minutes); a promise that cannot be read is refused naming its field."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.service_desk import CategoryPromises, Team
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.colours import GREY, RED
from frontdesk.gui.widgets.forms import Choices, form_fields
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.service_desk import settings as desk_settings
from frontdesk.services.service_desk.settings import (
    CategoryInput,
    CategoryRow,
    StaffInput,
    StaffRow,
    UserChoice,
)

CATEGORY_COLUMNS = (
    "类别",
    "班组",
    "紧急·到场",
    "紧急·完工",
    "紧急·回访",
    "一般·到场",
    "一般·完工",
    "一般·回访",
    "状态",
)
STAFF_COLUMNS = ("姓名", "班组", "电话", "当班", "对应用户", "备注")
# (CategoryPromises field, the form's label: the service names these fields alike)
PROMISE_FIELDS = (
    ("urgent_arrive_minutes", "紧急到场时限"),
    ("urgent_finish_minutes", "紧急完工时限"),
    ("urgent_callback_minutes", "紧急回访时限"),
    ("arrive_minutes", "到场时限"),
    ("finish_minutes", "完工时限"),
    ("callback_minutes", "回访时限"),
)
_PART = re.compile(r"(\d+)\s*(天|小时|时|分钟|分)?")
_UNIT_MINUTES = {"天": 24 * 60, "小时": 60, "时": 60, "分钟": 1, "分": 1, None: 1}


def minutes_text(minutes: int) -> str:
    """2 天, 4 小时, 1 天 2 小时 30 分钟: read back by parse_minutes."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [(days, "天"), (hours, "小时"), (mins, "分钟")]
    return " ".join(f"{n} {unit}" for n, unit in parts if n) or "0 分钟"


def parse_minutes(text: str, field: str) -> int:
    """30 / 30分钟 / 4小时 / 2天 / 1天2小时 in minutes; ValidationError naming `field`."""
    compact = text.strip().replace(" ", "")
    if not compact:
        raise ValidationError(field, "请填写时限，如 30分钟、4小时、2天")
    total, at = 0, 0
    for match in _PART.finditer(compact):
        if match.start() != at:
            break
        total += int(match.group(1)) * _UNIT_MINUTES[match.group(2)]
        at = match.end()
    if at != len(compact):
        raise ValidationError(field, f"无法识别“{text.strip()}”，请写成 30分钟、4小时 或 2天")
    return total


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(f"color: {RED};")
    label.setWordWrap(True)
    return label


class CategoryDialog(QDialog):
    """A category new (`row` None) or changed; saves through the service, and stays
    open with the message and the field named when the input is refused."""

    def __init__(self, ctx: AppContext, row: CategoryRow | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.saved_id: int | None = None
        self.setWindowTitle("修改工单类别" if row else "新增工单类别")
        promises = row.promises if row else CategoryPromises()
        self.form = form = QFormLayout()
        self.nameEdit = QLineEdit(row.name if row else "")
        self.nameEdit.setMaxLength(20)
        self.teamCombo = QComboBox()
        self.team = Choices(
            self.teamCombo, [(t.label, t) for t in Team], row.team if row else Team.ENGINEERING
        )
        form.addRow("类别名称(&M)", self.nameEdit)
        form.addRow("负责班组(&T)", self.teamCombo)
        self.promiseEdits: dict[str, QLineEdit] = {}
        keys = "ABCDEF"
        for (name, label), key in zip(PROMISE_FIELDS, keys, strict=True):
            edit = QLineEdit(minutes_text(getattr(promises, name)))
            edit.setPlaceholderText("如 30分钟、4小时、2天")
            self.promiseEdits[name] = edit
            form.addRow(f"{label}(&{key})", edit)
        self.activeCheck = QCheckBox("启用(&U)：受理工单时可以选择")
        self.activeCheck.setChecked(row.active if row else True)
        form.addRow("", self.activeCheck)
        hint = QLabel("紧急工单按“紧急”时限计时；咨询、建议、表扬不计到场，投诉与报修需回访。")
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {GREY};")
        self.errorLabel = _error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.errorLabel)
        layout.addWidget(_buttons(self))
        self.resize(420, self.sizeHint().height())

    def value(self) -> CategoryInput:
        minutes = {
            name: parse_minutes(self.promiseEdits[name].text(), label)
            for name, label in PROMISE_FIELDS
        }
        return CategoryInput(
            self.nameEdit.text(),
            self.team.value(),
            CategoryPromises(**minutes),
            self.activeCheck.isChecked(),
        )

    def accept(self) -> None:
        ctx, category_id = self.ctx, self.row.id if self.row else None
        Op(
            self,
            ctx.tasks,
            lambda data: desk_settings.save_category(ctx.db, ctx.actor, data, category_id),
            given=self.value,
            title="无法保存类别",
        ).fields(form_fields(self.form)).inline(self.errorLabel).success(self._saved).run()

    def _saved(self, saved_id: int) -> None:
        self.saved_id = saved_id
        super().accept()


class StaffDialog(QDialog):
    """A worker of the register new (`row` None) or changed."""

    def __init__(
        self,
        ctx: AppContext,
        row: StaffRow | None,
        users: list[UserChoice],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.saved_id: int | None = None
        self.setWindowTitle("修改维修服务人员" if row else "新增维修服务人员")
        self.form = form = QFormLayout()
        self.nameEdit = QLineEdit(row.name if row else "")
        self.teamCombo = QComboBox()
        self.team = Choices(
            self.teamCombo, [(t.label, t) for t in Team], row.team if row else Team.ENGINEERING
        )
        self.phoneEdit = QLineEdit(row.phone if row else "")
        self.userCombo = QComboBox()
        self.user: Choices[int | None] = Choices(
            self.userCombo,
            [("（不使用本程序）", None), *((u.text, u.id) for u in users)],
            row.user_id if row else None,
        )
        self.noteEdit = QLineEdit(row.note if row else "")
        self.noteEdit.setMaxLength(200)
        self.onDutyCheck = QCheckBox("当班(&D)：可以派单给此人")
        self.onDutyCheck.setChecked(row.on_duty if row else True)
        self.activeCheck = QCheckBox("在职(&W)：离职后取消勾选，名单中不再列出")
        self.activeCheck.setChecked(row.active if row else True)
        form.addRow("姓名(&N)", self.nameEdit)
        form.addRow("班组(&T)", self.teamCombo)
        form.addRow("电话(&P)", self.phoneEdit)
        form.addRow("对应用户(&U)", self.userCombo)
        form.addRow("备注(&R)", self.noteEdit)
        form.addRow("", self.onDutyCheck)
        form.addRow("", self.activeCheck)
        self.errorLabel = _error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errorLabel)
        layout.addWidget(_buttons(self))
        self.resize(420, self.sizeHint().height())

    def value(self) -> StaffInput:
        return StaffInput(
            name=self.nameEdit.text(),
            team=self.team.value(),
            phone=self.phoneEdit.text(),
            on_duty=self.onDutyCheck.isChecked(),
            active=self.activeCheck.isChecked(),
            user_id=self.user.value(),
            note=self.noteEdit.text(),
        )

    def accept(self) -> None:
        ctx, staff_id = self.ctx, self.row.id if self.row else None
        Op(
            self,
            ctx.tasks,
            lambda data: desk_settings.save_staff(ctx.db, ctx.actor, data, staff_id),
            given=self.value,
            title="无法保存人员",
        ).fields(form_fields(self.form)).inline(self.errorLabel).success(self._saved).run()

    def _saved(self, saved_id: int) -> None:
        self.saved_id = saved_id
        super().accept()


class ServiceDeskTab(QWidget):
    """设置 › 客服设置: the two lists, each with its buttons; a double click edits."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.category_rows: list[CategoryRow] = []
        self.staff_rows: list[StaffRow] = []
        self.users: list[UserChoice] = []

        self.categoryTable = _table(CATEGORY_COLUMNS)
        self.categoryTable.doubleClicked.connect(lambda _: self.edit_category())
        self.newCategoryButton = QPushButton("新增类别(&A)…")
        self.editCategoryButton = QPushButton("修改类别(&E)…")
        self.newCategoryButton.clicked.connect(self.new_category)
        self.editCategoryButton.clicked.connect(self.edit_category)
        categories = QGroupBox("工单类别与承诺时限")
        box = QVBoxLayout(categories)
        box.addLayout(_row_of(self.newCategoryButton, self.editCategoryButton))
        box.addWidget(self.categoryTable)

        self.staffTable = _table(STAFF_COLUMNS)
        self.staffTable.doubleClicked.connect(lambda _: self.edit_staff())
        self.newStaffButton = QPushButton("新增人员(&N)…")
        self.editStaffButton = QPushButton("修改人员(&M)…")
        self.dutyButton = QPushButton("上班 / 下班(&D)")
        self.newStaffButton.clicked.connect(self.new_staff)
        self.editStaffButton.clicked.connect(self.edit_staff)
        self.dutyButton.clicked.connect(self.toggle_duty)
        people = QGroupBox("维修服务人员（不必是本程序的用户）")
        box = QVBoxLayout(people)
        box.addLayout(_row_of(self.newStaffButton, self.editStaffButton, self.dutyButton))
        box.addWidget(self.staffTable)

        layout = QVBoxLayout(self)
        layout.addWidget(categories, 3)
        layout.addWidget(people, 2)

    def refresh(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: (
                desk_settings.categories(ctx.db, active_only=False),
                desk_settings.staff(ctx.db),
                desk_settings.linkable_users(ctx.db, ctx.actor),
            ),
            title="客服设置",
        ).success(lambda found: self._show(*found)).run()

    def _show(
        self, categories: list[CategoryRow], staff: list[StaffRow], users: list[UserChoice]
    ) -> None:
        self.category_rows, self.staff_rows, self.users = categories, staff, users
        fill_rows(
            self.categoryTable,
            [
                (
                    c.name,
                    c.team.label,
                    *(minutes_text(getattr(c.promises, name)) for name, _ in PROMISE_FIELDS),
                    "启用" if c.active else "停用",
                )
                for c in categories
            ],
        )
        user_text = {u.id: u.text for u in users}
        fill_rows(
            self.staffTable,
            [
                (
                    s.name,
                    s.team.label,
                    s.phone,
                    "当班" if s.on_duty else "下班",
                    user_text.get(s.user_id, "") if s.user_id is not None else "",
                    s.note,
                )
                for s in staff
            ],
        )

    # categories ---------------------------------------------------------------
    def _selected_category(self) -> CategoryRow | None:
        index = self.categoryTable.currentRow()
        return self.category_rows[index] if 0 <= index < len(self.category_rows) else None

    def new_category(self) -> None:
        self._edit(CategoryDialog(self.ctx, None, self))

    def edit_category(self) -> None:
        row = self._selected_category()
        if row is not None:
            self._edit(CategoryDialog(self.ctx, row, self))

    # staff --------------------------------------------------------------------
    def _selected_staff(self) -> StaffRow | None:
        index = self.staffTable.currentRow()
        return self.staff_rows[index] if 0 <= index < len(self.staff_rows) else None

    def new_staff(self) -> None:
        self._edit(StaffDialog(self.ctx, None, self.users, self))

    def edit_staff(self) -> None:
        row = self._selected_staff()
        if row is not None:
            self._edit(StaffDialog(self.ctx, row, self.users, self))

    def toggle_duty(self) -> None:
        row, ctx = self._selected_staff(), self.ctx
        if row is None:
            return
        Op(
            self,
            ctx.tasks,
            lambda: desk_settings.set_on_duty(ctx.db, ctx.actor, row.id, not row.on_duty),
            title="无法更改当班状态",
        ).success(lambda _: self.refresh()).run()

    def _edit(self, dialog: QDialog) -> None:
        if dialog.exec():
            self.refresh()


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    set_headers(table, columns)
    return table


def _row_of(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row
