"""PostgreSQL's own rules (issue 23, migration 0029): a server database protects the
evidence as a SQLite file does. The money rows come from a small demo community made
by the program on SQLite and copied row by row onto the server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    Connection,
    Engine,
    Enum,
    MetaData,
    String,
    Table,
    create_engine,
    inspect,
    make_url,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError, InternalError, ProgrammingError

from frontdesk.db import kept_totals, roles, triggers
from frontdesk.db.base import Base, UTCDateTime
from frontdesk.db.engine import make_engine
from frontdesk.db.migrate import HEAD_REVISION, alembic_config
from frontdesk.db.models import create_declared  # noqa: F401  (models registered)
from frontdesk.db.protection import EncryptedIdNumber, EncryptedPhone
from frontdesk.domain.location import parse_location
from frontdesk.errors import EnvironmentProblem, UserError
from frontdesk.services.database import open_at

pytestmark = pytest.mark.postgres

KEPT = ("bill_open", "collection_tally")
MONEY = ("bill", "allocation", "reduction")  # the inserts that move the kept tables


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from frontdesk.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    build_demo(path, households=20)
    return path


@pytest.fixture
def engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


def _replica(connection: Connection, on: bool) -> None:
    """Foreign keys and the rules' triggers asleep (on) or awake (the test's superuser)."""
    role = "replica" if on else "origin"
    connection.exec_driver_sql(f"SET session_replication_role = {role}")


def _plain_tables() -> list[Table]:
    """The models' tables with the encrypted columns read and written as they are
    stored (no key needed to copy them)."""
    plain = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(plain)
    for table in plain.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedIdNumber | EncryptedPhone):
                column.type = String()
    return plain.sorted_tables


# Document kinds a later revision added with its table: copied onto a revision without
# that table, the register holds none of them (its CHECK would refuse them).
KINDS_OF_TABLE = {
    "parcel": ("parcel_label",),
    "held_key": ("key_return", "key_list"),
    "goods_pass": ("goods_pass",),
    "lost_item": ("lost_claim",),
    "certificate": ("certificate",),
    "shift_entry": ("shift_log",),
}


def _known_to(present: set[str], table: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The register's rows the revision knows the kinds of, and their subjects."""
    newer = {
        kind for name, kinds in KINDS_OF_TABLE.items() if name not in present for kind in kinds
    }
    if table == "issued_document":
        return [row for row in rows if row["kind"] not in newer]
    return rows


def copy_community(source: Path, connection: Connection, *, kept: str = "triggers") -> None:
    """Every row of the SQLite file onto the server, table by table. The money rows
    that move bill_open and collection_tally are inserted with the triggers awake
    (kept="triggers"), set aside by kept_totals (kept="set aside"), or asleep, the kept
    tables then left empty (kept="none"); every other row goes in as stored (but the
    data key's: its key_id is longer than its column, which SQLite does not enforce)."""
    # a revision before head has fewer tables, and fewer columns (0038's import_id)
    present = set(inspect(connection).get_table_names())
    _replica(connection, True)  # the rows a new database is given make way
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in present:
            connection.execute(table.delete())
    _replica(connection, False)
    reader = create_engine(f"sqlite:///{source}")
    try:
        with reader.connect() as sqlite:
            for table in _plain_tables():
                if table.name in KEPT or table.name == "data_key" or table.name not in present:
                    continue
                rows = [dict(row._mapping) for row in sqlite.execute(select(table))]
                rows = _known_to(present, table.name, rows)
                columns = {c["name"] for c in inspect(connection).get_columns(table.name)}
                rows = [{k: v for k, v in row.items() if k in columns} for row in rows]
                if table.name == "issued_subject":
                    documents = set(connection.scalars(text("SELECT id FROM issued_document")))
                    rows = [row for row in rows if row["document_id"] in documents]
                if not rows:
                    continue
                awake = table.name in MONEY and kept != "none"
                _replica(connection, not awake)
                if awake and kept == "set aside":
                    with kept_totals.triggers_set_aside(connection):
                        connection.execute(table.insert(), rows)
                else:
                    connection.execute(table.insert(), rows)
                _replica(connection, False)
                if "id" in table.c:  # the next row numbered after the copied ones
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE(max(id), 0) + 1, false) FROM {table.name}"
                    )
    finally:
        reader.dispose()


