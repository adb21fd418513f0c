"""Parcels (快递代收): taking parcels in for households, handing them over on the pick-up
code or the tracking number, the shelf lists and search, the settings, and erasing
names when their retention ends.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.parcels.intake import (
        HandOver,
        ParcelInput,
        ParcelRow,
        Recipient,
        find_parcel,
        get_parcel,
        hand_over,
        recipients,
        take_in,
    )
    from frontdesk.services.parcels.lists import (
        ShelfCount,
        search_parcels,
        shelf_count,
        waiting_parcels,
    )
    from frontdesk.services.parcels.photos import parcel_photo
    from frontdesk.services.parcels.settings import (
        ParcelPurge,
        ParcelSettings,
        parcel_settings,
        purge_parcels,
        purge_personal_data,
        set_parcel_settings,
    )
    from frontdesk.services.parcels.today import handover_item, today_lines

__all__ = [
    "HandOver",
    "ParcelInput",
    "ParcelPurge",
    "ParcelRow",
    "ParcelSettings",
    "Recipient",
    "ShelfCount",
    "find_parcel",
    "get_parcel",
    "hand_over",
    "handover_item",
    "parcel_photo",
    "parcel_settings",
    "purge_parcels",
    "purge_personal_data",
    "recipients",
    "search_parcels",
    "set_parcel_settings",
    "shelf_count",
    "take_in",
    "today_lines",
    "waiting_parcels",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
