"""管家联系 tab: the butler's contacts with this household (管家责任制) and a new one."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QWidget

from frontdesk.domain import clock
from frontdesk.domain.household import CONTACT_CHANNELS
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.household_contact_dialog_ui import Ui_ContactDialog
from frontdesk.gui.forms.household_contacts_tab_ui import Ui_ContactsTab
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import qdate
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.households import butler_contacts
from frontdesk.services.households.butler_contacts import ContactInput, ContactRow
from frontdesk.services.households.file import HouseholdFile

COLUMNS = ("日期", "方式", "事由", "结果", "跟进日期", "管家")
TOPICS = ("日常回访", "缴费提醒", "报修回访", "装修巡查告知", "节日问候", "投诉处理回访")


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ContactDialog(QDialog):
    def __init__(self, ctx: AppContext, file: HouseholdFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.file = ctx, file
        self.saved_id: int | None = None
        self.ui = ui = Ui_ContactDialog()
        ui.setupUi(self)
        ui.roomLabel.setText(f"{file.room.code}　{'、'.join(p.name for p in file.owners)}")
        today = qdate(clock.today())
        ui.dateEdit.setDate(today)
        ui.dateEdit.setMaximumDate(today)
        ui.followUpEdit.setDate(today.addDays(7))
        ui.channelCombo.addItems(list(CONTACT_CHANNELS))
        ui.topicCombo.addItems(list(TOPICS))
        ui.followUpCheck.toggled.connect(ui.followUpEdit.setEnabled)
        ui.buttons.accepted.connect(self.accept)
        ui.buttons.rejected.connect(self.reject)

    def value(self) -> ContactInput:
        ui = self.ui
        follow = _day(ui.followUpEdit.date()) if ui.followUpCheck.isChecked() else None
        return ContactInput(
            _day(ui.dateEdit.date()),
            ui.channelCombo.currentText(),
            ui.topicCombo.currentText(),
            ui.outcomeEdit.toPlainText(),
            follow,
        )

    def accept(self) -> None:
        ctx, room_id = self.ctx, self.file.room.id
        Op(
            self,
            ctx.tasks,
            lambda contact: butler_contacts.record_contact(ctx.db, ctx.actor, room_id, contact),
            given=self.value,
            title="无法登记",
        ).inline(self.ui.errorLabel).success(self._saved).run()

    def _saved(self, saved_id: int) -> None:
        self.saved_id = saved_id
        super().accept()


class ContactsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.file: HouseholdFile | None = None
        self.ui = Ui_ContactsTab()
        self.ui.setupUi(self)
        set_headers(self.ui.table, COLUMNS)
        self.ui.addButton.clicked.connect(self.ask_add)

    def open_room(self, room_id: int, file: HouseholdFile) -> None:
        self.file = file
        rows = butler_contacts.list_contacts(self.ctx.db, self.ctx.actor, room_id)
        self._show(rows, file)

    def _show(self, rows: list[ContactRow], file: HouseholdFile) -> None:
        fill_rows(
            self.ui.table,
            [
                (
                    row.contacted_on.isoformat(),
                    row.channel,
                    row.topic,
                    row.outcome,
                    row.follow_up_on.isoformat() if row.follow_up_on else "",
                    row.butler,
                )
                for row in rows
            ],
        )
        last = f"最近一次联系：{rows[0].contacted_on:%Y-%m-%d}。" if rows else "尚无联系记录。"
        butler = f"本楼管家：{file.butler}。" if file.butler else "本楼尚未指定管家。"
        self.ui.hintLabel.setText(f"{butler}{last}管家责任制：每月联系不少于 10% 的住户。")
        self.ui.countLabel.setText(f"共 {len(rows)} 次")
        can_log = file.can_edit and self.ctx.actor.user_id is not None
        self.ui.addButton.setEnabled(can_log)
        self.ui.addButton.setToolTip("" if can_log else "只读：不能为本户登记联系")

    def ask_add(self) -> None:
        if self.file is None:
            return
        dialog = ContactDialog(self.ctx, self.file, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.open_room(self.file.room.id, self.file)