def _kept_rows(connection: Connection, table: str) -> set[tuple[Any, ...]]:
    columns, _query = kept_totals.KEPT[table]
    return {tuple(row) for row in connection.exec_driver_sql(f"SELECT {columns} FROM {table}")}


def _computed_rows(connection: Connection, table: str) -> set[tuple[Any, ...]]:
    """The kept table's rows as kept_totals' own statement computes them."""
    _columns, query = kept_totals.KEPT[table]
    return {
        tuple(int(v) if isinstance(v, int | float) else v for v in row)
        for row in connection.exec_driver_sql(query)
    }


def _generic_row(table: Table) -> dict[str, Any]:
    """A row of the table's required columns (for a table the demo leaves empty)."""
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.nullable or column.server_default is not None or column.autoincrement is True:
            continue
        if column.primary_key and column.name == "id":
            continue
        kind = column.type
        if isinstance(kind, Enum):
            values[column.name] = kind.enums[0]
            continue
        if isinstance(kind, UTCDateTime):
            values[column.name] = datetime(2026, 1, 1, tzinfo=UTC)
            continue
        python = kind.python_type
        values[column.name] = {
            int: 1,
            str: "x",
            bool: False,
            date: date(2026, 1, 1),
            bytes: b"",
        }[python]
    return values


def test_every_append_only_table_refuses_update_delete_and_truncate(
    engine: Engine, demo_file: Path
) -> None:
    refused = triggers.refused_verbs()
    append_only = sorted(t for t, verbs in refused.items() if "UPDATE" in verbs)
    assert {"payment", "allocation", "bill", "audit_log", "receipt", "refund"} <= set(append_only)
    with engine.connect() as connection:
        copy_community(demo_file, connection)
        for name in append_only:
            table = Base.metadata.tables[name]
            if not connection.scalar(text(f"SELECT count(*) FROM {name}")):
                _replica(connection, True)
                connection.execute(table.insert(), [_generic_row(table)])
                _replica(connection, False)
            for statement in (
                f"UPDATE {name} SET id = id",
                f"DELETE FROM {name}",
                f"TRUNCATE {name} CASCADE",
            ):
                with (
                    pytest.raises(IntegrityError, match=f"{name} is append-only"),
                    connection.begin_nested(),
                ):
                    connection.exec_driver_sql(statement)
            assert connection.scalar(text(f"SELECT count(*) FROM {name}"))


def test_the_audit_head_only_moves_forward_and_is_kept(engine: Engine, demo_file: Path) -> None:
    with engine.connect() as connection:
        copy_community(demo_file, connection)
        entries = connection.scalar(text("SELECT entries FROM audit_head"))
        assert entries
        for statement, refusal in (
            ("UPDATE audit_head SET entries = entries - 1", "only moves forward"),
            ("UPDATE audit_head SET last_id = last_id - 1", "only moves forward"),
            ("DELETE FROM audit_head", "audit_head is kept"),
            ("TRUNCATE audit_head", "audit_head is kept"),
        ):
            with pytest.raises(IntegrityError, match=refusal), connection.begin_nested():
                connection.exec_driver_sql(statement)
        connection.exec_driver_sql("UPDATE audit_head SET entries = entries + 1")
        assert connection.scalar(text("SELECT entries FROM audit_head")) == entries + 1


