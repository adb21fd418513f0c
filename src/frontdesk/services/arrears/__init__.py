"""Arrears (欠费): who owes what and for how long, and the lawful 催缴 reminders
with their delivery record.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.arrears.listing import (
        ArrearsFilter,
        ArrearsReport,
        ArrearsRow,
        OpenItem,
        ReminderInput,
        ReminderRow,
        arrears_report,
        follow_ups,
        late_fee_terms,
        log_reminder,
        reminder_log,
        set_late_fee_terms,
        waive_late_fees,
    )
    from frontdesk.services.arrears.reminders import (
        DeliveryInput,
        NoticeDraft,
        NoticeLine,
        NoticeRow,
        PaymentDetails,
        draft_notices,
        ids_of_notices,
        notice_copy,
        payment_details,
        peek_notice_numbers,
        printed_notices,
        record_delivery,
        record_notices,
        require_payment_details,
        set_payment_details,
        set_wording,
        take_notice_numbers,
        wording,
    )

__all__ = [
    "ArrearsFilter",
    "ArrearsReport",
    "ArrearsRow",
    "DeliveryInput",
    "NoticeDraft",
    "NoticeLine",
    "NoticeRow",
    "OpenItem",
    "PaymentDetails",
    "ReminderInput",
    "ReminderRow",
    "arrears_report",
    "draft_notices",
    "follow_ups",
    "ids_of_notices",
    "late_fee_terms",
    "log_reminder",
    "notice_copy",
    "payment_details",
    "peek_notice_numbers",
    "printed_notices",
    "record_delivery",
    "record_notices",
    "reminder_log",
    "require_payment_details",
    "set_late_fee_terms",
    "set_payment_details",
    "set_wording",
    "take_notice_numbers",
    "waive_late_fees",
    "wording",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
