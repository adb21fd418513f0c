"""Access cards and settings out of JSON; who-did-it as user id plus name (issue 19 section 3).

Reserved; filled in by the helper doing this part.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 23:10:00
"""

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