@pytest.mark.parametrize("kept", ["triggers", "set aside"])
def test_bill_open_and_collection_tally_follow_the_money_rows(
    engine: Engine, demo_file: Path, kept: str
) -> None:
    with engine.connect() as connection:
        copy_community(demo_file, connection, kept=kept)
        for name in MONEY:
            assert connection.scalar(text(f"SELECT count(*) FROM {name}")), name
        assert connection.scalar(text("SELECT count(*) FROM bill_open WHERE open_fen > 0"))
        assert connection.scalar(text("SELECT count(*) FROM bill_open WHERE open_fen = 0"))
        for table in KEPT:
            assert _kept_rows(connection, table) == _computed_rows(connection, table), table
        # the triggers are back, enabled, as the migrations made them
        assert triggers.differences(connection) == []
        connection.commit()
    reader = create_engine(f"sqlite:///{demo_file}")
    try:
        with reader.connect() as sqlite, engine.connect() as connection:
            for table in KEPT:  # the same sums as the program kept on SQLite
                assert _kept_rows(connection, table) == _kept_rows(sqlite, table), table
    finally:
        reader.dispose()


def test_a_later_allocation_and_reduction_move_the_kept_tables(
    engine: Engine, demo_file: Path
) -> None:
    with engine.connect() as connection:
        copy_community(demo_file, connection)
        bill_id, open_fen, payment_id = connection.execute(
            text(
                "SELECT bill_id, open_fen, (SELECT max(id) FROM payment) FROM bill_open "
                "JOIN bill ON bill.id = bill_id WHERE open_fen > 2 AND period IS NOT NULL "
                "ORDER BY bill_id LIMIT 1"
            )
        ).one()
        collected = "SELECT collected_fen, reduced_later_fen FROM collection_tally t " + (
            "JOIN bill b ON (b.period, b.fee_item_id) = (t.period, t.fee_item_id) "
            "JOIN room r ON r.id = b.room_id AND r.building_id = t.building_id "
            f"WHERE b.id = {bill_id}"
        )
        before = connection.execute(text(collected)).one()
        allocation = Base.metadata.tables["allocation"]
        reduction = Base.metadata.tables["reduction"]
        template = connection.execute(select(reduction).limit(1)).one()._mapping
        connection.execute(
            allocation.insert(),
            [{"payment_id": payment_id, "bill_id": bill_id, "amount_fen": 1}],
        )
        connection.execute(
            reduction.insert(),
            [
                {
                    **{k: v for k, v in template.items() if k != "id"},
                    "bill_id": bill_id,
                    "amount_fen": 1,
                }
            ],
        )
        assert (
            connection.scalar(
                text("SELECT open_fen FROM bill_open WHERE bill_id = :id"), {"id": bill_id}
            )
            == open_fen - 2
        )
        after = connection.execute(text(collected)).one()
        assert (after[0] - before[0], after[1] - before[1]) == (1, 1)


def _alembic(connection: Connection, step: Any, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    step(config, revision)
    connection.commit()


def _rules(connection: Connection) -> dict[str, Any]:
    """The server's own record of the rules: triggers with their functions, indexes,
    CHECK constraints."""
    schema = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
    return {
        "triggers": triggers.stored_triggers(connection),
        "functions": {
            row[0]: row[1]
            for row in connection.exec_driver_sql(
                f"SELECT proname, prosrc FROM pg_proc WHERE pronamespace = {schema}"
            )
        },
        "indexes": {
            row[0]: row[1]
            for row in connection.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename != 'alembic_version'"
            )
        },
        "checks": {
            row[0]: row[1]
            for row in connection.exec_driver_sql(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                f"WHERE contype = 'c' AND connamespace = {schema}"
            )
        },
    }


def test_0029_goes_down_to_0028_and_up_again(engine: Engine, demo_file: Path) -> None:
    with engine.connect() as connection:
        at_head = _rules(connection)
        _alembic(connection, command.downgrade, "0028")
        down = _rules(connection)
        assert down["triggers"] == {} and down["functions"] == {}
        assert "WHERE" not in down["indexes"]["uq_bill_room_item_period"]
        assert "WHERE" not in down["indexes"]["ix_visit_inside"]
        # money posted while no trigger kept the tables: 0029 computes them again
        copy_community(demo_file, connection, kept="none")
        connection.commit()
        assert connection.scalar(text("SELECT count(*) FROM bill_open")) == 0
        _alembic(connection, command.upgrade, "head")
        assert _rules(connection) == at_head
        for table in KEPT:
            assert _kept_rows(connection, table) == _computed_rows(connection, table), table
            assert _kept_rows(connection, table), table
    assert at_head["indexes"]["uq_bill_room_item_period"].endswith("WHERE (period IS NOT NULL)")
    assert at_head["indexes"]["ix_visit_inside"].endswith("WHERE (left_at IS NULL)")
    assert len(at_head["triggers"]) == len(triggers.declared("postgresql"))


