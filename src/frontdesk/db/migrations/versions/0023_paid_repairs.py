"""Paid repairs (有偿维修) and the work-order paper (issue 21).

- repair_price: the 有偿维修价目表, labour and materials at a price in fen a unit,
  filled with a few common lines; supervisors edit it.
- repair_charge: a paid repair's charge, the one-off bill it put on the room's account
  (append-only: a mistaken charge's bill is reduced to nothing, never deleted).
- repair_charge_line: each priced line of a charge (append-only).
- the fee item a paid repair is billed under is named by the setting `repair_terms`
  (services.service_desk.repairs makes 有偿维修费 at the first charge if none was
  chosen), so a new file's fee items stay the office's own.
- the document register learns the kind `work_order` (派工单 / 维修回执): its CHECK is
  replaced. SQLite changes a CHECK by copying the table, and a dropped table takes its
  triggers with it: every trigger is set aside first and put back as the file had it.

Going down keeps the fee item (bills may name it), forgets the setting, and refuses a
file whose register holds a work order.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 03:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import one_of, replace_check
from frontdesk.errors import EnvironmentProblem

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

SETTING_KEY = "repair_terms"
# The document kinds as 0017 wrote them; this revision adds work_order.
KINDS_BEFORE = (
    "receipt",
    "refund",
    "daily_report",
    "collection_report",
    "room_summary",
    "household_card",
    "reminder",
    "visitor_pass",
    "roll_call",
    "move_in",
    "handbook",
    "renovation_application",
    "renovation_permit",
    "worker_passes",
    "rectification",
    "renovation_acceptance",
    "renovation_guide",
    "notice",
    "letter",
)
KINDS_AFTER = (*KINDS_BEFORE, "work_order")
# name, kind, unit, fen a unit: a starting price list the office edits
PRICES = (
    ("上门维修人工费", "labour", "次", 3000),
    ("更换水龙头人工费", "labour", "次", 2000),
    ("疏通下水道人工费", "labour", "次", 5000),
    ("更换灯具人工费", "labour", "次", 2000),
    ("单把水龙头（铜）", "material", "个", 4500),
    ("角阀", "material", "个", 1800),
    ("PPR 水管", "material", "米", 1200),
    ("LED 灯泡", "material", "个", 1500),
    ("开关插座面板", "material", "个", 1600),
)
APPEND_ONLY = ("repair_charge", "repair_charge_line")


def upgrade() -> None:
    op.create_table(
        "repair_price",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=12), nullable=False),
        sa.Column("unit_fen", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.CheckConstraint("unit_fen >= 0", name=op.f("ck_repair_price_unit_fen_not_negative")),
        sa.CheckConstraint("kind IN ('labour', 'material')", name=op.f("ck_repair_price_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_price")),
        sa.UniqueConstraint("name", name=op.f("uq_repair_price_name")),
    )
    op.create_table(
        "repair_charge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("labour_fen", sa.Integer(), nullable=False),
        sa.Column("materials_fen", sa.Integer(), nullable=False),
        sa.Column("charged_at", sa.DateTime(), nullable=False),
        sa.Column("charged_by", sa.String(length=40), nullable=False),
        sa.Column("charged_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "labour_fen >= 0 AND materials_fen >= 0",
            name=op.f("ck_repair_charge_parts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["bill_id"],
            ["bill.id"],
            name=op.f("fk_repair_charge_bill_id_bill"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["charged_by_id"],
            ["app_user.id"],
            name=op.f("fk_repair_charge_charged_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_order.id"],
            name=op.f("fk_repair_charge_work_order_id_work_order"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_charge")),
        sa.UniqueConstraint("bill_id", name=op.f("uq_repair_charge_bill_id")),
    )
    with op.batch_alter_table("repair_charge", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_repair_charge_work_order_id"), ["work_order_id"], unique=False
        )
    op.create_table(
        "repair_charge_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("charge_id", sa.Integer(), nullable=False),
        sa.Column("price_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=12), nullable=False),
        sa.Column("quantity_x100", sa.Integer(), nullable=False),
        sa.Column("unit_fen", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "quantity_x100 > 0", name=op.f("ck_repair_charge_line_quantity_positive")
        ),
        sa.CheckConstraint(
            "unit_fen >= 0 AND amount_fen >= 0",
            name=op.f("ck_repair_charge_line_money_not_negative"),
        ),
        sa.CheckConstraint(
            "kind IN ('labour', 'material')", name=op.f("ck_repair_charge_line_kind")
        ),
        sa.ForeignKeyConstraint(
            ["charge_id"],
            ["repair_charge.id"],
            name=op.f("fk_repair_charge_line_charge_id_repair_charge"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["price_id"],
            ["repair_price.id"],
            name=op.f("fk_repair_charge_line_price_id_repair_price"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_charge_line")),
    )
    with op.batch_alter_table("repair_charge_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_repair_charge_line_charge_id"), ["charge_id"], unique=False
        )
    if op.get_bind().dialect.name == "sqlite":  # trigger DDL is SQLite's, as in 0004
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )

    price = sa.table(
        "repair_price",
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("unit", sa.String),
        sa.column("unit_fen", sa.Integer),
        sa.column("active", sa.Boolean),
        sa.column("sort_order", sa.Integer),
    )
    op.bulk_insert(
        price,
        [
            {"name": name, "kind": kind, "unit": unit, "unit_fen": fen, "active": True}
            | {"sort_order": order}
            for order, (name, kind, unit, fen) in enumerate(PRICES, start=1)
        ],
    )
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_AFTER))


def downgrade() -> None:
    connection = op.get_bind()
    if connection.execute(
        sa.text("SELECT 1 FROM issued_document WHERE kind = 'work_order'")
    ).first():
        # the register keeps what it issued: a file that printed work orders stays at 0023
        raise EnvironmentProblem("文档登记簿中已有派工单，不能降级到 0022。")
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_BEFORE))
    op.execute(sa.text("DELETE FROM setting WHERE key = :key").bindparams(key=SETTING_KEY))
    for table in ("repair_charge_line", "repair_charge", "repair_price"):
        op.drop_table(table)
