"""Arrears: each bill's open amount kept by triggers, reminders, late-fee waivers, and
the numbering series of reminder notices.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import sqlite_only

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# bill_open follows every money row that changes what a bill owes, in the same
# transaction: no code path can forget it.
TRIGGERS = {
    "bill_open_on_bill": (
        "AFTER INSERT ON bill BEGIN "
        "INSERT INTO bill_open (bill_id, room_id, open_fen) "
        "VALUES (NEW.id, NEW.room_id, NEW.due_fen); END"
    ),
    "bill_open_on_allocation": (
        "AFTER INSERT ON allocation BEGIN "
        "UPDATE bill_open SET open_fen = open_fen - NEW.amount_fen "
        "WHERE bill_id = NEW.bill_id; END"
    ),
    "bill_open_on_reduction": (
        "AFTER INSERT ON reduction BEGIN "
        "UPDATE bill_open SET open_fen = open_fen - NEW.amount_fen "
        "WHERE bill_id = NEW.bill_id; END"
    ),
}


def upgrade() -> None:
    op.create_table(
        "late_fee_waiver",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("up_to", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("granted_by", sa.String(length=40), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_late_fee_waiver_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_late_fee_waiver")),
    )
    with op.batch_alter_table("late_fee_waiver", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_late_fee_waiver_room_id"), ["room_id"], unique=False)

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("written", sa.Boolean(), nullable=False),
        sa.Column("owed_fen", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("promised_on", sa.Date(), nullable=True),
        sa.Column("notice_number", sa.String(length=30), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=True),
        sa.Column("document_page", sa.Integer(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["app_user.id"], name=op.f("fk_reminder_by_id_app_user"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_reminder_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index("ix_reminder_room_at", ["room_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_room_id"), ["room_id"], unique=False)

    op.create_table(
        "bill_open",
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("open_fen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bill_id"], ["bill.id"], name=op.f("fk_bill_open_bill_id_bill"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("bill_id", name=op.f("pk_bill_open")),
    )
    with op.batch_alter_table("bill_open", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bill_open_owing", ["room_id"], unique=False, sqlite_where=sa.text("open_fen > 0")
        )

    op.execute(
        "INSERT INTO bill_open (bill_id, room_id, open_fen) "
        "SELECT b.id, b.room_id, b.due_fen "
        "- COALESCE((SELECT SUM(a.amount_fen) FROM allocation a WHERE a.bill_id = b.id), 0) "
        "- COALESCE((SELECT SUM(r.amount_fen) FROM reduction r WHERE r.bill_id = b.id), 0) "
        "FROM bill b"
    )
    for name, body in TRIGGERS.items():
        sqlite_only(f"CREATE TRIGGER {name} {body}")
    series = sa.table(
        "receipt_series", sa.column("code"), sa.column("name"), sa.column("next_number")
    )
    op.bulk_insert(series, [{"code": "CJ", "name": "催缴通知", "next_number": 1}])


def downgrade() -> None:
    op.execute("DELETE FROM receipt_series WHERE code = 'CJ'")
    for name in TRIGGERS:
        sqlite_only(f"DROP TRIGGER {name}")
    with op.batch_alter_table("bill_open", schema=None) as batch_op:
        batch_op.drop_index("ix_bill_open_owing", sqlite_where=sa.text("open_fen > 0"))

    op.drop_table("bill_open")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_room_id"))
        batch_op.drop_index("ix_reminder_room_at")

    op.drop_table("reminder")
    with op.batch_alter_table("late_fee_waiver", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_late_fee_waiver_room_id"))

    op.drop_table("late_fee_waiver")
