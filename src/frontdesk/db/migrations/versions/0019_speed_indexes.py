"""The arrears list's partial index on `bill_open` covers the columns the list reads
(issue 19, section 5).

`ix_bill_open_owing` held only `room_id`, so every open bill the list scanned was
looked up again in `bill_open` for its amount. Keyed (room_id, bill_id, open_fen), the
index alone answers that part of the query, in the same order as before (room, then
bill).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 23:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_bill_open_owing", table_name="bill_open")
    op.create_index(
        "ix_bill_open_owing",
        "bill_open",
        ["room_id", "bill_id", "open_fen"],
        sqlite_where=sa.text("open_fen > 0"),
        postgresql_where=sa.text("open_fen > 0"),  # partial on PostgreSQL too
    )


def downgrade() -> None:
    op.drop_index("ix_bill_open_owing", table_name="bill_open")
    op.create_index(
        "ix_bill_open_owing",
        "bill_open",
        ["room_id"],
        sqlite_where=sa.text("open_fen > 0"),
    )
