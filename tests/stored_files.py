"""Stored files as the tests read them: the bytes kept for a hash on either engine
(`stored_document`), and where a file database keeps them (db/file_store.FolderStore),
for the tests that look at or damage the files themselves (SQLite only); a stored
attachment changed behind the program's back on either engine (`tamper_attachment`)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from frontdesk.db.engine import Database
from frontdesk.db.file_store import FolderStore, file_store
from frontdesk.db.models import FileArea, StoredFile


def document_path(db: Database, sha256: str) -> Path:
    return FolderStore(db.files_dir, FileArea.DOCUMENTS).path(sha256)


def attachment_path(db: Database, sha256: str) -> Path:
    return FolderStore(db.files_dir, FileArea.ATTACHMENTS).path(sha256)


def stored_document(db: Database, sha256: str) -> bytes | None:
    """An issued document's stored bytes, in the folder or the server's table."""
    return file_store(db, FileArea.DOCUMENTS).read(sha256)


def document_kept(db: Database, sha256: str) -> bool:
    """Whether the bytes of an issued document are still stored, on either engine."""
    return file_store(db, FileArea.DOCUMENTS).exists(sha256)


def stored_document_hashes(db: Database) -> set[str]:
    return file_store(db, FileArea.DOCUMENTS).hashes()


def attachment_kept(db: Database, sha256: str) -> bool:
    """Whether an attachment's or photo's bytes are stored, on either engine."""
    return file_store(db, FileArea.ATTACHMENTS).exists(sha256)


def attachment_hashes(db: Database) -> set[str]:
    """Every scan and photo stored, on either engine."""
    return file_store(db, FileArea.ATTACHMENTS).hashes()


def tamper_attachment(db: Database, sha256: str, data: bytes) -> None:
    """Someone changes a stored scan or photo behind the program's back: the file in the
    folder, or the row in the server's table."""
    if db.engine.dialect.name == "sqlite":
        attachment_path(db, sha256).write_bytes(data)
        return
    with db.engine.begin() as connection:
        changed = connection.execute(
            update(StoredFile)
            .where(StoredFile.area == FileArea.ATTACHMENTS, StoredFile.sha256 == sha256)
            .values(content=data)
        )
        assert changed.rowcount == 1
