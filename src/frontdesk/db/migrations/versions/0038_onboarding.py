"""数据导入: moving an office onto FrontDesk from its spreadsheets (issue 25).

New tables:
- import_batch: each import of a file (name, sha256, sheets, kinds, who, when, its
  totals as JSON) and, once undone, when and by whom;
- import_mapping: a mapping of an old system's columns and values saved under a name;
- paid_through (已缴至): per room and fee item, the month the old system had it paid
  through, so billing does not charge it again;
- imported_payment: the old system's payment lines, read-only history;
- opening_deposit: deposits the old system held (装修押金 …).

`import_id` (the import that added the row) on building, unit, room, household,
person, bill (期初欠费), prepaid_entry (期初预存) and meter_reading; `opening_deposit_id`
on refund, whose CHECK deposit_has_bill now accepts a deposit the old system held.

bill and prepaid_entry stay append-only except that a row an import added may be
deleted (the import undone whole, before anything touched it: allocations and
reductions hold their bills by RESTRICT); deleting a bill takes its bill_open row and
its part of collection_tally's sums with it (two new triggers).

Going down refuses a file that holds an import (its rows would lose their trace).

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import (
    kept_as_defined,
    replace_check,
    triggers_set_aside,
    user_fk,
)
from frontdesk.errors import EnvironmentProblem

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

TRACED = (
    "building",
    "unit",
    "room",
    "household",
    "person",
    "bill",
    "prepaid_entry",
    "meter_reading",
)
UNDOABLE = ("bill", "prepaid_entry")
DEPOSIT_BEFORE = "kind <> 'deposit' OR bill_id IS NOT NULL"
DEPOSIT_AFTER = "kind <> 'deposit' OR bill_id IS NOT NULL OR opening_deposit_id IS NOT NULL"
_REFUSE = "RAISE EXCEPTION '{}' USING ERRCODE = 'restrict_violation';"
_SQLITE_TRIGGERS = {
    "bill_open_off_bill": (
        "BEFORE DELETE ON bill BEGIN DELETE FROM bill_open WHERE bill_id = OLD.id; END"
    ),
    "collection_tally_off_bill": (
        "AFTER DELETE ON bill WHEN OLD.period IS NOT NULL BEGIN "
        "UPDATE collection_tally SET billed_fen = billed_fen - OLD.amount_fen, "
        "reduced_at_billing_fen = reduced_at_billing_fen - OLD.reduction_fen "
        "WHERE (period, building_id, fee_item_id) = (SELECT OLD.period, "
        "room.building_id, OLD.fee_item_id FROM room WHERE room.id = OLD.room_id); END"
    ),
}
_POSTGRESQL_TRIGGERS = {
    "bill_open_off_bill": (
        "BEFORE DELETE ON bill FOR EACH ROW",
        "DELETE FROM bill_open WHERE bill_id = OLD.id; RETURN OLD;",
    ),
    "collection_tally_off_bill": (
        "AFTER DELETE ON bill FOR EACH ROW WHEN (OLD.period IS NOT NULL)",
        "UPDATE collection_tally SET billed_fen = billed_fen - OLD.amount_fen, "
        "reduced_at_billing_fen = reduced_at_billing_fen - OLD.reduction_fen "
        "WHERE (period, building_id, fee_item_id) = (SELECT OLD.period, "
        "room.building_id, OLD.fee_item_id FROM room WHERE room.id = OLD.room_id); "
        "RETURN NULL;",
    ),
}


def _import_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["import_id"],
        ["import_batch.id"],
        name=op.f(f"fk_{table}_import_id_import_batch"),
        ondelete="RESTRICT",
    )


def _room_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["room_id"], ["room.id"], name=op.f(f"fk_{table}_room_id_room"), ondelete="RESTRICT"
    )


def _tables() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("sheets", sa.String(length=200), nullable=False),
        sa.Column("kinds", sa.String(length=100), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=40), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("totals", sa.Text(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by", sa.String(length=40), nullable=False),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        user_fk("import_batch", "imported_by_id"),
        user_fk("import_batch", "undone_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    op.create_table(
        "import_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("setup", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("saved_by", sa.String(length=40), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        user_fk("import_mapping", "saved_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mapping")),
        sa.UniqueConstraint("name", name=op.f("uq_import_mapping_name")),
    )
    op.create_table(
        "paid_through",
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fee_item_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fee_item_id"],
            ["fee_item.id"],
            name=op.f("fk_paid_through_fee_item_id_fee_item"),
            ondelete="RESTRICT",
        ),
        _import_fk("paid_through"),
        _room_fk("paid_through"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paid_through")),
        sa.UniqueConstraint(
            "room_id", "fee_item_id", name=op.f("uq_paid_through_room_id_fee_item_id")
        ),
    )
    op.create_table(
        "imported_payment",
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fee_item", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("cashier", sa.String(length=40), nullable=False),
        sa.Column("receipt_no", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        _import_fk("imported_payment"),
        _room_fk("imported_payment"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_payment")),
    )
    op.create_table(
        "opening_deposit",
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_opening_deposit_amount_positive")),
        _import_fk("opening_deposit"),
        _room_fk("opening_deposit"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_deposit")),
    )
    for table in ("paid_through", "imported_payment", "opening_deposit"):
        op.create_index(op.f(f"ix_{table}_room_id"), table, ["room_id"])
        op.create_index(op.f(f"ix_{table}_import_id"), table, ["import_id"])
    op.create_index("ix_imported_payment_room_paid_on", "imported_payment", ["room_id", "paid_on"])


def _add_reference(table: str, column: str, target: str) -> None:
    """A nullable reference column with its named foreign key and index. SQLite copies
    the table for the key (batch mode): every trigger is set aside and put back, and
    the table's indexes (partial ones too) are put back as the file defined them."""
    with (
        triggers_set_aside(op.get_bind()),
        kept_as_defined(table),
        op.batch_alter_table(table, schema=None) as batch_op,
    ):
        batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f(f"fk_{table}_{column}_{target}"),
            target,
            [column],
            ["id"],
            ondelete="RESTRICT",
        )
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def _drop_reference(table: str, column: str, target: str) -> None:
    op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    with (
        triggers_set_aside(op.get_bind()),
        kept_as_defined(table),
        op.batch_alter_table(table, schema=None) as batch_op,
    ):
        batch_op.drop_constraint(batch_op.f(f"fk_{table}_{column}_{target}"), type_="foreignkey")
        batch_op.drop_column(column)


