"""The document register (发文登记): every PDF the office issues, numbered, with whom
and what it was for, and its exact bytes kept by their SHA-256.

A document is registered when it leaves the program — printed, saved, written by
the command line — or, for numbered batches such as reminders and notices, when it
is produced. Previews that are closed unprinted are not issued. The bytes go to the
documents store (db/file_store.py: the folder beside a database file, the server's
table); the same bytes issued twice are stored once. A later copy of a document with
the same identity (a receipt's number, a permit's number) points at the first one
issued: that is a reprint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, Select, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.file_store import FileState, FileStore, Staged, file_store, sha256_of
from frontdesk.db.models import Building, FileArea, IssuedDocument, IssuedSubject, Room
from frontdesk.db.turns import in_turn
from frontdesk.domain.clock import local_time
from frontdesk.domain.issued import DocKind, Issue, Output, Printout, Subject
from frontdesk.domain.order_numbers import as_order_number
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import NotFound, UserError
from frontdesk.services.access import require
from frontdesk.services.households.structure import room_places
from frontdesk.services.xlsx import write_table

NUMBER_PREFIX = "FW"
_DICTIONARY = re.compile(rb"<<([^<>]*)>>")
_PAGES_TYPE = re.compile(rb"/Type\s*/Pages\b")
_COUNT = re.compile(rb"/Count\s+(\d+)")
MAX_ROWS = 5000


@dataclass(frozen=True)
class IssuedRow:
    id: int
    number: str
    kind: DocKind
    title: str
    reference: str
    issued_at: datetime
    by_name: str
    output: Output
    pages: int
    size: int
    reprint_of: str  # the original's number, for a reprint
    subject: str  # 3栋2单元1201 · 1栋 · 12 户
    purged: bool


@dataclass(frozen=True)
class RegisterFilter:
    kinds: tuple[DocKind, ...] = ()
    since: date | None = None
    until: date | None = None
    room_id: int | None = None
    building_id: int | None = None
    text: str = ""  # in the number, title or reference
    by_name: str = ""
    limit: int = MAX_ROWS


@dataclass(frozen=True)
class StoreProblem:
    number: str
    title: str
    problem: str  # 文件缺失 / 内容与登记的哈希不符


# storage ------------------------------------------------------------------------


def stored_documents(db: Database) -> FileStore:
    return file_store(db, FileArea.DOCUMENTS)


def staged_bytes(db: Database, data: bytes) -> Staged:
    """The bytes of a document about to be registered, kept with its register row
    (`Staged.keep` in the same write)."""
    return stored_documents(db).staged(data)


def read_stored(db: Database, sha256: str) -> bytes:
    """The stored bytes, refused when missing or no longer what was issued."""
    data = stored_documents(db).read(sha256)
    if data is None:
        raise NotFound("存档文件不见了，请运行 frontdesk check 检查。")
    if sha256_of(data) != sha256:
        raise UserError("存档文件已被改动，与登记时不一致，不能打开。请运行 frontdesk check。")
    return data


def page_count(pdf: bytes) -> int:
    """Pages of a PDF from its page tree root (reportlab writes an uncompressed one)."""
    counts = [
        int(count[1])
        for body in _DICTIONARY.findall(pdf)
        if _PAGES_TYPE.search(body) and (count := _COUNT.search(body))
    ]
    return max(counts, default=0)


# recording ----------------------------------------------------------------------


def _next_number(session: Session, year: int) -> str:
    in_turn(session, "issued_document")
    prefix = f"{NUMBER_PREFIX}-{year}-"
    last = session.scalar(
        select(func.max(IssuedDocument.number)).where(IssuedDocument.number.like(f"{prefix}%"))
    )
    following = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{following:06d}"


def _original_id(session: Session, issue: Issue) -> int | None:
    if not issue.reference:
        return None
    return session.scalar(
        select(func.min(IssuedDocument.id)).where(
            IssuedDocument.kind == issue.kind,
            IssuedDocument.reference == issue.reference,
        )
    )


def record_in(
    session: Session,
    actor: Actor,
    printout: Printout,
    sha256: str,
    output: Output,
    reprint_of_id: int | None = None,
    at: datetime | None = None,
) -> IssuedDocument:
    """Register a document whose bytes are already stored, in the caller's
    transaction (a notice and its register entry commit together). `at` is now
    unless the demo community backdates its history."""
    issue = printout.issue
    at = at or utcnow()
    document = IssuedDocument(
        number=_next_number(session, at.astimezone().year),
        issued_at=at,
        kind=issue.kind,
        title=issue.title[:200],
        reference=issue.reference[:60],
        sha256=sha256,
        size=len(printout.pdf),
        pages=page_count(printout.pdf),
        output=output,
        by_id=actor.user_id,
        by_name=actor.display_name,
        reprint_of_id=reprint_of_id or _original_id(session, issue),
    )
    session.add(document)
    session.flush()
    if issue.subjects:
        session.execute(
            insert(IssuedSubject),
            [
                {
                    "document_id": document.id,
                    "room_id": s.room_id,
                    "building_id": s.building_id,
                    "page": s.page,
                }
                for s in issue.subjects
            ],
        )
    return document


def record(db: Database, actor: Actor, printout: Printout, output: Output) -> str:
    """Keep the bytes and register the document; returns its register number."""
    staged = staged_bytes(db, printout.pdf)
    with db.write(actor) as session:
        staged.keep(session)
        return record_in(session, actor, printout, staged.sha256, output).number


# finding and opening ------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


def _filtered(query: Select[IssuedDocument], flt: RegisterFilter) -> Select[IssuedDocument]:
    if flt.kinds:
        query = query.where(IssuedDocument.kind.in_([k.value for k in flt.kinds]))
    if flt.since:
        query = query.where(IssuedDocument.issued_at >= _day_start(flt.since))
    if flt.until:
        query = query.where(IssuedDocument.issued_at < _day_start(flt.until + timedelta(days=1)))
    if flt.text.strip():
        # a work order's number as typed (gd26120001) finds its papers (GD-2612-0001 …)
        wanted = as_order_number(flt.text) or flt.text.strip()
        query = query.where(
            or_(
                IssuedDocument.number.contains(wanted, autoescape=True),
                IssuedDocument.title.contains(wanted, autoescape=True),
                IssuedDocument.reference.contains(wanted, autoescape=True),
            )
        )
    if flt.by_name.strip():
        query = query.where(IssuedDocument.by_name == flt.by_name.strip())
    if flt.room_id is not None:
        query = query.where(
            IssuedDocument.id.in_(
                select(IssuedSubject.document_id).where(IssuedSubject.room_id == flt.room_id)
            )
        )
    if flt.building_id is not None:
        in_building = select(Room.id).where(Room.building_id == flt.building_id)
        query = query.where(
            IssuedDocument.id.in_(
                select(IssuedSubject.document_id).where(
                    or_(
                        IssuedSubject.building_id == flt.building_id,
                        IssuedSubject.room_id.in_(in_building),
                    )
                )
            )
        )
    return query


def _subjects(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """How each document's subjects read in a list: one room or building by name,
    several counted."""
    rows = session.execute(
        select(IssuedSubject.document_id, IssuedSubject.room_id, Building.name)
        .outerjoin(Building, Building.id == IssuedSubject.building_id)
        .where(IssuedSubject.document_id.in_(ids))
    ).all()
    rooms: dict[int, list[int]] = {}
    buildings: dict[int, list[str]] = {}
    for document_id, room_id, building_name in rows:
        if room_id is not None:
            rooms.setdefault(document_id, []).append(room_id)
        if building_name:
            buildings.setdefault(document_id, []).append(building_name)
    single = [found[0] for found in rooms.values() if len(found) == 1]
    codes = {room_id: code for room_id, (code, _place) in room_places(session, single).items()}
    shown = {}
    for document_id in ids:
        parts = []
        named = buildings.get(document_id, [])
        if named:
            parts.append("、".join(named) if len(named) <= 4 else f"{len(named)} 栋")
        found = rooms.get(document_id, [])
        if found:
            parts.append(codes[found[0]] if len(found) == 1 else f"{len(found)} 户")
        shown[document_id] = " · ".join(parts)
    return shown


def _rows(session: Session, documents: Sequence[IssuedDocument]) -> list[IssuedRow]:
    subjects = _subjects(session, [d.id for d in documents])
    original = aliased(IssuedDocument)
    originals = dict(
        session.execute(
            select(IssuedDocument.id, original.number)
            .join(original, original.id == IssuedDocument.reprint_of_id)
            .where(IssuedDocument.id.in_([d.id for d in documents]))
        ).all()
    )
    return [
        IssuedRow(
            d.id,
            d.number,
            d.kind,
            d.title,
            d.reference,
            d.issued_at,
            d.by_name,
            d.output,
            d.pages,
            d.size,
            originals.get(d.id, ""),
            subjects.get(d.id, ""),
            d.purged_at is not None,
        )
        for d in documents
    ]


def _chunks(items: Sequence[IssuedDocument], size: int = 500) -> Iterator[Sequence[IssuedDocument]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def list_issued(
    db: Database, actor: Actor, flt: RegisterFilter = RegisterFilter()
) -> list[IssuedRow]:
    """Newest first, at most `flt.limit`."""
    require(actor, Permission.VIEW_ISSUED_DOCUMENTS)
    query = _filtered(select(IssuedDocument), flt).order_by(IssuedDocument.id.desc())
    with db.read() as session:
        documents: list[IssuedDocument] = list(session.scalars(query.limit(flt.limit)))
        rows: list[IssuedRow] = []
        for chunk in _chunks(documents):
            rows += _rows(session, chunk)
        return rows


def room_documents(db: Database, actor: Actor, room_id: int) -> list[IssuedRow]:
    """Everything issued for one household: its file's 发文 list."""
    return list_issued(db, actor, RegisterFilter(room_id=room_id, limit=500))