def test_the_models_match_the_migrations_on_postgresql(engine: Engine, pg_empty_url: str) -> None:
    """compare_metadata, then what it does not see (triggers, functions, partial
    indexes' conditions, CHECKs): the models' create_all against every migration."""
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        migrated = _rules(connection)
        assert triggers.differences(connection) == []
    models = make_engine(pg_empty_url)
    try:
        Base.metadata.create_all(models)
        with models.connect() as connection:
            assert _rules(connection) == migrated
    finally:
        models.dispose()
    assert set(migrated["triggers"]) == {t.name for t in triggers.declared("postgresql")}
    assert all(stored.enabled for stored in migrated["triggers"].values())


def test_check_names_a_dropped_replaced_disabled_or_added_trigger(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER payment_no_delete ON payment")
        connection.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION receipt_no_update() RETURNS trigger "
            "LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$"
        )
        connection.exec_driver_sql("ALTER TABLE refund DISABLE TRIGGER refund_no_update")
        connection.exec_driver_sql(
            "CREATE TRIGGER quiet_discount BEFORE INSERT ON bill FOR EACH ROW "
            "EXECUTE FUNCTION receipt_no_update()"
        )
        connection.exec_driver_sql("DROP TRIGGER bill_open_on_bill ON bill")
        connection.exec_driver_sql(
            "CREATE TRIGGER bill_open_on_bill AFTER UPDATE ON bill FOR EACH ROW "
            "EXECUTE FUNCTION bill_open_on_bill()"
        )
    with engine.connect() as connection:
        found = {(d.kind, d.name, d.table) for d in triggers.differences(connection)}
    assert found == {
        ("dropped", "payment_no_delete", "payment"),
        ("replaced", "receipt_no_update", "receipt"),
        ("disabled", "refund_no_update", "refund"),
        ("added", "quiet_discount", ""),
        ("replaced", "bill_open_on_bill", "bill_open"),
    }


def test_checks_report_names_the_trigger_on_postgresql(engine: Engine) -> None:
    from frontdesk.db.engine import Database
    from frontdesk.services.protection import checks

    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete")
    report = checks.CheckReport()
    checks._trigger_checks(Database(engine), report)
    assert report.problems == ["表 audit_log 的保护（触发器 audit_log_no_delete）被停用"]


# the application's role ----------------------------------------------------------


@pytest.fixture
def app_role(pg_url: str) -> Iterator[str]:
    """A login role's name, dropped afterwards with its rights in the test's database."""
    name = f"fd_counter_{uuid.uuid4().hex[:8]}"
    yield name
    owner = make_engine(pg_url)
    try:
        with owner.begin() as connection:
            exists = connection.scalar(
                text("SELECT count(*) FROM pg_roles WHERE rolname = :n"), {"n": name}
            )
            if exists:
                connection.exec_driver_sql(f"DROP OWNED BY {name}")
                connection.exec_driver_sql(f"DROP ROLE {name}")
    finally:
        owner.dispose()


def _as(pg_url: str, user: str) -> Engine:
    """The test server lets any role in through its socket without a password."""
    return make_engine(make_url(pg_url).set(username=user).render_as_string(hide_password=False))


