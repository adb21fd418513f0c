"""快递代收: parcels the counter takes in for households, and who collected them.

The recipient's and the collector's names never enter the audit log
(`__audit_secret__`), so erasing them when the retention period ends leaves no copy
behind; the room, courier, shelf and times stay for the counts. The recipient's
phone is not copied: a phone tail finds the parcel through the household's people.
The optional photo (the parcel with its waybill, which shows the recipient's name and
phone) is in the attachments store under its SHA-256 (`sha256`, '' for none); it goes
with the names when they are erased.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import ByUser, UTCDateTime, enum_column
from frontdesk.db.models.households import RoomRecord
from frontdesk.domain.parcels import IdentityCheck

PARCEL_FIELDS = frozenset({"recipient", "collector", "note", "photo_name"})
WAITING = text("collected_at IS NULL")


class Parcel(RoomRecord):
    """One parcel: on the shelf from `received_at`, handed over at `collected_at`."""

    __tablename__ = "parcel"
    __table_args__ = (
        # A pick-up code names one parcel on the shelves; it is free again once collected.
        Index(
            "ux_parcel_waiting_code",
            "code",
            unique=True,
            sqlite_where=WAITING,
            postgresql_where=WAITING,
        ),
        Index("ix_parcel_waiting", "received_at", sqlite_where=WAITING, postgresql_where=WAITING),
        Index("ix_parcel_received_at", "received_at"),
        Index("ix_parcel_tracking", "tracking"),
        # A name's newest parcels from the index alone, without reading each row.
        Index("ix_parcel_recipient", "recipient", "received_at"),
        CheckConstraint(
            "(collected_at IS NULL AND identity_check IS NULL)"
            " OR (collected_at IS NOT NULL AND identity_check IS NOT NULL)",
            name="collected_with_check",
        ),
    )
    __audit_label__ = "快递代收"
    __audit_secret__ = PARCEL_FIELDS

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)  # KD2612070001
    code: Mapped[str] = mapped_column(String(6))  # the pick-up code on the label
    courier: Mapped[str] = mapped_column(String(20))
    tracking: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(40))  # name on the parcel, as chosen
    shelf: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")  # the photo, '' for none
    photo_name: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_by: Mapped[str] = mapped_column(String(40))
    received_by_id: Mapped[ByUser]
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    collector: Mapped[str] = mapped_column(String(40), default="")  # who took it away
    by_proxy: Mapped[bool] = mapped_column(Boolean, default=False)  # named by the recipient
    identity_check: Mapped[IdentityCheck | None] = mapped_column(
        enum_column(IdentityCheck, "identity_check")
    )
    handed_by: Mapped[str] = mapped_column(String(40), default="")
    handed_by_id: Mapped[ByUser]
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def audit_title(self) -> str:
        return self.number
