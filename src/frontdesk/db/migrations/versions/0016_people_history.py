"""People kept in the file's history (issue 18 section 4).

- person.left_on: the day a person left the household (moved out, tenancy ended,
  property sold); NULL while they are on the file. People are no longer deleted by
  the counter: they stay in the file's history with this date.
- person.left_reason: why (迁出, 租期结束, 产权转让, 登记有误 …), '' while on the file.

Existing people are all on the file (NULL, ''). Text and money limits (the same
section) are checked in the services and need no schema change.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 20:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("left_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("left_reason", sa.String(length=40), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("left_reason")
        batch_op.drop_column("left_on")
