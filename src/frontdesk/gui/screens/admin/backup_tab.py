"""备份与恢复: where backups go, the optional second folder (USB disk, NAS), 立即备份,
the backups there, and restoring one of them or a backup file chosen elsewhere.

A restore is checked first (the file, no other counter on the database), then shows
what the backup holds beside what it replaces; once confirmed, the main window hands
it to the signed-in session (`navigation.RestoreBackup`), which closes the window,
restores off the GUI thread and opens the restored database with a new sign-in.
Each is for 主管 and 系统管理员 (`Permission.MANAGE_BACKUPS`) and audited."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain import backups as backup_text
from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.navigation import RestoreBackup
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.admin.restore_dialog import RestoreConfirmDialog
from frontdesk.services.progress import Progress
from frontdesk.services.protection import backup_folder, backup_pc, backups, restore
from frontdesk.services.protection.backup_folder import BackupFile, BackupSettings
from frontdesk.services.protection.backup_pc import BackupDuty
from frontdesk.services.protection.backups import BackupResult
from frontdesk.services.protection.restore import RestorePlan

RESTORE_HINT = (
    "恢复：选中一个备份后点“从所选备份恢复…”，或点“从文件恢复…”选择U盘等处的备份文件。"
    "其他电脑上的物业前台须先关闭；当前数据先另存为“恢复前”备份，恢复后请重新登录。"
)
SERVER_RESTORE_HINT = (
    "恢复服务器上的数据库：先关闭所有电脑上的物业前台，再在命令行运行 "
    "frontdesk restore 备份文件.dump --db 数据库地址（见使用说明“备份与恢复”）。"
)
COLUMNS = ("备份时间", "距今", "类型", "大小", "文件名")


class BackupTab(QWidget):
    """Signals: backed_up(BackupResult) after 立即备份 finished."""

    backed_up = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editable = ctx.can(Permission.MANAGE_BACKUPS)
        layout = QVBoxLayout(self)

        form = QFormLayout()
        self.folder_value = QLabel()
        self.folder_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("备份文件夹：", self.folder_value)
        self.second_value = QLabel()
        self.second_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("选择…")
        self.clear_button = QPushButton("不再使用")
        second_row = QHBoxLayout()
        second_row.addWidget(self.second_value, 1)
        second_row.addWidget(self.choose_button)
        second_row.addWidget(self.clear_button)
        form.addRow("第二备份位置：", second_row)
        self.last_value = QLabel()
        form.addRow("最近备份：", self.last_value)
        # A server database: one PC takes the automatic backups (backup_pc).
        self.duty_value = QLabel()
        self.duty_button = QPushButton("改由本机负责")
        self.duty_button.setToolTip(
            "本机须装有与服务器版本相同或更新的 pg_dump，并有足够的磁盘空间"
        )
        duty_row = QHBoxLayout()
        duty_row.addWidget(self.duty_value, 1)
        duty_row.addWidget(self.duty_button)
        if ctx.db.on_server:
            form.addRow("负责自动备份的电脑：", duty_row)
        else:
            self.duty_value.hide()
            self.duty_button.hide()
        layout.addLayout(form)

        note = QLabel(
            "每天第一次使用时和关闭程序时自动备份，每个备份都会校验。"
            "第二备份位置可选U盘或网络盘，设置后每次自动备份各存一份。"
            "保留最近 7 天每天、4 周每周、12 个月每月各一份；"
            "已删除的存档文件（如过期的访客单）在最后一个含有它的备份被轮换掉时随之删除。"
        )
        note.setWordWrap(True)
        layout.addWidget(note)

        buttons = QHBoxLayout()
        self.backup_button = QPushButton("立即备份")
        buttons.addWidget(self.backup_button)
        self.restore_button = QPushButton("从所选备份恢复…")
        buttons.addWidget(self.restore_button)
        self.restore_file_button = QPushButton("从文件恢复…")
        self.restore_file_button.setToolTip("选择U盘、网络盘等处的备份文件（.sqlite）")
        buttons.addWidget(self.restore_file_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)

        self.restore_hint = QLabel(RESTORE_HINT)
        self.restore_hint.setStyleSheet("QLabel { color: #555; }")
        layout.addWidget(self.restore_hint)

        for button in (
            self.duty_button,
            self.choose_button,
            self.clear_button,
            self.backup_button,
            self.restore_button,
            self.restore_file_button,
        ):
            button.setEnabled(self.editable)
        if ctx.db.on_server:
            self.restore_hint.setText(SERVER_RESTORE_HINT)
            self.restore_button.setEnabled(False)
            self.restore_file_button.setEnabled(False)
        if not self.editable:
            note.setText(note.text() + "修改设置、备份和恢复需要“备份与恢复”权限。")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.choose_button.clicked.connect(self.choose_second_folder)
        self.clear_button.clicked.connect(lambda: self.set_second_folder(None))
        self.backup_button.clicked.connect(self.back_up_now)
        self.duty_button.clicked.connect(self.take_backup_duty)

    def refresh(self) -> None:
        db = self.ctx.db
        Op(
            self,
            self.ctx.tasks,
            lambda: (
                backup_folder.backup_settings(db),
                backup_folder.backups_of(db),
                backup_folder.last_good_backup(db),
                backup_pc.backup_duty(db),
            ),
            title="无法读取备份",
        ).success(lambda read: self._show(*read)).run()

    def _show(
        self,
        settings: BackupSettings,
        found: list[BackupFile],
        last: datetime | None,
        duty: BackupDuty,
    ) -> None:
        self.duty_value.setText(duty.shown())
        self.duty_button.setEnabled(self.editable and not duty.here)
        self.folder_value.setText(str(settings.folder))
        second = settings.second_folder
        self.second_value.setText(str(second) if second else "未设置")
        self.clear_button.setEnabled(self.editable and second is not None)
        self.last_value.setText(
            f"{last:%Y-%m-%d %H:%M}（{backup_text.describe_age(last)}）" if last else "从未备份"
        )
        self.last_value.setStyleSheet(
            "QLabel { color: #c62828; font-weight: bold; }" if backup_text.is_stale(last) else ""
        )
        self.found = found
        self.table.setRowCount(len(found))
        for row, backup in enumerate(found):
            cells = (
                f"{backup.taken_at:%Y-%m-%d %H:%M:%S}",
                backup_text.describe_age(backup.taken_at),
                backup.kind_label,
                backup_text.format_size(backup.size),
                backup.path.name,
            )
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(str(backup.path))
                self.table.setItem(row, column, item)

    def choose_second_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择第二备份位置（U盘或网络盘）")
        if folder:
            self.set_second_folder(Path(folder))

    def set_second_folder(self, folder: Path | None) -> bool:
        ctx = self.ctx
        return (
            Op(
                self,
                ctx.tasks,
                lambda: backup_folder.set_second_folder(ctx.db, ctx.actor, folder),
                title="无法设置第二备份位置",
            )
            .success(lambda _: self.refresh())
            .now()
        )

    def take_backup_duty(self) -> bool:
        ctx = self.ctx
        return (
            Op(
                self,
                ctx.tasks,
                lambda: backup_pc.take_backup_duty(ctx.db, ctx.actor),
                title="无法改由本机负责备份",
            )
            .success(lambda _: self.refresh())
            .now()
        )

    def back_up_now(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor

        def work(_progress: Progress) -> BackupResult:
            return backups.make_backup(db, actor, "manual")

        self.ctx.tasks.run(self, "正在备份…", work, self._done, cancellable=False)

    def _done(self, result: BackupResult) -> None:
        self.refresh()
        self.backed_up.emit(result)
        text = f"已备份并校验：\n{result.path}\n（{backup_text.format_size(result.size)}）"
        if result.second_copy:
            text += f"\n第二备份位置：{result.second_copy}"
        if result.warnings:
            QMessageBox.warning(self, "立即备份", text + "\n\n" + "\n".join(result.warnings))
        else:
            QMessageBox.information(self, "立即备份", text)

    def selected_backup(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        found: list[BackupFile] = getattr(self, "found", [])
        if not rows or rows[0].row() >= len(found):
            return None
        path: Path = found[rows[0].row()].path
        return path

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            QMessageBox.information(self, "从备份恢复", "请先在列表中选中要恢复的备份。")
            return
        self.ask_restore(backup)

    def restore_from_file(self) -> None:
        folder = str(backup_folder.backup_settings(self.ctx.db).folder)
        chosen, _ = QFileDialog.getOpenFileName(
            self, "选择要恢复的备份文件", folder, "物业前台备份 (*.sqlite);;所有文件 (*)"
        )
        if chosen:
            self.ask_restore(Path(chosen))

    def ask_restore(self, backup: Path) -> None:
        """Check the backup and that no other counter has the database open, show what
        it holds beside what it replaces, and on 恢复 hand it to the session."""
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: restore.plan_restore(ctx.db, ctx.actor, backup),
            title="不能恢复",
        ).labelled("正在检查备份…").success(self._confirm_restore).run()

    def _confirm_restore(self, plan: RestorePlan) -> None:
        if RestoreConfirmDialog(plan, self).exec() != RestoreConfirmDialog.DialogCode.Accepted:
            return
        if not self.ctx.navigator.go(RestoreBackup(plan.backup.path)):
            QMessageBox.warning(self, "从备份恢复", "请在主窗口的“设置 → 备份与恢复”中恢复。")
