"""Notices (通知公告) and the document register (发文登记): every PDF the office issues.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.notices.posting import (
        NoticeCopy,
        NoticeFilter,
        NoticePlan,
        NoticeRequest,
        NoticeRow,
        list_notices,
        notice_copy,
        plan,
        take_number,
    )
    from frontdesk.services.notices.register import (
        IssuedRow,
        RegisterFilter,
        StoreProblem,
        get_issued,
        list_issued,
        open_issued,
        read_stored,
        record_reprint,
        room_documents,
        staged_bytes,
        stored_documents,
        unlink_stored,
        verify_store,
    )
    from frontdesk.services.notices.templates import (
        TemplateRow,
        get_template,
        list_templates,
        reset_template,
        save_template,
        set_retired,
        template_to_issue,
    )

__all__ = [
    "IssuedRow",
    "NoticeCopy",
    "NoticeFilter",
    "NoticePlan",
    "NoticeRequest",
    "NoticeRow",
    "RegisterFilter",
    "StoreProblem",
    "TemplateRow",
    "get_issued",
    "get_template",
    "list_issued",
    "list_notices",
    "list_templates",
    "notice_copy",
    "open_issued",
    "plan",
    "read_stored",
    "record_reprint",
    "reset_template",
    "room_documents",
    "save_template",
    "set_retired",
    "staged_bytes",
    "stored_documents",
    "take_number",
    "template_to_issue",
    "unlink_stored",
    "verify_store",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
