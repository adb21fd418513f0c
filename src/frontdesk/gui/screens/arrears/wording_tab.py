"""通知措辞: a supervisor's wording of each notice level (never a threat to cut water,
power, gas or heating: the service refuses it) and the community's 滞纳金 terms."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from frontdesk.domain.arrears import LateFeeTerms
from frontdesk.domain.reminders import DEFAULT_WORDING, EARLIER, PLACEHOLDERS, ReminderWording
from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.arrears_wording_tab_ui import Ui_WordingTab
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.arrears.common import LEVEL_NAMES, fill_levels
from frontdesk.gui.widgets.placeholder_target import PlaceholderTarget
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.arrears import reminders
from frontdesk.services.arrears.reminders import PaymentDetails


class WordingTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_WordingTab()
        ui.setupUi(self)
        fill_levels(ui.levelCombo)
        self.target = PlaceholderTarget(ui.bodyEdit, ui.titleEdit, ui.closingEdit)
        self.placeholder_menu = QMenu(self)
        for name, description in PLACEHOLDERS.items():
            action = QAction(f"{{{name}}}　{description}", self.placeholder_menu)
            action.triggered.connect(lambda _checked=False, n=name: self.insert_placeholder(n))
            self.placeholder_menu.addAction(action)
        ui.placeholderButton.setMenu(self.placeholder_menu)
        ui.placeholdersLabel.setText(
            "占位符与通知模板、业主手册相同，打印时自动填写："
            + "、".join(f"<code>{{{name}}}</code>" for name in PLACEHOLDERS)
            + "（“插入占位符”列出各自的含义）。段落之间换行。"
            "依《民法典》第九百四十四条，不得以停止供水、供电、供气、"
            "供热等方式催缴，含此类内容的措辞不能保存；不得笼统声称“此前已多次提醒”，"
            f"以前的通知请用 <code>{EARLIER}</code> 引用实际送达的记录。"
            "缴费方式（收费处时间、转账账户）按右侧设置印在每份通知上。"
        )
        ui.lateFeeHint.setText(
            "仅在物业服务合同约定了滞纳金时启用。按未缴本金每日计算，自账期结束次日起"
            "（另加宽限天数），累计不超过本金的上限比例；欠费清单中显示，减免需有减免权限。"
        )
        ui.levelCombo.currentIndexChanged.connect(lambda _i: self.load_wording())
        ui.saveButton.clicked.connect(self.save_wording)
        ui.defaultButton.clicked.connect(self.restore_default)
        ui.saveTermsButton.clicked.connect(self.save_terms)
        ui.savePaymentButton.clicked.connect(self.save_payment)
        ui.paymentGroup.setEnabled(ctx.can(Permission.EDIT_COMMUNITY))
        ui.enabledCheck.toggled.connect(self._terms_enabled)

    def insert_placeholder(self, name: str) -> None:
        self.target.insert(name)

    @property
    def level(self) -> int:
        return int(self.ui.levelCombo.currentData())

    def refresh(self) -> None:
        self.load_wording()
        terms = arrears.late_fee_terms(self.ctx.db)
        ui = self.ui
        ui.enabledCheck.setChecked(terms.enabled)
        ui.rateSpin.setValue(terms.per_day_per_10000)
        ui.graceSpin.setValue(terms.grace_days)
        ui.capSpin.setValue(terms.cap_percent)
        ui.termsSavedLabel.clear()
        self._terms_enabled(terms.enabled)
        details = reminders.payment_details(self.ctx.db)
        for edit, value in (
            (ui.hoursEdit, details.counter_hours),
            (ui.accountNameEdit, details.account_name),
            (ui.bankEdit, details.bank),
            (ui.accountNumberEdit, details.account_number),
        ):
            edit.setText(value)
            edit.setCursorPosition(0)  # the start of a long name shows
        ui.paymentSavedLabel.setText(
            "" if details.account_number else "尚未设置：未设置前不能打印催缴通知"
        )

    def save_payment(self) -> bool:
        ui = self.ui
        details = PaymentDetails(
            ui.hoursEdit.text(),
            ui.accountNameEdit.text(),
            ui.bankEdit.text(),
            ui.accountNumberEdit.text(),
        )
        ctx = self.ctx
        return (
            Op(
                self,
                ctx.tasks,
                lambda: reminders.set_payment_details(ctx.db, ctx.actor, details),
                title="缴费方式未保存",
            )
            .success(lambda _: ui.paymentSavedLabel.setText("已保存缴费方式"))
            .now()
        )

    def _terms_enabled(self, enabled: bool) -> None:
        for spin in (self.ui.rateSpin, self.ui.graceSpin, self.ui.capSpin):
            spin.setEnabled(enabled)

    def load_wording(self) -> None:
        self._put(reminders.wording(self.ctx.db, self.level))
        self.ui.savedLabel.clear()

    def _put(self, text: ReminderWording) -> None:
        self.ui.titleEdit.setText(text.title)
        self.ui.bodyEdit.setPlainText(text.body)
        self.ui.closingEdit.setPlainText(text.closing)

    def edited(self) -> ReminderWording:
        ui = self.ui
        return ReminderWording(
            ui.titleEdit.text().strip(),
            ui.bodyEdit.toPlainText().strip(),
            ui.closingEdit.toPlainText().strip(),
        )

    def save_wording(self) -> bool:
        ctx, level = self.ctx, self.level
        return (
            Op(
                self,
                ctx.tasks,
                lambda wording: reminders.set_wording(ctx.db, ctx.actor, level, wording),
                given=self.edited,
                title="措辞未保存",
            )
            .success(lambda _: self.ui.savedLabel.setText(f"已保存{LEVEL_NAMES[level]}的措辞"))
            .now()
        )

    def restore_default(self) -> None:
        self._put(DEFAULT_WORDING[self.level])
        self.ui.savedLabel.setText("已填入默认措辞，按“保存措辞”后生效")

    def save_terms(self) -> bool:
        ui = self.ui
        terms = LateFeeTerms(
            ui.enabledCheck.isChecked(),
            ui.rateSpin.value(),
            ui.graceSpin.value(),
            ui.capSpin.value(),
        )
        ctx = self.ctx
        if not Op(
            self,
            ctx.tasks,
            lambda: arrears.set_late_fee_terms(ctx.db, ctx.actor, terms),
            title="滞纳金设置未保存",
        ).now():
            return False
        ui.termsSavedLabel.setText(
            f"已保存：每日万分之 {terms.per_day_per_10000}，宽限 {terms.grace_days} 天，"
            f"上限 {terms.cap_percent}%"
            if terms.enabled
            else "已保存：不计收滞纳金"
        )
        return True
