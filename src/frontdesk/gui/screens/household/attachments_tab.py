"""附件 tab: the scans kept with the file. Opening shows personal data, so it needs the
unmasking permission (the service checks the stored bytes and audits the opening)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from frontdesk.domain.clock import local_time
from frontdesk.domain.household import ATTACHMENT_KINDS
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.household_attachment_dialog_ui import Ui_AttachmentDialog
from frontdesk.gui.forms.household_attachments_tab_ui import Ui_AttachmentsTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.households import attachments
from frontdesk.services.households.attachments import AttachmentRow
from frontdesk.services.households.file import HouseholdFile

COLUMNS = ("类别", "标题", "原文件名", "大小", "添加时间", "添加人")
SCAN_FILTER = "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)"


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size, 1024) // 1024} KB"


class AttachmentDialog(QDialog):
    """Kind and title of a scan about to be added."""

    def __init__(self, source: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_AttachmentDialog()
        self.ui.setupUi(self)
        self.ui.fileLabel.setText(source.name)
        self.ui.kindCombo.addItems(list(ATTACHMENT_KINDS))
        self.ui.titleEdit.setText(source.stem)
        self.ui.buttons.accepted.connect(self.accept)
        self.ui.buttons.rejected.connect(self.reject)


class AttachmentsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.file: HouseholdFile | None = None
        self.rows: list[AttachmentRow] = []
        self.ui = Ui_AttachmentsTab()
        self.ui.setupUi(self)
        table = self.ui.table
        set_headers(table, COLUMNS)
        table.itemSelectionChanged.connect(self._enable)
        table.doubleClicked.connect(lambda _index: self.open_selected())
        self.ui.addButton.clicked.connect(self.ask_add)
        self.ui.openButton.clicked.connect(self.open_selected)
        self.ui.saveButton.clicked.connect(self.ask_save)
        self.ui.removeButton.clicked.connect(self.remove_selected)

    def open_room(self, room_id: int, file: HouseholdFile) -> None:
        self.file = file
        self.rows = attachments.list_attachments(self.ctx.db, self.ctx.actor, room_id)
        fill_rows(
            self.ui.table,
            [
                (
                    row.kind,
                    row.title,
                    row.filename,
                    size_text(row.size),
                    local_time(row.added_at, seconds=False),
                    row.added_by,
                )
                for row in self.rows
            ],
        )
        self.ui.countLabel.setText(f"共 {len(self.rows)} 份")
        self.ui.openButton.setToolTip("" if file.can_reveal else "附件含个人信息，您无权打开")
        self._enable()

    def _enable(self) -> None:
        chosen = self.selected() is not None
        can_edit = self.file is not None and self.file.can_edit
        can_open = self.file is not None and self.file.can_reveal
        self.ui.addButton.setEnabled(can_edit)
        self.ui.removeButton.setEnabled(can_edit and chosen)
        self.ui.openButton.setEnabled(can_open and chosen)
        self.ui.saveButton.setEnabled(can_open and chosen)

    def selected(self) -> AttachmentRow | None:
        rows = self.ui.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def ask_add(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择扫描件", "", SCAN_FILTER)
        if path:
            dialog = AttachmentDialog(Path(path), self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.add(Path(path), dialog.ui.kindCombo.currentText(), dialog.ui.titleEdit.text())

    def add(self, source: Path, kind: str, title: str) -> None:
        if self.file is None:
            return
        ctx, file = self.ctx, self.file
        Op(
            self,
            ctx.tasks,
            lambda: attachments.add_attachment(
                ctx.db, ctx.actor, file.room.id, source, kind, title
            ),
            title="无法添加附件",
        ).success(lambda _: self.open_room(file.room.id, file)).failure(
            lambda _: self.open_room(file.room.id, file)
        ).run()

    def _checked_copy(self, row: AttachmentRow, then: Callable[[Path], object]) -> None:
        """The stored file once its hash is checked (reading it all takes a while)."""
        ctx, attachment_id = self.ctx, row.id
        Op(
            self,
            ctx.tasks,
            lambda: attachments.open_attachment(ctx.db, ctx.actor, attachment_id),
            title="无法打开附件",
        ).success(then).run()

    def open_selected(self) -> None:
        """Open a temporary copy, so an editor can never change the stored evidence."""
        row = self.selected()
        if row is None or not self.ui.openButton.isEnabled():
            return
        self._checked_copy(row, lambda stored: self._open_copy(stored, row.filename))

    def _open_copy(self, stored: Path, filename: str) -> None:
        try:
            folder = Path(tempfile.mkdtemp(prefix="frontdesk-"))
            copy = folder / filename
            shutil.copyfile(stored, copy)
        except OSError as exc:
            report_error(self, exc)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))

    def ask_save(self) -> None:
        row = self.selected()
        if row is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "另存为", row.filename)
        if target:
            self.save_to(row, Path(target))

    def save_to(self, row: AttachmentRow, target: Path) -> None:
        self._checked_copy(
            row,
            lambda stored: Op(self, self.ctx.tasks, lambda: shutil.copyfile(stored, target)).run(),
        )

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None or self.file is None:
            return
        if not confirm(self, "删除附件", f"确定删除附件「{row.title}」吗？"):
            return
        ctx, file, attachment_id = self.ctx, self.file, row.id
        Op(
            self,
            ctx.tasks,
            lambda: attachments.remove_attachment(ctx.db, ctx.actor, attachment_id),
            title="无法删除附件",
        ).success(lambda _: self.open_room(file.room.id, file)).failure(
            lambda _: self.open_room(file.room.id, file)
        ).run()
