"""All mapped classes; importing this package registers every table on Base.metadata."""

from frontdesk.db.models.audit import AuditEntry
from frontdesk.db.models.community import Community, Setting
from frontdesk.db.models.households import (
    Attachment,
    ButlerContact,
    CareNeed,
    HouseholdProfile,
    ParkingUse,
    Person,
    Pet,
    Vehicle,
)
from frontdesk.db.models.structure import Building, Room, Unit
from frontdesk.db.models.users import User

__all__ = [
    "Attachment",
    "AuditEntry",
    "Building",
    "ButlerContact",
    "CareNeed",
    "Community",
    "HouseholdProfile",
    "ParkingUse",
    "Person",
    "Pet",
    "Room",
    "Setting",
    "Unit",
    "User",
    "Vehicle",
]