def _document(session: Session, number: str) -> IssuedDocument:
    document = session.scalar(select(IssuedDocument).where(IssuedDocument.number == number.strip()))
    if document is None:
        raise NotFound(f"发文登记里没有编号 {number.strip()}。")
    return document


def get_issued(db: Database, actor: Actor, number: str) -> IssuedRow:
    require(actor, Permission.VIEW_ISSUED_DOCUMENTS)
    with db.read() as session:
        return _rows(session, [_document(session, number)])[0]


def open_issued(db: Database, actor: Actor, number: str) -> Printout:
    """The very bytes issued; opening is audited, as the copy may hold personal data."""
    require(actor, Permission.VIEW_ISSUED_DOCUMENTS)
    with db.read() as session:
        document = _document(session, number)
        if document.purged_at is not None:
            raise UserError(f"{document.number} 的内容已按保存期限删除，只留登记。")
        sha256, kind, title, reference = (
            document.sha256,
            document.kind,
            document.title,
            document.reference,
        )
    pdf = read_stored(db, sha256)
    with db.write(actor) as session:
        write_entry(
            session.connection(),
            actor,
            "view",
            "issued_document",
            str(document.id),
            f"查看发文存档「{document.number} {title}」",
        )
    return Printout(pdf, Issue(kind, title, reference))


