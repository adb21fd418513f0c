"""Fees, price plans, reductions, meter readings, bills, payments, receipts, voids,
refunds, cash closes; the room's handover date.

Posted money rows are append-only: triggers refuse UPDATE and DELETE, so a void or
refund can only ever be a new row.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import sqlite_only

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APPEND_ONLY = (
    "bill",
    "payment",
    "tender",
    "allocation",
    "reduction",
    "prepaid_entry",
    "receipt",
    "receipt_void",
    "receipt_print",
    "invoice_record",
    "spoiled_form",
    "refund",
    "refund_deduction",
    "cash_close",
    "billing_run",
)


def upgrade() -> None:
    op.create_table(
        "billing_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("run_at", sa.DateTime(), nullable=False),
        sa.Column("run_by", sa.String(length=40), nullable=False),
        sa.Column("bills", sa.Integer(), nullable=False),
        sa.Column("total_fen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_run")),
    )
    op.create_table(
        "fee_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("collection", sa.String(length=20), nullable=False),
        sa.Column("meter_kind", sa.String(length=20), nullable=True),
        sa.Column("sort_key", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_item")),
        sa.UniqueConstraint("name", name=op.f("uq_fee_item_name")),
    )
    op.create_table(
        "receipt_series",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("next_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_receipt_series")),
    )
    op.create_table(
        "spoiled_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_number", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spoiled_form")),
        sa.UniqueConstraint("form_number", name=op.f("uq_spoiled_form_form_number")),
    )
    op.create_table(
        "cash_close",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cashier_id", sa.Integer(), nullable=True),
        sa.Column("cashier_name", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("cash_expected_fen", sa.Integer(), nullable=False),
        sa.Column("cash_counted_fen", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["cashier_id"],
            ["app_user.id"],
            name=op.f("fk_cash_close_cashier_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_close")),
    )
    with op.batch_alter_table("cash_close", schema=None) as batch_op:
        batch_op.create_index("ix_cash_close_cashier_day", ["cashier_id", "day"], unique=False)

    op.create_table(
        "reduction_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("fee_item_id", sa.Integer(), nullable=False),
        sa.Column("room_status", sa.String(length=20), nullable=False),
        sa.Column("percent_off", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "percent_off BETWEEN 1 AND 100", name=op.f("ck_reduction_rule_percent_range")
        ),
        sa.ForeignKeyConstraint(
            ["fee_item_id"],
            ["fee_item.id"],
            name=op.f("fk_reduction_rule_fee_item_id_fee_item"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reduction_rule")),
    )
    op.create_table(
        "price_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fee_item_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("room_type", sa.String(length=20), nullable=True),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("multiplier", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_price_plan_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name=op.f("fk_price_plan_building_id_building"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["fee_item_id"],
            ["fee_item.id"],
            name=op.f("fk_price_plan_fee_item_id_fee_item"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_plan")),
    )
    op.create_table(
        "bill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fee_item_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("quantity_x100", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reduction_fen", sa.Integer(), nullable=False),
        sa.Column("reduction_reason", sa.String(length=200), nullable=False),
        sa.Column("due_fen", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "due_fen = amount_fen - reduction_fen",
            name=op.f("ck_bill_due_is_amount_less_reduction"),
        ),
        sa.CheckConstraint(
            "reduction_fen >= 0 AND reduction_fen <= amount_fen",
            name=op.f("ck_bill_reduction_range"),
        ),
        sa.ForeignKeyConstraint(
            ["fee_item_id"],
            ["fee_item.id"],
            name=op.f("fk_bill_fee_item_id_fee_item"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_bill_room_id_room"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["billing_run.id"],
            name=op.f("fk_bill_run_id_billing_run"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill")),
    )
    with op.batch_alter_table("bill", schema=None) as batch_op:
        batch_op.create_index("ix_bill_period", ["period"], unique=False)
        batch_op.create_index(batch_op.f("ix_bill_room_id"), ["room_id"], unique=False)
        batch_op.create_index(
            "uq_bill_room_item_period",
            ["room_id", "fee_item_id", "period"],
            unique=True,
            sqlite_where=sa.text("period IS NOT NULL"),
        )

    op.create_table(
        "meter_reading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fee_item_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("previous_x100", sa.Integer(), nullable=False),
        sa.Column("current_x100", sa.Integer(), nullable=False),
        sa.Column("read_on", sa.Date(), nullable=False),
        sa.Column("read_by", sa.String(length=40), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fee_item_id"],
            ["fee_item.id"],
            name=op.f("fk_meter_reading_fee_item_id_fee_item"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_meter_reading_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meter_reading")),
        sa.UniqueConstraint(
            "room_id",
            "fee_item_id",
            "period",
            name=op.f("uq_meter_reading_room_id_fee_item_id_period"),
        ),
    )
    with op.batch_alter_table("meter_reading", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meter_reading_room_id"), ["room_id"], unique=False)

    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("cashier_id", sa.Integer(), nullable=True),
        sa.Column("cashier_name", sa.String(length=40), nullable=False),
        sa.Column("payer", sa.String(length=60), nullable=False),
        sa.Column("total_fen", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cashier_id"],
            ["app_user.id"],
            name=op.f("fk_payment_cashier_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_payment_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index("ix_payment_cashier_day", ["cashier_id", "day"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_room_id"), ["room_id"], unique=False)

    op.create_table(
        "refund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=True),
        sa.Column("gross_fen", sa.Integer(), nullable=False),
        sa.Column("deductions_fen", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("payee", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("refunded_at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("cashier_id", sa.Integer(), nullable=True),
        sa.Column("cashier_name", sa.String(length=40), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount_fen >= 0", name=op.f("ck_refund_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["bill_id"], ["bill.id"], name=op.f("fk_refund_bill_id_bill"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["cashier_id"],
            ["app_user.id"],
            name=op.f("fk_refund_cashier_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_refund_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund")),
    )
    with op.batch_alter_table("refund", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refund_room_id"), ["room_id"], unique=False)

    op.create_table(
        "tender",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("tendered_fen", sa.Integer(), nullable=False),
        sa.Column("change_fen", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_tender_amount_positive")),
        sa.CheckConstraint("change_fen >= 0", name=op.f("ck_tender_change_not_negative")),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payment.id"],
            name=op.f("fk_tender_payment_id_payment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender")),
    )
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tender_payment_id"), ["payment_id"], unique=False)

    op.create_table(
        "receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("refund_id", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("form_number", sa.String(length=30), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payment.id"],
            name=op.f("fk_receipt_payment_id_payment"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["refund_id"],
            ["refund.id"],
            name=op.f("fk_receipt_refund_id_refund"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_receipt_room_id_room"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["series"],
            ["receipt_series.code"],
            name=op.f("fk_receipt_series_receipt_series"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt")),
        sa.UniqueConstraint("form_number", name=op.f("uq_receipt_form_number")),
        sa.UniqueConstraint("payment_id", name=op.f("uq_receipt_payment_id")),
        sa.UniqueConstraint("refund_id", name=op.f("uq_receipt_refund_id")),
        sa.UniqueConstraint("series", "number", name=op.f("uq_receipt_series_number")),
    )
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_room_id"), ["room_id"], unique=False)

    op.create_table(
        "refund_deduction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("refund_id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_refund_deduction_amount_positive")),
        sa.ForeignKeyConstraint(
            ["refund_id"],
            ["refund.id"],
            name=op.f("fk_refund_deduction_refund_id_refund"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_deduction")),
    )
    with op.batch_alter_table("refund_deduction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refund_deduction_refund_id"), ["refund_id"], unique=False
        )

    op.create_table(
        "invoice_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("invoice_number", sa.String(length=40), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["receipt_id"],
            ["receipt.id"],
            name=op.f("fk_invoice_record_receipt_id_receipt"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_record")),
        sa.UniqueConstraint("invoice_number", name=op.f("uq_invoice_record_invoice_number")),
        sa.UniqueConstraint("receipt_id", name=op.f("uq_invoice_record_receipt_id")),
    )
    op.create_table(
        "receipt_print",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=False),
        sa.Column("printed_by", sa.String(length=40), nullable=False),
        sa.Column("paper", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["receipt_id"],
            ["receipt.id"],
            name=op.f("fk_receipt_print_receipt_id_receipt"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_print")),
    )
    with op.batch_alter_table("receipt_print", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_receipt_print_receipt_id"), ["receipt_id"], unique=False
        )

    op.create_table(
        "receipt_void",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["app_user.id"],
            name=op.f("fk_receipt_void_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["receipt_id"],
            ["receipt.id"],
            name=op.f("fk_receipt_void_receipt_id_receipt"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_void")),
        sa.UniqueConstraint("receipt_id", name=op.f("uq_receipt_void_receipt_id")),
    )
    op.create_table(
        "allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("void_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["bill_id"], ["bill.id"], name=op.f("fk_allocation_bill_id_bill"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payment.id"],
            name=op.f("fk_allocation_payment_id_payment"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["void_id"],
            ["receipt_void.id"],
            name=op.f("fk_allocation_void_id_receipt_void"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation")),
    )
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocation_bill_id"), ["bill_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_allocation_payment_id"), ["payment_id"], unique=False)

    op.create_table(
        "prepaid_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("refund_id", sa.Integer(), nullable=True),
        sa.Column("void_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=100), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payment.id"],
            name=op.f("fk_prepaid_entry_payment_id_payment"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["refund_id"],
            ["refund.id"],
            name=op.f("fk_prepaid_entry_refund_id_refund"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_prepaid_entry_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["void_id"],
            ["receipt_void.id"],
            name=op.f("fk_prepaid_entry_void_id_receipt_void"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prepaid_entry")),
    )
    with op.batch_alter_table("prepaid_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prepaid_entry_room_id"), ["room_id"], unique=False)

    op.create_table(
        "reduction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("granted_by", sa.String(length=40), nullable=False),
        sa.Column("void_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["bill_id"], ["bill.id"], name=op.f("fk_reduction_bill_id_bill"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payment.id"],
            name=op.f("fk_reduction_payment_id_payment"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["void_id"],
            ["receipt_void.id"],
            name=op.f("fk_reduction_void_id_receipt_void"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reduction")),
    )
    with op.batch_alter_table("reduction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reduction_bill_id"), ["bill_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reduction_payment_id"), ["payment_id"], unique=False)

    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handover_on", sa.Date(), nullable=True))

    series = sa.table(
        "receipt_series", sa.column("code"), sa.column("name"), sa.column("next_number")
    )
    op.bulk_insert(
        series,
        [
            {"code": "SJ", "name": "收款收据", "next_number": 1},
            {"code": "TK", "name": "退款凭证", "next_number": 1},
        ],
    )
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            sqlite_only(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    for table in APPEND_ONLY:
        for verb in ("update", "delete"):
            sqlite_only(f"DROP TRIGGER {table}_no_{verb}")
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.drop_column("handover_on")

    with op.batch_alter_table("reduction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reduction_payment_id"))
        batch_op.drop_index(batch_op.f("ix_reduction_bill_id"))

    op.drop_table("reduction")
    with op.batch_alter_table("prepaid_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prepaid_entry_room_id"))

    op.drop_table("prepaid_entry")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_payment_id"))
        batch_op.drop_index(batch_op.f("ix_allocation_bill_id"))

    op.drop_table("allocation")
    op.drop_table("receipt_void")
    with op.batch_alter_table("receipt_print", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_print_receipt_id"))

    op.drop_table("receipt_print")
    op.drop_table("invoice_record")
    with op.batch_alter_table("refund_deduction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_deduction_refund_id"))

    op.drop_table("refund_deduction")
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_room_id"))

    op.drop_table("receipt")
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tender_payment_id"))

    op.drop_table("tender")
    with op.batch_alter_table("refund", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_room_id"))

    op.drop_table("refund")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_room_id"))
        batch_op.drop_index("ix_payment_cashier_day")

    op.drop_table("payment")
    with op.batch_alter_table("meter_reading", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meter_reading_room_id"))

    op.drop_table("meter_reading")
    with op.batch_alter_table("bill", schema=None) as batch_op:
        batch_op.drop_index("uq_bill_room_item_period", sqlite_where=sa.text("period IS NOT NULL"))
        batch_op.drop_index(batch_op.f("ix_bill_room_id"))
        batch_op.drop_index("ix_bill_period")

    op.drop_table("bill")
    op.drop_table("price_plan")
    op.drop_table("reduction_rule")
    with op.batch_alter_table("cash_close", schema=None) as batch_op:
        batch_op.drop_index("ix_cash_close_cashier_day")

    op.drop_table("cash_close")
    op.drop_table("spoiled_form")
    op.drop_table("receipt_series")
    op.drop_table("fee_item")
    op.drop_table("billing_run")
