"""The append-only audit log: its triggers refuse UPDATE and DELETE."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, UTCDateTime


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __append_only__ = True
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_entity", "entity", "entity_id"),
        Index("ix_audit_log_room_id", "room_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer)  # no FK: the log outlives accounts
    username: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(20))  # create/update/delete/login/…
    entity: Mapped[str] = mapped_column(String(40))  # table name
    entity_id: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)  # Chinese, for people
    changes: Mapped[str] = mapped_column(Text)  # JSON {field: [old, new]}
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The household file the change belongs to; hashed only when set, so entries
    # written before this column existed keep their hashes.
    room_id: Mapped[int | None] = mapped_column(Integer)


class AuditHead(Base):
    """One row: how many entries the log has had written and its newest hash, moved in
    the same transaction as each entry and signed with the chain key (db/audit.py), so
    rows cut from the log's end cannot be hidden by rewinding it without the key.
    Its triggers refuse to move it back or delete it."""

    __tablename__ = "audit_head"
    __triggers__: ClassVar[dict[str, str]] = {
        "audit_head_no_rewind": (
            "BEFORE UPDATE ON audit_head "
            "WHEN NEW.entries < OLD.entries OR NEW.last_id < OLD.last_id "
            "BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END"
        ),
        "audit_head_no_delete": (
            "BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'audit_head is kept'); END"
        ),
    }
    __postgresql_triggers__: ClassVar[dict[str, tuple[str, str]]] = {
        "audit_head_no_rewind": (
            "BEFORE UPDATE ON audit_head FOR EACH ROW "
            "WHEN (NEW.entries < OLD.entries OR NEW.last_id < OLD.last_id)",
            "RAISE EXCEPTION 'audit_head only moves forward' USING ERRCODE = 'restrict_violation';",
        ),
        "audit_head_no_delete": (
            "BEFORE DELETE ON audit_head FOR EACH ROW",
            "RAISE EXCEPTION 'audit_head is kept' USING ERRCODE = 'restrict_violation';",
        ),
        # SQLite's DELETE without WHERE fires the row trigger; PostgreSQL's TRUNCATE not
        "audit_head_no_truncate": (
            "BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT",
            "RAISE EXCEPTION 'audit_head is kept' USING ERRCODE = 'restrict_violation';",
        ),
    }

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    entries: Mapped[int] = mapped_column(Integer)
    last_id: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64), default="")  # '' while the chain is plain
