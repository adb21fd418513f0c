"""Run the real `frontdesk` command in a child process, as an administrator would.

Commands that change data or show personal data run as a person (`frontdesk --user`):
the child signs in as the demo's administrator `admin` through FRONTDESK_USER and
FRONTDESK_PASSWORD, as a scheduled task does, unless a test names another account
(`user="qiantai"`) or none at all (`user=None`)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from frontdesk.cli.signin import PASSWORD_VARIABLE, USER_VARIABLE
from frontdesk.demo import DEMO_PASSWORD
from frontdesk.services import users
from frontdesk.services.database import open_at

Run = Callable[..., subprocess.CompletedProcess[str]]


ADMIN = "admin"  # the demo's administrator; `staffed_db` makes one too
PASSWORD = DEMO_PASSWORD


@pytest.fixture(autouse=True)
def _signed_in_as_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Children started by a test's own helper sign in as `admin` too."""
    monkeypatch.setenv(USER_VARIABLE, ADMIN)
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)


@pytest.fixture
def frontdesk(tmp_path: Path) -> Run:
    def run(
        *args: str,
        timeout: float = 120,
        user: str | None = ADMIN,
        password: str | None = PASSWORD,
        stdin: str = "",
    ) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, FRONTDESK_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
        env.pop(USER_VARIABLE, None)
        env.pop(PASSWORD_VARIABLE, None)
        if user is not None:
            env[USER_VARIABLE] = user
        if password is not None:
            env[PASSWORD_VARIABLE] = password
        return subprocess.run(
            [sys.executable, "-m", "frontdesk", *args],
            capture_output=True,
            text=True,
            env=env,
            input=stdin,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture
def staffed_db(frontdesk: Run, tmp_path: Path) -> Path:
    """A new database as a command first makes it, after its first-run setup: the
    community 测试小区 and its administrator `admin` (password PASSWORD)."""
    path = tmp_path / "frontdesk.sqlite"
    made = frontdesk("stats", "--db", str(path))
    assert made.returncode == 0, made.stderr
    db = open_at(path)  # its key under the suite's passphrase, as the command kept it
    try:
        users.initialize(db, users.FirstRunInput("测试小区", ADMIN, "管理员", PASSWORD, PASSWORD))
    finally:
        db.dispose()
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "frontdesk",
            "demo",
            str(path),
            "--households",
            "300",
            "--seed",
            "3",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return path
