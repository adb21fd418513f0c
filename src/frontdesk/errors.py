"""Exception tree shared by every layer.

`UserError` carries a message for the person at the counter (Chinese, names the
field); `EnvironmentProblem` is a disk, lock or file problem the user can act on.
Anything else is a bug and goes to the crash dialog / traceback.
"""

from __future__ import annotations


class FrontDeskError(Exception):
    """Base of every error whose message is meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UserError(FrontDeskError):
    """Bad input or a rule that forbids the action."""


class ValidationError(UserError):
    """A field's value is not acceptable; `field` is its Chinese label."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}：{problem}")
        self.field = field
        self.problem = problem


class PermissionDenied(UserError):
    """The signed-in user's role does not allow the action."""


class AuthenticationFailed(UserError):
    """Wrong user name or password, or a locked account."""


class NotFound(UserError):
    """A record the action refers to does not exist."""


class EnvironmentProblem(FrontDeskError):
    """The database file or its folder cannot be used as it is."""


class DatabaseBusy(EnvironmentProblem):
    """Another counter held the database longer than the busy timeout."""


class ServerUnreachable(EnvironmentProblem):
    """The database server cannot be reached, or the connection to it was lost:
    nothing of the interrupted action was saved, and trying again may work."""


class NotAFrontDeskDatabase(EnvironmentProblem):
    """The file exists but is not a FrontDesk database."""


class DamagedDatabase(NotAFrontDeskDatabase):
    """The file is an empty, cut-short or emptied database, not a sound FrontDesk file."""


class DatabaseTooNew(EnvironmentProblem):
    """The file was written by a newer FrontDesk; opening it could damage it."""
