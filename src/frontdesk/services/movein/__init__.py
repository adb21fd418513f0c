"""Move-in (入伙): handover batches and appointments, the checklist and its steps,
defects found at inspection, and the owner handbook.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.movein.defects import (
        DefectInput,
        DefectRow,
        PhotoRow,
        add_defect,
        add_photo,
        list_defects,
        list_photos,
        mark_fixed,
        photo_path,
        recheck,
    )
    from frontdesk.services.movein.handbook import (
        Book,
        HandbookValues,
        SectionRow,
        compose,
        fee_standards,
        handbook_values,
        reset_section,
        save_section,
        sections,
        set_handbook_values,
        values_for,
    )
    from frontdesk.services.movein.handover import (
        BatchBoard,
        BatchRow,
        BoardRow,
        Checklist,
        StepRow,
        batch_board,
        checklist,
        complete_handover,
        create_batch,
        list_batches,
        mark_moved_in,
        record_step,
        set_appointment,
    )
    from frontdesk.services.movein.steps import (
        FeeReceipt,
        fee_months,
        fee_receipts,
        room_fee_standards,
        set_fee_months,
    )

__all__ = [
    "BatchBoard",
    "BatchRow",
    "BoardRow",
    "Book",
    "Checklist",
    "DefectInput",
    "DefectRow",
    "FeeReceipt",
    "HandbookValues",
    "PhotoRow",
    "SectionRow",
    "StepRow",
    "add_defect",
    "add_photo",
    "batch_board",
    "checklist",
    "complete_handover",
    "compose",
    "create_batch",
    "fee_months",
    "fee_receipts",
    "fee_standards",
    "handbook_values",
    "list_batches",
    "list_defects",
    "list_photos",
    "mark_fixed",
    "mark_moved_in",
    "photo_path",
    "recheck",
    "record_step",
    "reset_section",
    "room_fee_standards",
    "save_section",
    "sections",
    "set_appointment",
    "set_fee_months",
    "set_handbook_values",
    "values_for",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
