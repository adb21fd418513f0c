"""The key register's dialogs: a key taken in on the owner's authorisation, a key lent
out (Enter moves to the next field, Enter in 备注 or Ctrl+Enter lends), and a key's
lending history."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLineEdit, QWidget

from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.key_custody import MAX_AUTHORISATION_DAYS, KeyScope, usual_due_back
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_key_dialog_ui import Ui_KeyDialog
from frontdesk.gui.forms.counter_key_history_dialog_ui import Ui_KeyHistoryDialog
from frontdesk.gui.forms.counter_lend_dialog_ui import Ui_LendDialog
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import qdate, qdatetime, to_date, to_datetime
from frontdesk.gui.widgets.forms import form_fields
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services import key_custody
from frontdesk.services.key_custody import KeyInput, KeyLink, KeyRow, LendingRow, LendInput

SCAN_FILTER = "扫描件 (*.pdf *.jpg *.jpeg *.png);;所有文件 (*)"
HISTORY_COLUMNS = ("借出时间", "借用人", "电话", "单位", "事由", "关联事项", "应还", "归还", "经办")


def _name_buttons(box: QDialogButtonBox, ok: str) -> None:
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")


class KeyDialog(QDialog):
    """登记托管钥匙: the room, the key, the authorisation and its scan."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: KeyRow | None = None
        self.scan: Path | None = None
        self.ui = ui = Ui_KeyDialog()
        ui.setupUi(self)
        self.room = RoomPicker.in_place_of(ctx, ui.roomSlot)
        QWidget.setTabOrder(self.room, ui.descriptionEdit)
        today = qdate(clock.today())
        ui.authorisedOnEdit.setDateRange(today.addYears(-3), today)
        ui.authorisedOnEdit.setDate(today)
        ui.expiresEdit.setDateRange(today, today.addDays(MAX_AUTHORISATION_DAYS))
        ui.expiresEdit.setDate(today.addMonths(6))
        self.fields = form_fields(ui.form)
        self.fields["授权范围"] = ui.renovationCheck
        self.fields["授权书扫描件"] = ui.scanButton
        for edit in (ui.descriptionEdit, ui.slotEdit, ui.authorisedByEdit):
            edit.returnPressed.connect(self.focusNextChild)
        self.room.room_chosen.connect(lambda _room: ui.descriptionEdit.setFocus())
        ui.scanButton.clicked.connect(self.choose_scan)
        ui.noteEdit.returnPressed.connect(self.accept)
        _name_buttons(ui.buttonBox, "登记")
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        self.room.setFocus()

    def choose_scan(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "选择授权书扫描件", "", SCAN_FILTER)
        if name:
            self.scan = Path(name)
            self.ui.scanLabel.setText(self.scan.name)

    def chosen(self) -> KeyInput:
        ui = self.ui
        if self.room.room_id is None:
            raise ValidationError("房屋", "请输入房号或业主姓名，回车选择一户")
        checks = {
            KeyScope.RENOVATION: ui.renovationCheck,
            KeyScope.REPAIR: ui.repairCheck,
            KeyScope.VIEWING: ui.viewingCheck,
            KeyScope.EMERGENCY: ui.emergencyCheck,
        }
        return KeyInput(
            room_id=self.room.room_id,
            description=ui.descriptionEdit.text(),
            authorised_by=ui.authorisedByEdit.text(),
            scopes=frozenset(scope for scope, box in checks.items() if box.isChecked()),
            authorised_on=to_date(ui.authorisedOnEdit.date()),
            expires_on=to_date(ui.expiresEdit.date()),
            cabinet_slot=ui.slotEdit.text(),
            scan=self.scan,
            note=ui.noteEdit.text(),
        )

    def accept(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda data: key_custody.receive_key(ctx.db, ctx.actor, data),
            given=self.chosen,
            title="无法登记",
        ).fields(self.fields | {"房屋": self.room}).success(self._saved).run()

    def _saved(self, row: KeyRow) -> None:
        self.saved = row
        super().accept()


class LendDialog(QDialog):
    """借出: who takes the key, for what, until when."""

    def __init__(
        self, ctx: AppContext, key: KeyRow, links: list[KeyLink], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.key = key
        self.lent: LendingRow | None = None
        self.ui = ui = Ui_LendDialog()
        ui.setupUi(self)
        ui.keyLabel.setText(
            f"{key.tag}　{key.room_code}　{key.description}　授权：{key.scopes}"
            f"（至 {key.expires_on:%Y-%m-%d}）"
        )
        for scope in KeyScope:
            if key.allows(scope):
                ui.scopeCombo.addItem(scope.label, scope.value)
        ui.linkCombo.addItem("（不关联）", None)
        for link in links:
            ui.linkCombo.addItem(link.text, (link.kind, link.id))
        now = clock.now()
        ui.dueEdit.setMinimumDateTime(qdatetime(now))
        ui.dueEdit.setDateTime(qdatetime(usual_due_back(now)))
        self.fields = form_fields(ui.form)
        for edit in (ui.borrowerEdit, ui.phoneEdit, ui.companyEdit):
            edit.returnPressed.connect(self.focusNextChild)
        ui.noteEdit.returnPressed.connect(self.accept)
        for key_text in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(key_text), self)
            shortcut.activated.connect(self.accept)
        _name_buttons(ui.buttonBox, "借出")
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        ui.borrowerEdit.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in a combo or the due time moves on instead of closing the dialog."""
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and not isinstance(self.focusWidget(), QLineEdit)
        ):
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    def chosen(self) -> LendInput:
        ui = self.ui
        link = ui.linkCombo.currentData()
        kind, link_id = link if link else ("", None)
        scope = ui.scopeCombo.currentData()
        if scope is None:
            raise ValidationError("借用事由", "该钥匙没有可借出的授权范围")
        return LendInput(
            tag=self.key.tag,
            borrower=ui.borrowerEdit.text(),
            borrower_phone=ui.phoneEdit.text(),
            scope=KeyScope(scope),
            due_back_at=to_datetime(ui.dueEdit.dateTime()),
            borrower_company=ui.companyEdit.text(),
            work_order_id=link_id if kind == "work_order" else None,
            renovation_id=link_id if kind == "renovation" else None,
            note=ui.noteEdit.text(),
        )

    def accept(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda data: key_custody.lend_key(ctx.db, ctx.actor, data),
            given=self.chosen,
            title="无法借出",
        ).fields(self.fields).inline(self.ui.errorLabel, every_message=True).success(
            self._lent
        ).run()

    def _lent(self, row: LendingRow) -> None:
        self.lent = row
        super().accept()


def history_cells(row: LendingRow) -> list[str]:
    return [
        local_time(row.out_at, seconds=False),
        row.borrower,
        row.phone,
        row.company,
        row.scope.label,
        row.serves,
        local_time(row.due_back_at, seconds=False),
        local_time(row.returned_at, seconds=False, empty="逾期未还" if row.overdue else "未还"),
        row.out_by,
    ]


class KeyHistoryDialog(QDialog):
    def __init__(
        self, key: KeyRow, lendings: list[LendingRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = ui = Ui_KeyHistoryDialog()
        ui.setupUi(self)
        ui.keyLabel.setText(
            f"{key.tag}　{key.room_code}　{key.description}　收存 "
            f"{local_time(key.received_at, seconds=False)}（{key.received_by}）　"
            f"共借出 {len(lendings)} 次"
        )
        set_headers(ui.table, HISTORY_COLUMNS)
        fill_rows(ui.table, [history_cells(r) for r in lendings])
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        ui.buttonBox.rejected.connect(self.reject)
