"""What every screen is given: the database, who is signed in, the task runner, and
the navigator through which it asks the main window to go elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field

from frontdesk.domain.roles import Actor, Permission
from frontdesk.gui.navigation import Navigator
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.database import Database


@dataclass
class AppContext:
    db: Database
    actor: Actor
    tasks: TaskRunner
    navigator: Navigator = field(default_factory=Navigator)

    def can(self, permission: Permission) -> bool:
        return self.actor.can(permission)
