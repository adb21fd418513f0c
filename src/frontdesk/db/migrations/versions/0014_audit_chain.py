"""Reserved: the audit chain keyed, its head counter, personal values out of the log (issue 18 section 1).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 20:15:00
"""

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
