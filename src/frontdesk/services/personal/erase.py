"""Erasing one person's data (删除权, 《个人信息保护法》第四十七条).

Erase or anonymise what the office may erase — visitors, bookings, lapsed watchlist
entries, former residents and tenants, emergency contacts, the workers of closed
renovations, care records of people who moved away. What the law makes the office
keep stays: posted money rows are never edited (a payer's name on a payment or
refund is part of the accounting record, 会计档案), nor is a renovation file with its
deposit; the append-only audit log keeps its history (ID numbers only masked).
Owners and current residents are refused with the reason. Every erasure is an
explicit audit entry with masked data.

Erasure works like the visitor retention purge: Core updates (so the ORM audit hook
does not copy the old values into the log), secure_delete, fresh indexes, and the
write-ahead log folded back once committed; stored visitor passes of the erased
visits are marked purged in the register and their files unlinked after the commit;
so are the photos of an order whose caller is erased (rows deleted, files unlinked
unless another row names them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import Session

from frontdesk.db import phone_index
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    CareNeed,
    GoodsPass,
    IssuedDocument,
    ItemLoan,
    KeyLending,
    LostItem,
    Parcel,
    Person,
    Renovation,
    RenovationWorker,
    Visit,
    VisitBooking,
    WatchEntry,
    WorkOrder,
)
from frontdesk.db.scrub import rebuild_indexes
from frontdesk.domain.issued import DocKind
from frontdesk.domain.names import mask_name
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_text
from frontdesk.errors import NotFound, UserError
from frontdesk.services.access import require
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.parcels.photos import drop_photos
from frontdesk.services.personal import rules
from frontdesk.services.personal.rights import (
    PersonQuery,
    PersonRecordRef,
    RecordKind,
    counts_text,
    ids_by_kind,
    write_audit,
)
from frontdesk.services.service_desk.photo_files import erase_order_photos, unlink_stored

# The visitor purge's log folding, shared so both erasures leave the file alike.
from frontdesk.services.visitors.settings import fold_log, mark_pending

ERASED_NAME = "已删除"

# Always kept, whatever the request: said in every erasure report.
STANDING_KEPT = (
    "审计日志：依法保存的操作记录不可删改（其中证件号码只存掩码）。",
    "数据库备份：已有的备份文件按备份保存期限自然过期。",
)


@dataclass(frozen=True)
class ErasureReport:
    erased: tuple[PersonRecordRef, ...]
    kept: tuple[PersonRecordRef, ...]  # each with the reason it stays
    documents: int  # stored visitor passes, roll calls and parcel labels erased (entries stay)
    complete: bool = True  # False: the log still holds old pages; the next purge retries
    standing: tuple[str, ...] = field(default=STANDING_KEPT)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(r.kind.label for r in self.erased))


# asking again, inside the erasing transaction ---------------------------------------


def _recheck(session: Session, ref: PersonRecordRef, now: datetime) -> tuple[bool, str]:
    """The rule for the record as it is now, inside the erasing transaction."""
    today = now.astimezone().date()
    kind = ref.kind
    if kind in (RecordKind.APPLICANT, RecordKind.CONTRACTOR):
        return False, rules.RENOVATION_KEPT
    if kind in (RecordKind.PAYMENT, RecordKind.REFUND):
        return False, rules.MONEY_KEPT
    if kind == RecordKind.SURVEY:
        return False, rules.SURVEY_KEPT
    if kind == RecordKind.CERTIFICATE:
        return False, rules.CERTIFICATE_KEPT
    missing = NotFound(f"{ref.label}「{ref.name}」已不存在，请重新查找。")
    if kind == RecordKind.CALLER:
        order = session.get(WorkOrder, ref.record_id)
        if order is None or not (order.caller_name or order.caller_phone):
            raise missing
        return rules.caller_rule(order)
    if kind == RecordKind.PERSON:
        person = session.get(Person, ref.record_id)
        if person is None:
            raise missing
        return rules.person_rule(person, today)
    if kind == RecordKind.ITEM_LOAN:
        loan = session.get(ItemLoan, ref.record_id)
        if loan is None or loan.purged_at is not None:
            raise missing
        return rules.item_loan_rule(loan)
    if kind == RecordKind.KEY_LENDING:
        lending = session.get(KeyLending, ref.record_id)
        if lending is None or lending.purged_at is not None:
            raise missing
        return rules.key_lending_rule(lending)
    if kind in (RecordKind.FINDER, RecordKind.CLAIMANT):
        item = session.get(LostItem, ref.record_id)
        if item is None or item.purged_at is not None:
            raise missing
        return rules.finder_rule(item) if kind == RecordKind.FINDER else rules.claimant_rule(item)
    if kind == RecordKind.GOODS_PASS:
        goods_pass = session.get(GoodsPass, ref.record_id)
        if goods_pass is None or goods_pass.purged_at is not None:
            raise missing
        return rules.goods_pass_rule(goods_pass, now)
    if kind == RecordKind.VISIT:
        visit = session.get(Visit, ref.record_id)
        if visit is None or visit.purged_at is not None:
            raise missing
        return rules.visit_rule(visit)
    if kind == RecordKind.PARCEL:
        parcel = session.get(Parcel, ref.record_id)
        if parcel is None or parcel.purged_at is not None:
            raise missing
        return rules.parcel_rule(parcel)
    if kind == RecordKind.BOOKING:
        booking = session.get(VisitBooking, ref.record_id)
        if booking is None or booking.purged_at is not None:
            raise missing
        return rules.booking_rule(booking, bool(rules.arrived_bookings(session, [booking.id])), now)
    if kind == RecordKind.WATCH:
        entry = session.get(WatchEntry, ref.record_id)
        if entry is None:
            raise missing
        return rules.watch_rule(entry, today)
    return _recheck_renovation_or_care(session, ref, missing)


def _recheck_renovation_or_care(
    session: Session, ref: PersonRecordRef, missing: NotFound
) -> tuple[bool, str]:
    if ref.kind == RecordKind.WORKER:
        worker = session.get(RenovationWorker, ref.record_id)
        renovation = session.get(Renovation, worker.renovation_id) if worker else None
        if worker is None or renovation is None:
            raise missing
        return rules.worker_rule(renovation.status)
    need = session.get(CareNeed, ref.record_id)
    if need is None:
        raise missing
    return rules.care_rule(
        (need.room_id, need.person_name) in rules.living_names(session, [need.room_id])
    )


def _sort(
    session: Session, refs: Sequence[PersonRecordRef], now: datetime
) -> tuple[list[PersonRecordRef], list[PersonRecordRef]]:
    """(erased, kept): a record found erasable that no longer is refuses everything."""
    erased: list[PersonRecordRef] = []
    kept: list[PersonRecordRef] = []
    for ref in refs:
        erasable, why = _recheck(session, ref, now)
        if ref.erasable and not erasable:
            raise UserError(
                f"{ref.label}「{ref.name}」{ref.room_code}：{why}。"
                "情况已有变化，未删除任何记录，请重新查找。"
            )
        if erasable:
            erased.append(ref)
        else:
            kept.append(replace(ref, erasable=False, reason=why))
    if not erased:
        reasons = "；".join(f"{r.label}「{r.name}」{r.room_code}：{r.reason}" for r in kept)
        raise UserError(f"没有可以删除的记录。{reasons}")
    return erased, kept


# the rows, one eraser per kind -------------------------------------------------------


def _by_kind(refs: Iterable[PersonRecordRef], kind: RecordKind) -> list[int]:
    return [r.record_id for r in refs if r.kind == kind]


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), rules.CHUNK):
        yield ids[start : start + rules.CHUNK]


def _run(session: Session, statement: Any) -> None:
    session.execute(statement.execution_options(synchronize_session=False))


_BLANK_VISITOR = {"visitor_name": "", "visitor_phone": "", "note": ""}
_WIPED = "name_pinyin name_initials name_mixed gender id_type id_number phone share note"
_PERSON_BLANK = dict.fromkeys(_WIPED.split(), "")


def _erase_people(session: Session, ids: list[int], now: datetime) -> None:
    values = {"name": ERASED_NAME, **_PERSON_BLANK, "lives_here": False}
    _run(session, update(Person).where(Person.id.in_(ids)).values(**values))
    phone_index.drop(session.connection(), "person", ids)


def _erase_visits(session: Session, ids: list[int], now: datetime) -> None:
    blank = {**_BLANK_VISITOR, "plate": "", "id_type": "", "id_number": ""}
    _run(session, update(Visit).where(Visit.id.in_(ids)).values(**blank, purged_at=now))
    phone_index.drop(session.connection(), "visit", ids)


def _erase_bookings(session: Session, ids: list[int], now: datetime) -> None:
    statement = update(VisitBooking).where(VisitBooking.id.in_(ids))
    _run(session, statement.values(**_BLANK_VISITOR, purged_at=now))


def _erase_watch(session: Session, ids: list[int], now: datetime) -> None:
    statement = update(WatchEntry).where(WatchEntry.id.in_(ids))
    _run(session, statement.values(name="", phone="", plate="", id_number=""))


def _erase_workers(session: Session, ids: list[int], now: datetime) -> None:
    statement = update(RenovationWorker).where(RenovationWorker.id.in_(ids))
    _run(session, statement.values(name=ERASED_NAME, phone="", id_number=""))


def _erase_care(session: Session, ids: list[int], now: datetime) -> None:
    _run(session, delete(CareNeed).where(CareNeed.id.in_(ids)))


def _erase_callers(session: Session, ids: list[int], now: datetime) -> None:
    statement = update(WorkOrder).where(WorkOrder.id.in_(ids))
    _run(session, statement.values(caller_name="", caller_phone=""))
    phone_index.drop(session.connection(), "work_order", ids)


def _erase_goods_passes(session: Session, ids: list[int], now: datetime) -> None:
    blank = {"applicant_name": "", "applicant_phone": "", "plate": "", "consent_by": ""}
    statement = update(GoodsPass).where(GoodsPass.id.in_(ids))
    _run(session, statement.values(**blank, note="", purged_at=now))


def _goods_pass_papers(session: Session, ids: Sequence[int], now: datetime) -> tuple[int, set[str]]:
    """The stored 物品放行条 of these passes, marked purged (their entries stay)."""
    numbers = list(session.scalars(select(GoodsPass.number).where(GoodsPass.id.in_(ids))))
    papers = (IssuedDocument.kind == DocKind.GOODS_PASS) & IssuedDocument.reference.in_(numbers)
    return issued_documents.mark_purged(session, papers, now) if numbers else (0, set())


def _erase_finders(session: Session, ids: list[int], now: datetime) -> None:
    statement = update(LostItem).where(LostItem.id.in_(ids))
    _run(session, statement.values(finder_name="", finder_phone=""))


def _erase_claimants(session: Session, ids: list[int], now: datetime) -> None:
    statement = update(LostItem).where(LostItem.id.in_(ids))
    _run(
        session,
        statement.values(claimant_name=ERASED_NAME, claimant_phone="", claimant_id_number=""),
    )


def _erase_parcels(session: Session, ids: list[int], now: datetime) -> None:
    statement = update(Parcel).where(Parcel.id.in_(ids))
    blank = {"recipient": "", "collector": "", "note": "", "person_id": None}
    _run(session, statement.values(**blank, purged_at=now))


def _erase_key_lendings(session: Session, ids: list[int], now: datetime) -> None:
    blank = {"borrower": "", "borrower_phone": "", "borrower_company": "", "note": ""}
    statement = update(KeyLending).where(KeyLending.id.in_(ids))
    _run(session, statement.values(**blank, purged_at=now))


def _erase_item_loans(session: Session, ids: list[int], now: datetime) -> None:
    statement = update(ItemLoan).where(ItemLoan.id.in_(ids))
    _run(session, statement.values(borrower="", borrower_phone="", note="", purged_at=now))


_ERASERS = (
    (RecordKind.PERSON, _erase_people),
    (RecordKind.VISIT, _erase_visits),
    (RecordKind.BOOKING, _erase_bookings),
    (RecordKind.WATCH, _erase_watch),
    (RecordKind.WORKER, _erase_workers),
    (RecordKind.CARE, _erase_care),
    (RecordKind.CALLER, _erase_callers),
    (RecordKind.GOODS_PASS, _erase_goods_passes),
    (RecordKind.FINDER, _erase_finders),
    (RecordKind.CLAIMANT, _erase_claimants),
    (RecordKind.PARCEL, _erase_parcels),
    (RecordKind.KEY_LENDING, _erase_key_lendings),
    (RecordKind.ITEM_LOAN, _erase_item_loans),
)
# Index pages keep stale copies of changed entries in their free gaps; fresh
# indexes (the old pages zeroed as they are freed) carry only erased values.
_REINDEXED = (
    (RecordKind.PERSON, "person"),
    (RecordKind.VISIT, "visit"),
    (RecordKind.BOOKING, "visit_booking"),
    (RecordKind.WORKER, "renovation_worker"),
    (RecordKind.CALLER, "work_order"),
    (RecordKind.PARCEL, "parcel"),
)


def _erase_rows(session: Session, erased: Sequence[PersonRecordRef], now: datetime) -> None:
    for kind, erase in _ERASERS:
        for ids in _chunks(_by_kind(erased, kind)):
            erase(session, ids, now)
    for kind, table in _REINDEXED:
        if _by_kind(erased, kind):
            rebuild_indexes(session, table)


# the stored papers of erased visits --------------------------------------------------


def _paper_wheres(
    session: Session, visit_ids: Sequence[int], now: datetime
) -> list[ColumnElement[bool]]:
    """Each visit's 访客单, and the roll calls printed while the visitor was in."""
    wheres: list[ColumnElement[bool]] = []
    for start in range(0, len(visit_ids), rules.CHUNK):
        stays = session.execute(
            select(Visit.number, Visit.arrived_at, Visit.left_at).where(
                Visit.id.in_(visit_ids[start : start + rules.CHUNK])
            )
        )
        for number, arrived, left in stays:
            wheres.append(
                (IssuedDocument.kind == DocKind.VISITOR_PASS) & (IssuedDocument.reference == number)
            )
            wheres.append(
                (IssuedDocument.kind == DocKind.ROLL_CALL)
                & (IssuedDocument.issued_at >= arrived)
                & (IssuedDocument.issued_at <= (left or now))
            )
    return wheres


