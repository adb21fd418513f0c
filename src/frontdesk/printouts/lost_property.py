"""The 失物认领单 of an item claimed, registered in the document register."""

from __future__ import annotations

from frontdesk.documents.lost_claim import LostClaimDoc, lost_claim_pdf
from frontdesk.domain.clock import local_time
from frontdesk.domain.issued import DocKind, Issue, Printout
from frontdesk.domain.lost_property import IdCheck
from frontdesk.domain.roles import Actor
from frontdesk.errors import UserError
from frontdesk.printouts import letterhead
from frontdesk.services import lost_property
from frontdesk.services.database import Database


def claim_form(db: Database, actor: Actor, number: str) -> Printout:
    """The form the claimant signs, for an item already claimed."""
    row = lost_property.find_item(db, actor, number)
    if row.claimed_at is None or row.id_check is None:
        raise UserError(f"失物 {row.number} 尚未认领，认领后才能打印认领单。")
    id_text = row.id_check.label
    if row.id_check == IdCheck.ID_CARD and row.claimant_id:
        id_text += f" {row.claimant_id}"
    doc = LostClaimDoc(
        number=row.number,
        category=row.category.label,
        description=row.description,
        found=f"{local_time(row.found_at, seconds=False)} {row.found_place}",
        claimant=row.claimant,
        phone=row.claimant_phone,
        id_text=id_text,
        claimed_at=local_time(row.claimed_at, seconds=False),
        handed_by=row.handed_by,
    )
    pdf = lost_claim_pdf(letterhead(db), doc)
    return Printout(pdf, Issue(DocKind.LOST_CLAIM, f"失物认领单 {row.number}", row.number))
