"""Shared fixtures. Tests never touch the real data folder or keychain."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Child processes (the CLI tests) never see the machine's keychain: they keep the
# ID-number key under the demo passphrase, as a PC without a keyring does.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
os.environ["FRONTDESK_PASSPHRASE"] = "demo1234"
# The suite runs on a set clock, inherited by the CLI tests' child processes. Run it on
# another day with FRONTDESK_NOW=2028-02-29 (see README, "Tests on another day").
os.environ.setdefault("FRONTDESK_NOW", "2026-11-25T10:00")

from frontdesk.db.migrate import create_database
from frontdesk.domain import clock
from frontdesk.domain.location import parse_location
from frontdesk.domain.roles import Actor, Role
from frontdesk.services import users
from frontdesk.services.database import Database, open_at
from tests.cheap_hashing import hash_cheaply
from tests.memory_keyring import MemoryKeyring
from tests.postgres import pg_empty_url, pg_template, pg_url  # noqa: F401  (fixtures)

hash_cheaply()  # tests/cheap_hashing.py: why, and why FrontDesk itself never does
# No wall-clock deadline on a property test: on a loaded machine a slow example is not a
# wrong one (a deadline failed `clean_text` at 255 ms beside another suite's run).
settings.register_profile("frontdesk", deadline=None)
settings.load_profile("frontdesk")

SET_NOW = os.environ["FRONTDESK_NOW"]
# The engine `fresh_db` (and every database fixture built on it) runs on: "sqlite" (the
# default) or "postgresql", a database of its own on the server FRONTDESK_TEST_POSTGRES
# names (tests/postgres.py), opened through the program's own server path. Tests about
# SQLite files only are marked `sqlite_only` and left out of a PostgreSQL run.
TEST_ENGINE = os.environ.get("FRONTDESK_TEST_ENGINE", "sqlite")
if TEST_ENGINE not in {"sqlite", "postgresql"}:
    raise pytest.UsageError(f"FRONTDESK_TEST_ENGINE must be sqlite or postgresql: {TEST_ENGINE}")
ON_POSTGRESQL = TEST_ENGINE == "postgresql"
ADMIN_PASSWORD = "admin1234"
STAFF_PASSWORD = "staff1234"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)
    if ON_POSTGRESQL:
        left_out = [item for item in items if item.get_closest_marker("sqlite_only")]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not item.get_closest_marker("sqlite_only")]


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("FRONTDESK_HOME", str(tmp_path_factory.mktemp("home")))
    # This process gets a fresh in-memory keyring for each test.
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _set_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts at the same set instant, whatever ran before it; a test whose
    records are dated around one day says so with `@pytest.mark.clock(that_day)`."""
    marker = request.node.get_closest_marker("clock")
    clock.freeze(marker.args[0] if marker else SET_NOW)
    yield
    clock.freeze(SET_NOW)


@pytest.fixture(scope="session")
def new_database_file(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """Put at a path the file FrontDesk makes where no database exists yet.

    The file is made once per test process by the program's own code (every migration on
    a hidden file, its log folded in, renamed into place: db/migrate.py) and copied byte
    for byte, so a copy is that very file: nothing in it depends on the day, the process
    or the path. Opening the copy (`open_at`) then does what opening a new file does
    after its creation: the data key is made and kept in this test's keyring, the audit
    chain signed with it, all at this test's clock.
    """
    template = tmp_path_factory.mktemp("new-database") / "frontdesk.sqlite"
    create_database(template).dispose()
    assert not Path(f"{template}-wal").exists()  # whole in one file: a plain copy is exact

    def put(path: Path) -> Path:
        shutil.copyfile(template, path)
        return path

    return put


@pytest.fixture
def fresh_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A new, empty FrontDesk database (first run not done yet), on the engine
    FRONTDESK_TEST_ENGINE names."""
    if ON_POSTGRESQL:
        db = open_at(parse_location(request.getfixturevalue("pg_url")))
    else:
        put = request.getfixturevalue("new_database_file")
        db = open_at(put(tmp_path / "frontdesk.sqlite"))
    yield db
    db.dispose()


@pytest.fixture
def db(fresh_db: Database) -> Database:
    """A database after first run: community 测试小区 and administrator `admin`."""
    users.initialize(
        fresh_db,
        users.FirstRunInput("测试小区", "admin", "管理员", ADMIN_PASSWORD, ADMIN_PASSWORD),
    )
    return fresh_db


@pytest.fixture
def admin(db: Database) -> Actor:
    return users.login(db, "admin", ADMIN_PASSWORD)


@pytest.fixture
def make_user(db: Database, admin: Actor) -> Callable[[Role], Actor]:
    """Create a signed-in staff member of the given role (password STAFF_PASSWORD)."""

    def make(role: Role, username: str | None = None) -> Actor:
        name = username or f"{role.value}1"
        users.create_user(db, admin, users.NewUser(name, f"{role.label}甲", role, STAFF_PASSWORD))
        return users.login(db, name, STAFF_PASSWORD)

    return make