def test_the_application_role_cannot_change_or_delete_the_evidence(
    engine: Engine, pg_url: str, app_role: str, demo_file: Path
) -> None:
    with engine.begin() as connection:
        copy_community(demo_file, connection)
        done = roles.set_up(connection, app_role)
        # the owner sets the triggers aside: the grants alone must hold
        for table in ("payment", "audit_log"):
            connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    assert done.created and "payment" in done.append_only and "audit_log" in done.append_only
    counter = _as(pg_url, app_role)
    try:
        with counter.connect() as connection:
            assert connection.scalar(text("SELECT current_user")) == app_role
            for statement in (
                "UPDATE payment SET total_fen = total_fen + 100",
                "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
                "TRUNCATE audit_log",
                "DELETE FROM audit_head",
                "ALTER TABLE audit_log ENABLE TRIGGER USER",
                "DROP TRIGGER bill_no_update ON bill",
            ):
                with (
                    pytest.raises((ProgrammingError, InternalError), match=r"denied|must be owner"),
                    connection.begin_nested(),
                ):
                    connection.exec_driver_sql(statement)
            # what the program does is allowed: a payment allocated to a bill moves its
            # open amount by the trigger, running as the counter
            bill_id, open_fen, payment_id = connection.execute(
                text(
                    "SELECT bill_id, open_fen, (SELECT max(id) FROM payment) FROM bill_open "
                    "WHERE open_fen > 1 ORDER BY bill_id LIMIT 1"
                )
            ).one()
            connection.execute(
                Base.metadata.tables["allocation"].insert(),
                [{"payment_id": payment_id, "bill_id": bill_id, "amount_fen": 1}],
            )
            connection.exec_driver_sql("UPDATE audit_head SET entries = entries + 1")
            connection.exec_driver_sql("UPDATE room SET status = status")
            assert (
                connection.scalar(
                    text("SELECT open_fen FROM bill_open WHERE bill_id = :id"), {"id": bill_id}
                )
                == open_fen - 1
            )
            connection.commit()
    finally:
        counter.dispose()


def test_the_application_role_has_exactly_the_rights_the_models_give(
    engine: Engine, app_role: str
) -> None:
    with engine.begin() as connection:
        roles.set_up(connection, app_role)
        again = roles.set_up(connection, app_role)  # after an upgrade: set afresh
        held = {
            table: tuple(
                verb
                for verb in (*roles.VERBS, "TRUNCATE", "TRIGGER", "REFERENCES")
                if connection.scalar(
                    text("SELECT has_table_privilege(:role, :table, :verb)"),
                    {"role": app_role, "table": table, "verb": verb},
                )
            )
            for table in Base.metadata.tables
        }
    assert not again.created
    assert held == roles.granted()
    assert held["payment"] == held["audit_log"] == ("SELECT", "INSERT")
    assert held["audit_head"] == ("SELECT", "INSERT", "UPDATE")
    # an undone import's own carried-over rows are deleted by the counters' role; the
    # trigger refuses every other row (bill is append-only)
    assert held["bill"] == held["prepaid_entry"] == ("SELECT", "INSERT", "DELETE")
    assert held["room"] == held["bill_open"] == roles.VERBS
    # exactly the append-only tables, and no others, keep their rows from the counters
    append_only = {t for t, verbs in roles.granted().items() if "UPDATE" not in verbs}
    models = {m.local_table.name for m in Base.registry.mappers if m.class_.__append_only__}
    assert append_only == models


@pytest.mark.parametrize(
    ("who", "refusal"),
    [("frontdesk", "所有者"), ("postgres_like_superuser", "超级用户")],
)
def test_an_owner_or_superuser_is_refused_as_the_application_role(
    engine: Engine, app_role: str, who: str, refusal: str
) -> None:
    with engine.begin() as connection:
        name = connection.scalar(text("SELECT current_user")) if who == "frontdesk" else app_role
        if who != "frontdesk":
            connection.exec_driver_sql(f"CREATE ROLE {name} SUPERUSER")
        with pytest.raises(UserError, match=refusal):
            roles.set_up(connection, str(name))


