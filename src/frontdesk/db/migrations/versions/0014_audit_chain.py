"""The audit log's head counter (issue 18): `audit_head`, one row moved with every
entry (how many were written, the newest id and hash, signed under the chain key once
the database has a data key), and triggers that refuse to move it back or delete it.

It starts from the log as it stands, unsigned: a migration has no key. The first
write after the data key opens signs it (services/audit.sign_chain).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 20:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# As db/triggers.py has them (check compares the file's definitions with those).
_TRIGGERS = {
    "audit_head_no_rewind": (
        "BEFORE UPDATE ON audit_head "
        "WHEN NEW.entries < OLD.entries OR NEW.last_id < OLD.last_id "
        "BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END"
    ),
    "audit_head_no_delete": (
        "BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'audit_head is kept'); END"
    ),
}


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.execute(
        "INSERT INTO audit_head (id, entries, last_id, head_hash, mac) "
        "SELECT 1, (SELECT count(*) FROM audit_log), "
        "COALESCE((SELECT max(id) FROM audit_log), 0), "
        f"COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '{'0' * 64}'), ''"
    )
    if op.get_bind().dialect.name == "sqlite":  # trigger DDL is SQLite's, as in 0002/0004
        for name, body in _TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("audit_head")
