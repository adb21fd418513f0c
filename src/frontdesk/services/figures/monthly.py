"""物业工作月报 and 年度工作总结: the office's figures for a month (or a year) against
the work plan's targets, with the month before and the same month a year earlier.

Every figure is read where its area defines it, never derived again here:
- 收缴率: `services/fees/collection.py` — 实收 ÷ (应收 − 减免) of the office's own
  income billed for the month (代收 and deposits left out), collected so far;
- the work orders' on-time rates, callbacks and the callbacks' 满意率:
  `services/service_desk/report.py` (the orders taken in the month);
- the butlers' contact rate (管家责任制): `services/households/butler_contacts.coverage`,
  lived-in homes of each butler's buildings reached in the month, summed over butlers;
- arrears by age: `services/arrears/listing.arrears_report` as it stands now;
- 满意度（问卷调查）: `services/surveys/outcomes.results` of the satisfaction survey
  whose answers were taken in the period (the one answered last when there were
  several: a year shows its last survey and lists the others), every score of 满意 or
  非常满意 over the scores given, with its margin; a period without a survey shows the
  latest survey before it, marked as such and without a verdict, or none.
A year adds its months up: each rate's counts are summed (the year's 收缴率 is the
fen collected of the year's bills over their fen due; its contact rate is the monthly
average), each count added.

The exceptions (逾期、不满意、未解决) are read as they stand at the time of the report,
each with its latest step (what is being done about it): the orders and complaints
taken by the period's end and late now, the period's unsatisfied callbacks, arrears
of six months or more, and renovations past their end or with a violation open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import TypedDict

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from frontdesk.db.models import (
    ButlerContact,
    Handover,
    IssuedDocument,
    Renovation,
    RenovationViolation,
    Visit,
    WorkOrder,
)
from frontdesk.domain import clock
from frontdesk.domain.arrears import AgingBucket
from frontdesk.domain.issued import DocKind
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.service_report import (
    COMPLAINT_ON_TIME_TARGET,
    COMPLAINT_SATISFIED_TARGET,
    SATISFIED_TARGET,
    Rate,
)
from frontdesk.domain.surveys import SATISFACTION_TARGET
from frontdesk.services.access import require
from frontdesk.services.arrears.listing import (
    ArrearsFilter,
    ArrearsRow,
    arrears_report,
    owed_by_age,
)
from frontdesk.services.database import Database
from frontdesk.services.fees.collection import (
    TARGET_RATE,
    CollectionLine,
    arrears_collected,
    own_totals,
)
from frontdesk.services.figures.concerns import ConcernGroup, concerns
from frontdesk.services.households.butler_contacts import MONTHLY_TARGET_PERCENT, coverage
from frontdesk.services.households.care import VISIT_TOPIC
from frontdesk.services.service_desk.report import (
    Kept,
    MonthFigures,
    month_bounds,
    month_figures,
)
from frontdesk.services.store import reading
from frontdesk.services.surveys.outcomes import (
    AnsweredSurvey,
    SurveyResults,
    answered_surveys,
    results,
)

COLLECTION_TARGET = Fraction(TARGET_RATE).limit_denominator(100)  # 收缴率 ≥ 98%
COVERAGE_TARGET = Fraction(MONTHLY_TARGET_PERCENT, 100)  # 管家 contacts 10% a month
TREND_MONTHS = 12
# The documents the office sends out to households (notices posted, letters, reminders).
NOTICE_KINDS = (DocKind.NOTICE, DocKind.LETTER, DocKind.REMINDER)


@dataclass(frozen=True)
class MonthLine:
    """One month's figures (or a year's, its months added up)."""

    label: str  # 2026年11月, or 2026年
    collection: Rate  # fen collected of fen due (应收 − 减免), own income
    arrears_collected_fen: int  # collected in the month for earlier months' bills
    orders: int
    arrival: Kept
    urgent_arrival: Kept
    completion: Kept
    complaint_on_time: Kept
    callback: Kept
    satisfied: Rate  # callbacks with all three scores 4–5 (回访满意率)
    complaint_satisfied: Rate
    complaints_escalated: int
    coverage: Rate  # lived-in homes contacted by their butler
    contacts: int  # butler contacts recorded
    care_visits: int  # 关怀探访 recorded
    visits: int  # visitor registrations
    visitors: int  # people, parties counted whole
    renovations_applied: int
    permits_issued: int
    renovations_completed: int
    violations: int  # 违规 found
    handovers: int  # 入伙 (handovers) completed
    notices: dict[str, int] = field(default_factory=dict)  # kind label -> issued

    @property
    def has_data(self) -> bool:
        return bool(
            self.collection.base
            or self.collection.hits
            or self.arrears_collected_fen
            or self.orders
            or self.contacts
            or self.visits
            or self.renovations_applied
            or self.permits_issued
            or self.renovations_completed
            or self.violations
            or self.handovers
            or sum(self.notices.values())
        )

    @property
    def notices_issued(self) -> int:
        return sum(self.notices.values())


@dataclass(frozen=True)
class TrendPoint:
    """A month of the charts' trend: its 收缴率, orders taken and visitors."""

    label: str
    collection: Rate
    orders: int
    visitors: int
    has_data: bool


