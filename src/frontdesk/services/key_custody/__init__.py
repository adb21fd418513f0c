"""钥匙托管 (key custody): keys held for flats on the owner's authorisation, lent out
and returned, handed back to the owner; the register's retention, its home-screen
lines and its part of the shift handover.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.key_custody.keys import (
        KeyInput,
        KeyRow,
        find_key,
        keys_of_room,
        list_keys,
        receive_key,
        release_key,
        scan_file,
    )
    from frontdesk.services.key_custody.lendings import (
        KeyLink,
        LendingRow,
        LendInput,
        key_history,
        key_links,
        keys_out,
        lend_key,
        return_key,
    )
    from frontdesk.services.key_custody.settings import (
        KeySettings,
        key_settings,
        purge_personal_data,
        set_key_settings,
    )
    from frontdesk.services.key_custody.today import handover_item, today_lines

__all__ = [
    "KeyInput",
    "KeyLink",
    "KeyRow",
    "KeySettings",
    "LendInput",
    "LendingRow",
    "find_key",
    "handover_item",
    "key_history",
    "key_links",
    "key_settings",
    "keys_of_room",
    "keys_out",
    "lend_key",
    "list_keys",
    "purge_personal_data",
    "receive_key",
    "release_key",
    "return_key",
    "scan_file",
    "set_key_settings",
    "today_lines",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
