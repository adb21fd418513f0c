"""The wizard's first page: the file, its sheet, what it holds, a saved mapping, and the
owners' sheet when owners are kept apart (linked by 业主编号)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWizardPage,
)

from frontdesk.domain.onboarding import ImportKind, ImportSetup, Link
from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.admin.import_choices import ImportChoices
from frontdesk.services import onboarding
from frontdesk.services.fees import items
from frontdesk.services.onboarding import SavedMapping, reading
from frontdesk.services.onboarding.choosing import starting_setup
from frontdesk.services.onboarding.reading import SheetTable
from frontdesk.services.progress import Progress

EXCEL_FILTER = "Excel 工作簿 (*.xlsx)"
NO_MAPPING = "（按表头自动识别）"
NO_LINK = "（无，业主在本表中）"


def mnemonic_label(text: str, buddy: QComboBox | QLineEdit) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class FilePage(QWizardPage):
    def __init__(self, ctx: AppContext, choices: ImportChoices, kind: ImportKind) -> None:
        super().__init__()
        self.ctx = ctx
        self.choices = choices
        self.mappings: list[SavedMapping] = []
        self.setTitle("第 1 步：选择文件")
        self.setSubTitle(
            "选择原系统导出或手工整理的 Excel 表（.xlsx）。"
            "表头上方的标题、说明行和表格旁的备注会被跳过。"
        )
        form = QFormLayout(self)
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("尚未选择文件")
        self.choose_button = QPushButton("选择文件(&O)…")
        self.choose_button.setAutoDefault(False)  # Enter is 下一步 on every page
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        form.addRow(mnemonic_label("文件(&E)：", self.path_edit), row)
        self.sheet_combo = QComboBox()
        form.addRow(mnemonic_label("工作表(&S)：", self.sheet_combo), self.sheet_combo)
        self.kind_combo = QComboBox()
        for one in ImportKind:
            self.kind_combo.addItem(one.label, one.value)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))
        form.addRow(mnemonic_label("表中内容(&K)：", self.kind_combo), self.kind_combo)
        self.mapping_combo = QComboBox()
        self.mapping_combo.addItem(NO_MAPPING, "")
        form.addRow(mnemonic_label("对应关系(&M)：", self.mapping_combo), self.mapping_combo)
        self.link_combo = QComboBox()
        self.link_combo.addItem(NO_LINK, "")
        form.addRow(mnemonic_label("业主另表(&L)：", self.link_combo), self.link_combo)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self.choose_button.clicked.connect(self.ask_file)
        self.sheet_combo.activated.connect(lambda _index: self._read_sheet())

    def initializePage(self) -> None:
        ctx = self.ctx

        def work() -> tuple[list[SavedMapping], list[str]]:
            mappings = onboarding.saved_mappings(ctx.db, ctx.actor)
            return mappings, [i.name for i in items.list_fee_items(ctx.db, active_only=True)]

        Op(self, ctx.tasks, work, title="数据导入").success(self._known).run()

    def _known(self, known: tuple[list[SavedMapping], list[str]]) -> None:
        self.mappings, self.choices.fee_items = known
        self.mapping_combo.clear()
        self.mapping_combo.addItem(NO_MAPPING, "")
        for mapping in self.mappings:
            self.mapping_combo.addItem(f"{mapping.name}（{mapping.kind.label}）", mapping.name)

    def ask_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择要导入的文件", "", EXCEL_FILTER)
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        """Read the file's sheets and the first sheet's table."""
        self.choices.path = path
        self.choices.forget_from_table()
        self.path_edit.setText(str(path))
        self.completeChanged.emit()

        def work(_progress: Progress) -> tuple[list[str], SheetTable, Link | None]:
            return (reading.sheet_names(path), *_table_and_link(path, None))

        self.ctx.tasks.run(self, "正在读取文件…", work, self._loaded)

    def _loaded(self, read: tuple[list[str], SheetTable, Link | None]) -> None:
        sheets, table, link = read
        self.choices.sheets = sheets
        for combo, first in ((self.sheet_combo, None), (self.link_combo, NO_LINK)):
            combo.clear()
            if first is not None:
                combo.addItem(first, "")
            for sheet in sheets:
                combo.addItem(sheet, sheet)
        self.sheet_combo.setCurrentIndex(max(0, sheets.index(table.sheet)))
        self._show_table((table, link))
        self.sheet_combo.setFocus()  # the file chosen: Enter goes on

    def _read_sheet(self) -> None:
        path, sheet = self.choices.path, self.sheet_combo.currentData()
        if path is None or not sheet:
            return
        self.choices.forget_from_table()
        self.completeChanged.emit()

        def work(_progress: Progress) -> tuple[SheetTable, Link | None]:
            return _table_and_link(path, sheet)

        self.ctx.tasks.run(self, "正在读取工作表…", work, self._show_table)

    def _show_table(self, read: tuple[SheetTable, Link | None]) -> None:
        table, link = read
        self.choices.table = table
        # owner numbers whose owners are on another sheet: that sheet, else none
        self.link_combo.setCurrentIndex(
            max(0, self.link_combo.findData(link.sheet if link else ""))
        )
        skipped = f"，跳过标题、说明、空行和合计行 {len(table.skipped)} 行" if table.skipped else ""
        self.status.setText(
            f"工作表“{table.sheet}”：表头在第 {table.header_row} 行，"
            f"数据 {len(table.rows)} 行{skipped}。"
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.choices.table is not None

    def validatePage(self) -> bool:
        table = self.choices.table
        if table is None:
            return False
        self.choices.setup = self._setup(table)
        self.choices.kind_follows_columns = (
            self.kind_combo.currentData() == ImportKind.AUTO
            and not self.mapping_combo.currentData()
        )
        self.choices.guesses = reading.guess_columns(table, self.choices.setup.kind)
        return True

    def _setup(self, table: SheetTable) -> ImportSetup:
        path = self.choices.path
        assert path is not None  # the table was read from it
        name = self.mapping_combo.currentData()
        saved = next((m.setup_json for m in self.mappings if m.name == name), None)
        link_sheet = self.link_combo.currentData()
        return starting_setup(
            path,
            table,
            ImportKind(self.kind_combo.currentData()),
            saved_json=saved,
            fee_items=self.choices.fee_items,
            link=reading.link_for(path, link_sheet) if link_sheet else None,
        )


def _table_and_link(path: Path, sheet: str | None) -> tuple[SheetTable, Link | None]:
    table = reading.read_table(path, sheet)
    return table, reading.find_link(path, table)
