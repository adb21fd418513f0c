"""Lost property (失物招领): items found and kept at the office, claimed with an identity
check and a signature, or handed to the police or disposed of after the keeping period;
the home-screen line, the shift handover item and the retention of people's details.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.lost_property.board import handover_item, today_lines
    from frontdesk.services.lost_property.items import (
        ClaimInput,
        FoundInput,
        LostItemRow,
        claim_item,
        dispose_item,
        find_item,
        item_photo,
        list_items,
        record_found,
    )
    from frontdesk.services.lost_property.settings import (
        LostPropertySettings,
        lost_property_settings,
        purge_personal_data,
        set_lost_property_settings,
    )

__all__ = [
    "ClaimInput",
    "FoundInput",
    "LostItemRow",
    "LostPropertySettings",
    "claim_item",
    "dispose_item",
    "find_item",
    "handover_item",
    "item_photo",
    "list_items",
    "lost_property_settings",
    "purge_personal_data",
    "record_found",
    "set_lost_property_settings",
    "today_lines",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
