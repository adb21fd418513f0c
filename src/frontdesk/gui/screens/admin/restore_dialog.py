"""从备份恢复: the confirmation shows what the backup holds beside what it replaces
(time, community, households, the payments and the last one with its receipt number,
the audit log), so the supervisor sees which day's data comes back and which later
work is set aside."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.protection.backup_contents import Contents
from frontdesk.services.protection.restore import RestorePlan

ROWS = ("备份时间/最后修改", "小区", "住户", "收款记录", "最后一笔收款", "审计记录")
HEADERS = ("备份（将恢复）", "当前数据库（将被替换）")


def _cells(contents: Contents) -> tuple[str, ...]:
    if contents.problem:
        return (f"无法读取：{contents.problem}",) + ("",) * (len(ROWS) - 1)
    return (
        contents.when,
        contents.community or "（未设置）",
        f"{contents.households} 户",
        contents.received,
        contents.last_payment,
        f"{contents.audit_entries} 条",
    )


class RestoreConfirmDialog(QDialog):
    """恢复 / 取消, with the two files side by side."""

    def __init__(self, plan: RestorePlan, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        layout = QVBoxLayout(self)
        backup, current = plan.backup, plan.current
        self.intro = QLabel(f"用备份 {backup.path.name} 替换数据库 {plan.db_path}？")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        self.table = QTableWidget(len(ROWS), 2)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setVerticalHeaderLabels(ROWS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        columns = (_cells(backup), _cells(current) if current else ("（此处还没有数据库）",))
        for column, cells in enumerate(columns):
            for row, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        whole = sum(self.table.columnWidth(c) for c in range(2))  # nothing clipped
        self.table.setMinimumWidth(max(640, whole + self.table.verticalHeader().width() + 24))
        self.table.setFixedHeight(
            self.table.horizontalHeader().height()
            + sum(self.table.rowHeight(r) for r in range(len(ROWS)))
            + 4
        )
        layout.addWidget(self.table)

        upgrade = "备份来自较早的版本，恢复后将升级到本程序的数据结构。\n" if plan.upgrades else ""
        warning = QLabel(
            "恢复后，备份时间之后在当前数据库中的所有收款、登记和修改都不在恢复后的数据里"
            "（当前数据库会先另存为“恢复前”备份，保留 30 天）。\n"
            f"{upgrade}已确认没有其他电脑上的物业前台打开这个数据库。"
            "恢复时本窗口关闭，完成后请重新登录。"
        )
        warning.setWordWrap(True)
        warning.setStyleSheet("QLabel { color: #c62828; }")
        layout.addWidget(warning)

        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("恢复", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def cell(self, row: str, column: int) -> str:
        item = self.table.item(ROWS.index(row), column)
        return item.text() if item is not None else ""
