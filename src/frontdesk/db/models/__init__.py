"""All mapped classes; importing this package registers every table on Base.metadata."""

from frontdesk.db.models.audit import AuditEntry
from frontdesk.db.models.community import Community, Setting
from frontdesk.db.models.structure import Building, Room, Unit
from frontdesk.db.models.users import User

__all__ = ["AuditEntry", "Building", "Community", "Room", "Setting", "Unit", "User"]
