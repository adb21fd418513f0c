"""Stored files in the database on PostgreSQL (issue 23): reserved for the pg-files helper.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
