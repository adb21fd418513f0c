"""Reserved for issue 21 (paid repairs and the work-order paper).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 03:15:00
"""

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
