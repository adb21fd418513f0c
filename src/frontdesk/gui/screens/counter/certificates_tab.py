"""开具证明: the clerk picks the room and the kind; the tab shows what the certificate
will say, or — for a 物业费结清证明 while bills are open — what is owed instead; Ctrl+Enter
issues it (numbered, registered) and opens the preview to print. On the right, the check
a bank or a school asks for: number and code (or the QR code scanned) against the
register. Below, the register, where a certificate issued in error is revoked.

Keys: Enter in 房屋 picks the first household and moves on, Enter in a field moves on
(from 用途 to 开具并打印, where Enter issues), Ctrl+Enter issues from anywhere in the
form; in 核验 a scan (number and code together) checks at once, Enter in 核验码 checks.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidgetItem, QWidget

from frontdesk.domain.certificates import CertificateKind, Standing, read_scan
from frontdesk.domain.clock import local_time
from frontdesk.domain.issued import Output
from frontdesk.errors import UserError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_certificate_revoke_dialog_ui import Ui_RevokeDialog
from frontdesk.gui.forms.counter_certificates_tab_ui import Ui_CertificatesTab
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.widgets.forms import form_fields
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.shortcuts import add_shortcuts
from frontdesk.gui.widgets.tables import fill_sortable, row_id, set_headers
from frontdesk.printouts import certificates as certificate_printouts
from frontdesk.services.certificates import issuing, register
from frontdesk.services.certificates.issuing import (
    LIVING_KINDS,
    CertificateDraft,
    CertificateRequest,
    IssuedCertificate,
)
from frontdesk.services.certificates.register import (
    CertificateFilter,
    CertificateRow,
    Verification,
)
from frontdesk.services.households import file as households

COLUMNS = ("证明编号", "类别", "房屋", "证明对象", "用途", "开具时间", "经办人", "状态")
RED = "#b3261e"
GREEN = "#1e7b34"
REVOKED_FOREGROUND = QColor("#8a8f98")
PERSON_ROLE = Qt.ItemDataRole.UserRole
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def draft_html(draft: CertificateDraft) -> str:
    lines = [f"<b>{escape(draft.kind.label)}</b>　{escape(draft.place)}"]
    lines += [escape(line) for line in draft.statement.splitlines()]
    return "<br>".join(lines)


def refusal_html(message: str) -> str:
    return f"<span style='color:{RED}'><b>不能开具：</b>{escape(message)}</span>"


def verification_html(answer: Verification) -> str:
    colour = GREEN if answer.standing is Standing.VALID else RED
    lines = answer.text.splitlines()
    head = f"<b style='color:{colour}'>{escape(answer.standing.label)}</b>"
    return "<br>".join([head, *(escape(line) for line in lines)])


def row_cells(row: CertificateRow) -> list[str | tuple[str, object]]:
    return [
        row.number,
        row.kind.label,
        row.room_code,
        row.holder,
        row.purpose,
        local_time(row.issued_at, seconds=False),
        row.issued_by,
        row.standing.label,
    ]


class RevokeDialog(QDialog):
    """作废 one certificate: `what` names it (类别 编号（房屋 对象）) above the reason."""

    def __init__(
        self, ctx: AppContext, number: str, what: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.number = number
        self.ui = ui = Ui_RevokeDialog()
        ui.setupUi(self)
        ui.whatLabel.setText(f"作废 {what}")
        self.fields = form_fields(ui.form)
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("作废")
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)

    @classmethod
    def of(
        cls, ctx: AppContext, row: CertificateRow, parent: QWidget | None = None
    ) -> RevokeDialog:
        return cls(
            ctx,
            row.number,
            f"{row.kind.label} {row.number}（{row.room_code} {row.holder}）",
            parent,
        )

    def accept(self) -> None:
        ctx, number = self.ctx, self.number
        Op(
            self,
            ctx.tasks,
            lambda reason: register.revoke_certificate(ctx.db, ctx.actor, number, reason),
            given=self.ui.reasonEdit.text,
            title="无法作废",
        ).fields(self.fields).success(lambda _: super(RevokeDialog, self).accept()).run()


class CertificatesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: dict[int, CertificateRow] = {}
        self.ui = ui = Ui_CertificatesTab()
        ui.setupUi(self)
        self.room = RoomPicker.in_place_of(ctx, ui.roomEdit)
        self.fields = {**form_fields(ui.form), "房屋": self.room}
        for kind in CertificateKind:
            ui.kindCombo.addItem(kind.label, kind)
        set_headers(ui.table, COLUMNS, stretch=3)
        self.room.room_chosen.connect(self._room_chosen)
        self.room.cleared.connect(self._show_draft)
        ui.kindCombo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        ui.kindCombo.installEventFilter(self)
        ui.purposeEdit.returnPressed.connect(ui.issueButton.setFocus)
        ui.issueButton.setAutoDefault(True)  # Enter on the focused button issues
        ui.peopleList.itemChanged.connect(lambda _item: self._show_draft())
        ui.issueButton.clicked.connect(self.issue)
        add_shortcuts(ui.issueBox, [("Ctrl+Return", self.issue), ("Ctrl+Enter", self.issue)])
        ui.verifyNumberEdit.returnPressed.connect(self._number_entered)
        ui.verifyCodeEdit.returnPressed.connect(self.verify)
        ui.verifyButton.clicked.connect(self.verify)
        ui.searchEdit.textChanged.connect(lambda _text: self.refresh())
        ui.revokeButton.clicked.connect(self.revoke_selected)
        ui.table.itemSelectionChanged.connect(self._update_buttons)
        self._kind_changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in 证明类别 moves on to 用途 (a combo box ignores it)."""
        if (
            watched is self.ui.kindCombo
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in ENTER_KEYS
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.ui.purposeEdit.setFocus()
            return True
        return super().eventFilter(watched, event)

    # issuing ------------------------------------------------------------------

    def kind(self) -> CertificateKind:
        return CertificateKind(self.ui.kindCombo.currentData())

    def request(self) -> CertificateRequest:
        if self.room.room_id is None:
            raise ValidationError("房屋", "请先选择房屋")
        people = self.ui.peopleList
        chosen = tuple(
            int(item.data(PERSON_ROLE))
            for item in (people.item(i) for i in range(people.count()))
            if item.checkState() == Qt.CheckState.Checked
        )
        if self.kind() is CertificateKind.RESIDENCE and people.count() and not chosen:
            raise ValidationError("居住人员", "请至少勾选一人")
        return CertificateRequest(
            self.kind(), self.room.room_id, self.ui.purposeEdit.text(), chosen
        )

    def _kind_changed(self) -> None:
        residence = self.kind() is CertificateKind.RESIDENCE
        self.ui.peopleLabel.setVisible(residence)
        self.ui.peopleList.setVisible(residence)
        self._show_draft()

    def _room_chosen(self, room_id: int) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: households.open_file(ctx.db, ctx.actor, room_id),
            title="住户档案",
        ).success(self._fill_people).run()
        self.ui.kindCombo.setFocus()

    def _fill_people(self, file: households.HouseholdFile) -> None:
        people = self.ui.peopleList
        people.blockSignals(True)
        people.clear()
        for person in file.people:
            if person.current and person.lives_here and person.kind in LIVING_KINDS:
                item = QListWidgetItem(f"{person.name}（{person.kind.label}）")
                item.setData(PERSON_ROLE, person.id)
                item.setCheckState(Qt.CheckState.Checked)
                people.addItem(item)
        people.blockSignals(False)
        self._show_draft()

    def _show_draft(self) -> None:
        label = self.ui.draftLabel
        if self.room.room_id is None:
            label.setText(
                "先选房屋和证明类别，这里会显示证明将写明的内容；有未缴费用时显示欠费明细。"
            )
            return
        try:
            request = self.request()
        except ValidationError as error:
            label.setText(refusal_html(error.message))
            return
        ctx = self.ctx
        Op(self, ctx.tasks, lambda: _preview(ctx, request), title="证明内容").success(
            label.setText
        ).run()

    def issue(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda request: certificate_printouts.issue(ctx.db, ctx.actor, request, Output.KEPT),
            given=self.request,
            title="无法开具证明",
        ).fields(self.fields).success(self._issued).run()

    def _issued(self, issued: IssuedCertificate) -> None:
        self._reload_register()
        self.ui.draftLabel.setText(
            f"<span style='color:{GREEN}'>已开具 <b>{escape(issued.number)}</b>，"
            f"核验码 {escape(issued.code[:4])}-{escape(issued.code[4:])}，"
            f"发文登记号 {escape(issued.register_number)}</span>"
        )
        show_printout(self.ctx, issued.printout, self, kept=True)

    # verifying ----------------------------------------------------------------

    def _number_entered(self) -> None:
        """A scanner types the QR code's text: number and code together check at once."""
        if read_scan(self.ui.verifyNumberEdit.text()) is not None:
            self.ui.verifyCodeEdit.clear()
            self.verify()
        else:
            self.ui.verifyCodeEdit.setFocus()

    def verify(self) -> None:
        ctx, ui = self.ctx, self.ui
        number, code = ui.verifyNumberEdit.text(), ui.verifyCodeEdit.text()
        Op(
            self,
            ctx.tasks,
            lambda: register.verify_certificate(ctx.db, ctx.actor, number, code),
            title="核验证明",
        ).fields({"证明编号": ui.verifyNumberEdit, "核验码": ui.verifyCodeEdit}).success(
            lambda answer: ui.verifyResult.setText(verification_html(answer))
        ).run()

    # the register -------------------------------------------------------------

    def refresh(self) -> None:
        """The register, and the draft again: the owner may have paid meanwhile."""
        self._show_draft()
        self._reload_register()

    def _reload_register(self) -> None:
        ctx = self.ctx
        flt = CertificateFilter(text=self.ui.searchEdit.text())
        Op(
            self,
            ctx.tasks,
            lambda: register.list_certificates(ctx.db, ctx.actor, flt),
            title="证明登记簿",
        ).success(self._listed).run()

    def _listed(self, rows: list[CertificateRow]) -> None:
        self.rows = {r.id: r for r in rows}
        table = self.ui.table
        fill_sortable(table, [row_cells(r) for r in rows], set(), [r.id for r in rows])
        for index in range(table.rowCount()):
            row = self.rows[row_id(table, index) or 0]
            cell(table, index, 3).setToolTip(row.statement)
            if row.revoked_at is not None:
                for column in range(table.columnCount()):
                    cell(table, index, column).setForeground(REVOKED_FOREGROUND)
                cell(table, index, 7).setToolTip(f"{row.revoked_by}：{row.revoke_reason}")
        self.ui.countLabel.setText(f"共 {len(rows)} 份")
        self._update_buttons()

    def selected(self) -> CertificateRow | None:
        table = self.ui.table
        if not table.selectionModel().hasSelection():
            return None
        return self.rows.get(row_id(table, table.currentRow()) or 0)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.ui.revokeButton.setEnabled(row is not None and row.revoked_at is None)

    def revoke_selected(self) -> None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("证明登记簿", "请先在列表中选中一份证明"))
            return
        if RevokeDialog.of(self.ctx, row, self).exec() == QDialog.DialogCode.Accepted:
            self._reload_register()


def _preview(ctx: AppContext, request: CertificateRequest) -> str:
    """What the certificate would say, or why it cannot be issued (both shown inline)."""
    try:
        return draft_html(issuing.draft_certificate(ctx.db, ctx.actor, request))
    except UserError as error:
        return refusal_html(error.message)
