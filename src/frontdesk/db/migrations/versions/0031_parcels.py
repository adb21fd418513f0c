"""快递代收: parcels taken in for households, their labels and hand-overs (issue 24).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
