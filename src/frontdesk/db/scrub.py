"""After personal data was erased: rebuilding a table's indexes, and folding the
write-ahead log, the statements erasure spells differently on SQLite and PostgreSQL.

Index pages keep stale copies of changed entries: SQLite's REINDEX builds fresh ones
(secure_delete zeroes the old pages as they are freed); PostgreSQL's REINDEX TABLE writes
new index files and drops the old. (PostgreSQL's heap keeps the erased rows' old versions
until its autovacuum reclaims them, which a transaction cannot force.)
"""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session


def rebuild_indexes(session: Session, *tables: str) -> None:
    sqlite = session.get_bind().dialect.name == "sqlite"
    for table in tables:
        session.execute(text(f"REINDEX {table}" if sqlite else f'REINDEX TABLE "{table}"'))


def fold_log(engine: Engine) -> bool:
    """Fold SQLite's write-ahead log into the file and empty it (it still holds pages as
    they were before an erasure); False if another counter's long read kept it. Run
    outside any transaction, as SQLite wants. On PostgreSQL the write-ahead log is the
    server's own, recycled by its checkpoints: there is nothing for a client to fold."""
    if engine.dialect.name != "sqlite":
        return True
    connection = engine.raw_connection()
    try:
        busy, _, _ = connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    return not busy
