"""Refund payees and the other records the money papers need.

* `fee_item.unit`: the unit its price is quoted in (元/㎡/月, 元/吨, 元/张 …), which
  receipts and the owner's handbook print. Existing items get the unit that follows
  from how they are charged (area → 元/㎡/月, water meter → 元/吨 …; a 卡 item 元/张).
* `refund.payee_account_name`, `payee_bank`, `payee_account_no`: the account a refund by
  transfer was paid to (the 领款人 was already kept in `payee`).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# The same defaults as domain.fees.default_price_unit, frozen here as of this revision.
_BY_METHOD = {
    "area_monthly": "元/㎡/月",
    "fixed_monthly": "元/户/月",
    "parking_monthly": "元/个/月",
    "one_off": "元/次",
    "deposit": "元/户",
}
_BY_METER = {"water": "元/吨", "electricity": "元/度", "gas": "元/立方米", "shared": "元/户"}


def upgrade() -> None:
    with op.batch_alter_table("fee_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unit", sa.String(length=12), server_default="元/次", nullable=False)
        )
    with op.batch_alter_table("refund", schema=None) as batch_op:
        for name, length in (
            ("payee_account_name", 60),
            ("payee_bank", 60),
            ("payee_account_no", 40),
        ):
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), server_default="", nullable=False)
            )
    _backfill_units()


def _backfill_units() -> None:
    connection = op.get_bind()
    items = sa.table(
        "fee_item",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("method", sa.String),
        sa.column("meter_kind", sa.String),
        sa.column("unit", sa.String),
    )
    rows = connection.execute(
        sa.select(items.c.id, items.c.name, items.c.method, items.c.meter_kind)
    )
    for item_id, name, method, meter_kind in rows.all():
        if method == "meter":
            unit = _BY_METER.get(meter_kind or "", "元/吨")
        elif method == "one_off" and "卡" in name:
            unit = "元/张"
        else:
            unit = _BY_METHOD.get(method, "元/次")
        connection.execute(sa.update(items).where(items.c.id == item_id).values(unit=unit))


def downgrade() -> None:
    with op.batch_alter_table("refund", schema=None) as batch_op:
        batch_op.drop_column("payee_account_no")
        batch_op.drop_column("payee_bank")
        batch_op.drop_column("payee_account_name")
    with op.batch_alter_table("fee_item", schema=None) as batch_op:
        batch_op.drop_column("unit")