def _papers(session: Session, wheres: Sequence[ColumnElement[bool]]) -> list[IssuedDocument]:
    """The register entries matching any of these, not yet purged."""
    documents: list[IssuedDocument] = []
    for start in range(0, len(wheres), 200):
        documents.extend(
            session.scalars(
                select(IssuedDocument).where(
                    or_(*wheres[start : start + 200]), IssuedDocument.purged_at.is_(None)
                )
            )
        )
    return documents


def _erase_labels(
    session: Session, parcel_ids: Sequence[int], now: datetime
) -> tuple[int, set[str]]:
    """The stored labels of these parcels (room and surname), as `_erase_papers`."""
    if not parcel_ids:
        return 0, set()
    numbers = select(Parcel.number).where(Parcel.id.in_(parcel_ids))
    labels = (IssuedDocument.kind == DocKind.PARCEL_LABEL) & IssuedDocument.reference.in_(numbers)
    return issued_documents.mark_purged(session, labels, now)


def _erase_papers(
    session: Session, visit_ids: Sequence[int], now: datetime
) -> tuple[int, set[str]]:
    """The stored 访客单 of these visits, and the roll calls printed while they were in:
    marked purged in the register (the entries stay); returns how many, and the
    hashes no entry needs any more (unlinked once committed)."""
    if not visit_ids:
        return 0, set()
    unique = {d.id: d for d in _papers(session, _paper_wheres(session, visit_ids, now))}
    if not unique:
        return 0, set()
    ids = list(unique)
    hashes = {d.sha256 for d in unique.values()}
    for chunk in _chunks(ids):
        _run(
            session,
            update(IssuedDocument).where(IssuedDocument.id.in_(chunk)).values(purged_at=now),
        )
    kept = set(
        session.scalars(
            select(IssuedDocument.sha256).where(
                IssuedDocument.sha256.in_(hashes), IssuedDocument.purged_at.is_(None)
            )
        )
    )
    return len(ids), hashes - kept


