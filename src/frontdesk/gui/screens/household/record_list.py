"""One list of the household file (members, vehicles, parking, pets, care): a table
with add/edit/remove buttons. Enter or a double-click edits, Insert adds, Delete removes.
Members are never removed: their third button is 迁出, and those who left stay listed,
greyed, after the current ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHeaderView, QTableWidgetItem, QWidget

from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.household_record_list_ui import Ui_RecordList
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.household.dialogs import RecordDialog
from frontdesk.gui.widgets.tables import fit_columns, fit_to_contents
from frontdesk.services.households import file as households
from frontdesk.services.households.file import HouseholdFile, Record

FORMER_GREY = "#8a8f98"  # people who left: still readable, plainly not current


class HasId(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=HasId)


@dataclass(frozen=True)
class RecordKind(Generic[R]):
    """What a list shows and how its records are edited."""

    noun: str  # 成员
    counter: str  # the measure word in "共 3 人"
    record: type[Record]  # what services.households.remove_record is told
    columns: Sequence[tuple[str, Callable[[R], str]]]
    rows: Callable[[HouseholdFile], Sequence[R]]
    dialog: Callable[[AppContext, HouseholdFile, R | None, QWidget], RecordDialog]
    name: Callable[[R], str]  # how the delete question names a record
    # People are never deleted: the list shows the file's history (greyed, after the
    # current rows) and its third button records a 迁出 instead (or undoes one).
    former: Callable[[HouseholdFile], Sequence[R]] | None = None
    leave: Callable[[AppContext, HouseholdFile, R, QWidget], QDialog] | None = None


class RecordList(QWidget, Generic[R]):
    """Signal: changed() after a record was saved or removed."""

    changed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        kind: RecordKind[R],
        keys: str = "NED",
        titled: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.file: HouseholdFile | None = None
        self.rows: list[R] = []
        self.former_ids: set[int] = set()
        self.keep: int | None = None  # the record to select again after the next reload
        self.ui = Ui_RecordList()
        self.ui.setupUi(self)
        self.ui.titleLabel.setText(kind.noun)
        self.ui.titleLabel.setVisible(titled)
        add, edit, remove = keys[0], keys[1], keys[2]
        self.ui.addButton.setText(f"新增{kind.noun}(&{add})…")
        self.ui.editButton.setText(f"修改{kind.noun}(&{edit})…")
        self.remove_key = remove
        self.ui.removeButton.setText(
            f"迁出(&{remove})…" if kind.leave else f"删除{kind.noun}(&{remove})"
        )
        self._setup_table()
        self.ui.addButton.clicked.connect(self.add)
        self.ui.editButton.clicked.connect(self.edit)
        self.ui.removeButton.clicked.connect(self.remove)

    def _setup_table(self) -> None:
        table = self.ui.table
        table.setColumnCount(len(self.kind.columns))
        table.setHorizontalHeaderLabels([title for title, _text in self.kind.columns])
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        fit_columns(table)
        table.doubleClicked.connect(lambda _index: self.edit())
        table.itemSelectionChanged.connect(self._enable)
        for key, action in (
            (Qt.Key.Key_Return, self.edit),
            (Qt.Key.Key_Enter, self.edit),
            (Qt.Key.Key_Insert, self.add),
            (Qt.Key.Key_Delete, self.remove),
        ):
            shortcut = QShortcut(QKeySequence(key), table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(action)

    def show_file(self, file: HouseholdFile, keep: int | None = None) -> None:
        """Fill the table from a (re)loaded file; `keep` selects that record again."""
        self.file = file
        current = list(self.kind.rows(file))
        former = list(self.kind.former(file)) if self.kind.former else []
        self.rows = current + former
        self.former_ids = {row.id for row in former}
        table = self.ui.table
        table.setRowCount(len(self.rows))
        grey = QBrush(QColor(FORMER_GREY))
        for row_number, row in enumerate(self.rows):
            for column, (_title, text) in enumerate(self.kind.columns):
                item = QTableWidgetItem(text(row))
                if row.id in self.former_ids:
                    item.setForeground(grey)
                    item.setToolTip("已迁出，保留在本户档案的历史中")
                table.setItem(row_number, column, item)
        fit_to_contents(table)
        ids = [row.id for row in self.rows]
        table.setCurrentCell(ids.index(keep) if keep in ids else -1, 0)
        count = f"共 {len(current)} {self.kind.counter}"
        if former:
            count += f"（另有 {len(former)} {self.kind.counter}已迁出，灰色显示）"
        self.ui.countLabel.setText(count)
        reason = "" if file.can_edit else read_only_reason(self.ctx, file)
        for button in (self.ui.addButton, self.ui.editButton, self.ui.removeButton):
            button.setToolTip(reason)
        self._enable()

    def _enable(self) -> None:
        editable = self.file is not None and self.file.can_edit
        self.ui.addButton.setEnabled(editable)
        self.ui.editButton.setEnabled(editable and self.selected() is not None)
        self.ui.removeButton.setEnabled(editable and self.selected() is not None)
        if self.kind.leave:
            row = self.selected()
            gone = row is not None and row.id in self.former_ids
            key = self.remove_key
            self.ui.removeButton.setText(f"撤销迁出(&{key})" if gone else f"迁出(&{key})…")

    def selected(self) -> R | None:
        rows = self.ui.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def add(self) -> None:
        if self.ui.addButton.isEnabled() and self.file is not None:
            self._run(self.kind.dialog(self.ctx, self.file, None, self))

    def edit(self) -> None:
        row = self.selected()
        if self.ui.editButton.isEnabled() and self.file is not None and row is not None:
            self._run(self.kind.dialog(self.ctx, self.file, row, self))

    def _run(self, dialog: RecordDialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.keep = dialog.saved_id
            self.changed.emit()
        self.ui.table.setFocus()

    def remove(self) -> None:
        row = self.selected()
        if not self.ui.removeButton.isEnabled() or row is None:
            return
        if self.kind.leave is not None:
            self._leave_or_return(row)
            return
        noun, name = self.kind.noun, self.kind.name(row)
        question = f"确定删除{noun}「{name}」吗？删除前的内容仍可在“历史”中查看。"
        if not confirm(self, f"删除{noun}", question):
            return
        ctx, record, row_id = self.ctx, self.kind.record, row.id
        Op(
            self,
            ctx.tasks,
            lambda: households.remove_record(ctx.db, ctx.actor, record, row_id),
            title="无法删除",
        ).success(lambda _: self._changed(None)).run()

    def _changed(self, keep: int | None) -> None:
        self.keep = keep
        self.changed.emit()

    def _leave_or_return(self, row: R) -> None:
        """People: 迁出 a current person, or put a former one back on the file."""
        assert self.kind.leave is not None and self.file is not None
        name = self.kind.name(row)
        if row.id in self.former_ids:
            question = f"确定撤销「{name}」的迁出吗？该人员将重新列为本户现有成员。"
            if not confirm(self, "撤销迁出", question):
                return
            ctx, person_id = self.ctx, row.id
            Op(
                self,
                ctx.tasks,
                lambda: households.restore_person(ctx.db, ctx.actor, person_id),
                title="无法撤销迁出",
            ).success(lambda _: self._changed(person_id)).run()
        elif self.kind.leave(self.ctx, self.file, row, self).exec() != QDialog.DialogCode.Accepted:
            self.ui.table.setFocus()
        else:
            self._changed(row.id)


def read_only_reason(ctx: AppContext, file: HouseholdFile) -> str:
    """Why this file cannot be changed by the signed-in user."""
    if not ctx.can(Permission.EDIT_HOUSEHOLDS):
        return f"只读：{ctx.actor.role.label}无权修改户档案"
    return f"只读：{file.room.building}不在您负责的楼栋范围内，只能查看"
