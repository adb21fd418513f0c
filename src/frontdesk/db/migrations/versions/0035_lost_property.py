"""失物招领: found items, claims and disposals (issue 24).

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
