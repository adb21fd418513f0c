"""Run the real `frontdesk` command in a child process, as an administrator would.

Commands that change data or show personal data run as a person (`frontdesk --user`):
the child signs in as the demo's administrator `admin` through FRONTDESK_USER and
FRONTDESK_PASSWORD, as a scheduled task does, unless a test names another account
(`user="qiantai"`) or none at all (`user=None`)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from frontdesk.cli.signin import PASSWORD_VARIABLE, USER_VARIABLE
from frontdesk.demo import DEMO_PASSWORD
from frontdesk.services import users
from frontdesk.services.database import open_at
from tests.cheap_hashing import FRONTDESK_COMMAND

Run = Callable[..., subprocess.CompletedProcess[str]]


ADMIN = "admin"  # the demo's administrator; `staffed_db` makes one too
PASSWORD = DEMO_PASSWORD


@pytest.fixture(autouse=True)
def _signed_in_as_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Children started by a test's own helper sign in as `admin` too."""
    monkeypatch.setenv(USER_VARIABLE, ADMIN)
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)


def run_frontdesk(
    home: Path,
    *args: str,
    timeout: float = 120,
    user: str | None = ADMIN,
    password: str | None = PASSWORD,
    stdin: str = "",
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, FRONTDESK_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env.pop(USER_VARIABLE, None)
    env.pop(PASSWORD_VARIABLE, None)
    if user is not None:
        env[USER_VARIABLE] = user
    if password is not None:
        env[PASSWORD_VARIABLE] = password
    return subprocess.run(
        [*FRONTDESK_COMMAND, *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def frontdesk(tmp_path: Path) -> Run:
    return functools.partial(run_frontdesk, tmp_path / "home")


@pytest.fixture(scope="session")
def _made_by_a_command(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file a command makes where no database exists, made once per test process.

    Nothing in it depends on the test: the command runs on the suite's clock
    (FRONTDESK_NOW), whatever the test's, and keeps the data key under the suite's
    passphrase. Each copy holds the same key, as each test holds only its own copy.
    """
    folder = tmp_path_factory.mktemp("made-by-a-command")
    path = folder / "frontdesk.sqlite"
    made = run_frontdesk(folder / "home", "stats", "--db", str(path))
    assert made.returncode == 0, made.stderr
    assert not Path(f"{path}-wal").exists()  # whole in one file: a plain copy is exact
    return path


@pytest.fixture
def staffed_db(_made_by_a_command: Path, tmp_path: Path) -> Path:
    """A new database as a command first makes it (a byte-for-byte copy of
    `_made_by_a_command`), after its first-run setup: the community 测试小区 and its
    administrator `admin` (password PASSWORD)."""
    path = tmp_path / "frontdesk.sqlite"
    shutil.copyfile(_made_by_a_command, path)
    db = open_at(path)  # its key under the suite's passphrase, as the command kept it
    try:
        users.initialize(db, users.FirstRunInput("测试小区", ADMIN, "管理员", PASSWORD, PASSWORD))
    finally:
        db.dispose()
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, made once per test process (in a data folder of its own: a session
    fixture runs before the test's own is set)."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.sqlite"
    made = run_frontdesk(
        folder / "home",
        *("demo", str(path), "--households", "300", "--seed", "3"),
        user=None,
        password=None,
    )
    assert made.returncode == 0, made.stderr
    return path