def _sqlite_append_only_delete(table: str, undoable: bool) -> str:
    unless = "WHEN NOT (OLD.import_id IS NOT NULL) " if undoable else ""
    return (
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {unless}"
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    )


def _postgresql_append_only_delete(table: str, undoable: bool) -> str:
    refuse = _REFUSE.format(f"{table} is append-only")
    if undoable:
        refuse = f"IF NOT (OLD.import_id IS NOT NULL) THEN {refuse} END IF; RETURN OLD;"
    return (
        f"CREATE OR REPLACE FUNCTION {table}_no_delete() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$BEGIN {refuse} END$$"
    )


def _triggers(undoable: bool) -> None:
    bind = op.get_bind()
    for table in UNDOABLE:
        if bind.dialect.name == "postgresql":
            bind.exec_driver_sql(_postgresql_append_only_delete(table, undoable))
        else:
            op.execute(f"DROP TRIGGER {table}_no_delete")
            op.execute(_sqlite_append_only_delete(table, undoable))
    for name in _SQLITE_TRIGGERS:
        if not undoable:
            if bind.dialect.name == "postgresql":
                bind.exec_driver_sql(f"DROP TRIGGER {name} ON bill")
                bind.exec_driver_sql(f"DROP FUNCTION {name}()")
            else:
                op.execute(f"DROP TRIGGER {name}")
        elif bind.dialect.name == "postgresql":
            on, body = _POSTGRESQL_TRIGGERS[name]
            bind.exec_driver_sql(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN {body} END$$"
            )
            bind.exec_driver_sql(f"CREATE TRIGGER {name} {on} EXECUTE FUNCTION {name}()")
        else:
            op.execute(f"CREATE TRIGGER {name} {_SQLITE_TRIGGERS[name]}")


def upgrade() -> None:
    _tables()
    for table in TRACED:
        _add_reference(table, "import_id", "import_batch")
    _add_reference("refund", "opening_deposit_id", "opening_deposit")
    replace_check("refund", "ck_refund_deposit_has_bill", DEPOSIT_AFTER)
    _triggers(undoable=True)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM import_batch")).first():
        raise EnvironmentProblem("数据库中已有数据导入的记录，不能降级到 0037。")
    _triggers(undoable=False)
    replace_check("refund", "ck_refund_deposit_has_bill", DEPOSIT_BEFORE)
    _drop_reference("refund", "opening_deposit_id", "opening_deposit")
    for table in TRACED:
        _drop_reference(table, "import_id", "import_batch")
    for table in ("opening_deposit", "imported_payment", "paid_through", "import_mapping"):
        op.drop_table(table)
    op.drop_table("import_batch")
