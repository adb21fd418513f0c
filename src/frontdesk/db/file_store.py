"""Stored files (issued papers, scans, photos) behind one seam, by their SHA-256.

A file database keeps them in the folder beside it, as it always has:
`<database>-files/documents/ab/abcdef….pdf` and `<database>-files/attachments/ab/abcdef…`,
each written to a temporary name and renamed, so a crash never leaves half a file.
A server database (PostgreSQL) keeps them in its `stored_file` table (migration 0030),
one row per file written in one transaction, so every counter reads the same files and
a dump carries them.

Services put bytes and get the hash, read by hash, ask whether a file is there and still
its hash (`verify`), list and remove; where a caller needs a path (the GUI opens and
previews files by path) `local_file` gives the stored file itself, or on a server a
temporary copy of it that is deleted when the program ends.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import ColumnElement, Executable, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import FileArea, StoredFile
from frontdesk.errors import EnvironmentProblem

CHUNK = 1024 * 1024
# The folder store's file name ending per area (the layout files have always had).
SUFFIX = {FileArea.DOCUMENTS: ".pdf", FileArea.ATTACHMENTS: ""}
_INCOMING = ".incoming-"


class FileState(StrEnum):
    OK = "ok"
    MISSING = "missing"
    CHANGED = "changed"  # the bytes no longer hash to the name they are stored under


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Staged:
    """Bytes on their way into the store with the write that names them: a folder's
    file is written already (a file is no part of a transaction); a server's row goes
    in with the caller's rows (`keep`), one transaction and one turn of the writers'
    lock instead of two."""

    sha256: str
    row: Executable | None = None

    def keep(self, session: Session) -> None:
        if self.row is not None:
            session.execute(self.row)


class FileStore(ABC):
    """The stored files of one area of one database."""

    def __init__(self, area: FileArea) -> None:
        self.area = area

    @abstractmethod
    def put(self, data: bytes) -> str:
        """Keep the bytes (once, however often they are put); their SHA-256."""

    def staged(self, data: bytes) -> Staged:
        """The bytes kept by `Staged.keep` in the caller's write, or already."""
        return Staged(self.put(data))

    def put_file(self, source: Path) -> str:
        """Keep a file's bytes; their SHA-256."""
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise EnvironmentProblem(f"无法读取文件 {source}：{exc.strerror or exc}") from exc
        return self.put(data)

    @abstractmethod
    def read(self, sha256: str) -> bytes | None:
        """The bytes as they are stored (unchecked), None when there is no such file."""

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    def verify(self, sha256: str) -> FileState:
        data = self.read(sha256)
        if data is None:
            return FileState.MISSING
        return FileState.OK if sha256_of(data) == sha256 else FileState.CHANGED

    def verify_all(self, hashes: Iterable[str]) -> dict[str, FileState]:
        """The state of each of these files (one pass over the store)."""
        return {sha256: self.verify(sha256) for sha256 in hashes}

    @abstractmethod
    def hashes(self) -> set[str]:
        """Every file the store holds, by its name (SHA-256)."""

    @abstractmethod
    def remove(self, hashes: Iterable[str]) -> None:
        """Delete these files (a caller found no row naming them any more)."""

    @abstractmethod
    def local_file(self, sha256: str) -> Path | None:
        """A file on this PC with the stored bytes, unchecked (None when missing): the
        stored file itself, or a temporary copy of it. Never to be written to."""

    @abstractmethod
    def location(self, sha256: str) -> str:
        """Where the file is kept, for a message."""


class FolderStore(FileStore):
    """The files of a database file: a folder beside it."""

    def __init__(self, root: Path, area: FileArea) -> None:
        super().__init__(area)
        self.root = root / area.value
        self.suffix = SUFFIX[area]

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}{self.suffix}"

    def put(self, data: bytes) -> str:
        sha256 = sha256_of(data)
        target = self.path(sha256)
        if not target.exists():
            try:
                _write_atomically(target, data)
            except OSError as exc:
                raise EnvironmentProblem(f"无法保存文件：{exc.strerror or exc}") from exc
        return sha256

    def put_file(self, source: Path) -> str:
        sha256 = sha256_of_file(source)
        target = self.path(sha256)
        if not target.exists():
            try:
                _copy_atomically(source, target)
            except OSError as exc:
                raise EnvironmentProblem(f"无法保存文件：{exc.strerror or exc}") from exc
        return sha256

    def read(self, sha256: str) -> bytes | None:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            return None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def verify(self, sha256: str) -> FileState:
        path = self.path(sha256)
        if not path.is_file():
            return FileState.MISSING
        return FileState.OK if sha256_of_file(path) == sha256 else FileState.CHANGED

    def hashes(self) -> set[str]:
        if not self.root.is_dir():
            return set()
        found = set()
        for path in self.root.glob(f"??/*{self.suffix}"):
            name = path.name.removesuffix(self.suffix) if self.suffix else path.name
            if not name.startswith(_INCOMING) and path.is_file():
                found.add(name)
        return found

    def remove(self, hashes: Iterable[str]) -> None:
        for sha256 in hashes:
            self.path(sha256).unlink(missing_ok=True)

    def local_file(self, sha256: str) -> Path | None:
        path = self.path(sha256)
        return path if path.is_file() else None

    def location(self, sha256: str) -> str:
        return str(self.path(sha256))


