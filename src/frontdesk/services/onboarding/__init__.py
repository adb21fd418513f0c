"""Moving an office onto FrontDesk (数据导入): reading its spreadsheets into import
lines, checking them against the database, writing them all or nothing, undoing an
import.

The area's use-cases, loaded on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.onboarding.guessing import (
        ColumnGuess,
        distinct_values,
        guess_columns,
        guess_kind,
        suggest_value,
        suggested_setup,
    )
    from frontdesk.services.onboarding.reading import (
        find_link,
        link_for,
        read_lines,
        setup_from_json,
        setup_to_json,
        setup_with_link,
        setup_with_map,
    )
    from frontdesk.services.onboarding.sheets import SheetTable, read_table, sheet_names

__all__ = [
    "ColumnGuess",
    "SheetTable",
    "distinct_values",
    "find_link",
    "guess_columns",
    "guess_kind",
    "link_for",
    "read_lines",
    "read_table",
    "setup_from_json",
    "setup_to_json",
    "setup_with_link",
    "setup_with_map",
    "sheet_names",
    "suggest_value",
    "suggested_setup",
]

__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
