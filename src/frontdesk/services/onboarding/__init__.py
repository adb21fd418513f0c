"""Moving an office onto FrontDesk (数据导入): reading its spreadsheets into import
lines, checking them against the database, writing them all or nothing, undoing an
import whole, the mappings saved for the next file.

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
    from frontdesk.services.onboarding.guessing import (
        ColumnGuess,
        distinct_values,
        guess_columns,
        guess_kind,
        suggest_value,
        suggested_setup,
    )
    from frontdesk.services.onboarding.mappings import (
        SavedMapping,
        save_mapping,
        saved_mappings,
    )
    from frontdesk.services.onboarding.reading import (
        find_link,
        link_for,
        read_lines,
        setup_from_json,
        setup_to_json,
        setup_with_link,
        setup_with_map,
        setup_with_values,
        value_matches,
    )
    from frontdesk.services.onboarding.report import write_report
    from frontdesk.services.onboarding.sheets import SheetTable, read_table, sheet_names
    from frontdesk.services.onboarding.totals import office_totals
    from frontdesk.services.onboarding.undoing import ImportRow, list_imports, undo_import
    from frontdesk.services.onboarding.writing import ImportDone, commit_import

__all__ = [
    "ColumnGuess",
    "ImportDone",
    "ImportFile",
    "ImportPlan",
    "ImportRow",
    "SavedMapping",
    "SheetTable",
    "check_import",
    "commit_import",
    "distinct_values",
    "file_of",
    "find_link",
    "guess_columns",
    "guess_kind",
    "link_for",
    "list_imports",
    "office_totals",
    "read_lines",
    "read_table",
    "save_mapping",
    "saved_mappings",
    "setup_from_json",
    "setup_to_json",
    "setup_with_link",
    "setup_with_map",
    "setup_with_values",
    "sheet_names",
    "suggest_value",
    "suggested_setup",
    "undo_import",
    "value_matches",
    "write_report",
]

__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
