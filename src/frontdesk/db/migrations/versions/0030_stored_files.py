"""Stored files in the database (issue 23): `stored_file` holds a stored file's bytes by
area (issued documents, attachments) and SHA-256. A database on a server (PostgreSQL)
keeps its issued papers, scans and photos here, so every counter reads the same files
and a dump carries them; a file database keeps them in the folder beside it, as before,
and the table stays empty there (one schema on both engines, so the models match either).
Going down drops the table.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stored_file",
        sa.Column(
            "area",
            sa.Enum(
                "documents",
                "attachments",
                name="area",
                native_enum=False,
                create_constraint=True,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("area", "sha256", name="pk_stored_file"),
    )


def downgrade() -> None:
    op.drop_table("stored_file")
