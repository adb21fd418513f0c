"""用户: staff accounts — create, edit name/role/active, reset password, unlock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QWidget

from frontdesk.domain import clock
from frontdesk.domain.clock import local_clock, local_time
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.admin_users_tab_ui import Ui_UsersTab
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.admin.user_dialogs import (
    EditUserDialog,
    NewUserDialog,
    ResetPasswordDialog,
    UserEdit,
)
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services import users
from frontdesk.services.users import NewUser, UserRow

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_GREY = QBrush(QColor("#8a8f98"))
_RED = QBrush(QColor("#b3261e"))


def is_locked(user: UserRow, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def status_text(user: UserRow, now: datetime) -> str:
    if not user.active:
        return "停用"
    if user.locked_until is not None and user.locked_until > now:
        return f"已锁定至 {local_clock(user.locked_until)}"
    return "启用"


COLUMNS: list[tuple[str, Callable[[UserRow, datetime], str]]] = [
    ("用户名", lambda u, _now: u.username),
    ("姓名", lambda u, _now: u.display_name),
    ("角色", lambda u, _now: u.role.label),
    ("状态", status_text),
    ("最后登录", lambda u, _now: local_time(u.last_login_at, seconds=False, empty="从未登录")),
]


class UsersModel(QAbstractTableModel):
    """All accounts (a counter has a few dozen at most, so no paging)."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[UserRow] = []
        self._now = clock.now()

    def set_rows(self, rows: list[UserRow], now: datetime) -> None:
        self.beginResetModel()
        self._rows, self._now = list(rows), now
        self.endResetModel()

    def user_at(self, row: int) -> UserRow:
        return self._rows[row]

    def row_of(self, user_id: int) -> int:
        return next((i for i, u in enumerate(self._rows) if u.id == user_id), -1)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        user = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](user, self._now)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not user.active:
                return _GREY
            if index.column() == 3 and is_locked(user, self._now):
                return _RED
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0]
        return None


class UsersTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_UsersTab()
        self.ui.setupUi(self)
        self.model = UsersModel()
        table = self.ui.userTable
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(28)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((160, 160, 130, 170)):
            table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        table.doubleClicked.connect(lambda _index: self.edit_user())
        ui = self.ui
        ui.addButton.clicked.connect(self.add_user)
        ui.editButton.clicked.connect(self.edit_user)
        ui.resetPasswordButton.clicked.connect(self.reset_password)
        ui.unlockButton.clicked.connect(self.unlock_user)
        self._update_buttons()

    def refresh(self, select: int | None = None) -> None:
        """Reload the accounts, keeping (or moving to) the selected one."""
        current = self.selected_user()
        keep = select if select is not None else (current.id if current else None)
        ctx = self.ctx
        Op(
            self, ctx.tasks, lambda: users.list_users(ctx.db, ctx.actor), title="无法读取用户列表"
        ).success(lambda rows: self._show(rows, keep)).run()

    def _show(self, rows: list[UserRow], keep: int | None) -> None:
        self.model.set_rows(rows, clock.now())
        active = sum(1 for u in rows if u.active)
        self.ui.countLabel.setText(f"共 {len(rows)} 个账户，{active} 个启用")
        position = self.model.row_of(keep) if keep is not None else -1
        if position >= 0:
            select_row(self.ui.userTable, position)
        self._update_buttons()

    def selected_user(self) -> UserRow | None:
        index = self.ui.userTable.currentIndex()
        return self.model.user_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        user = self.selected_user()
        self.ui.editButton.setEnabled(user is not None)
        self.ui.resetPasswordButton.setEnabled(user is not None)
        now = clock.now()
        self.ui.unlockButton.setEnabled(user is not None and is_locked(user, now))

    # actions ------------------------------------------------------------------
    def add_user(self) -> None:
        self._add(None)

    def _add(self, previous: NewUser | None) -> None:
        data = NewUserDialog.ask(self, previous)
        if data is None:
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: users.create_user(ctx.db, ctx.actor, data),
            title="无法新增用户",
        ).success(lambda row: self.refresh(select=row.id)).failure(
            lambda _: self._add(data)  # ask again with what was typed
        ).run()

    def edit_user(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        self._edit(user, None)

    def _edit(self, user: UserRow, previous: UserEdit | None) -> None:
        change = EditUserDialog.ask(self, user, previous)
        if change is None:
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: users.update_user(
                ctx.db, ctx.actor, user.id, change.display_name, change.role, change.active
            ),
            title="无法保存用户",
        ).success(lambda _: self.refresh(select=user.id)).failure(
            lambda _: self._edit(user, change)
        ).run()

    def reset_password(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        password = ResetPasswordDialog.ask(self, user)
        if password is None:
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: users.reset_password(ctx.db, ctx.actor, user.id, password),
            title="无法重置密码",
        ).success(lambda _: self.refresh(select=user.id)).run()

    def unlock_user(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        ctx = self.ctx
        Op(
            self, ctx.tasks, lambda: users.unlock_user(ctx.db, ctx.actor, user.id), title="无法解锁"
        ).success(lambda _: self.refresh(select=user.id)).run()
