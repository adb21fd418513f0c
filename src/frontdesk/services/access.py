"""Permission checks shared by every service."""

from __future__ import annotations

from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import PermissionDenied


def require(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied(
            f"{actor.role.label}无权执行此操作（需要“{permission.label}”权限）。"
        )