@dataclass(frozen=True)
class SurveyFigure:
    """A satisfaction survey's results as a period's 满意度 line reads them."""

    results: SurveyResults
    first_at: datetime  # its first and last answers (in the period, when in_period)
    last_at: datetime
    in_period: bool  # False: no survey in the period; the latest one before it

    @property
    def rate(self) -> Rate:
        """Scores of 满意 or 非常满意 of the scores given, every dimension."""
        overall = self.results.overall
        return Rate(overall.satisfied, overall.answered)

    @property
    def taken(self) -> str:
        """When its answers were taken: 2026年5月, or 2026年5月—6月."""
        first, last = (
            f"{local.year}年{local.month}月"
            for local in (self.first_at.astimezone(), self.last_at.astimezone())
        )
        return first if first == last else f"{first}—{last.partition('年')[2]}"


@dataclass(frozen=True)
class Kpi:
    """A line of the KPI table: the period, the one before, the same month a year
    earlier (None in a year's summary) and the plan's target if it sets one."""

    name: str
    this: Rate | int | SurveyFigure | None  # a survey's line: None when there is none
    before: Rate | int | SurveyFigure | None
    last_year: Rate | int | SurveyFigure | None
    target: Fraction | None = None
    money: bool = False  # a rate of fen (收缴率): its counts are amounts
    pending: int = 0  # not due yet, left out of the rate
    survey: bool = False  # a satisfaction survey's line: SurveyFigure or None values

    @property
    def met(self) -> bool | None:
        """Whether the target is reached; None without a target or without data, or
        when the survey shown is an earlier period's."""
        this = self.this
        if isinstance(this, SurveyFigure):
            return this.rate.meets(self.target) if this.in_period and self.target else None
        if self.target is None or not isinstance(this, Rate):
            return None
        return this.meets(self.target)


@dataclass(frozen=True)
class AgeLine:
    label: str  # 3个月以内 …
    households: int
    owed_fen: int


