"""Rebuilding a table's indexes after personal data was erased from it, the one
statement erasure spells differently on SQLite and PostgreSQL.

Index pages keep stale copies of changed entries: SQLite's REINDEX builds fresh ones
(secure_delete zeroes the old pages as they are freed); PostgreSQL's REINDEX TABLE writes
new index files and drops the old. (PostgreSQL's heap keeps the erased rows' old versions
until its autovacuum reclaims them, which a transaction cannot force.)
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def rebuild_indexes(session: Session, *tables: str) -> None:
    sqlite = session.get_bind().dialect.name == "sqlite"
    for table in tables:
        session.execute(text(f"REINDEX {table}" if sqlite else f'REINDEX TABLE "{table}"'))
