"""物品借用 (lending): the things the office lends with their stock, lendings to
households with a deposit through the cashier when the item takes one, returns, the
overdue list; the register's retention, home-screen line and part of the handover.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.lending.items import ItemInput, ItemRow, list_items, save_item
    from frontdesk.services.lending.loans import (
        LoanInput,
        LoanRow,
        lend_item,
        list_loans,
        return_item,
        room_loans,
    )
    from frontdesk.services.lending.settings import (
        LendingSettings,
        lending_settings,
        purge_personal_data,
        set_lending_settings,
    )
    from frontdesk.services.lending.today import handover_item, today_lines

__all__ = [
    "ItemInput",
    "ItemRow",
    "LendingSettings",
    "LoanInput",
    "LoanRow",
    "handover_item",
    "lend_item",
    "lending_settings",
    "list_items",
    "list_loans",
    "purge_personal_data",
    "return_item",
    "room_loans",
    "save_item",
    "set_lending_settings",
    "today_lines",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
