"""Reminder delivery records and level overrides.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 17:30:00
"""

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