class TableStore(FileStore):
    """The files of a server database: its `stored_file` table."""

    def __init__(self, db: Database, area: FileArea) -> None:
        super().__init__(area)
        self.db = db

    def _where(self, sha256: str) -> tuple[ColumnElement[bool], ...]:
        return (StoredFile.area == self.area, StoredFile.sha256 == sha256)

    def put(self, data: bytes) -> str:
        staged = self.staged(data)
        with self.db.write() as session:  # one row, one transaction: never half a file
            staged.keep(session)
        return staged.sha256

    def staged(self, data: bytes) -> Staged:
        sha256 = sha256_of(data)
        dialect = postgresql if self.db.engine.dialect.name == "postgresql" else sqlite
        row = (
            dialect.insert(StoredFile)
            .values(area=self.area, sha256=sha256, size=len(data), content=data, stored_at=utcnow())
            .on_conflict_do_nothing()
        )
        return Staged(sha256, row)

    def read(self, sha256: str) -> bytes | None:
        with self.db.read() as session:
            return session.scalar(select(StoredFile.content).where(*self._where(sha256)))

    def exists(self, sha256: str) -> bool:
        with self.db.read() as session:
            found = session.scalar(select(StoredFile.sha256).where(*self._where(sha256)))
        return found is not None

    def verify_all(self, hashes: Iterable[str]) -> dict[str, FileState]:
        wanted = sorted(set(hashes))
        states = dict.fromkeys(wanted, FileState.MISSING)
        with self.db.read() as session:
            for start in range(0, len(wanted), 50):  # a few files in memory at a time
                query = select(StoredFile.sha256, StoredFile.content).where(
                    StoredFile.area == self.area, StoredFile.sha256.in_(wanted[start : start + 50])
                )
                for sha256, data in session.execute(query):
                    states[sha256] = (
                        FileState.OK if sha256_of(data) == sha256 else FileState.CHANGED
                    )
        return states

    def hashes(self) -> set[str]:
        with self.db.read() as session:
            return set(
                session.scalars(select(StoredFile.sha256).where(StoredFile.area == self.area))
            )

    def remove(self, hashes: Iterable[str]) -> None:
        """Delete the rows, then this program's temporary copies of them: a file removed
        (a scan deleted, a person's photos erased) is not left lying on this PC."""
        wanted = sorted(set(hashes))
        if not wanted:
            return
        with self.db.write() as session:
            for start in range(0, len(wanted), 500):
                session.execute(
                    delete(StoredFile).where(
                        StoredFile.area == self.area,
                        StoredFile.sha256.in_(wanted[start : start + 500]),
                    )
                )
        if _copies_folder:  # this program made copies
            for sha256 in wanted:
                self._copy(sha256).unlink(missing_ok=True)

    def _copy(self, sha256: str) -> Path:
        return _copies() / f"{self.area.value}-{sha256}{SUFFIX[self.area]}"

    def local_file(self, sha256: str) -> Path | None:
        data = self.read(sha256)
        if data is None:
            return None
        copy = self._copy(sha256)
        try:
            _write_atomically(copy, data)
        except OSError as exc:
            raise EnvironmentProblem(f"无法写入临时文件：{exc.strerror or exc}") from exc
        return copy

    def location(self, sha256: str) -> str:
        return f"数据库 {self.db.engine.url.database} 的 stored_file 表"

    def total_bytes(self) -> int:
        with self.db.read() as session:
            total = session.scalar(
                select(func.coalesce(func.sum(StoredFile.size), 0)).where(
                    StoredFile.area == self.area
                )
            )
        return int(total or 0)


def file_store(db: Database, area: FileArea) -> FileStore:
    """The store of `db`'s files of one area: its folder (a file), its table (a server)."""
    if db.engine.dialect.name == "sqlite":
        return FolderStore(db.files_dir, area)
    return TableStore(db, area)


# Temporary copies of a server's files, for the programs that open files by path.
_copies_folder: list[Path] = []


def _copies() -> Path:
    if not _copies_folder:
        folder = Path(tempfile.mkdtemp(prefix="frontdesk-files-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _copies_folder.append(folder)
    return _copies_folder[0]


def _incoming(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=_INCOMING)
    os.close(handle)
    return Path(name)


def _write_atomically(target: Path, data: bytes) -> None:
    """Written beside, flushed to disk, then renamed: never half a file under its name."""
    temporary = _incoming(target)
    try:
        with temporary.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _copy_atomically(source: Path, target: Path) -> None:
    temporary = _incoming(target)
    try:
        shutil.copyfile(source, temporary)
        with temporary.open("rb+") as out:
            os.fsync(out.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
