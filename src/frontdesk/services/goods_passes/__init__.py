"""Goods passes (物品放行条): issued at the counter for goods leaving a flat, checked
once at the gate; the home-screen line, the shift handover item and the retention of
the applicants' personal data.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.goods_passes.board import handover_item, today_lines
    from frontdesk.services.goods_passes.passes import (
        GoodsPassInput,
        GoodsPassRow,
        cancel_pass,
        check_at_gate,
        find_pass,
        get_pass,
        household_warnings,
        issue_pass,
        list_passes,
        open_passes,
        room_passes,
    )
    from frontdesk.services.goods_passes.settings import (
        GoodsPassSettings,
        goods_pass_settings,
        purge_personal_data,
        set_goods_pass_settings,
    )

__all__ = [
    "GoodsPassInput",
    "GoodsPassRow",
    "GoodsPassSettings",
    "cancel_pass",
    "check_at_gate",
    "find_pass",
    "get_pass",
    "goods_pass_settings",
    "handover_item",
    "household_warnings",
    "issue_pass",
    "list_passes",
    "open_passes",
    "purge_personal_data",
    "room_passes",
    "set_goods_pass_settings",
    "today_lines",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