@dataclass(frozen=True)
class MonthlyFigures:
    """The report's figures: a month's (with the same month last year) or a year's."""

    label: str  # 2026年11月 / 2026年
    before_label: str  # 2026年10月 / 2025年
    last_year_label: str | None  # 2025年11月; None for a year
    as_of: datetime
    this: MonthLine
    before: MonthLine
    last_year: MonthLine | None
    trend: tuple[TrendPoint, ...]  # the 12 months ending with this one, or the year's
    by_category: dict[str, int]  # work orders by category, most first
    by_kind: dict[str, int]
    arrears_by_age: tuple[AgeLine, ...]  # now
    concerns: tuple[ConcernGroup, ...]
    # the 满意度 line: the period's survey (else the latest before it), the compared
    # periods' own, and every survey answered in the period, answered last first
    survey: SurveyFigure | None = None
    survey_before: SurveyFigure | None = None
    survey_last_year: SurveyFigure | None = None
    surveys: tuple[SurveyFigure, ...] = ()

    @property
    def has_data(self) -> bool:
        """Anything recorded in the period, a survey's answers included."""
        return self.this.has_data or (self.survey is not None and self.survey.in_period)

    @property
    def kpis(self) -> tuple[Kpi, ...]:
        this, before, last = self.this, self.before, self.last_year

        def line(
            name: str,
            pick: Callable[[MonthLine], Rate | int | Kept],
            target: Fraction | None = None,
            *,
            money: bool = False,
        ) -> Kpi:
            value = pick(this)
            pending = value.pending if isinstance(value, Kept) else 0
            return Kpi(
                name,
                _plain(value),
                _plain(pick(before)),
                None if last is None else _plain(pick(last)),
                target,
                money,
                pending,
            )

        surveyed = Kpi(
            SURVEY_KPI,
            self.survey,
            self.survey_before,
            None if last is None else self.survey_last_year,
            SATISFACTION_TARGET,
            survey=True,
        )
        return (
            line("物业费收缴率", lambda m: m.collection, COLLECTION_TARGET, money=True),
            surveyed,
            line("回访满意率", lambda m: m.satisfied, SATISFIED_TARGET),
            line("投诉处理及时率", lambda m: m.complaint_on_time, COMPLAINT_ON_TIME_TARGET),
            line("投诉处理满意度", lambda m: m.complaint_satisfied, COMPLAINT_SATISFIED_TARGET),
            line("管家联系覆盖率", lambda m: m.coverage, COVERAGE_TARGET),
            line("报修到场及时率", lambda m: m.arrival),
            line("紧急报修到场及时率", lambda m: m.urgent_arrival),
            line("报修完成及时率", lambda m: m.completion),
            line("回访率", lambda m: m.callback),
            line("工单总数", lambda m: m.orders),
            line("升级督办的投诉", lambda m: m.complaints_escalated),
            line("访客登记（人次）", lambda m: m.visitors),
            line("发出通知、函件", lambda m: m.notices_issued),
        )


SURVEY_KPI = "满意度（问卷调查）"


def _plain(value: Rate | int | Kept) -> Rate | int:
    return value.rate if isinstance(value, Kept) else value


# -- reading -------------------------------------------------------------------------


def monthly_figures(
    db: Database, actor: Actor, period: Period, now: datetime | None = None
) -> MonthlyFigures:
    """The month's figures, the month before's and the same month last year's, with
    the twelve months ending with it for the charts."""
    _require(actor)
    now = now or clock.utc_now()
    months = [period.shifted(-offset) for offset in range(TREND_MONTHS - 1, -1, -1)]
    compared = [period, period.shifted(-1), period.shifted(-12)]
    lines, service, trend = _month_lines(db, actor, compared, now, months)
    owing = arrears_report(db, actor, ArrearsFilter(), today=now.astimezone().date()).rows
    this = service[period]
    return MonthlyFigures(
        label=period.label,
        before_label=period.shifted(-1).label,
        last_year_label=period.shifted(-12).label,
        as_of=now,
        this=lines[period],
        before=lines[period.shifted(-1)],
        last_year=lines[period.shifted(-12)],
        trend=trend,
        by_category=this.by_category,
        by_kind=this.by_kind,
        arrears_by_age=_ages(owing, now.astimezone().date()),
        concerns=concerns(db, actor, owing, *month_bounds(period), now),
        **_surveys(db, actor, *(month_bounds(p) for p in compared)),
    )


