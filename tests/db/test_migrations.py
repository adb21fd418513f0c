"""Opening files: new, older (backed up, then upgraded), newer, foreign, broken."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from frontdesk.db.base import Base
from frontdesk.db.migrate import HEAD_REVISION, head_revision, open_database
from frontdesk.domain.household import PersonKind
from frontdesk.errors import DatabaseTooNew, EnvironmentProblem, NotAFrontDeskDatabase
from frontdesk.services import community, stats, users
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.households.file import PersonInput
from frontdesk.services.protection import audit

# SQLite only: opening, refusing and upgrading database files (the server's: test_server_open.py).
pytestmark = pytest.mark.sqlite_only

FIXTURES = Path(__file__).parent / "fixtures"


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as raw:
        return raw.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_the_fast_path_head_is_alembics_head() -> None:
    # A new migration must also move HEAD_REVISION, or old files would not upgrade.
    assert head_revision() == HEAD_REVISION


def test_new_file_is_created_at_head_and_matches_the_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite")
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    db.dispose()
    assert diff == []
    assert _revision(tmp_path / "new.sqlite") == head_revision()
    assert list(tmp_path.glob("*before-upgrade*")) == []


def test_pragmas_are_set_on_every_connection(tmp_path: Path) -> None:
    db = open_database(tmp_path / "p.sqlite")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    db.dispose()


def test_older_file_is_backed_up_then_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "frontdesk-0001.sqlite", path)
    original = path.read_bytes()
    db = open_database(path)
    backups = list(tmp_path.glob("old.before-upgrade-0001-*.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert raw.execute("SELECT count(*) FROM room").fetchone()[0] == 1
    assert len(original) > 0
    assert _revision(path) == head_revision()
    assert community.get_community(db).name == "旧版小区"
    actor = users.login(db, "admin", "old12345")  # the new audit log works on old data
    assert audit.entry_ids(db, actor)
    assert stats.counts(db)["rooms"] == 1
    db.dispose()


def test_opening_again_makes_no_second_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "frontdesk-0001.sqlite", path)
    open_database(path).dispose()
    open_database(path).dispose()
    assert len(list(tmp_path.glob("*before-upgrade*"))) == 1


def test_newer_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    open_database(path).dispose()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="更新版本"):
        open_database(path)
    # Byte for byte past the 100-byte file header, where opening turned on WAL (and so
    # moved the change counter): every page holds what it held.
    after = path.read_bytes()
    assert len(after) == len(before) and after[100:] == before[100:]


def test_a_text_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("这不是数据库")
    with pytest.raises(NotAFrontDeskDatabase, match="不是物业前台数据库"):
        open_database(path)
    assert path.read_text() == "这不是数据库"


def test_another_programs_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE invoices (id INTEGER)")
    before = path.read_bytes()
    with pytest.raises(NotAFrontDeskDatabase):
        open_database(path)
    # Byte for byte past the 100-byte file header, where opening turned on WAL (and so
    # moved the change counter): every page holds what it held.
    after = path.read_bytes()
    assert len(after) == len(before) and after[100:] == before[100:]


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem, match="文件夹不存在"):
        open_database(tmp_path / "nowhere" / "x.sqlite")
    assert not (tmp_path / "nowhere").exists()


def test_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root in CI, where chmod cannot take write access away; ask os.access instead.
    monkeypatch.setattr("frontdesk.db.migrate.os.access", lambda _path, _mode: False)
    with pytest.raises(EnvironmentProblem, match="不可写"):
        open_database(tmp_path / "x.sqlite")
    assert not (tmp_path / "x.sqlite").exists()


def test_a_0002_file_gains_household_files_and_keeps_its_audit_chain(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite"
    shutil.copy(FIXTURES / "frontdesk-0002.sqlite", path)
    db = open_database(path)
    assert list(tmp_path.glob("v2.before-upgrade-0002-*.sqlite"))
    actor = users.login(db, "admin", "old12345")
    room_id = structure.room_ids(db, actor)[0]
    households.add_record(db, actor, room_id, PersonInput(PersonKind.OWNER, "王五"))
    check = audit.verify_chain(db)
    assert check.ok, check  # entries hashed before room_id existed still verify
    history = audit.room_history(db, actor, room_id)
    assert history[0].summary == "新增人员「王*」"  # the log keeps names masked
    db.dispose()


def test_a_0003_file_gains_fees_and_bills_its_rooms(tmp_path: Path) -> None:
    from datetime import date

    from frontdesk.domain.fees import FeeMethod
    from frontdesk.domain.periods import Period
    from frontdesk.services.fees import billing, payments
    from frontdesk.services.fees import items as fees

    path = tmp_path / "v3.sqlite"
    shutil.copy(FIXTURES / "frontdesk-0003.sqlite", path)
    db = open_database(path)
    assert list(tmp_path.glob("v3.before-upgrade-0003-*.sqlite"))
    actor = users.login(db, "admin", "old12345")
    room_id = structure.room_ids(db, actor)[0]
    assert [p.name for p in households.open_file(db, actor, room_id).owners] == ["赵六"]
    item = fees.add_fee_item(db, actor, "物业服务费", "物业服务费", FeeMethod.AREA_MONTHLY)
    fees.add_price_plan(db, actor, item, 22000, date(2020, 1, 1))
    today = date(2026, 11, 25)
    result = billing.run_billing(db, actor, Period(2026, 11), today=today)
    assert result.bills > 0
    view = payments.counter_view(db, actor, room_id, today)
    assert view.owners == ("赵六",) and view.open_bills  # an old room is billed at once
    assert audit.verify_chain(db).ok
    db.dispose()


def test_0012_keeps_notices_printed_before_it_as_printed_not_delivered(tmp_path: Path) -> None:
    """A notice printed before delivery records existed has no evidence of delivery: it
    becomes 已打印，待送达 and stops counting as a written demand until one is recorded;
    a call logged by hand is left as it was."""
    from sqlalchemy import create_engine, text

    from frontdesk.db.migrate import upgrade

    path = tmp_path / "v11.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        upgrade(connection, "0011")
        connection.execute(
            text(
                "INSERT INTO building (id, code, name, floors, sort_key, note) "
                "VALUES (1, '1', '1栋', 2, 1, '')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO room (id, building_id, number, floor, area_m2_x100, room_type, "
                "status) VALUES (1, 1, '101', 1, 8950, 'residence', 'occupied')"
            )
        )
        for channel, level, number in (("书面送达", 2, "CJ-2026-000001"), ("电话", 0, None)):
            connection.execute(
                text(
                    "INSERT INTO reminder (room_id, at, by_name, channel, level, written, "
                    "owed_fen, outcome, notice_number) VALUES (1, '2026-10-01 02:00:00', "
                    ":by, :channel, :level, :written, 100, '', :number)"
                ),
                {
                    "by": "前台",
                    "channel": channel,
                    "level": level,
                    "written": level >= 2,
                    "number": number,
                },
            )
        upgrade(connection)
        rows = connection.execute(
            text("SELECT channel, delivery, written, debt_keys FROM reminder ORDER BY id")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("书面送达", "printed", 0, ""), ("电话", None, 0, "")]


def test_0011_gives_existing_fee_items_their_unit_and_refunds_an_empty_account(
    tmp_path: Path,
) -> None:
    """Items of a 0010 file get the unit their method (and meter) implies, a card
    元/张; refunds get empty account fields; downgrading drops them again."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from frontdesk.db.migrate import alembic_config, upgrade

    engine = create_engine(f"sqlite:///{tmp_path / 'v10.sqlite'}")
    with engine.begin() as connection:
        upgrade(connection, "0010")
        for name, method, meter in (
            ("物业服务费", "area_monthly", None),
            ("生活垃圾处理费", "fixed_monthly", None),
            ("车位管理费", "parking_monthly", None),
            ("水费", "meter", "water"),
            ("电费", "meter", "electricity"),
            ("门禁卡工本费", "one_off", None),
            ("装修管理费", "one_off", None),
            ("装修押金", "deposit", None),
        ):
            connection.execute(
                text(
                    "INSERT INTO fee_item (name, category, method, collection, meter_kind,"
                    " sort_key, active) VALUES (:n, :n, :m, 'own', :k, 0, 1)"
                ),
                {"n": name, "m": method, "k": meter},
            )
    with engine.begin() as connection:
        upgrade(connection, "0011")
        units = dict(connection.execute(text("SELECT name, unit FROM fee_item")).all())
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info(refund)"))}
    assert units == {
        "物业服务费": "元/㎡/月",
        "生活垃圾处理费": "元/户/月",
        "车位管理费": "元/个/月",
        "水费": "元/吨",
        "电费": "元/度",
        "门禁卡工本费": "元/张",
        "装修管理费": "元/次",
        "装修押金": "元/户",
    }
    assert {"payee_account_name", "payee_bank", "payee_account_no"} <= columns
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info(fee_item)"))}
    assert "unit" not in columns
    engine.dispose()


