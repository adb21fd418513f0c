"""A parcel's photo: read back for the clerk, and dropped with the names it shows.

The photo is taken at intake (`take_in`) into the attachments store, as a lost item's;
the waybill on it shows the recipient's name and phone, so the retention purge and the
personal-data erase clear its columns and unlink the file no other row names."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Parcel
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import NotFound
from frontdesk.services.access import require
from frontdesk.services.households.attachments import stored_attachments
from frontdesk.services.service_desk.photo_files import used_hashes


def parcel_photo(db: Database, actor: Actor, parcel_id: int) -> bytes:
    """The photo taken when the parcel came in, to compare with the one collecting it."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    with db.read() as session:
        sha256 = session.scalar(select(Parcel.sha256).where(Parcel.id == parcel_id))
    data = stored_attachments(db).read(sha256) if sha256 else None
    if data is None:
        raise NotFound("该快递没有照片。")
    return data


def drop_photos(session: Session, where: ColumnElement[bool]) -> set[str]:
    """Clear the photo of the parcels `where` selects; returns the hashes no row names
    any more, to unlink once the transaction has committed."""
    with_photo = where & (Parcel.sha256 != "")
    hashes = set(session.scalars(select(Parcel.sha256).where(with_photo).distinct()))
    if not hashes:
        return set()
    session.execute(
        update(Parcel)
        .where(with_photo)
        .values(sha256="", photo_name="")
        .execution_options(synchronize_session=False)
    )
    return hashes - used_hashes(session, hashes)