def issue_of_document(session: Session, document: IssuedDocument) -> Issue:
    """What a registered document is, subjects included, for a copy of it."""
    subjects = session.execute(
        select(IssuedSubject.room_id, IssuedSubject.building_id, IssuedSubject.page).where(
            IssuedSubject.document_id == document.id
        )
    ).all()
    return Issue(
        document.kind,
        document.title,
        document.reference,
        tuple(Subject(room, building, page) for room, building, page in subjects),
    )


def record_reprint(db: Database, actor: Actor, number: str) -> str:
    """A stored document printed again: a new entry pointing at the original."""
    require(actor, Permission.VIEW_ISSUED_DOCUMENTS)
    with db.write(actor) as session:
        source = _document(session, number)
        if source.purged_at is not None:
            raise UserError(f"{source.number} 的内容已按保存期限删除，不能重印。")
        copy = Printout(b"", issue_of_document(session, source))
        document = record_in(
            session,
            actor,
            copy,
            source.sha256,
            Output.REPRINTED,
            reprint_of_id=source.reprint_of_id or source.id,
        )
        document.size, document.pages = source.size, source.pages
        return document.number


# integrity and retention ----------------------------------------------------------


def verify_store(db: Database) -> list[StoreProblem]:
    """Every stored document still there with the bytes it was issued with."""
    first: dict[str, tuple[str, str]] = {}  # each file named by its first document
    with db.read() as session:
        for sha256, number, title in session.execute(
            select(IssuedDocument.sha256, IssuedDocument.number, IssuedDocument.title)
            .where(IssuedDocument.purged_at.is_(None))
            .order_by(IssuedDocument.number)
        ):
            first.setdefault(sha256, (number, title))
    states = stored_documents(db).verify_all(first)
    problems = []
    for sha256, (number, title) in first.items():
        if states[sha256] is FileState.MISSING:
            problems.append(StoreProblem(number, title, "存档文件缺失"))
        elif states[sha256] is FileState.CHANGED:
            problems.append(StoreProblem(number, title, "存档文件内容与登记的哈希不符"))
    return problems


