"""Stored files behind one seam (issue 23): the folder beside a database file, the
`stored_file` table on a server; the same round trip, the same verdicts on a changed or
lost file, and never half a file under its name."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database, make_engine
from frontdesk.db.file_store import (
    FileState,
    FileStore,
    FolderStore,
    TableStore,
    file_store,
    sha256_of,
)
from frontdesk.db.models import FileArea
from frontdesk.errors import EnvironmentProblem

PDF = b"%PDF-1.4 a stored paper\n%%EOF\n"
SCAN = b"\xff\xd8\xff\xe0 a scan of a deed"


@pytest.fixture
def server_db(pg_url: str) -> Iterator[Database]:
    db = Database(make_engine(pg_url))
    yield db
    db.dispose()


def _round_trip(store: FileStore) -> None:
    sha256 = store.put(PDF)
    assert sha256 == sha256_of(PDF)
    assert store.put(PDF) == sha256  # the same bytes are kept once
    assert store.read(sha256) == PDF
    assert store.exists(sha256)
    assert store.hashes() == {sha256}
    assert store.verify(sha256) is FileState.OK
    local = store.local_file(sha256)
    assert local is not None and local.read_bytes() == PDF
    missing = sha256_of(b"never stored")
    assert store.read(missing) is None and not store.exists(missing)
    assert store.local_file(missing) is None
    assert store.verify_all([sha256, missing]) == {
        sha256: FileState.OK,
        missing: FileState.MISSING,
    }
    store.remove([sha256])
    assert not store.exists(sha256) and store.hashes() == set()
    assert store.verify(sha256) is FileState.MISSING


# The folder beside a database file; a server's table:
# test_a_server_database_keeps_its_files_in_its_table
@pytest.mark.sqlite_only
def test_a_database_file_keeps_its_files_in_the_folder_as_before(fresh_db: Database) -> None:
    documents = file_store(fresh_db, FileArea.DOCUMENTS)
    assert isinstance(documents, FolderStore)
    _round_trip(documents)
    sha256 = documents.put(PDF)
    # Exactly the layout every existing file already has on disk.
    path = fresh_db.files_dir / "documents" / sha256[:2] / f"{sha256}.pdf"
    assert path.read_bytes() == PDF
    scan = file_store(fresh_db, FileArea.ATTACHMENTS).put(SCAN)
    assert (fresh_db.files_dir / "attachments" / scan[:2] / scan).read_bytes() == SCAN
    with fresh_db.read() as session:  # the table stays empty on a file
        assert session.execute(text("SELECT count(*) FROM stored_file")).scalar() == 0


# Files in the folder; a server's rows: test_a_changed_or_lost_row_is_found_on_the_server
@pytest.mark.sqlite_only
def test_a_changed_or_lost_file_is_found_in_the_folder(fresh_db: Database) -> None:
    store = file_store(fresh_db, FileArea.ATTACHMENTS)
    changed, lost = store.put(SCAN), store.put(PDF)
    assert isinstance(store, FolderStore)
    store.path(changed).write_bytes(SCAN + b" retouched")
    store.path(lost).unlink()
    assert store.verify_all([changed, lost]) == {
        changed: FileState.CHANGED,
        lost: FileState.MISSING,
    }


# A file renamed into the folder; a server's row: test_a_put_cut_off_leaves_no_row
@pytest.mark.sqlite_only
def test_a_write_cut_off_leaves_no_half_file_in_the_folder(
    fresh_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = file_store(fresh_db, FileArea.DOCUMENTS)
    assert isinstance(store, FolderStore)

    def power_cut(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(EnvironmentProblem, match="无法保存文件"):
        store.put(PDF)
    monkeypatch.undo()
    assert not store.exists(sha256_of(PDF))
    assert [p.name for p in store.root.rglob("*")] == [sha256_of(PDF)[:2]]  # no leftovers


@pytest.mark.postgres
def test_a_server_database_keeps_its_files_in_its_table(server_db: Database) -> None:
    documents = file_store(server_db, FileArea.DOCUMENTS)
    assert isinstance(documents, TableStore)
    _round_trip(documents)
    attachments = file_store(server_db, FileArea.ATTACHMENTS)
    sha256 = attachments.put(PDF)  # the same bytes in both areas: two files
    documents.put(PDF)
    documents.remove([sha256])  # a document erased leaves the attachment
    assert attachments.read(sha256) == PDF
    with pytest.raises(EnvironmentProblem, match="没有文件夹"):  # nothing beside anything
        assert server_db.files_dir


@pytest.mark.postgres
def test_a_changed_or_lost_row_is_found_on_the_server(server_db: Database) -> None:
    store = file_store(server_db, FileArea.ATTACHMENTS)
    changed, kept = store.put(SCAN), store.put(PDF)
    with server_db.engine.begin() as connection:
        connection.execute(
            text("UPDATE stored_file SET content = :bytes WHERE sha256 = :sha256"),
            {"bytes": SCAN + b" retouched", "sha256": changed},
        )
    lost = sha256_of(b"a photo whose row was deleted")
    assert store.verify_all([changed, kept, lost]) == {
        changed: FileState.CHANGED,
        kept: FileState.OK,
        lost: FileState.MISSING,
    }
    assert store.verify(changed) is FileState.CHANGED


@pytest.mark.postgres
def test_a_put_cut_off_leaves_no_row(server_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    store = file_store(server_db, FileArea.DOCUMENTS)
    original = Session.execute

    def then_the_network_drops(self: Session, *args: object, **kwargs: object) -> object:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        raise OSError("connection lost")

    monkeypatch.setattr(Session, "execute", then_the_network_drops)
    with pytest.raises(OSError):
        store.put(PDF)
    monkeypatch.undo()
    assert not store.exists(sha256_of(PDF))


@pytest.mark.postgres
def test_a_copy_for_the_programs_that_open_files_by_path(server_db: Database) -> None:
    store = file_store(server_db, FileArea.DOCUMENTS)
    sha256 = store.put(PDF)
    first = store.local_file(sha256)
    assert first is not None and first.suffix == ".pdf" and first.read_bytes() == PDF
    first.write_bytes(b"a viewer wrote here")  # the stored bytes are not touched
    again = store.local_file(sha256)
    assert again is not None and again.read_bytes() == PDF
    assert store.verify(sha256) is FileState.OK
    assert Path(again).parent.name.startswith("frontdesk-files-")
    store.remove([sha256])  # a file removed (a scan deleted, a photo erased): its copy too
    assert not again.exists()


@pytest.mark.postgres
def test_a_staged_row_goes_in_with_the_write_that_names_it(server_db: Database) -> None:
    store = file_store(server_db, FileArea.DOCUMENTS)
    staged = store.staged(PDF)
    assert staged.sha256 == sha256_of(PDF) and not store.exists(staged.sha256)  # not yet
    with pytest.raises(RuntimeError), server_db.write() as session:
        staged.keep(session)
        raise RuntimeError("the register row was refused")
    assert not store.exists(staged.sha256)  # rolled back with it
    with server_db.write() as session:
        staged.keep(session)
        staged.keep(session)  # kept once, however often
    assert store.verify(staged.sha256) is FileState.OK


@pytest.mark.sqlite_only
def test_a_staged_file_is_in_the_folder_at_once(fresh_db: Database) -> None:
    store = file_store(fresh_db, FileArea.DOCUMENTS)
    staged = store.staged(PDF)
    assert store.verify(staged.sha256) is FileState.OK  # a file is no part of a transaction
    with fresh_db.write() as session:
        staged.keep(session)  # nothing more to do
    assert store.verify(staged.sha256) is FileState.OK
