"""Notices (通知公告): a template filled in, posted in lobbies (one for the community,
or one per building named) or sent to households as letters; and the archive of
notices issued, so the counter can answer "was this announced?".

Issuing is three steps so that rendering, which takes seconds for a thousand
letters, runs outside the write lock: `plan` checks everything and lays out the
copies, `take_number` reserves the notice's number, `record` keeps the PDF and
registers the notice and its document in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Building,
    IssuedDocument,
    Notice,
    NoticeBuilding,
    Room,
)
from frontdesk.db.turns import locked_series
from frontdesk.domain.issued import DocKind, Issue, Output, Printout, Subject
from frontdesk.domain.money import format_yuan, to_words
from frontdesk.domain.notices import (
    FEE_START_FIELD,
    NoticeMode,
    NoticeTemplate,
    check_mode,
    check_standard,
    check_template,
    check_values,
    chinese_date,
    event_span,
    fee_months,
    filled_text,
)
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomStatus
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services import community
from frontdesk.services.access import require
from frontdesk.services.fees.estimates import FeeEstimate, fee_estimates
from frontdesk.services.households.file import owner_names
from frontdesk.services.households.structure import room_places
from frontdesk.services.movein import handbook
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.notices.templates import template_to_issue

NOTICE_SERIES = "TZ"
WHOLE_COMMUNITY = "全小区"
EVERY_BUILDING = "各楼栋"
MAX_LETTERS = 25_000
MAX_ROWS = 2000


@dataclass(frozen=True)
class NoticeRequest:
    template_key: str
    values: dict[str, str]  # as typed, by field name
    mode: NoticeMode = NoticeMode.LOBBY
    building_ids: tuple[int, ...] = ()  # lobby: none is the whole community
    room_ids: tuple[int, ...] = ()  # letters: these households, besides the buildings'
    draft: NoticeTemplate | None = None  # an unsaved edit, for a preview only


@dataclass(frozen=True)
class NoticeCopy:
    """One page set of the PDF: a building's lobby notice or one household's letter."""

    salutation: str
    addressee: str
    title: str
    body: str
    subject: Subject


@dataclass(frozen=True)
class NoticePlan:
    template: NoticeTemplate
    mode: NoticeMode
    values: dict[str, str]  # as stored: dates in ISO form
    title: str
    body: str  # as it reads for the whole scope (the archive's copy)
    scope: str
    whole_community: bool
    building_ids: tuple[int, ...]
    copies: tuple[NoticeCopy, ...]
    issuer: str
    issued_on: str
    today: date


@dataclass(frozen=True)
class NoticeRow:
    number: str
    title: str
    template_name: str
    mode: NoticeMode
    scope: str
    copies: int
    event: str  # 11月28日 / 11月28日至11月29日
    issued_at: datetime
    by_name: str
    document_number: str
    body: str


@dataclass(frozen=True)
class NoticeFilter:
    since: date | None = None  # issued on or after
    until: date | None = None  # issued on or before
    building_id: int | None = None  # posted there (or community-wide)
    happening_on: date | None = None  # what it announced takes place that day
    text: str = ""
    limit: int = MAX_ROWS


@dataclass
class _Scope:
    whole: bool
    buildings: list[tuple[int, str]] = field(default_factory=list)  # (id, 3栋)


# planning ------------------------------------------------------------------------


def _buildings(session: Session, ids: Sequence[int]) -> list[tuple[int, str]]:
    query = select(Building.id, Building.name).order_by(Building.code)
    if ids:
        query = query.where(Building.id.in_(list(ids)))
    found = [(row.id, row.name) for row in session.execute(query)]
    missing = set(ids) - {building_id for building_id, _ in found}
    if missing:
        raise NotFound("所选楼栋已不存在，请刷新后重选。")
    return found


def _standard(
    db: Database, today: date, scope: str, months: tuple[Period, int] | None = None
) -> dict[str, str]:
    info = community.get_community(db)
    fee = _fee_standards(db, *months) if months else {}
    return fee | {
        "小区名称": info.name,
        "物业公司": info.company_name or f"{info.name}物业服务中心",
        "小区地址": info.address,
        "服务中心电话": info.service_phone,
        "发布日期": chinese_date(today, weekday=False),
        "影响范围": scope,
        # "停用电梯：{楼栋}{电梯}" posted everywhere reads 各楼栋1号梯, not 全小区1号梯.
        "楼栋": EVERY_BUILDING if scope == WHOLE_COMMUNITY else scope,
    }


def _letter_rooms(session: Session, request: NoticeRequest) -> list[int]:
    ids = set(request.room_ids)
    if request.building_ids:
        ids |= set(
            session.scalars(
                select(Room.id).where(
                    Room.building_id.in_(request.building_ids),
                    Room.status != RoomStatus.UNSOLD,
                )
            )
        )
    if not ids:
        raise ValidationError("发送对象", "请至少选择一栋楼或一户")
    if len(ids) > MAX_LETTERS:
        raise ValidationError("发送对象", f"一次最多 {MAX_LETTERS} 户")
    return sorted(ids)


def _lobby_copies(
    template: NoticeTemplate,
    values: dict[str, str],
    standard: dict[str, str],
    scope: _Scope,
) -> list[NoticeCopy]:
    if scope.whole:
        title, body = filled_text(template, values, standard)
        return [NoticeCopy("尊敬的各位业主、住户：", "", title, body, Subject())]
    copies = []
    for building_id, name in scope.buildings:
        title, body = filled_text(template, values, {**standard, "楼栋": name})
        copies.append(
            NoticeCopy(
                f"尊敬的{name}各位业主、住户：", "", title, body, Subject(building_id=building_id)
            )
        )
    return copies


def _letter_copies(
    session: Session,
    template: NoticeTemplate,
    values: dict[str, str],
    standard: dict[str, str],
    room_ids: list[int],
    months: tuple[Period, int] | None = None,
) -> list[NoticeCopy]:
    places = room_places(session, room_ids)
    owners = owner_names(session, room_ids)
    building_of = _building_names(session, room_ids)
    estimates = fee_estimates(session, room_ids, *months) if months else {}
    copies = []
    for room_id in sorted(room_ids, key=lambda r: places[r][0]):
        code, place = places[room_id]
        owner = "、".join(owners.get(room_id, []))
        extra = {"房号": code, "业主": owner or "业主", "楼栋": building_of[room_id][1]}
        if months:
            extra.update(_fee_values(estimates.get(room_id)))
        title, body = filled_text(template, values, {**standard, **extra})
        salutation = f"尊敬的{owner}业主：" if owner else "尊敬的业主、住户："
        copies.append(NoticeCopy(salutation, place, title, body, Subject(room_id=room_id)))
    return copies


def _fee_standards(db: Database, first: Period, months: int) -> dict[str, str]:
    """{费用明细} and {应缴金额} of a posted notice: the standards each household's
    amount follows (a letter states the household's own)."""
    return {
        "费用明细": handbook.fee_standards(db, first.first_day, monthly_only=True),
        "应缴金额": f"按各户建筑面积（户数）和上述标准计算 {months} 个月，以各户缴费通知书为准",
    }


def _fee_values(estimate: FeeEstimate | None) -> dict[str, str]:
    """{费用明细} and {应缴金额} of one household's letter."""
    if estimate is None or not estimate.lines:
        return {"费用明细": "- 该户在此期间没有按面积或按户计收的费用", "应缴金额": "0.00 元"}
    return {
        "费用明细": "\n".join(f"- {line}" for line in estimate.lines),
        "应缴金额": f"{format_yuan(estimate.total_fen)} 元（{to_words(estimate.total_fen)}）",
    }


def _building_names(session: Session, room_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Each room's building: {room id: (building id, "3栋")}."""
    names: dict[int, tuple[int, str]] = {}
    for start in range(0, len(room_ids), 900):
        query = (
            select(Room.id, Building.id, Building.name)
            .join(Building, Building.id == Room.building_id)
            .where(Room.id.in_(room_ids[start : start + 900]))
        )
        names.update({room: (building, name) for room, building, name in session.execute(query)})
    return names


def plan(db: Database, actor: Actor, request: NoticeRequest, today: date) -> NoticePlan:
    """Everything checked and every copy's text laid out; nothing written."""
    require(actor, Permission.ISSUE_NOTICES)
    template = (
        check_template(request.draft)
        if request.draft
        else template_to_issue(db, request.template_key)
    )
    check_mode(template, request.mode)
    values = check_values(template, request.values)
    months = fee_months(template, values, today)
    if months:  # '下月' kept as the month it meant, for the archive and the page
        values[FEE_START_FIELD] = months[0].label
    with db.read() as session:
        if request.mode is NoticeMode.LOBBY:
            scope = _Scope(not request.building_ids, _buildings(session, request.building_ids))
            scope_text = (
                WHOLE_COMMUNITY if scope.whole else "、".join(n for _, n in scope.buildings)
            )
            standard = _standard(db, today, scope_text, months)
            copies = _lobby_copies(template, values, standard, scope)
        else:
            room_ids = _letter_rooms(session, request)
            scope = _Scope(False, _buildings(session, _room_buildings(session, room_ids)))
            scope_text = f"{len(room_ids)} 户"
            standard = _standard(db, today, "、".join(n for _, n in scope.buildings), months)
            copies = _letter_copies(session, template, values, standard, room_ids, months)
    check_standard(template, standard)
    title, body = filled_text(template, values, standard)
    info = community.get_community(db)
    issuer = "\n".join(filter(None, [info.company_name, f"{info.name}物业服务中心"]))
    return NoticePlan(
        template,
        request.mode,
        values,
        title,
        body,
        scope_text,
        scope.whole,
        tuple(building_id for building_id, _ in scope.buildings),
        tuple(copies),
        issuer,
        chinese_date(today, weekday=False),
        today,
    )


def _room_buildings(session: Session, room_ids: list[int]) -> list[int]:
    return sorted({building for building, _name in _building_names(session, room_ids).values()})


# issuing -------------------------------------------------------------------------


def take_number(db: Database, actor: Actor, today: date) -> str:
    """The next notice number (a render cancelled leaves a gap: notices, unlike
    receipts, need no unbroken series)."""
    require(actor, Permission.ISSUE_NOTICES)
    with db.write(actor) as session:
        series = locked_series(session, NOTICE_SERIES)
        if series is None:
            raise NotFound("通知编号号段不存在。")
        number = series.next_number
        series.next_number = number + 1
    return f"{NOTICE_SERIES}-{today.year}-{number:04d}"


def issue_of(notice_plan: NoticePlan, number: str, pages: Sequence[int]) -> Issue:
    """The register's view of the PDF; `pages` is each copy's first page."""
    kind = DocKind.NOTICE if notice_plan.mode is NoticeMode.LOBBY else DocKind.LETTER
    subjects = tuple(
        Subject(copy.subject.room_id, copy.subject.building_id, page)
        for copy, page in zip(notice_plan.copies, pages, strict=True)
    )
    if notice_plan.whole_community:
        subjects = tuple(Subject(building_id=b) for b in notice_plan.building_ids) or subjects
    title = f"{notice_plan.title}（{notice_plan.scope}）"
    return Issue(kind, title, number, subjects)


def record(
    db: Database,
    actor: Actor,
    notice_plan: NoticePlan,
    number: str,
    printout: Printout,
    at: datetime | None = None,
) -> str:
    """Keep the PDF and register the notice with its document; returns the register
    number."""
    require(actor, Permission.ISSUE_NOTICES)
    staged = issued_documents.staged_bytes(db, printout.pdf)
    span = event_span(notice_plan.template, notice_plan.values)
    with db.write(actor) as session:
        staged.keep(session)
        document = issued_documents.record_in(
            session, actor, printout, staged.sha256, Output.KEPT, at=at
        )
        notice = Notice(
            number=number,
            template_key=notice_plan.template.key,
            template_name=notice_plan.template.name,
            mode=notice_plan.mode,
            title=notice_plan.title[:60],
            body=notice_plan.body,
            values_json=json.dumps(notice_plan.values, ensure_ascii=False, sort_keys=True),
            whole_community=notice_plan.whole_community,
            scope=notice_plan.scope[:200],
            copies=len(notice_plan.copies),
            event_start=span.start if span else None,
            event_end=span.end if span else None,
            by_id=actor.user_id,
            by_name=actor.display_name,
            document_id=document.id,
            issued_at=document.issued_at,
        )
        session.add(notice)
        session.flush()
        session.add_all(
            NoticeBuilding(notice_id=notice.id, building_id=b) for b in notice_plan.building_ids
        )
        return document.number


# the archive ---------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


def _filtered(query: Select[Notice, str], flt: NoticeFilter) -> Select[Notice, str]:
    if flt.since:
        query = query.where(Notice.issued_at >= _day_start(flt.since))
    if flt.until:
        query = query.where(Notice.issued_at < _day_start(flt.until + timedelta(days=1)))
    if flt.happening_on:
        query = query.where(
            Notice.event_start <= flt.happening_on, Notice.event_end >= flt.happening_on
        )
    if flt.building_id is not None:
        posted_there = select(NoticeBuilding.notice_id).where(
            NoticeBuilding.building_id == flt.building_id
        )
        query = query.where(or_(Notice.whole_community, Notice.id.in_(posted_there)))
    if flt.text.strip():
        wanted = flt.text.strip()
        query = query.where(
            or_(
                Notice.title.contains(wanted, autoescape=True),
                Notice.body.contains(wanted, autoescape=True),
                Notice.number.contains(wanted, autoescape=True),
            )
        )
    return query


def _event(notice: Notice) -> str:
    if notice.event_start is None or notice.event_end is None:
        return ""
    start = chinese_date(notice.event_start, weekday=False)
    if notice.event_end == notice.event_start:
        return start
    return f"{start}至{chinese_date(notice.event_end, weekday=False)}"


def list_notices(db: Database, actor: Actor, flt: NoticeFilter = NoticeFilter()) -> list[NoticeRow]:
    """Newest first."""
    require(actor, Permission.VIEW_ROOMS)
    query = _filtered(
        select(Notice, IssuedDocument.number).join(
            IssuedDocument, IssuedDocument.id == Notice.document_id
        ),
        flt,
    ).order_by(Notice.id.desc())
    with db.read() as session:
        return [
            NoticeRow(
                n.number,
                n.title,
                n.template_name,
                n.mode,
                n.scope,
                n.copies,
                _event(n),
                n.issued_at,
                n.by_name,
                document_number,
                n.body,
            )
            for n, document_number in session.execute(query.limit(flt.limit))
        ]


def notice_copy(db: Database, actor: Actor, number: str) -> Printout:
    """A lobby notice as it was issued: public, so anyone at the counter may see it.
    Letters name households and open through the register only."""
    require(actor, Permission.VIEW_ROOMS)
    with db.read() as session:
        found = session.execute(
            select(Notice.mode, IssuedDocument)
            .join(IssuedDocument, IssuedDocument.id == Notice.document_id)
            .where(Notice.number == number.strip())
        ).first()
        if found is None:
            raise NotFound(f"没有编号为 {number.strip()} 的通知。")
        mode, document = found
        if mode != NoticeMode.LOBBY:
            raise UserError("业户信函载有住户信息，请到“发文登记”中查看。")
        issue = issued_documents.issue_of_document(session, document)
        sha256 = document.sha256
    return Printout(issued_documents.read_stored(db, sha256), issue)
