"""Who did it: the one way every writer records a person on a `<verb>_by` column.

Each such column is a snapshot of the name as screens and papers show it (what the
row said on the day, even after the account is renamed), and beside it
`<verb>_by_id` holds the user's id (db/base.ByUser), so a record can be traced to an
account without matching names. The system (SYSTEM, the demo) has no id: NULL.

Writers call `stamp` on an ORM row, or spread `by_columns` into a bulk insert; a
test (tests/unit/test_who.py) refuses any other assignment of a `*_by` column.
"""

from __future__ import annotations

from typing import Any

from frontdesk.db.base import Base
from frontdesk.domain.roles import Actor

SUFFIX = "_by_id"


def by_columns(verb: str, actor: Actor, name: str | None = None) -> dict[str, Any]:
    """{'<verb>_by': the name snapshot, '<verb>_by_id': the user's id}; `name` when the
    snapshot is not the display name (the recovery code keeps the user name)."""
    return {
        f"{verb}_by": actor.display_name if name is None else name,
        f"{verb}{SUFFIX}": actor.user_id,
    }


def stamp(record: Base, verb: str, actor: Actor, name: str | None = None) -> None:
    """Set `record.<verb>_by` and `record.<verb>_by_id` for `actor`."""
    for key, value in by_columns(verb, actor, name).items():
        if key not in type(record).__mapper__.column_attrs:
            raise AttributeError(f"{type(record).__name__} has no column {key}")
        setattr(record, key, value)