def yearly_figures(
    db: Database, actor: Actor, year: int, now: datetime | None = None
) -> MonthlyFigures:
    """The year's figures (its months added up) against the year before's; the months
    after this one are left out of both."""
    _require(actor)
    now = now or clock.utc_now()
    last = Period(year, 12)
    today = Period.of(now.astimezone().date())
    if today.year == year:
        last = today
    months = [Period(year, m) for m in range(1, last.month + 1)]
    earlier = [Period(year - 1, m) for m in range(1, last.month + 1)]
    lines, service, _ = _month_lines(db, actor, [*earlier, *months], now)
    owing = arrears_report(db, actor, ArrearsFilter(), today=now.astimezone().date()).rows
    first_of_year, _ = month_bounds(Period(year, 1))
    _, end = month_bounds(last)
    return MonthlyFigures(
        label=f"{year}年" if last.month == 12 else f"{year}年1—{last.month}月",
        before_label=f"{year - 1}年" if last.month == 12 else f"{year - 1}年1—{last.month}月",
        last_year_label=None,
        as_of=now,
        this=_total(f"{year}年", [lines[p] for p in months]),
        before=_total(f"{year - 1}年", [lines[p] for p in earlier]),
        last_year=None,
        trend=tuple(
            TrendPoint(m.label, m.collection, m.orders, m.visitors, m.has_data)
            for m in (lines[p] for p in months)
        ),
        by_category=_ranked(sum((Counter(service[p].by_category) for p in months), Counter())),
        by_kind=_ranked(sum((Counter(service[p].by_kind) for p in months), Counter())),
        arrears_by_age=_ages(owing, now.astimezone().date()),
        concerns=concerns(db, actor, owing, first_of_year, end, now),
        **_surveys(
            db,
            actor,
            (first_of_year, end),
            (month_bounds(Period(year - 1, 1))[0], month_bounds(Period(year - 1, last.month))[1]),
        ),
    )


# Who may read the report: it prints the collection figures (VIEW_FINANCE), the arrears
# by age (CHASE_ARREARS) and every butler's contacts, which supervisors oversee (VIEW_AUDIT).
REPORT_PERMISSIONS = (
    Permission.PRINT_REPORTS,
    Permission.VIEW_FINANCE,
    Permission.CHASE_ARREARS,
    Permission.VIEW_AUDIT,
)


def _require(actor: Actor) -> None:
    for permission in REPORT_PERMISSIONS:
        require(actor, permission)


def _month_lines(
    db: Database,
    actor: Actor,
    periods: Iterable[Period],
    now: datetime,
    trend: Sequence[Period] = (),
) -> tuple[dict[Period, MonthLine], dict[Period, MonthFigures], tuple[TrendPoint, ...]]:
    """The months' lines, their service figures, and the `trend` months' points."""
    wanted = sorted(set(periods))
    service: dict[Period, MonthFigures] = {}
    with reading(db) as session:
        for period in wanted:
            service[period] = month_figures(session, period, now)
        counts = {period: _counts(session, period) for period in wanted}
        totals = own_totals(session, sorted({*wanted, *trend}))
        arrears = arrears_collected(session, wanted)
        points = _trend(session, trend, totals)
    lines = {}
    for period in wanted:
        total = totals[period]
        contacted = coverage(db, actor, period.first_day)
        lines[period] = _line(
            period.label,
            Rate(total.collected_fen, total.billed_fen - total.reduced_fen),
            arrears[period],
            service[period],
            Rate(sum(r.contacted for r in contacted), sum(r.households for r in contacted)),
            counts[period],
        )
    return lines, service, points


def _trend(
    session: Session, months: Sequence[Period], totals: dict[Period, CollectionLine]
) -> tuple[TrendPoint, ...]:
    """The months' 收缴率 (from their collection `totals`), orders taken and visitors."""
    points = []
    for period in months:
        start, end = month_bounds(period)
        orders = _scalar(
            session,
            select(func.count()).where(WorkOrder.taken_at >= start, WorkOrder.taken_at < end),
        )
        visitors = _scalar(
            session,
            select(func.coalesce(func.sum(Visit.party_size), 0)).where(
                Visit.arrived_at >= start, Visit.arrived_at < end
            ),
        )
        total = totals[period]
        collection = Rate(total.collected_fen, total.billed_fen - total.reduced_fen)
        has_data = bool(collection.base or collection.hits or orders or visitors)
        points.append(TrendPoint(period.label, collection, orders, visitors, has_data))
    return tuple(points)


