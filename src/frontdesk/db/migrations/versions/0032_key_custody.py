"""钥匙托管: keys held for flats with the owner's authorisation, their lendings (issue 24).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
