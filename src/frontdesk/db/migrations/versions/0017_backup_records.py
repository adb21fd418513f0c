"""Reserved: backups and restores recorded (issue 18 section 3).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 20:15:00
"""

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
