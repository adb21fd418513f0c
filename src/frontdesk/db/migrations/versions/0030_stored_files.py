"""Stored files in the database (issue 23): `stored_file` holds a stored file's bytes by
area (issued documents, attachments) and SHA-256. A database on a server (PostgreSQL)
keeps its issued papers, scans and photos here, so every counter reads the same files
and a dump carries them; a file database keeps them in the folder beside it, as before,
and the table stays empty there (one schema on both engines, so the models match either).

`data_key.key_id` is widened from 40 to 64 characters: the names every key was given
(`data-key-` and 32 hex digits) are 41 long, which SQLite never refused and PostgreSQL
does, so a file's key row could not be moved onto a server as it is.

Going down drops the table and narrows the column again (on PostgreSQL that is refused
while a key's name longer than 40 characters is stored).

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

    with op.batch_alter_table("data_key") as batch:
        batch.alter_column(
            "key_id", type_=sa.String(64), existing_type=sa.String(40), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("data_key") as batch:
        batch.alter_column(
            "key_id", type_=sa.String(40), existing_type=sa.String(64), existing_nullable=False
        )
    op.drop_table("stored_file")
