"""Where a file database keeps its stored files (db/file_store.FolderStore), for the
tests that look at or damage the files themselves (SQLite only)."""

from __future__ import annotations

from pathlib import Path

from frontdesk.db.engine import Database
from frontdesk.db.file_store import FolderStore
from frontdesk.db.models import FileArea


def document_path(db: Database, sha256: str) -> Path:
    return FolderStore(db.files_dir, FileArea.DOCUMENTS).path(sha256)


def attachment_path(db: Database, sha256: str) -> Path:
    return FolderStore(db.files_dir, FileArea.ATTACHMENTS).path(sha256)