def test_the_delivery_method_check_names_every_way_a_notice_is_delivered(tmp_path: Path) -> None:
    from frontdesk.domain.reminders import DeliveryMethod

    db = open_database(tmp_path / "d.sqlite")
    db.dispose()
    with sqlite3.connect(tmp_path / "d.sqlite") as raw:
        sql = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'reminder'").fetchone()[0]
    for method in DeliveryMethod:
        assert f"'{method.value}'" in sql
    assert "ck_reminder_delivery_method" in sql


def test_an_empty_or_cut_short_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    with pytest.raises(NotAFrontDeskDatabase, match="是空的") as refused:
        open_database(empty)
    assert str(empty) in refused.value.message and "frontdesk init" in refused.value.message
    assert empty.read_bytes() == b""

    bare = tmp_path / "bare.sqlite"
    with sqlite3.connect(bare) as raw:
        raw.execute("PRAGMA user_version = 1")  # an SQLite file with no table at all
    with pytest.raises(NotAFrontDeskDatabase, match="没有任何数据"):
        open_database(bare)

    whole = tmp_path / "whole.sqlite"
    open_database(whole).dispose()
    data = whole.read_bytes()
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(data[: len(data) - 4096])
    with pytest.raises(NotAFrontDeskDatabase, match="已损坏"):
        open_database(cut)
    assert cut.read_bytes() == data[: len(data) - 4096]