def test_server_roles_prints_its_statements_without_a_server(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from frontdesk.cli import main

    assert main(["server-roles", "--app-user", "counter", "--print-sql"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert "GRANT SELECT, INSERT ON public.payment TO counter;" in printed
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON public.room TO counter;" in printed


def test_check_compares_the_kept_tables_with_the_money_rows_on_postgresql(
    engine: Engine, demo_file: Path
) -> None:
    from sqlalchemy.orm import Session

    from frontdesk.services.protection import money_checks

    names = money_checks._Names({}, {})
    with engine.connect() as connection:
        copy_community(demo_file, connection)
        session = Session(connection)
        assert money_checks._kept_totals(session, names) == []
        connection.exec_driver_sql(
            "UPDATE bill_open SET open_fen = open_fen + 1 "
            "WHERE bill_id = (SELECT min(bill_id) FROM bill_open)"
        )
        connection.exec_driver_sql(
            "UPDATE collection_tally SET collected_fen = collected_fen + 1 "
            "WHERE period = (SELECT min(period) FROM collection_tally)"
        )
        problems = money_checks._kept_totals(session, names)
    assert any("账单余额表与收款、减免记录不符" in p for p in problems)
    assert any(p.startswith("收缴汇总") for p in problems)


def test_server_roles_sets_up_the_counters_account_from_the_command_line(
    pg_url: str, app_role: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk.cli import main

    assert main(["server-roles", pg_url, "--app-user", app_role]) == 0
    said = capsys.readouterr().out
    assert f"已新建账户 {app_role} 的权限" in said and "不能修改或删除" in said
    assert main(["server-roles", pg_url, "--app-user", app_role]) == 0
    assert f"已更新账户 {app_role} 的权限" in capsys.readouterr().out
    counter = _as(pg_url, app_role)
    try:
        with counter.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM audit_head")) == 1
            with pytest.raises(ProgrammingError, match="denied"):
                connection.exec_driver_sql("DELETE FROM receipt")
    finally:
        counter.dispose()


def test_server_roles_wants_a_server_address(capsys: pytest.CaptureFixture[str]) -> None:
    from frontdesk.cli import main

    assert main(["server-roles", "frontdesk.sqlite", "--app-user", "counter"]) == 1
    assert "请给出 PostgreSQL 数据库地址" in capsys.readouterr().err


def test_the_counters_account_is_told_who_must_upgrade_and_nothing_changes(
    engine: Engine, pg_url: str, app_role: str
) -> None:
    with engine.connect() as connection:
        roles.set_up(connection, app_role)
        _alembic(connection, command.downgrade, "0029")
    location = parse_location(make_url(pg_url).set(username=app_role).render_as_string())
    with pytest.raises(EnvironmentProblem) as refused:
        open_at(location)
    owner = make_url(pg_url).username
    assert refused.value.message == (
        f"服务器 {location.server} 上的数据库 {make_url(pg_url).database}的结构版本是 0029，"
        f"本程序需要 {HEAD_REVISION}，要先升级；但本机的数据库账户 {app_role} 不是数据表的所有者"
        f"（{owner}），无权升级。请信息部门以 {owner} 的身份用新版本打开一次（如 frontdesk "
        "stats --db 数据库地址），再运行 frontdesk server-roles 重新授权。"
    )
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0029"
    open_at(parse_location(pg_url)).dispose()  # the owner upgrades it
    open_at(location).dispose()  # then the counters open it


def test_an_account_that_may_not_create_tables_is_told_so(pg_empty_url: str, app_role: str) -> None:
    owner = make_engine(pg_empty_url)
    try:
        with owner.begin() as connection:
            connection.exec_driver_sql(f"CREATE ROLE {app_role} LOGIN")
            connection.exec_driver_sql(f"REVOKE CREATE ON SCHEMA public FROM {app_role}, PUBLIC")
    finally:
        owner.dispose()
    location = parse_location(make_url(pg_empty_url).set(username=app_role).render_as_string())
    with pytest.raises(EnvironmentProblem, match=f"账户 {app_role} 无权在服务器 .*中建表"):
        open_at(location)