@dataclass(frozen=True)
class _Counts:
    contacts: int
    care_visits: int
    visits: int
    visitors: int
    renovations_applied: int
    permits_issued: int
    renovations_completed: int
    violations: int
    handovers: int
    notices: dict[str, int]


def _line(
    label: str,
    collection: Rate,
    arrears_fen: int,
    service: MonthFigures,
    reached: Rate,
    counts: _Counts,
) -> MonthLine:
    return MonthLine(
        label=label,
        collection=collection,
        arrears_collected_fen=arrears_fen,
        orders=service.orders,
        arrival=service.arrival,
        urgent_arrival=service.urgent_arrival,
        completion=service.completion,
        complaint_on_time=service.complaint_on_time,
        callback=service.callback,
        satisfied=service.satisfaction.satisfied,
        complaint_satisfied=service.complaint_satisfaction.satisfied,
        complaints_escalated=service.complaints_escalated,
        coverage=reached,
        contacts=counts.contacts,
        care_visits=counts.care_visits,
        visits=counts.visits,
        visitors=counts.visitors,
        renovations_applied=counts.renovations_applied,
        permits_issued=counts.permits_issued,
        renovations_completed=counts.renovations_completed,
        violations=counts.violations,
        handovers=counts.handovers,
        notices=counts.notices,
    )


def _counts(session: Session, period: Period) -> _Counts:
    start, end = month_bounds(period)
    first, last = period.first_day, period.last_day
    in_month = (ButlerContact.contacted_on >= first, ButlerContact.contacted_on <= last)
    visits = session.execute(
        select(func.count(), func.coalesce(func.sum(Visit.party_size), 0)).where(
            Visit.arrived_at >= start, Visit.arrived_at < end
        )
    ).one()
    notices = {
        DocKind(kind).label: n
        for kind, n in session.execute(
            select(IssuedDocument.kind, func.count())
            .where(
                IssuedDocument.issued_at >= start,
                IssuedDocument.issued_at < end,
                IssuedDocument.kind.in_([k.value for k in NOTICE_KINDS]),
                IssuedDocument.reprint_of_id.is_(None),
            )
            .group_by(IssuedDocument.kind)
        )
    }
    return _Counts(
        contacts=_scalar(session, select(func.count()).where(*in_month)),
        care_visits=_scalar(
            session,
            select(func.count()).where(
                *in_month, ButlerContact.topic.startswith(f"{VISIT_TOPIC}：")
            ),
        ),
        visits=visits[0],
        visitors=int(visits[1]),
        renovations_applied=_scalar(
            session,
            select(func.count()).where(Renovation.created_at >= start, Renovation.created_at < end),
        ),
        permits_issued=_scalar(
            session,
            select(func.count()).where(
                Renovation.permit_issued_on >= first, Renovation.permit_issued_on <= last
            ),
        ),
        renovations_completed=_scalar(
            session,
            select(func.count()).where(
                Renovation.completed_on >= first, Renovation.completed_on <= last
            ),
        ),
        violations=_scalar(
            session,
            select(func.count()).where(
                RenovationViolation.found_on >= first, RenovationViolation.found_on <= last
            ),
        ),
        handovers=_scalar(
            session,
            select(func.count()).where(
                Handover.completed_on >= first, Handover.completed_on <= last
            ),
        ),
        notices={k.label: notices[k.label] for k in NOTICE_KINDS if k.label in notices},
    )


def _scalar(session: Session, query: Select[int]) -> int:
    return session.scalar(query) or 0


