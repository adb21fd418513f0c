"""收缴率's sums kept by the database (issue 22's speed): `collection_tally` holds, per
billing period, building and fee item, what was billed, reduced on the bill, reduced
later and collected, kept by three triggers as bills, allocations and reductions are
inserted, as `bill_open` is (0005). The twelve months' 收缴率 and the monthly report
read these few hundred rows instead of a year of bills and allocations.

The table is filled from the money rows already in the file. Going down drops it and
its triggers; nothing else refers to it.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 07:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

# The triggers as this revision defines them (a migration keeps its own copy).
TRIGGERS = {
    "collection_tally_on_bill": (
        "AFTER INSERT ON bill WHEN NEW.period IS NOT NULL BEGIN "
        "INSERT INTO collection_tally (period, building_id, fee_item_id, billed_fen, "
        "reduced_at_billing_fen, reduced_later_fen, collected_fen) "
        "SELECT NEW.period, room.building_id, NEW.fee_item_id, NEW.amount_fen, "
        "NEW.reduction_fen, 0, 0 FROM room WHERE room.id = NEW.room_id "
        "ON CONFLICT (period, building_id, fee_item_id) DO UPDATE SET "
        "billed_fen = billed_fen + excluded.billed_fen, "
        "reduced_at_billing_fen = reduced_at_billing_fen + excluded.reduced_at_billing_fen; "
        "END"
    ),
    "collection_tally_on_allocation": (
        "AFTER INSERT ON allocation BEGIN "
        "UPDATE collection_tally SET collected_fen = collected_fen + NEW.amount_fen "
        "WHERE (period, building_id, fee_item_id) = (SELECT bill.period, "
        "room.building_id, bill.fee_item_id FROM bill JOIN room ON room.id = bill.room_id "
        "WHERE bill.id = NEW.bill_id); END"
    ),
    "collection_tally_on_reduction": (
        "AFTER INSERT ON reduction BEGIN "
        "UPDATE collection_tally SET reduced_later_fen = reduced_later_fen + NEW.amount_fen "
        "WHERE (period, building_id, fee_item_id) = (SELECT bill.period, "
        "room.building_id, bill.fee_item_id FROM bill JOIN room ON room.id = bill.room_id "
        "WHERE bill.id = NEW.bill_id); END"
    ),
}
FILL = (
    "INSERT INTO collection_tally (period, building_id, fee_item_id, billed_fen, "
    "reduced_at_billing_fen, reduced_later_fen, collected_fen) "
    "SELECT b.period, room.building_id, b.fee_item_id, SUM(b.amount_fen), "
    "SUM(b.reduction_fen), "
    "COALESCE(SUM((SELECT SUM(r.amount_fen) FROM reduction r WHERE r.bill_id = b.id)), 0), "
    "COALESCE(SUM((SELECT SUM(a.amount_fen) FROM allocation a WHERE a.bill_id = b.id)), 0) "
    "FROM bill b JOIN room ON room.id = b.room_id WHERE b.period IS NOT NULL "
    "GROUP BY b.period, room.building_id, b.fee_item_id"
)


def upgrade() -> None:
    op.create_table(
        "collection_tally",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("fee_item_id", sa.Integer(), nullable=False),
        sa.Column("billed_fen", sa.Integer(), nullable=False),
        sa.Column("reduced_at_billing_fen", sa.Integer(), nullable=False),
        sa.Column("reduced_later_fen", sa.Integer(), nullable=False),
        sa.Column("collected_fen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name=op.f("fk_collection_tally_building_id_building"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["fee_item_id"],
            ["fee_item.id"],
            name=op.f("fk_collection_tally_fee_item_id_fee_item"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "period", "building_id", "fee_item_id", name=op.f("pk_collection_tally")
        ),
    )
    op.execute(FILL)
    if op.get_bind().dialect.name == "sqlite":  # trigger DDL is SQLite's, as in 0005
        for name, body in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("collection_tally")
