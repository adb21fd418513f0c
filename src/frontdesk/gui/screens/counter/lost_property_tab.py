"""失物招领: record an item found by keyboard (with a photo if one was taken), and the
items held with their claims, hand-overs to the police and disposals.

Keys: Enter in a field moves on, Ctrl+Enter or F9 records, Esc clears, F5 reloads.
A claim asks who, how their identity was checked and that they signed, then previews
the 认领单 to print and sign.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.lost_property import Category, Disposal, IdCheck, ItemState
from frontdesk.domain.roles import Permission
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_lost_claim_dialog_ui import Ui_LostClaimDialog
from frontdesk.gui.forms.counter_lost_property_tab_ui import Ui_LostPropertyTab
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import qdatetime, to_datetime
from frontdesk.gui.screens.counter.goods_lost_settings import GoodsLostSettingsDialog
from frontdesk.gui.widgets.forms import form_fields
from frontdesk.gui.widgets.move_on import move_on_direction
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.photo_view import PhotoChoice, open_photo
from frontdesk.gui.widgets.shortcuts import add_shortcuts
from frontdesk.gui.widgets.tables import fill_sortable, row_id, set_headers
from frontdesk.printouts import lost_property as lost_printouts
from frontdesk.services import lost_property
from frontdesk.services.lost_property import ClaimInput, FoundInput, LostItemRow

COLUMNS = ("登记号", "物品", "拾获", "存放", "状态")
GREEN, RED = "#1b7f3b", "#b3261e"


def item_cells(row: LostItemRow) -> list[str]:
    state = row.outcome or f"{row.state.label}（至 {row.due_on:%m-%d}）"
    return [
        row.number,
        f"{row.category.label}：{row.description}",
        f"{row.found_at.astimezone():%m-%d %H:%M} {row.found_place}",
        row.kept_place,
        state,
    ]


class LostClaimDialog(QDialog):
    """Who claims the item and how they were checked; saves the claim on OK."""

    def __init__(self, ctx: AppContext, item: LostItemRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.item = ctx, item
        self.claimed: LostItemRow | None = None
        self.ui = ui = Ui_LostClaimDialog()
        ui.setupUi(self)
        ui.itemLabel.setText(f"{item.number}　{item.category.label}：{item.description}")
        for check in IdCheck:
            ui.checkCombo.addItem(check.label, check.value)
        self.fields = form_fields(ui.form)
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("认领")
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        for edit in (ui.nameEdit, ui.phoneEdit, ui.idEdit):
            edit.returnPressed.connect(self.focusNextChild)

    def chosen(self) -> ClaimInput:
        ui = self.ui
        return ClaimInput(
            claimant_name=ui.nameEdit.text(),
            claimant_phone=ui.phoneEdit.text(),
            id_check=IdCheck(ui.checkCombo.currentData()),
            id_number=ui.idEdit.text(),
            signed=ui.signedCheck.isChecked(),
        )

    def accept(self) -> None:
        ctx, number = self.ctx, self.item.number
        Op(
            self,
            ctx.tasks,
            lambda data: lost_property.claim_item(ctx.db, ctx.actor, number, data),
            given=self.chosen,
            title="无法认领",
        ).fields({**self.fields, "认领人签字": self.ui.signedCheck}).success(self._claimed).run()

    def _claimed(self, row: LostItemRow) -> None:
        self.claimed = row
        super().accept()

    @classmethod
    def ask(cls, ctx: AppContext, item: LostItemRow, parent: QWidget) -> LostItemRow | None:
        dialog = cls(ctx, item, parent)
        dialog.exec()
        return dialog.claimed


class LostPropertyTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_LostPropertyTab()
        ui.setupUi(self)
        self.rows: dict[int, LostItemRow] = {}
        self.fields = form_fields(ui.form)
        for category in Category:
            ui.categoryCombo.addItem(category.label, category.value)
        set_headers(ui.table, COLUMNS, stretch=1)
        ui.table.setSortingEnabled(True)
        self._connect()
        self.clear_form()
        self.refresh()

    def _connect(self) -> None:
        ui = self.ui
        for edit in (ui.descriptionEdit, ui.placeEdit, ui.finderEdit, ui.finderPhoneEdit):
            edit.returnPressed.connect(self.focusNextChild)
        ui.keptEdit.returnPressed.connect(self.record)
        ui.foundAtEdit.installEventFilter(self)
        self.photo = PhotoChoice(ui.photoButton, ui.photoLabel)
        ui.recordButton.clicked.connect(self.record)
        ui.clearButton.clicked.connect(self.clear_form)
        ui.dueCheck.toggled.connect(lambda _on: self.refresh())
        ui.table.itemSelectionChanged.connect(self._show_detail)
        ui.claimButton.clicked.connect(self.claim_selected)
        ui.disposeButton.clicked.connect(self.dispose_selected)
        ui.photoViewButton.clicked.connect(self.show_photo)
        ui.claimFormButton.clicked.connect(self.print_claim_form)
        ui.refreshButton.clicked.connect(self.refresh)
        ui.settingsButton.setVisible(self.ctx.can(Permission.EDIT_COMMUNITY))
        ui.settingsButton.clicked.connect(lambda: GoodsLostSettingsDialog.edit(self.ctx, self))
        add_shortcuts(
            self,
            [
                ("Ctrl+Return", self.record),
                ("Ctrl+Enter", self.record),
                (Qt.Key.Key_F9, self.record),
                (Qt.Key.Key_Escape, self.clear_form),
                (Qt.Key.Key_F5, self.refresh),
            ],
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.isAncestorOf(self.focusWidget()):
            self.ui.categoryCombo.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        forward = move_on_direction(event) if watched is self.ui.foundAtEdit else None
        if forward is not None:
            self.focusNextPrevChild(forward)
            return True
        return super().eventFilter(watched, event)

    # recording ---------------------------------------------------------------------

    def clear_form(self) -> None:
        ui = self.ui
        ui.categoryCombo.setCurrentIndex(0)
        for edit in (
            ui.descriptionEdit,
            ui.placeEdit,
            ui.finderEdit,
            ui.finderPhoneEdit,
            ui.keptEdit,
        ):
            edit.clear()
        ui.foundAtEdit.setDateTime(qdatetime(clock.now().replace(second=0, microsecond=0)))
        self.photo.set(None)
        ui.categoryCombo.setFocus()

    def _input(self) -> FoundInput:
        ui = self.ui
        return FoundInput(
            category=Category(ui.categoryCombo.currentData()),
            description=ui.descriptionEdit.text(),
            found_at=to_datetime(ui.foundAtEdit.dateTime()),
            found_place=ui.placeEdit.text(),
            kept_place=ui.keptEdit.text(),
            finder_name=ui.finderEdit.text(),
            finder_phone=ui.finderPhoneEdit.text(),
        )

    def record(self) -> None:
        ctx, photo = self.ctx, self.photo.path
        Op(
            self,
            ctx.tasks,
            lambda data: lost_property.record_found(ctx.db, ctx.actor, data, photo=photo),
            given=self._input,
            title="登记失物",
        ).fields({**self.fields, "照片": self.ui.photoButton}).inline(self.ui.resultLabel).success(
            self._recorded
        ).run()

    def _recorded(self, row: LostItemRow) -> None:
        self.ui.resultLabel.setStyleSheet(f"font-weight: bold; color: {GREEN};")
        self.ui.resultLabel.setText(f"已登记 {row.number}，请贴上登记号存放于 {row.kept_place}")
        self.clear_form()
        self.refresh()

    # the list ----------------------------------------------------------------------

    def refresh(self) -> None:
        ctx, due = self.ctx, self.ui.dueCheck.isChecked()
        Op(
            self, ctx.tasks, lambda: lost_property.list_items(ctx.db, ctx.actor, due_only=due)
        ).inline(self.ui.countLabel, every_message=True).success(self._show).run()

    def _show(self, rows: list[LostItemRow]) -> None:
        self.rows = {r.id: r for r in rows}
        fill_sortable(self.ui.table, [item_cells(r) for r in rows], set(), [r.id for r in rows])
        held = sum(1 for r in rows if r.state in (ItemState.HELD, ItemState.DUE))
        due = sum(1 for r in rows if r.state == ItemState.DUE)
        self.ui.countLabel.setText(f"保管中 {held} 件，其中保管期满 {due} 件")
        self._show_detail()

    def selected(self) -> LostItemRow | None:
        found = row_id(self.ui.table, self.ui.table.currentRow())
        return None if found is None else self.rows.get(found)

    def _show_detail(self) -> None:
        row = self.selected()
        if row is None:
            self.ui.detailLabel.setText("")
            return
        parts = [
            f"登记：{row.recorded_by}",
            f"拾获人：{row.finder or '（未留名）'}",
        ]
        if row.claimed_at is not None and row.id_check is not None:
            parts.append(f"认领：{row.claimant}，{row.id_check.label}，经办 {row.handed_by}")
        if row.disposal_note:
            parts.append(f"处理说明：{row.disposal_note}")
        self.ui.detailLabel.setText("　".join(parts))

    def _need_selection(self) -> LostItemRow | None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("失物", "请先在列表中选中一件失物"))
        return row

    def claim_selected(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        claimed = LostClaimDialog.ask(self.ctx, row, self)
        if claimed is not None:
            self.refresh()
            self._print_form(claimed.number)

    def dispose_selected(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        labels = [d.label for d in Disposal]
        label, ok = QInputDialog.getItem(
            self, "移交或处理", f"{row.number} {row.description}：", labels, 0, False
        )
        if not ok:
            return
        disposal = list(Disposal)[labels.index(label)]
        note, ok = QInputDialog.getText(self, label, "说明（接收民警、回执号等）：")
        if not ok:
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: lost_property.dispose_item(ctx.db, ctx.actor, row.number, disposal, note),
            title=label,
        ).success(lambda _row: self.refresh()).run()

    def print_claim_form(self) -> None:
        row = self._need_selection()
        if row is not None:
            self._print_form(row.number)

    def _print_form(self, number: str) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: lost_printouts.claim_form(ctx.db, ctx.actor, number),
            title="打印认领单",
        ).success(lambda printout: show_printout(ctx, printout, self)).run()

    def show_photo(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        ctx = self.ctx
        open_photo(
            self,
            ctx.tasks,
            lambda: lost_property.item_photo(ctx.db, ctx.actor, row.number),
            f"失物照片 {row.number}",
            "看照片",
        )
