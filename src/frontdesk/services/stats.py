"""Record counts for `frontdesk stats`."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Attachment,
    AuditEntry,
    Bill,
    Building,
    ButlerContact,
    CareNeed,
    Certificate,
    Defect,
    GoodsPass,
    Handover,
    HeldKey,
    ItemLoan,
    KeyLending,
    LendableItem,
    LostItem,
    Parcel,
    ParkingUse,
    Payment,
    Person,
    Pet,
    Receipt,
    ReceiptVoid,
    Refund,
    Renovation,
    Room,
    ShiftAcknowledgement,
    ShiftEntry,
    Unit,
    User,
    Vehicle,
    Visit,
    VisitBooking,
    WatchEntry,
    WorkOrder,
)
from frontdesk.domain.rooms import RoomType

_COUNTED = {
    "buildings": Building,
    "units": Unit,
    "rooms": Room,
    "users": User,
    "audit_entries": AuditEntry,
    "persons": Person,
    "vehicles": Vehicle,
    "parking_uses": ParkingUse,
    "pets": Pet,
    "care_needs": CareNeed,
    "attachments": Attachment,
    "butler_contacts": ButlerContact,
    "bills": Bill,
    "payments": Payment,
    "receipts": Receipt,
    "receipt_voids": ReceiptVoid,
    "refunds": Refund,
    "visits": Visit,
    "visit_bookings": VisitBooking,
    "watch_entries": WatchEntry,
    "handovers": Handover,
    "defects": Defect,
    "renovations": Renovation,
    "tickets": WorkOrder,
    "goods_passes": GoodsPass,
    "lost_items": LostItem,
    "certificates": Certificate,
    "parcels": Parcel,
    "shift_entries": ShiftEntry,
    "shift_acknowledgements": ShiftAcknowledgement,
    "held_keys": HeldKey,
    "key_lendings": KeyLending,
    "lendable_items": LendableItem,
    "item_loans": ItemLoan,
}


def counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        result = {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in _COUNTED.items()
        }
        # A household is a room with at least one person on file.
        households = select(func.count(func.distinct(Person.room_id)))
        result["households"] = session.scalar(households) or 0
        by_type = dict(
            session.execute(select(Room.room_type, func.count()).group_by(Room.room_type)).all()
        )
    for room_type in RoomType:
        result[f"rooms_{room_type}"] = by_type.get(room_type, 0)
    return result
