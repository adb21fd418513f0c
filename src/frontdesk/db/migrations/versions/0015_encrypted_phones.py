"""Reserved: phone numbers encrypted at rest with keyed look-up values (issue 18 section 2).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 20:15:00
"""

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
