"""数据导入 wizard (设置 → 数据导入 → 导入文件…, and the main window's 导入业主名册):
1 the file, its sheet and a saved mapping; 2 what each column means; 3 the office's
words for room types, statuses, kinds of people… mapped to ours; 4 the check: the file's
totals, the new buildings to confirm, every refused row, the first rows as they will be
stored; then the import, all or nothing, and 5 the totals before and after, and the
mapping saved under a name for next time.

The wizard holds the clerk's choices (`ImportChoices`); reading, checking and writing
are services/onboarding's, run off the GUI thread through ctx.tasks. Keyboard only:
every field has its mnemonic, Enter presses 下一步.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget, QWizard

from frontdesk.domain.onboarding import ImportKind
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.import_choices import ImportChoices
from frontdesk.gui.screens.admin.import_wizard_check import CheckPage, DonePage
from frontdesk.gui.screens.admin.import_wizard_columns import ColumnsPage, ValuesPage
from frontdesk.gui.screens.admin.import_wizard_file import FilePage

FILE_PAGE, COLUMNS_PAGE, VALUES_PAGE, CHECK_PAGE, DONE_PAGE = range(5)


class ImportWizard(QWizard):
    """After a finished import `choices.done` holds its totals (the screens learn of the
    new rooms and people as a change)."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, kind: ImportKind = ImportKind.AUTO
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.choices = ImportChoices()
        self.setWindowTitle("数据导入")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        for button, text in (
            (QWizard.WizardButton.NextButton, "下一步(&N)"),
            (QWizard.WizardButton.BackButton, "上一步(&B)"),
            (QWizard.WizardButton.CommitButton, "导入(&I)"),
            (QWizard.WizardButton.FinishButton, "完成"),
            (QWizard.WizardButton.CancelButton, "取消"),
        ):
            self.setButtonText(button, text)
        self.file_page = FilePage(ctx, self.choices, kind)
        self.columns_page = ColumnsPage(self.choices)
        self.values_page = ValuesPage(ctx, self.choices)
        self.check_page = CheckPage(ctx, self.choices)
        self.done_page = DonePage(ctx, self.choices)
        for page_id, page in (
            (FILE_PAGE, self.file_page),
            (COLUMNS_PAGE, self.columns_page),
            (VALUES_PAGE, self.values_page),
            (CHECK_PAGE, self.check_page),
            (DONE_PAGE, self.done_page),
        ):
            self.setPage(page_id, page)
        self.resize(980, 640)

    def nextId(self) -> int:
        """The values page only when a mapped column has values to map."""
        current = self.currentId()
        if current == COLUMNS_PAGE and not self.choices.asks_values():
            return CHECK_PAGE
        return super().nextId()

    def open_file(self, path: Path) -> None:
        """Start with this file (the main window's roster import, tests)."""
        self.file_page.load(path)
