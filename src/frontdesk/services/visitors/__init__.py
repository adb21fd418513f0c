"""Visitors (访客): registration at the gate, bookings, history, the watchlist, and the
settings that decide how long visitors' personal data is kept.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.visitors.bookings import (
        BookingInput,
        BookingRow,
        admit_booking,
        cancel_booking,
        create_booking,
        find_booking,
        list_bookings,
    )
    from frontdesk.services.visitors.history import (
        DayCounts,
        VisitFilter,
        day_counts,
        room_visits,
        search_visits,
    )
    from frontdesk.services.visitors.order_link import (
        VisitOrder,
        link_visit_order,
        order_by_number,
        room_open_orders,
    )
    from frontdesk.services.visitors.register import (
        HostPhone,
        InsideBoard,
        ReturningVisitor,
        RollCallRow,
        VisitInput,
        VisitRow,
        find_visit,
        get_visit,
        host_phones,
        inside_now,
        register_visit,
        returning_visitor,
        roll_call,
        sign_out,
        usual_leave,
    )
    from frontdesk.services.visitors.settings import (
        PurgeResult,
        VisitorSettings,
        fold_log,
        mark_pending,
        purge_visitor_data,
        set_visitor_settings,
        visitor_settings,
    )
    from frontdesk.services.visitors.watchlist import (
        WatchInput,
        WatchlistWarning,
        WatchMatch,
        WatchRow,
        add_watch,
        list_watch,
        record_warning,
        remove_watch,
    )

__all__ = [
    "BookingInput",
    "BookingRow",
    "DayCounts",
    "HostPhone",
    "InsideBoard",
    "PurgeResult",
    "ReturningVisitor",
    "RollCallRow",
    "VisitFilter",
    "VisitInput",
    "VisitOrder",
    "VisitRow",
    "VisitorSettings",
    "WatchInput",
    "WatchMatch",
    "WatchRow",
    "WatchlistWarning",
    "add_watch",
    "admit_booking",
    "cancel_booking",
    "create_booking",
    "day_counts",
    "find_booking",
    "find_visit",
    "fold_log",
    "get_visit",
    "host_phones",
    "inside_now",
    "link_visit_order",
    "list_bookings",
    "list_watch",
    "mark_pending",
    "order_by_number",
    "purge_visitor_data",
    "record_warning",
    "register_visit",
    "remove_watch",
    "returning_visitor",
    "roll_call",
    "room_open_orders",
    "room_visits",
    "search_visits",
    "set_visitor_settings",
    "sign_out",
    "usual_leave",
    "visitor_settings",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