def test_a_creation_cut_off_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import frontdesk.db.migrate as migrate

    def killed(url: str) -> None:
        Path(url.removeprefix("sqlite:///")).write_bytes(b"SQLite format 3\x00 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(migrate, "_migrate", killed)
    path = tmp_path / "new.sqlite"
    with pytest.raises(KeyboardInterrupt):
        open_database(path)
    assert list(tmp_path.iterdir()) == []  # next start: no file, so a new one is made


def _contents(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        return list(raw.iterdump())


def test_a_file_with_a_dangling_reference_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    """PRAGMA foreign_key_check runs before the upgrade is committed: an upgrade that
    would leave rows pointing at nothing is rolled back, naming the rows."""
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "frontdesk-0003.sqlite", path)
    with sqlite3.connect(path) as raw:  # foreign keys are off in a bare connection
        room_id = raw.execute("SELECT min(id) FROM room").fetchone()[0]
        raw.execute("UPDATE room SET building_id = 999 WHERE id = ?", (room_id,))
    raw.close()
    before = path.read_bytes()
    contents = _contents(path)
    with pytest.raises(EnvironmentProblem, match="升级已取消") as refused:
        open_database(path)
    assert f"表 room 第 {room_id} 行指向 building" in refused.value.message
    assert _revision(path) == "0003"
    assert _contents(path) == contents
    # Byte for byte past the 100-byte file header, where opening turned on WAL (and so
    # moved the change counter): every page holds what it held.
    after = path.read_bytes()
    assert len(after) == len(before) and after[100:] == before[100:]


def _triggers(path: Path) -> dict[str, str]:
    from frontdesk.db.triggers import normalised

    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    return {name: normalised(sql) for name, sql in rows}


def _declared_triggers() -> dict[str, str]:
    from frontdesk.db.triggers import declared, normalised

    return {trigger.name: normalised(trigger.sql) for trigger in declared()}


def test_a_new_file_holds_exactly_the_triggers_the_models_declare(tmp_path: Path) -> None:
    open_database(tmp_path / "new.sqlite").dispose()
    declared = _declared_triggers()
    assert {"receipt_no_update", "audit_log_no_delete", "bill_open_on_allocation"} <= set(declared)
    assert _triggers(tmp_path / "new.sqlite") == declared


@pytest.mark.parametrize("fixture", ["frontdesk-0001", "frontdesk-0002", "frontdesk-0003"])
def test_an_upgraded_file_holds_exactly_the_triggers_the_models_declare(
    tmp_path: Path, fixture: str
) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / f"{fixture}.sqlite", path)
    open_database(path).dispose()
    assert _triggers(path) == _declared_triggers()


