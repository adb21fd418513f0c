"""Rules the database itself keeps: enum columns hold only their values (and the ORM
hands back the domain enum), and the CHECKs that join columns refuse what the program
never writes — whatever writes it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.db.migrate import open_database
from frontdesk.db.models import Building, Room
from frontdesk.domain.rooms import RoomStatus, RoomType

pytestmark = pytest.mark.sqlite_only  # the rules as SQLite states them, read through sqlite3


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "template.sqlite"
    open_database(path).dispose()
    return path


@pytest.fixture
def raw(template: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A copy of a new file, with one building, room, fee item, bill and payment."""
    path = tmp_path / "rules.sqlite"
    path.write_bytes(template.read_bytes())
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.executescript(
        """
        INSERT INTO building (id, code, name, floors, sort_key, note)
            VALUES (1, '1', '1栋', 9, 1, '');
        INSERT INTO room (id, building_id, number, floor, area_m2_x100, room_type, status)
            VALUES (1, 1, '101', 1, 8950, 'residence', 'occupied');
        INSERT INTO fee_item (id, name, category, method, collection, sort_key, active, unit)
            VALUES (1, '物业服务费', '物业服务费', 'area_monthly', 'own', 0, 1, '元/㎡/月');
        INSERT INTO bill (id, room_id, fee_item_id, period, start_on, end_on, quantity_x100,
            unit_price, amount_fen, reduction_fen, reduction_reason, due_fen, description,
            created_at, created_by)
            VALUES (1, 1, 1, '2026-11', '2026-11-01', '2026-11-30', 8950, 22000, 19690, 0, '',
            19690, '', '2026-11-01 00:00:00', '前台');
        INSERT INTO payment (id, room_id, posted_at, day, cashier_name, payer, total_fen, note)
            VALUES (1, 1, '2026-11-02 01:00:00', '2026-11-02', '收费员', '', 19690, '');
        """
    )
    connection.commit()
    yield connection
    connection.close()


def _refused(connection: sqlite3.Connection, sql: str, constraint: str) -> None:
    with pytest.raises(sqlite3.IntegrityError, match=f"CHECK constraint failed: {constraint}"):
        connection.execute(sql)


def test_an_enum_column_holds_only_its_values(raw: sqlite3.Connection) -> None:
    _refused(raw, "UPDATE room SET status = 'demolished' WHERE id = 1", "ck_room_status")
    _refused(
        raw,
        "INSERT INTO app_user (username, display_name, role, password_hash, active, "
        "failed_logins, created_at) VALUES ('x', 'x', 'root', 'h', 1, 0, '2026-01-01')",
        "ck_app_user_role",
    )
    raw.execute("UPDATE room SET status = 'vacant' WHERE id = 1")  # a value of RoomStatus


def test_the_orm_hands_back_the_domain_enum_and_stores_its_value(tmp_path: Path) -> None:
    db = open_database(tmp_path / "enum.sqlite")
    with db.write() as session:
        building = Building(code="2", name="2栋")
        session.add(building)
        session.add(
            Room(
                building=building,
                number="201",
                floor=2,
                area_m2_x100=9000,
                room_type=RoomType.SHOP,
                status=RoomStatus.HANDED_OVER,
            )
        )
    with db.read() as session:
        room = session.scalars(select(Room)).one()
        assert type(room.status) is RoomStatus and room.status is RoomStatus.HANDED_OVER
        assert type(room.room_type) is RoomType
    db.dispose()
    with sqlite3.connect(tmp_path / "enum.sqlite") as raw:
        stored = raw.execute("SELECT room_type, status FROM room").fetchone()
    assert stored == ("shop", "handed_over")  # the values, as files always held them


