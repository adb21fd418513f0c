"""Renovations (装修管理): the application and its workflow, site inspections and
violations, and the lists the office reads.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.renovation.applications import (
        ChargeInput,
        RenovationInput,
        RenovationSettings,
        apply,
        approve,
        close,
        complete,
        extend,
        issue_permit,
        refuse_extension,
        reject,
        renovation_settings,
        request_extension,
        review,
        set_renovation_settings,
        settle,
        start_work,
    )
    from frontdesk.services.renovation.site import (
        InspectionRow,
        PhotoRow,
        ValidPass,
        ViolationRow,
        WorkerInput,
        WorkerRow,
        add_photo,
        add_worker,
        list_inspections,
        list_photos,
        list_violations,
        list_workers,
        record_inspection,
        record_violation,
        report_lost,
        resolve_violation,
        return_pass,
        valid_pass,
    )
    from frontdesk.services.renovation.views import (
        ChargeLine,
        EventRow,
        RenovationFacts,
        RenovationRow,
        bill_ids,
        deposit_deductions,
        facts,
        find_number,
        history,
        list_renovations,
    )

__all__ = [
    "ChargeInput",
    "ChargeLine",
    "EventRow",
    "InspectionRow",
    "PhotoRow",
    "RenovationFacts",
    "RenovationInput",
    "RenovationRow",
    "RenovationSettings",
    "ValidPass",
    "ViolationRow",
    "WorkerInput",
    "WorkerRow",
    "add_photo",
    "add_worker",
    "apply",
    "approve",
    "bill_ids",
    "close",
    "complete",
    "deposit_deductions",
    "extend",
    "facts",
    "find_number",
    "history",
    "issue_permit",
    "list_inspections",
    "list_photos",
    "list_renovations",
    "list_violations",
    "list_workers",
    "record_inspection",
    "record_violation",
    "refuse_extension",
    "reject",
    "renovation_settings",
    "report_lost",
    "request_extension",
    "resolve_violation",
    "return_pass",
    "review",
    "set_renovation_settings",
    "settle",
    "start_work",
    "valid_pass",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
