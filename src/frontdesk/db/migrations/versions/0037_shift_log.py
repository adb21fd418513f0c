"""交接班记录: the shift handover book (issue 24).

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