def _schema_rules(path: Path) -> dict[str, set[tuple[str, str]]]:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(f"sqlite:///{path}")
    inspector = inspect(engine)
    checks = {
        (table, f"{check['name']}: {' '.join(check['sqltext'].split())}")
        for table in inspector.get_table_names()
        for check in inspector.get_check_constraints(table)
    }
    engine.dispose()
    with sqlite3.connect(path) as raw:
        indexes = raw.execute(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
    return {
        "checks": checks,
        "indexes": {(table, " ".join(sql.split())) for table, sql in indexes},
        "triggers": set(_triggers(path).items()),
    }


def test_the_models_make_the_checks_indexes_and_triggers_the_migrations_make(
    tmp_path: Path,
) -> None:
    """compare_metadata sees neither CHECK constraints, nor partial indexes' conditions,
    nor triggers: compared here, between a file made by every migration and one made by
    the models alone."""
    from sqlalchemy import create_engine

    open_database(tmp_path / "migrated.sqlite").dispose()
    engine = create_engine(f"sqlite:///{tmp_path / 'models.sqlite'}")
    Base.metadata.create_all(engine)
    engine.dispose()
    migrated = _schema_rules(tmp_path / "migrated.sqlite")
    assert (
        "room",
        "ck_room_status: status IN ('unsold', 'handed_over', 'occupied', 'vacant', 'rented')",
    ) in migrated["checks"]
    assert migrated == _schema_rules(tmp_path / "models.sqlite")


def test_0017_refuses_a_file_with_rows_that_break_a_new_rule_and_names_them(
    tmp_path: Path,
) -> None:
    from sqlalchemy import create_engine, text

    from frontdesk.db.migrate import upgrade

    path = tmp_path / "v16.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        upgrade(connection, "0016")
        connection.execute(
            text(
                "INSERT INTO building (id, code, name, floors, sort_key, note) "
                "VALUES (1, '1', '1栋', 2, 1, '')"
            )
        )
        for room_id, status in ((7, "occupied"), (8, "demolished")):
            connection.execute(
                text(
                    "INSERT INTO room (id, building_id, number, floor, area_m2_x100, "
                    "room_type, status) VALUES (:id, 1, :number, 1, 8950, 'residence', :status)"
                ),
                {"id": room_id, "number": f"10{room_id}", "status": status},
            )
        connection.execute(
            text(
                "INSERT INTO handover_batch (id, name, starts_on, ends_on, note, created_at, "
                "created_by) VALUES (3, '一期', '2026-05-10', '2026-05-01', '', "
                "'2026-04-01 00:00:00', '前台')"
            )
        )
    engine.dispose()
    contents = _contents(path)
    with pytest.raises(EnvironmentProblem, match="升级已取消") as refused:
        open_database(path)
    message = refused.value.message
    assert "表 room 的 id 为 8 不符合 ck_room_status" in message
    assert "表 handover_batch 的 id 为 3 不符合 ck_handover_batch_ends_not_before_start" in message
    assert "id 为 7" not in message
    assert _revision(path) == "0016"
    assert _contents(path) == contents


def test_0017_downgrades_to_the_checks_and_triggers_of_0016(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine, text

    from frontdesk.db.migrate import alembic_config, upgrade

    before, after = tmp_path / "v16.sqlite", tmp_path / "down.sqlite"
    engine = create_engine(f"sqlite:///{before}")
    with engine.begin() as connection:
        upgrade(connection, "0016")
    engine.dispose()
    engine = create_engine(f"sqlite:///{after}")
    with engine.begin() as connection:
        upgrade(connection)
        room = text("SELECT sql FROM sqlite_master WHERE name = 'room'")
        assert "ck_room_status" in connection.execute(room).scalar_one()
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0016")
    engine.dispose()
    assert _schema_rules(after) == _schema_rules(before)