def test_a_receipt_is_for_a_payment_or_a_refund_never_both_or_neither(
    raw: sqlite3.Connection,
) -> None:
    raw.execute(
        "INSERT INTO refund (id, room_id, kind, gross_fen, deductions_fen, amount_fen, method, "
        "payee, reason, refunded_at, day, cashier_name, payee_account_name, payee_bank, "
        "payee_account_no) VALUES (1, 1, 'prepaid', 100, 0, 100, 'cash', '业主', '退预存', "
        "'2026-11-03 01:00:00', '2026-11-03', '收费员', '', '', '')"
    )
    insert = (
        "INSERT INTO receipt (room_id, series, number, payment_id, refund_id, issued_at) "
        "VALUES (1, 'SJ', {number}, {payment}, {refund}, '2026-11-03 01:00:00')"
    )
    check = "ck_receipt_payment_or_refund"
    _refused(raw, insert.format(number=1, payment="NULL", refund="NULL"), check)
    _refused(raw, insert.format(number=1, payment=1, refund=1), check)
    raw.execute(insert.format(number=1, payment=1, refund="NULL"))
    raw.execute(insert.format(number=2, payment="NULL", refund=1))


def test_a_deposit_refund_names_its_bill(raw: sqlite3.Connection) -> None:
    insert = (
        "INSERT INTO refund (room_id, kind, bill_id, gross_fen, deductions_fen, amount_fen, "
        "method, payee, reason, refunded_at, day, cashier_name, payee_account_name, payee_bank, "
        "payee_account_no) VALUES (1, '{kind}', {bill}, 100, 0, 100, 'cash', '业主', '退押金', "
        "'2026-11-03 01:00:00', '2026-11-03', '收费员', '', '', '')"
    )
    _refused(raw, insert.format(kind="deposit", bill="NULL"), "ck_refund_deposit_has_bill")
    _refused(raw, insert.format(kind="bonus", bill="NULL"), "ck_refund_kind")
    raw.execute(insert.format(kind="deposit", bill=1))


@pytest.mark.parametrize(
    ("sql", "constraint"),
    [
        (
            "INSERT INTO bill (room_id, fee_item_id, start_on, end_on, quantity_x100, unit_price, "
            "amount_fen, reduction_fen, reduction_reason, due_fen, description, created_at, "
            "created_by) VALUES (1, 1, '2026-12-02', '2026-12-01', 100, 1, 1, 0, '', 1, '', "
            "'2026-12-01 00:00:00', '前台')",
            "ck_bill_end_not_before_start",
        ),
        (
            "INSERT INTO handover_batch (name, starts_on, ends_on, note, created_at, created_by) "
            "VALUES ('一期', '2026-05-10', '2026-05-09', '', '2026-04-01 00:00:00', '前台')",
            "ck_handover_batch_ends_not_before_start",
        ),
        (
            "INSERT INTO person (room_id, kind, relation, name, name_pinyin, name_initials, "
            "gender, id_type, id_number, phone, share, lives_here, note, left_reason, "
            "lease_start, lease_end) VALUES (1, 'tenant', '', '租户', '', '', '', '', '', '', "
            "'', 1, '', '', '2026-06-01', '2026-05-31')",
            "ck_person_lease_end_not_before_start",
        ),
        (
            "INSERT INTO reduction_rule (name, fee_item_id, room_status, percent_off, reason, "
            "starts_on, ends_on) VALUES ('空置', 1, 'vacant', 30, '空置房', '2026-06-01', "
            "'2026-05-31')",
            "ck_reduction_rule_ends_not_before_start",
        ),
    ],
)
def test_no_end_date_lies_before_its_start(
    raw: sqlite3.Connection, sql: str, constraint: str
) -> None:
    _refused(raw, sql, constraint)
    # the same row ending on its first day is kept
    raw.execute(
        sql.replace("'2026-12-01'", "'2026-12-02'")
        .replace("-09'", "-10'")
        .replace("'2026-05-31'", "'2026-06-01'")
    )


def test_a_bill_is_never_paid_beyond_what_it_owes(raw: sqlite3.Connection) -> None:
    """The allocation's trigger takes its amount off bill_open; below zero is refused,
    so an over-allocation fails with the whole statement, whatever made it."""
    insert = "INSERT INTO allocation (payment_id, bill_id, amount_fen) VALUES (1, 1, {amount})"
    _refused(raw, insert.format(amount=19691), "ck_bill_open_open_not_negative")
    raw.execute(insert.format(amount=19690))
    assert raw.execute("SELECT open_fen FROM bill_open WHERE bill_id = 1").fetchone() == (0,)
