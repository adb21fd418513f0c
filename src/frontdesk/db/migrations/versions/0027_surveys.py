"""Satisfaction surveys (issue 22): reserved.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 05:15:00
"""

from __future__ import annotations

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
