"""`frontdesk move-to` (issue 23): a demo community with its stored papers, scans and
photos moved from its file into an empty PostgreSQL database: every row, every money
total and the audit chain arrive as they were, the data key of the file opens the copy,
a stored paper reads back, the server database takes new rows after the copied ones,
and the file is not touched. A second move into the same database, a bad address and a
server that does not answer are refused in Chinese."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.exc import DBAPIError

from frontdesk.cli import main
from frontdesk.db import server_copy, triggers
from frontdesk.db.engine import Database, make_engine
from frontdesk.db.file_store import sha256_of_file
from frontdesk.db.models import IssuedDocument, Person
from frontdesk.demo import DEMO_PASSWORD, build_demo, opened_demo
from frontdesk.demo.notices import add_demo_notices
from frontdesk.demo.order_photos import add_demo_order_photos
from frontdesk.errors import EnvironmentProblem, UserError
from frontdesk.services import users
from frontdesk.services.households import attachments
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.protection import audit, data_key
from frontdesk.services.protection.move_to import move_to

MONEY = (("payment", "total_fen"), ("allocation", "amount_fen"), ("bill", "amount_fen"))


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo community with issued papers and work-order photos in its folder."""
    path = tmp_path_factory.mktemp("move") / "demo.sqlite"
    build_demo(path, households=20, seed=3)
    with opened_demo(path) as db:
        add_demo_notices(db)
        add_demo_order_photos(db)
    return path


@pytest.fixture
def community(demo_file: Path, tmp_path: Path) -> Path:
    """The demo file and its folder, copied for this test."""
    path = tmp_path / "community.sqlite"
    shutil.copyfile(demo_file, path)
    shutil.copytree(demo_file.with_name("demo-files"), tmp_path / "community-files")
    return path


@pytest.fixture
def moved(pg_empty_url: str) -> Iterator[Database]:
    db = Database(make_engine(pg_empty_url))
    yield db
    db.dispose()


def _file_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as raw:
        return raw.execute(sql).fetchall()


