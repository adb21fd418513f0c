"""Constrained enums, cross-column CHECKs, declared triggers (issue 19 section 3).

Reserved; filled in by the helper doing this part.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 23:10:00
"""

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
