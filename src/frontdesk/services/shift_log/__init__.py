"""交接班记录 (the shift handover book): the draft made from every register's provider,
handing over, acknowledging by signing in, 补记, the book by date, and the home screen's
line for a handover waiting to be acknowledged.

The area's use-cases (functions taking the `Database`) with their rows, loaded on
first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.shift_log.book import (
        EntryRow,
        HandoverDraft,
        acknowledge,
        add_note,
        book_entries,
        draft_handover,
        get_entry,
        hand_over,
        handover_for,
        sign_and_acknowledge,
        waiting_handover,
    )
    from frontdesk.services.shift_log.providers import (
        PROVIDERS,
        Provider,
        callbacks_due,
        cash_not_closed,
        open_work_orders,
        visitors_inside,
    )
    from frontdesk.services.shift_log.today import today_lines

__all__ = [
    "PROVIDERS",
    "EntryRow",
    "HandoverDraft",
    "Provider",
    "acknowledge",
    "add_note",
    "book_entries",
    "callbacks_due",
    "cash_not_closed",
    "draft_handover",
    "get_entry",
    "hand_over",
    "handover_for",
    "open_work_orders",
    "sign_and_acknowledge",
    "today_lines",
    "visitors_inside",
    "waiting_handover",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
