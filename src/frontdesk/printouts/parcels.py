"""The 快递代收 label of a parcel, registered in the issued-documents register."""

from __future__ import annotations

from frontdesk.documents.parcel_label import ParcelLabelDoc, parcel_label_pdf
from frontdesk.domain.clock import local_time
from frontdesk.domain.issued import DocKind, Issue, Printout, Subject
from frontdesk.domain.names import mask_name
from frontdesk.printouts import letterhead
from frontdesk.services.database import Database
from frontdesk.services.parcels.intake import ParcelRow


def label_doc(row: ParcelRow) -> ParcelLabelDoc:
    return ParcelLabelDoc(
        number=row.number,
        code=row.code,
        room=row.room_code,
        recipient=mask_name(row.recipient) if not row.purged else "",
        courier=row.courier,
        tracking_tail=row.tracking_tail,
        shelf=row.shelf,
        received_at=local_time(row.received_at, seconds=False),
    )


def parcel_label(db: Database, row: ParcelRow) -> Printout:
    """The label of a parcel just taken in (or found again to reprint)."""
    pdf = parcel_label_pdf(letterhead(db), label_doc(row))
    issue = Issue(
        DocKind.PARCEL_LABEL, f"快递代收标签 {row.number}", row.number, (Subject(row.room_id),)
    )
    return Printout(pdf, issue)
