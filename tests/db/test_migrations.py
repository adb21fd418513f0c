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
    assert path.read_bytes() == before


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
    assert path.read_bytes() == before


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