# the audit -------------------------------------------------------------------------


def _record_erasure(
    session: Session,
    actor: Actor,
    reason: str,
    query: PersonQuery | None,
    erased: Sequence[PersonRecordRef],
    kept: Sequence[PersonRecordRef],
    documents: int,
    now: datetime,
) -> None:
    names = sorted({mask_name(r.name) for r in erased if r.name})
    who = f"（{query.masked()}）" if query else f"（{'、'.join(names)}）"
    papers = f"，{documents} 份访客单、点名表、快递标签存档" if documents else ""
    kept_text = f"；保留 {len(kept)} 条（{counts_text(kept)}）" if kept else ""
    summary = (
        f"个人信息删除{who}：{len(erased)} 条记录（{counts_text(erased)}）{papers}"
        f"{kept_text}。原因：{reason}"
    )
    changes = {"erased": ids_by_kind(erased), "kept": ids_by_kind(kept), "reason": reason}
    write_audit(session, actor, "delete", summary, changes, now)
    _record_by_room(session, actor, reason, erased, now)


def _record_by_room(
    session: Session,
    actor: Actor,
    reason: str,
    erased: Sequence[PersonRecordRef],
    now: datetime,
) -> None:
    """Each household file shows what was erased from it, under the room."""
    by_room: dict[int, list[PersonRecordRef]] = {}
    for r in erased:
        if r.room_id is not None:
            by_room.setdefault(r.room_id, []).append(r)
    for room_id, refs in by_room.items():
        summary = f"个人信息删除：本户 {len(refs)} 条记录（{counts_text(refs)}）。原因：{reason}"
        write_audit(session, actor, "delete", summary, {"erased": ids_by_kind(refs)}, now, room_id)