def count_expired(session: Session, expired: ColumnElement[bool]) -> int:
    """How many documents `mark_purged` would mark (for a dry run)."""
    query = select(func.count()).select_from(IssuedDocument).where(expired)
    return session.scalar(query) or 0


def issued_before(kinds: Iterable[DocKind], before: datetime) -> ColumnElement[bool]:
    """Documents of these kinds first issued before `before` (for `mark_purged`)."""
    return IssuedDocument.kind.in_([k.value for k in kinds]) & (first_issued_at() < before)


def first_issued_at() -> ColumnElement[datetime]:
    """When a document was first issued: a reprint's original's time, else its own (for
    retention: a reprint does not start the period again)."""
    original = aliased(IssuedDocument)
    first = (
        select(original.issued_at)
        .where(original.id == IssuedDocument.reprint_of_id)
        .scalar_subquery()
    )
    return func.coalesce(first, IssuedDocument.issued_at)


def mark_purged(
    session: Session, expired: ColumnElement[bool], now: datetime
) -> tuple[int, set[str]]:
    """Mark the documents `expired` selects (the caller's retention rule) as erased
    (their entries stay); returns how many, and the hashes no entry needs any more:
    the caller unlinks those with `unlink_stored` once the transaction has committed."""
    expired = expired & IssuedDocument.purged_at.is_(None)
    hashes = set(session.scalars(select(IssuedDocument.sha256).where(expired)))
    if not hashes:
        return 0, set()
    ids = list(session.scalars(select(IssuedDocument.id).where(expired)))
    marked = 0
    for start in range(0, len(ids), 500):
        result = session.execute(
            update(IssuedDocument)
            .where(IssuedDocument.id.in_(ids[start : start + 500]))
            .values(purged_at=now)
        )
        marked += int(getattr(result, "rowcount", 0) or 0)
    kept = set(
        session.scalars(
            select(IssuedDocument.sha256).where(
                IssuedDocument.sha256.in_(hashes), IssuedDocument.purged_at.is_(None)
            )
        )
    )
    return marked, hashes - kept


def unlink_stored(db: Database, hashes: set[str]) -> None:
    stored_documents(db).remove(hashes)


# export -------------------------------------------------------------------------

EXPORT_HEAD = ("登记号", "种类", "标题", "编号", "对象", "经办人", "时间", "方式", "页数", "重印自")


def write_register_xlsx(rows: Sequence[IssuedRow], path: Path) -> None:
    """The register as filtered, for an inspection or an audit."""
    write_table(
        path,
        "发文登记",
        EXPORT_HEAD,
        (
            (
                r.number,
                r.kind.label,
                r.title,
                r.reference,
                r.subject,
                r.by_name,
                local_time(r.issued_at, seconds=False),
                r.output.label + ("（存档内容已按期删除）" if r.purged else ""),
                r.pages,
                r.reprint_of,
            )
            for r in rows
        ),
        (16, 12, 36, 18, 16, 10, 17, 12, 6, 16),
    )
