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
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import make_url

from frontdesk.cli.signin import PASSWORD_VARIABLE, USER_VARIABLE
from frontdesk.demo import DEMO_PASSWORD
from frontdesk.services import users
from frontdesk.services.database import DatabaseLocation, FileLocation, open_at, parse_location
from tests import postgres
from tests.cheap_hashing import FRONTDESK_COMMAND
from tests.conftest import ON_POSTGRESQL

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


@pytest.fixture(scope="session")
def _made_on_the_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """FRONTDESK_TEST_ENGINE=postgresql: the server database a command makes of an empty
    one, once per test process, as the template of each test's `staffed_db`."""
    server, name = postgres.server_url(), f"fd_made_{uuid.uuid4().hex[:12]}"
    url = postgres.create(server, name)
    folder = tmp_path_factory.mktemp("made-by-a-command")
    made = run_frontdesk(folder / "home", "stats", "--db", url)
    assert made.returncode == 0, made.stderr
    yield name
    postgres.drop(server, name)


def _server_copy(template: str) -> Iterator[str]:
    server, name = postgres.server_url(), f"fd_{uuid.uuid4().hex[:12]}"
    yield postgres.create(server, name, template=template)
    postgres.drop(server, name)


@pytest.fixture
def staffed_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """A new database as a command first makes it (a byte-for-byte copy of
    `_made_by_a_command`; on PostgreSQL, a database copied from `_made_on_the_server`),
    after its first-run setup: the community 测试小区 and its administrator `admin`
    (password PASSWORD). A path, or a server URL (which `str` keeps as it is)."""
    if ON_POSTGRESQL:
        copies = _server_copy(request.getfixturevalue("_made_on_the_server"))
        url = next(copies)
        _first_run(parse_location(url))
        yield url
        next(copies, None)
        return
    path = tmp_path / "frontdesk.sqlite"
    shutil.copyfile(request.getfixturevalue("_made_by_a_command"), path)
    _first_run(FileLocation(path))
    yield path


def _first_run(where: DatabaseLocation) -> None:
    db = open_at(where)  # its key under the suite's passphrase, as the command kept it
    try:
        users.initialize(db, users.FirstRunInput("测试小区", ADMIN, "管理员", PASSWORD, PASSWORD))
    finally:
        db.dispose()


_copies: list[str] = []


def copy_of(database: Path | str, target: Path) -> Path | str:
    """A private copy of a database the session made: the file at `target` with its stored
    files beside it, or on PostgreSQL a new database copied from it (dropped at the end of
    the session; `target` is then not used)."""
    if isinstance(database, str):
        name = f"fd_{uuid.uuid4().hex[:12]}"
        _copies.append(name)
        return postgres.create(postgres.server_url(), name, template=make_url(database).database)
    shutil.copyfile(database, target)
    files = database.with_name(f"{database.stem}-files")
    if files.is_dir():
        shutil.copytree(files, target.with_name(f"{target.stem}-files"))
    return target


@pytest.fixture(scope="session", autouse=True)
def _drop_copies() -> Iterator[None]:
    yield
    for name in _copies:
        postgres.drop(postgres.server_url(), name)


@contextmanager
def on_the_test_engine(path: Path, home: Path) -> Iterator[Path | str]:
    """A database made as a file (by `frontdesk demo`), where the run's engine keeps it:
    the file itself, or on PostgreSQL a new server database the file was moved onto by
    `frontdesk move-to` (its URL; dropped when the block ends)."""
    if not ON_POSTGRESQL:
        yield path
        return
    server, name = postgres.server_url(), f"fd_demo_{uuid.uuid4().hex[:12]}"
    url = postgres.create(server, name)
    try:
        moved = run_frontdesk(home, "move-to", url, "--db", str(path), timeout=600)
        assert moved.returncode == 0, moved.stdout + moved.stderr
        yield url
    finally:
        postgres.drop(server, name)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path | str]:
    """The demo, made once per test process (in a data folder of its own: a session
    fixture runs before the test's own is set). On PostgreSQL: that file moved onto the
    server by `frontdesk move-to`, a server URL."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.sqlite"
    made = run_frontdesk(
        folder / "home",
        *("demo", str(path), "--households", "300", "--seed", "3"),
        user=None,
        password=None,
    )
    assert made.returncode == 0, made.stderr
    with on_the_test_engine(path, folder / "home") as database:
        yield database
