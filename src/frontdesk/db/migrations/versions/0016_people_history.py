"""Reserved: people kept in the file's history, limits on text and money (issue 18 section 4).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 20:15:00
"""

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