def _server_rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def _signature(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


@pytest.mark.postgres
def test_a_community_arrives_whole_and_the_file_is_untouched(
    community: Path, pg_empty_url: str, moved: Database
) -> None:
    before = _signature(community)
    report = move_to(community, pg_empty_url)
    assert report.problems == []
    assert _signature(community) == before  # bytes, mtime, and nothing new beside it

    # Every table's rows, counted on each side by the test itself.
    for table in server_copy.copied_tables():
        sql = f'SELECT count(*) FROM "{table.name}"'
        assert _server_rows(moved, sql) == _file_rows(community, sql), table.name
    for table, column in MONEY:
        sql = f"SELECT sum({column}) FROM {table}"
        on_file = _file_rows(community, sql)
        assert on_file[0][0], sql  # the demo has money of every kind
        assert _server_rows(moved, sql) == on_file, sql

    # The chain, entry for entry, verified with the file's own key.
    assert data_key.unlock(moved, DEMO_PASSWORD) is data_key.KeyState.READY
    chain = audit.verify_chain(moved)
    assert chain.ok and chain.keyed == chain.entries
    ((last_hash,),) = _file_rows(community, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
    assert chain.head_hash == last_hash
    ((entries,),) = _file_rows(community, "SELECT count(*) FROM audit_log")
    assert chain.entries == entries

    # The same key reads the ID numbers the file holds.
    on_file = Database(make_engine(f"sqlite:///{community}"))
    try:
        assert data_key.unlock(on_file, DEMO_PASSWORD) is data_key.KeyState.READY
        query = (
            select(Person.id, Person.id_number).where(Person.id_number != "").order_by(Person.id)
        )
        with on_file.read() as session:
            numbers = session.execute(query).all()
    finally:
        on_file.dispose()
    with moved.read() as session:
        assert session.execute(query).all() == numbers and len(numbers) > 10

    # A stored paper reads back from the server's table, byte for byte.
    with moved.read() as session:
        document = session.scalars(select(IssuedDocument).order_by(IssuedDocument.id)).first()
    assert document is not None
    stored = community.with_name("community-files") / "documents" / document.sha256[:2]
    pdf = issued_documents.read_stored(moved, document.sha256)
    assert pdf == (stored / f"{document.sha256}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")

    # New rows follow the copied ones; a scan added there is kept and opened there.
    admin = users.login(moved, "admin", DEMO_PASSWORD)
    ((room_id, highest),) = _server_rows(
        moved, "SELECT min(id), (SELECT max(id) FROM attachment) FROM room"
    )
    scan = community.parent / "deed.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0 a deed scanned at the server's counter")
    added = attachments.add_attachment(moved, admin, int(room_id), scan, "产权证", "房产证")
    assert added > int(highest or 0)
    opened = attachments.open_attachment(moved, admin, added)
    assert opened.read_bytes() == scan.read_bytes()
    kept = attachments.stored_attachments(moved)
    assert kept.read(sha256_of_file(scan)) == scan.read_bytes()


@pytest.mark.postgres
def test_the_server_knows_what_the_tables_hold_from_the_first_action(
    community: Path, pg_empty_url: str, moved: Database
) -> None:
    """Planner statistics are taken as part of the move: without them every query is
    planned for tables of unknown size and contents until autovacuum comes by, and a
    room's bills are read by a scan of every allocation."""
    move_to(community, pg_empty_url)
    for table in ("bill", "allocation", "payment", "audit_log", "person"):
        ((estimated, counted),) = _server_rows(
            moved,
            f"SELECT reltuples, (SELECT count(*) FROM {table}) FROM pg_class "
            f"WHERE oid = '{table}'::regclass",
        )
        assert counted > 0 and estimated == counted, table
    analyzed = _server_rows(moved, "SELECT attname FROM pg_stats WHERE tablename = 'bill'")
    assert {("room_id",), ("fee_item_id",)} <= set(analyzed)


@pytest.mark.postgres
def test_a_second_move_into_the_same_database_is_refused(
    community: Path, pg_empty_url: str
) -> None:
    assert move_to(community, pg_empty_url).ok
    with pytest.raises(UserError, match="不是空的"):
        move_to(community, pg_empty_url)


@pytest.mark.postgres
def test_a_copy_cut_off_leaves_the_server_database_empty(
    community: Path, pg_empty_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def the_network_drops(*_args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(server_copy, "copy_files", the_network_drops)
    with pytest.raises(EnvironmentProblem, match="已全部撤销，服务器数据库保持为空"):
        move_to(community, pg_empty_url)
    engine = create_engine(pg_empty_url)
    try:
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == []
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_file_opened_during_the_copy_is_not_taken_for_a_snapshot(
    community: Path, pg_empty_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_files = server_copy.copy_files
    counter = sqlite3.connect(community)  # another FrontDesk opens the file meanwhile

    def and_a_counter_opens_it(*args: Any) -> Any:
        counter.execute("SELECT count(*) FROM room").fetchone()
        return copy_files(*args)

    monkeypatch.setattr(server_copy, "copy_files", and_a_counter_opens_it)
    try:
        with pytest.raises(EnvironmentProblem, match="迁移期间数据库文件被打开或写入过"):
            move_to(community, pg_empty_url)
    finally:
        counter.close()
    engine = create_engine(pg_empty_url)
    try:
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == []
    finally:
        engine.dispose()


def test_a_file_in_use_is_refused_and_left_alone(community: Path) -> None:
    wal = Path(f"{community}-wal")
    wal.write_bytes(b"\x37\x7f\x06\x82 rows not yet in the file")
    before = _signature(community)
    with pytest.raises(UserError, match="正被物业前台使用"):
        move_to(community, "postgresql://frontdesk@localhost:5432/estate")
    assert _signature(community) == before


def test_a_bad_address_or_a_silent_server_is_told_in_chinese(
    community: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UserError, match="PostgreSQL"):
        move_to(community, "mysql://frontdesk@localhost/estate")
    with pytest.raises(UserError, match="无法识别的数据库地址"):
        move_to(community, "服务器上的数据库")
    with pytest.raises(EnvironmentProblem, match="无法连接数据库服务器"):
        move_to(community, "postgresql://frontdesk@127.0.0.1:1/estate?connect_timeout=3")
    code = main(["move-to", "postgresql://frontdesk@127.0.0.1:1/estate", "--db", str(community)])
    assert code == 1
    error = capsys.readouterr().err
    assert "错误：无法连接数据库服务器" in error and "Traceback" not in error


@pytest.mark.postgres
def test_the_servers_own_rules_are_set_aside_for_the_copy_and_kept(
    community: Path, pg_empty_url: str, moved: Database
) -> None:
    """The server's triggers (revision 0029) neither refuse the copied rows nor move
    bill_open and collection_tally a second time; they are all on again afterwards."""
    report = move_to(community, pg_empty_url)
    assert report.problems == []
    for sql in (
        "SELECT count(*), sum(open_fen) FROM bill_open",
        "SELECT count(*), sum(collected_fen) FROM collection_tally",
    ):
        assert _server_rows(moved, sql) == _file_rows(community, sql)  # copied, not doubled
    with moved.engine.connect() as connection:  # the rules are back on
        with pytest.raises(DBAPIError, match="audit_log is append-only"):
            connection.exec_driver_sql("DELETE FROM audit_log WHERE id = 1")
        connection.rollback()
        enabled = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'O'"
        ).scalar()
    assert enabled == len(triggers.declared("postgresql"))
