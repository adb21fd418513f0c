"""ID numbers encrypted at rest: the `data_key` row that says how this database's
key is kept, wider ID-number columns for the sealed form, look-up indexes, and the
audit log's old ID numbers masked (its hash chain is recomputed from the first
entry that changes, under the same append-only triggers once done).

The numbers themselves are encrypted on first open with a key (services/data_key):
a migration has no key.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 01:41:51.378999
"""

import hashlib
import json
from datetime import UTC
from typing import Any

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import sqlite_only

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_ID_TABLES = ("person", "renovation_worker", "visit", "watch_entry")
_INDEXED = {"person": "ix_person_id_number", "visit": "ix_visit_id_number"}
_AUDIT_TRIGGERS = {
    "audit_log_no_update": "BEFORE UPDATE ON audit_log",
    "audit_log_no_delete": "BEFORE DELETE ON audit_log",
}


def upgrade() -> None:
    op.create_table(
        "data_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("check", sa.String(length=200), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("wrapped_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("recovery_exported_at", sa.DateTime(), nullable=True),
        sa.Column("recovery_exported_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_key")),
    )
    for table in _ID_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "id_number",
                existing_type=sa.VARCHAR(length=40),
                type_=sa.String(length=200),
                existing_nullable=False,
            )
            if table in _INDEXED:
                batch_op.create_index(_INDEXED[table], ["id_number"], unique=False)
    _mask_audit_id_numbers()


def _mask(number: Any) -> Any:
    if not isinstance(number, str) or not number or "*" in number:
        return number
    if len(number) <= 7:
        return number[:1] + "*" * (len(number) - 1)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def _entry_hash(prev_hash: str, row: Any, changes: str) -> str:
    # As db/audit.py hashes an entry (room_id only when set).
    fields: dict[str, Any] = {
        "at": row.at.replace(tzinfo=UTC).isoformat(timespec="microseconds"),
        "user_id": row.user_id,
        "username": row.username,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "summary": row.summary,
        "changes": changes,
    }
    if row.room_id is not None:
        fields["room_id"] = row.room_id
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _mask_audit_id_numbers() -> None:
    bind = op.get_bind()
    log = sa.table(
        "audit_log",
        *(sa.column(name) for name in ("id", "user_id", "username", "action", "entity")),
        *(sa.column(name) for name in ("entity_id", "summary", "changes", "prev_hash", "hash")),
        sa.column("room_id"),
        sa.column("at", sa.DateTime()),
    )
    first = bind.execute(
        sa.select(sa.func.min(log.c.id)).where(log.c.changes.like('%"id_number"%'))
    ).scalar()
    if first is None:
        return
    for name in _AUDIT_TRIGGERS:
        sqlite_only(f"DROP TRIGGER {name}")
    prev = bind.execute(sa.select(log.c.prev_hash).where(log.c.id == first)).scalar_one()
    rows = bind.execute(sa.select(log).where(log.c.id >= first).order_by(log.c.id)).all()
    for row in rows:
        changes = json.loads(row.changes or "{}")
        if "id_number" in changes:
            changes["id_number"] = [_mask(v) for v in changes["id_number"]]
            text = json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str)
        else:
            text = row.changes
        digest = _entry_hash(prev, row, text)
        bind.execute(
            log.update().where(log.c.id == row.id).values(changes=text, prev_hash=prev, hash=digest)
        )
        prev = digest
    for name, when in _AUDIT_TRIGGERS.items():
        sqlite_only(
            f"CREATE TRIGGER {name} {when} "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )


def downgrade() -> None:
    for table in reversed(_ID_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in _INDEXED:
                batch_op.drop_index(_INDEXED[table])
            batch_op.alter_column(
                "id_number",
                existing_type=sa.String(length=200),
                type_=sa.VARCHAR(length=40),
                existing_nullable=False,
            )
    op.drop_table("data_key")
