"""Reminder delivery records and level overrides.

A printed 催缴 notice is no longer a written demand by itself: it is 'printed'
(已打印，待送达) until the clerk records its delivery (date, way, signer and relation
or the 挂号信/EMS number); only a delivered notice restarts the limitation clock.
The notices printed before this revision had no delivery record: they become
'printed' and stop counting as written demands until their delivery is recorded.
A notice also keeps the debt it demanded (debt_keys) and a supervisor's override
of the level order with its reason.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("delivery", sa.String(12)),
    ("delivered_on", sa.Date()),
    ("delivery_method", sa.String(12)),
    ("tracking_number", sa.String(40)),
    ("signer", sa.String(40)),
    ("signer_relation", sa.String(20)),
    ("delivery_by_name", sa.String(40)),
    ("override_reason", sa.Text()),
    ("override_by_name", sa.String(40)),
)


def upgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        for name, kind in _COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
        batch.add_column(sa.Column("debt_keys", sa.Text(), nullable=False, server_default=""))
    op.execute(
        "UPDATE reminder SET delivery = 'printed', written = false WHERE notice_number IS NOT NULL"
    )
    with op.batch_alter_table("reminder") as batch:
        batch.create_check_constraint(
            op.f("ck_reminder_delivery_state"),
            "delivery IS NULL OR delivery IN ('printed', 'delivered')",
        )
        batch.create_check_constraint(
            op.f("ck_reminder_delivery_evidence"),
            "delivery IS NULL OR delivery = 'printed' OR "
            "(delivered_on IS NOT NULL AND delivery_method IS NOT NULL)",
        )
        batch.create_check_constraint(
            op.f("ck_reminder_delivery_method"),
            "delivery_method IS NULL OR "
            "delivery_method IN ('当面签收', '挂号信', 'EMS', '投递信箱')",
        )


def downgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        batch.drop_constraint(op.f("ck_reminder_delivery_method"), type_="check")
        batch.drop_constraint(op.f("ck_reminder_delivery_evidence"), type_="check")
        batch.drop_constraint(op.f("ck_reminder_delivery_state"), type_="check")
    op.execute("UPDATE reminder SET written = true WHERE delivery = 'delivered' AND level >= 2")
    with op.batch_alter_table("reminder") as batch:
        batch.drop_column("debt_keys")
        for name, _kind in reversed(_COLUMNS):
            batch.drop_column(name)
