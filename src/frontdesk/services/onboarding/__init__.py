"""Moving an office onto FrontDesk (数据导入): reading its spreadsheets, checking the
lines against the database, writing them all or nothing, undoing an import whole,
the mappings saved for the next file.

The area's use-cases with their inputs and rows, loaded on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.onboarding.checking import (
        ImportFile,
        ImportPlan,
        check_import,
        file_of,
    )
    from frontdesk.services.onboarding.mappings import (
        SavedMapping,
        save_mapping,
        saved_mappings,
    )
    from frontdesk.services.onboarding.report import write_report
    from frontdesk.services.onboarding.totals import office_totals
    from frontdesk.services.onboarding.undoing import ImportRow, list_imports, undo_import
    from frontdesk.services.onboarding.writing import ImportDone, commit_import

__all__ = [
    "ImportDone",
    "ImportFile",
    "ImportPlan",
    "ImportRow",
    "SavedMapping",
    "check_import",
    "commit_import",
    "file_of",
    "list_imports",
    "office_totals",
    "save_mapping",
    "saved_mappings",
    "undo_import",
    "write_report",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
