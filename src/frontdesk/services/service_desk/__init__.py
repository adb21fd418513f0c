"""The service desk (客服中心): work orders (工单) from the first call to the callback,
the board and the callback list, the categories with their promises and the staff.

The area's use-cases (functions taking a `Store`) with their inputs and rows, loaded on
first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.service_desk.orders import (
        CallbackInput,
        OrderInput,
        RepeatRow,
        Taken,
        arrive,
        callback,
        callback_failed,
        close,
        dispatch,
        finish,
        pause,
        reopen,
        repeats,
        resume,
        return_to_desk,
        take_order,
        transfer,
    )
    from frontdesk.services.service_desk.report import (
        Kept,
        MonthFigures,
        Satisfaction,
        ServiceFigures,
        service_figures,
    )
    from frontdesk.services.service_desk.settings import (
        CategoryInput,
        CategoryRow,
        StaffInput,
        StaffRow,
        UserChoice,
        categories,
        category_id,
        linkable_users,
        save_category,
        save_staff,
        set_on_duty,
        staff,
    )
    from frontdesk.services.service_desk.views import (
        EventRow,
        OrderFacts,
        OrderRow,
        awaiting_worker,
        board,
        callback_list,
        caller_phone_for_worker,
        find_number,
        list_orders,
        order_facts,
        room_orders,
    )

__all__ = [
    "CallbackInput",
    "CategoryInput",
    "CategoryRow",
    "EventRow",
    "Kept",
    "MonthFigures",
    "OrderFacts",
    "OrderInput",
    "OrderRow",
    "RepeatRow",
    "Satisfaction",
    "ServiceFigures",
    "StaffInput",
    "StaffRow",
    "Taken",
    "UserChoice",
    "arrive",
    "awaiting_worker",
    "board",
    "callback",
    "callback_failed",
    "callback_list",
    "caller_phone_for_worker",
    "categories",
    "category_id",
    "close",
    "dispatch",
    "find_number",
    "finish",
    "linkable_users",
    "list_orders",
    "order_facts",
    "pause",
    "reopen",
    "repeats",
    "resume",
    "return_to_desk",
    "room_orders",
    "save_category",
    "save_staff",
    "service_figures",
    "set_on_duty",
    "staff",
    "take_order",
    "transfer",
]

__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