def erase_person(
    db: Database,
    actor: Actor,
    refs: Sequence[PersonRecordRef],
    reason: str,
    *,
    query: PersonQuery | None = None,
    now: datetime | None = None,
) -> ErasureReport:
    """Erase or anonymise, in one transaction, every given record the office may erase;
    the others are kept and listed with their reason. A record that could be erased
    when it was found but no longer can (the tenant moved back in, the visitor is
    inside again) refuses the whole erasure: nothing is saved."""
    require(actor, Permission.MANAGE_PERSONAL_DATA)
    reason = clean_text(reason, "删除原因", 200, required=True)
    if not refs:
        raise UserError("没有选择要删除的记录。")
    now = now or utcnow()
    unique = list({r.key: r for r in refs}.values())
    with db.write(actor) as session:
        erased, kept = _sort(session, unique, now)
        _erase_rows(session, erased, now)
        documents, unneeded = _erase_papers(session, _by_kind(erased, RecordKind.VISIT), now)
        labels, unneeded_labels = _erase_labels(session, _by_kind(erased, RecordKind.PARCEL), now)
        documents, unneeded = documents + labels, unneeded | unneeded_labels
        passes, unneeded_passes = _goods_pass_papers(
            session, _by_kind(erased, RecordKind.GOODS_PASS), now
        )
        documents, unneeded = documents + passes, unneeded | unneeded_passes
        photos = erase_order_photos(session, _by_kind(erased, RecordKind.CALLER))
        photos |= drop_photos(session, Parcel.id.in_(_by_kind(erased, RecordKind.PARCEL)))
        _record_erasure(session, actor, reason, query, erased, kept, documents, now)
    issued_documents.unlink_stored(db, unneeded)
    unlink_stored(db, photos)
    complete = fold_log(db)
    if not complete:
        mark_pending(db, actor, True)
    return ErasureReport(tuple(erased), tuple(kept), documents, complete)
