"""物品借用: things the office lends with their stock, and each lending (issue 24).

Two new tables: `lendable_item` (name, stock, loan days, a deposit per piece and the
deposit fee item it is billed under) and `item_loan` (each lending to a household:
how many, the borrower, when due and back, and the deposit bill put on the room's
account for the cashier, whose receipt and refund carry the money).

Going down drops both tables (the deposit bills stay on the rooms' accounts).

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import user_fk

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lendable_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("loan_days", sa.Integer(), nullable=False),
        sa.Column("deposit_fen", sa.Integer(), nullable=False),
        sa.Column("deposit_item_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_lendable_item_stock_not_negative")),
        sa.CheckConstraint("loan_days BETWEEN 1 AND 90", name=op.f("ck_lendable_item_loan_days")),
        sa.CheckConstraint("deposit_fen >= 0", name=op.f("ck_lendable_item_deposit_not_negative")),
        sa.CheckConstraint(
            "deposit_fen = 0 OR deposit_item_id IS NOT NULL",
            name=op.f("ck_lendable_item_deposit_has_fee_item"),
        ),
        sa.ForeignKeyConstraint(
            ["deposit_item_id"],
            ["fee_item.id"],
            name=op.f("fk_lendable_item_deposit_item_id_fee_item"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lendable_item")),
        sa.UniqueConstraint("name", name=op.f("uq_lendable_item_name")),
    )
    op.create_table(
        "item_loan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("borrower", sa.String(length=40), nullable=False),
        sa.Column("borrower_phone", sa.String(length=200), nullable=False),
        sa.Column("out_at", sa.DateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("out_by", sa.String(length=40), nullable=False),
        sa.Column("out_by_id", sa.Integer(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("returned_by", sa.String(length=40), nullable=False),
        sa.Column("returned_by_id", sa.Integer(), nullable=True),
        sa.Column("bill_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_item_loan_quantity")),
        sa.CheckConstraint(
            "returned_at IS NULL OR returned_at >= out_at",
            name=op.f("ck_item_loan_back_after_out"),
        ),
        sa.ForeignKeyConstraint(
            ["bill_id"], ["bill.id"], name=op.f("fk_item_loan_bill_id_bill"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lendable_item.id"],
            name=op.f("fk_item_loan_item_id_lendable_item"),
            ondelete="RESTRICT",
        ),
        user_fk("item_loan", "out_by_id"),
        user_fk("item_loan", "returned_by_id"),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_item_loan_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_loan")),
        sa.UniqueConstraint("bill_id", name=op.f("uq_item_loan_bill_id")),
    )
    with op.batch_alter_table("item_loan", schema=None) as batch_op:
        batch_op.create_index(
            "ix_item_loan_open",
            ["item_id"],
            unique=False,
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )
        batch_op.create_index("ix_item_loan_out_at", ["out_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_item_loan_room_id"), ["room_id"], unique=False)


def downgrade() -> None:
    op.drop_table("item_loan")
    op.drop_table("lendable_item")
