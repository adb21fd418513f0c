"""Opening a database on a PostgreSQL server (issue 23): an empty one is made ours, an
older one upgraded, anything else refused untouched; what goes wrong on the way is said
in Chinese naming the server and the database."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import URL, create_engine, event, inspect, text

from frontdesk.db import engine as engine_module
from frontdesk.db.base import Base
from frontdesk.db.engine import make_engine
from frontdesk.db.migrate import HEAD_REVISION, upgrade
from frontdesk.db.models import Community
from frontdesk.domain.location import ServerLocation, parse_location
from frontdesk.errors import (
    DatabaseBusy,
    DatabaseTooNew,
    EnvironmentProblem,
    NotAFrontDeskDatabase,
    ServerUnreachable,
)
from frontdesk.services import server_password
from frontdesk.services.database import Database, create_at, open_at

pytestmark = pytest.mark.postgres


def _server(url: str) -> ServerLocation:
    location = parse_location(url)
    assert isinstance(location, ServerLocation)
    return location


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def _run(url: str | URL, *statements: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture
def opened_server(pg_url: str) -> Iterator[Database]:
    db = open_at(_server(pg_url))
    yield db
    db.dispose()


def test_an_empty_database_is_made_a_frontdesk_database_in_one_go(pg_empty_url: str) -> None:
    location = _server(pg_empty_url)
    db = open_at(location)
    try:
        assert db.on_server and db.location == location
        assert db.place == location.shown() and "postgresql://frontdesk@" in db.place
        with db.read() as session:
            assert session.scalar(text("SELECT version_num FROM alembic_version")) == HEAD_REVISION
            assert session.query(Community).count() == 0  # the first run is still to come
    finally:
        db.dispose()
    assert _tables(pg_empty_url) == {*Base.metadata.tables, "alembic_version"}
    open_at(location).dispose()  # and opened again as it is


def test_init_makes_an_empty_database_ours_and_refuses_any_other(pg_empty_url: str) -> None:
    location = _server(pg_empty_url)
    create_at(location).dispose()
    with pytest.raises(EnvironmentProblem, match="已经是物业前台数据库"):
        create_at(location)


def test_a_database_of_another_program_is_refused_and_left_alone(pg_empty_url: str) -> None:
    _run(pg_empty_url, "CREATE TABLE orders (id integer PRIMARY KEY)")
    for attempt in (open_at, create_at):
        with pytest.raises(NotAFrontDeskDatabase, match="已有其他数据（1 张表）") as refused:
            attempt(_server(pg_empty_url))
        assert _server(pg_empty_url).database in refused.value.message
    assert _tables(pg_empty_url) == {"orders"}


def test_a_database_from_a_newer_frontdesk_is_refused(pg_url: str) -> None:
    _run(pg_url, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseTooNew, match="结构版本 9999"):
        open_at(_server(pg_url))


def test_an_older_database_is_upgraded_to_head(pg_empty_url: str) -> None:
    engine = make_engine(pg_empty_url)
    try:
        with engine.connect() as connection, connection.begin():
            upgrade(connection, "0027")
    finally:
        engine.dispose()
    open_at(_server(pg_empty_url)).dispose()
    engine = create_engine(pg_empty_url)
    try:
        with engine.connect() as connection:
            revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        engine.dispose()
    assert revision == HEAD_REVISION


def test_a_missing_database_and_an_unreachable_server_are_named(pg_url: str) -> None:
    location = _server(pg_url)
    missing = ServerLocation(location.user, location.host, location.port, "fd_nowhere")
    with pytest.raises(EnvironmentProblem, match="上没有数据库 fd_nowhere"):
        open_at(missing)
    closed = ServerLocation(location.user, location.host, 1, location.database)
    with pytest.raises(ServerUnreachable, match=f"无法连接服务器 {location.host}:1 上的数据库"):
        open_at(closed)


def test_the_password_comes_from_the_keyring_and_is_never_shown(pg_url: str) -> None:
    location = _server(pg_url)
    server_password.remember(location, "s3cret-pw")
    db = open_at(location)  # (the test server trusts its socket: any password will do)
    try:
        assert db.engine.url.password == "s3cret-pw"
        assert "s3cret-pw" not in db.place and "s3cret-pw" not in db.url
    finally:
        db.dispose()
    server_password.forget(location)
    assert server_password.stored(location) is None


def test_stored_files_are_not_put_in_the_working_folder(opened_server: Database) -> None:
    with pytest.raises(EnvironmentProblem, match="服务器"):
        _ = opened_server.files_dir


def test_writers_take_turns_and_a_long_wait_is_reported_as_busy(
    opened_server: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with opened_server.write() as session:
            session.execute(text("SELECT 1"))
            holding.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        holding.wait()
        with opened_server.read() as session:  # readers never wait for a writer
            assert session.scalar(text("SELECT count(*) FROM community")) == 0
        with pytest.raises(DatabaseBusy, match="另一台电脑"), opened_server.write() as session:
            session.execute(text("SELECT 1"))
    finally:
        release.set()
        holder.join()
    with opened_server.write() as session:  # once the first has finished, the next goes
        session.execute(text("SELECT 1"))


def test_a_connection_lost_mid_write_rolls_back_and_says_so(opened_server: Database) -> None:
    lost = pytest.raises(ServerUnreachable, match="连接中断，本次操作未保存")
    with lost, opened_server.write() as session:
        session.execute(text("INSERT INTO setting (key, value) VALUES ('x', '1')"))
        pid = session.scalar(text("SELECT pg_backend_pid()"))
        _run(opened_server.engine.url, f"SELECT pg_terminate_backend({pid})")
        session.execute(text("SELECT 1"))
    with opened_server.read() as session:  # the pool reconnects; nothing was half-saved
        assert session.scalar(text("SELECT count(*) FROM setting WHERE key = 'x'")) == 0


def test_a_connection_lost_while_committing_says_the_outcome_is_unknown(
    opened_server: Database,
) -> None:
    """The server may or may not have committed: the counter is told to look first."""
    pid: list[int] = []

    def lose_the_connection(_connection: object) -> None:
        _run(opened_server.engine.url, f"SELECT pg_terminate_backend({pid[0]})")

    event.listen(opened_server.engine, "commit", lose_the_connection)
    try:
        unknown = pytest.raises(ServerUnreachable, match="无法确定这次操作是否已经保存")
        with unknown, opened_server.write() as session:
            session.execute(text("INSERT INTO setting (key, value) VALUES ('y', '1')"))
            pid.append(session.scalar(text("SELECT pg_backend_pid()")))
    finally:
        event.remove(opened_server.engine, "commit", lose_the_connection)
    with opened_server.read() as session:  # here the commit never reached the server
        assert session.scalar(text("SELECT count(*) FROM setting WHERE key = 'y'")) == 0


def test_frontdesk_init_and_stats_take_a_server_url(pg_empty_url: str, tmp_path) -> None:
    from tests.cli.conftest import run_frontdesk

    shown = _server(pg_empty_url).shown()
    made = run_frontdesk(tmp_path / "home", "init", "--db", shown, user=None, password=None)
    assert made.returncode == 0, made.stderr
    assert f"已新建空的物业前台数据库：{shown}" in made.stdout
    again = run_frontdesk(tmp_path / "home", "init", "--db", shown, user=None, password=None)
    assert again.returncode == 1 and "已经是物业前台数据库" in again.stderr
    stats = run_frontdesk(tmp_path / "home", "stats", "--db", shown, user=None, password=None)
    assert stats.returncode == 0, stats.stderr
    assert '"users": 0' in stats.stdout
    gone = run_frontdesk(
        tmp_path / "home", "stats", "--db", shown.replace(_server(pg_empty_url).database, "nope")
    )
    assert gone.returncode != 0 and "上没有数据库 nope" in gone.stderr
    assert "Traceback" not in gone.stderr
