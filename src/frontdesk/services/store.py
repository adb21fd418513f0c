"""One use-case, alone or inside another's transaction.

A use-case that another may need as one of its steps takes a `Store`: the `Database`
when the call is the whole unit of work, or the caller's `Session` when it is one step
of a larger one (a renovation approved puts its deposit on the room's account in the
same commit). One function then serves both, with its checks in one place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services.access import require

Store = Database | Session


@contextmanager
def writing(store: Store, actor: Actor, permission: Permission | None = None) -> Iterator[Session]:
    """The caller's session as it is, or a new unit of work that commits at the end.

    `permission` is asked of the actor when the call is its own unit of work; inside
    another use-case, that one has already decided who may do the whole (a supervisor
    approving a renovation puts its deposit on the account without taking payments)."""
    if isinstance(store, Session):
        yield store
    else:
        if permission is not None:
            require(actor, permission)
        with store.write(actor) as session:
            yield session


@contextmanager
def reading(store: Store) -> Iterator[Session]:
    if isinstance(store, Session):
        yield store
    else:
        with store.read() as session:
            yield session
