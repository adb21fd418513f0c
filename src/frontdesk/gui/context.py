"""What every screen is given: the database, who is signed in, and the task runner."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.roles import Actor, Permission
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.database import Database


@dataclass
class AppContext:
    db: Database
    actor: Actor
    tasks: TaskRunner

    def can(self, permission: Permission) -> bool:
        return self.actor.can(permission)