def _total(label: str, lines: Sequence[MonthLine]) -> MonthLine:
    """The months added up: counts summed, each rate's counts summed."""

    def kept(pick: Callable[[MonthLine], Kept]) -> Kept:
        return Kept(sum((pick(m).rate for m in lines), Rate()), sum(pick(m).pending for m in lines))

    def rate(pick: Callable[[MonthLine], Rate]) -> Rate:
        return sum((pick(m) for m in lines), Rate())

    def total(pick: Callable[[MonthLine], int]) -> int:
        return sum(pick(m) for m in lines)

    notices: Counter[str] = Counter()
    for month in lines:
        notices.update(month.notices)
    return MonthLine(
        label=label,
        collection=rate(lambda m: m.collection),
        arrears_collected_fen=total(lambda m: m.arrears_collected_fen),
        orders=total(lambda m: m.orders),
        arrival=kept(lambda m: m.arrival),
        urgent_arrival=kept(lambda m: m.urgent_arrival),
        completion=kept(lambda m: m.completion),
        complaint_on_time=kept(lambda m: m.complaint_on_time),
        callback=kept(lambda m: m.callback),
        satisfied=rate(lambda m: m.satisfied),
        complaint_satisfied=rate(lambda m: m.complaint_satisfied),
        complaints_escalated=total(lambda m: m.complaints_escalated),
        coverage=rate(lambda m: m.coverage),
        contacts=total(lambda m: m.contacts),
        care_visits=total(lambda m: m.care_visits),
        visits=total(lambda m: m.visits),
        visitors=total(lambda m: m.visitors),
        renovations_applied=total(lambda m: m.renovations_applied),
        permits_issued=total(lambda m: m.permits_issued),
        renovations_completed=total(lambda m: m.renovations_completed),
        violations=total(lambda m: m.violations),
        handovers=total(lambda m: m.handovers),
        notices=dict(notices),
    )


def _ranked(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _ages(rows: Sequence[ArrearsRow], today: date) -> tuple[AgeLine, ...]:
    """What is owed now by the age of each open item, with the households owing in
    each age (series.AGE_RULE)."""
    households: Counter[AgingBucket] = Counter()
    owed: Counter[AgingBucket] = Counter()
    for row in rows:
        for bucket, fen in owed_by_age(row, today).items():
            households[bucket] += 1
            owed[bucket] += fen
    return tuple(AgeLine(bucket.label, households[bucket], owed[bucket]) for bucket in AgingBucket)


class _SurveyFields(TypedDict):
    survey: SurveyFigure | None
    survey_before: SurveyFigure | None
    survey_last_year: SurveyFigure | None
    surveys: tuple[SurveyFigure, ...]


def _surveys(
    db: Database,
    actor: Actor,
    period: tuple[datetime, datetime],
    before: tuple[datetime, datetime],
    last_year: tuple[datetime, datetime] | None = None,
) -> _SurveyFields:
    """The MonthlyFigures' survey fields for the period and the compared ones."""

    def figure(taken: AnsweredSurvey, in_period: bool) -> SurveyFigure:
        found = results(db, actor, taken.survey_id)
        return SurveyFigure(found, taken.first_at, taken.last_at, in_period)

    def of(bounds: tuple[datetime, datetime] | None) -> list[AnsweredSurvey]:
        if bounds is None:
            return []
        return answered_surveys(db, actor, since=bounds[0], until=bounds[1])

    within = tuple(figure(taken, True) for taken in of(period))
    shown = within[0] if within else None
    if shown is None:
        earlier = answered_surveys(db, actor, until=period[0])
        shown = figure(earlier[0], False) if earlier else None
    before_taken, last_taken = of(before), of(last_year)
    return {
        "survey": shown,
        "survey_before": figure(before_taken[0], True) if before_taken else None,
        "survey_last_year": figure(last_taken[0], True) if last_taken else None,
        "surveys": within,
    }
