"""The password of a server database, kept in the OS keyring and nowhere else.

Service "frontdesk-db", user name "user@host:port/dbname" (ServerLocation.keyring_name):
never in a settings file, a URL that is stored or shown, or a log. Without one in the
keyring the server's client library looks where it always does (PGPASSWORD, the
pgpass file), which is how scheduled tasks on a PC without a keyring connect.
"""

from __future__ import annotations

import contextlib

import keyring
import keyring.errors

from frontdesk.domain.location import ServerLocation
from frontdesk.errors import EnvironmentProblem

KEYRING_SERVICE = "frontdesk-db"


def stored(location: ServerLocation) -> str | None:
    try:
        return keyring.get_password(KEYRING_SERVICE, location.keyring_name)
    except keyring.errors.KeyringError:
        return None


def remember(location: ServerLocation, password: str) -> None:
    """Keep `password` for `location` in this PC's keyring (an empty one forgets it)."""
    if not password:
        forget(location)
        return
    try:
        keyring.set_password(KEYRING_SERVICE, location.keyring_name, password)
    except keyring.errors.KeyringError as exc:
        raise EnvironmentProblem(
            f"这台电脑的安全存储不可用，无法保存数据库密码（{exc}）。"
            "可改用环境变量 PGPASSWORD 或 pgpass 文件。"
        ) from exc


def forget(location: ServerLocation) -> None:
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(KEYRING_SERVICE, location.keyring_name)
