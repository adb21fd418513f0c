"""The series the charts (报表 → 统计图表) draw, as plain data, each read through the
figures it reuses so that a chart never disagrees with the report beside it:

- 收缴率 by month (`collection_series`): for each of the last 12 billing periods, this
  one last, the collection report's 物业收入 figures (services/fees/collection.py):
  收缴率 = 实收 ÷ (应收 − 减免), 实收 being what has been collected for the period's
  bills up to now (so older months have had longer to be paid), for the whole
  community and for each building; the target is the work plan's 98%
  (`collection.TARGET_RATE`; there is no setting for it).
- 欠费账龄 (`arrears_by_age`): the arrears list as of today (services/arrears), each open
  item in the bucket of its own age (账龄分析, `AGE_RULE`), with the households owing in
  each bucket; for the community and for each building. (The arrears list itself sorts
  households by their oldest item, which is who to chase first.)
- 工单分类 (`orders_by_category`): the month's work orders by category, read by the
  service report's rules (services/service_desk/report.py): orders taken in the month,
  and the category's 及时率 = (repairs finished within their promise + complaints
  answered by their deadline) ÷ those of them whose promise is decided (done, or past
  due unfinished); orders not due yet are left out of the rate.
- 管家覆盖率 (`butler_coverage`): 管家责任制 (services/households/butler_contacts.py):
  per butler, the distinct lived-in homes of their buildings contacted in the month ÷
  those homes, against the 10% a month the plan asks.
- 访客时段 (`visitor_times`): visits registered at the gate over the last 90 days (today
  and the 89 days before), counted by their arrival hour in local time (as the visitor
  history's day counts do) and by weekday, Monday first; visits, not people.

- 满意度（按维度） (`survey_satisfaction`): a satisfaction survey's results
  (services/surveys/outcomes.results): per dimension the share of its scores of 满意 or
  非常满意 with the 95% margin for the households that scored it, for the community and
  for each building it sampled (that building's households alone), against the plan's
  95%. The survey is the one chosen, else the one whose answers were taken last by the
  figures' date; its results count every answer entered.

Each series also gives its data as an Excel sheet (`sheet()`), written by services/xlsx
(text cells never become formulas).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import Visit
from frontdesk.domain import clock
from frontdesk.domain.arrears import AgingBucket
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.service_report import Rate
from frontdesk.domain.surveys import SATISFACTION_TARGET, Share
from frontdesk.services.access import require
from frontdesk.services.arrears.listing import arrears_report, owed_by_age
from frontdesk.services.fees import collection
from frontdesk.services.fees.collection import CollectionLine
from frontdesk.services.households import butler_contacts
from frontdesk.services.service_desk.report import category_figures
from frontdesk.services.store import Store
from frontdesk.services.surveys.outcomes import (
    AnsweredSurvey,
    SurveyResults,
    answered_surveys,
    results_by_building,
)
from frontdesk.services.xlsx import Sheet

MONTHS = 12
VISITOR_DAYS = 90
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
COLLECTION_TARGET = Fraction(str(collection.TARGET_RATE))  # 98%, the work plan's
COVERAGE_TARGET = Fraction(butler_contacts.MONTHLY_TARGET_PERCENT, 100)  # 管家责任制 10%
WHOLE = "全小区"


def percent(value: Fraction | None) -> Decimal | None:
    """A fraction as a percent with one decimal, rounded half up (97.6); None stays None:
    the reports' rounding (documents/collection_report.py, domain/service_report.py)."""
    if value is None:
        return None
    return (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


# ---- 收缴率 by month ----------------------------------------------------------------


@dataclass(frozen=True)
class RatePoint:
    """One month of the community or of a building: 实收 over 应收 − 减免."""

    period: Period
    due_fen: int  # 应收 − 减免
    collected_fen: int  # 实收 so far

    @property
    def rate(self) -> Fraction | None:
        """None when nothing was due (no bills, or all reduced)."""
        return Fraction(self.collected_fen, self.due_fen) if self.due_fen > 0 else None


@dataclass(frozen=True)
class CollectionSeries:
    periods: tuple[Period, ...]  # oldest first, this month last
    whole: tuple[RatePoint, ...]  # the community, one point per period
    by_building: dict[str, tuple[RatePoint, ...]]  # in the buildings' order
    target: Fraction
    as_of: date

    def points(self, building: str | None = None) -> tuple[RatePoint, ...]:
        """The community's points, or a building's (zeros where it had no bills)."""
        if building is None:
            return self.whole
        return self.by_building.get(building, tuple(RatePoint(p, 0, 0) for p in self.periods))

    def sheet(self) -> Sheet:
        """Every month a row; the community's 收缴率 then each building's."""
        names = list(self.by_building)
        head = ["月份", f"{WHOLE}应收−减免（元）", f"{WHOLE}实收（元）", f"{WHOLE}收缴率（%）"]
        head += [f"{name}收缴率（%）" for name in names]
        rows = []
        for index, point in enumerate(self.whole):
            rows.append(
                [
                    point.period.label,
                    yuan(point.due_fen),
                    yuan(point.collected_fen),
                    percent(point.rate),
                    *(percent(self.by_building[name][index].rate) for name in names),
                ]
            )
        rows.append(["目标收缴率（%）", None, None, percent(self.target)])
        rows.append([f"统计截至 {self.as_of:%Y-%m-%d}；收缴率 = 实收 ÷（应收 − 减免）"])
        return ("收缴率", head, rows, [14, 18, 16, 14, *(12 for _ in names)])


def _point(period: Period, lines: Sequence[CollectionLine]) -> RatePoint:
    due = sum(line.billed_fen - line.reduced_fen for line in lines)
    return RatePoint(period, due, sum(line.collected_fen for line in lines))


def collection_series(
    db: Database, actor: Actor, today: date | None = None, months: int = MONTHS
) -> CollectionSeries:
    """The last `months` periods' 物业收入 收缴率, whole and by building (module docstring)."""
    today = today or clock.today()
    this = Period.of(today)
    periods = tuple(this.shifted(back - months + 1) for back in range(months))
    lines = collection.collection_by_building(db, actor, list(periods))
    buildings: list[str] = []
    for period in periods:
        buildings += [line.name for line in lines.get(period, []) if line.name not in buildings]
    by_building = {}
    for name in buildings:
        by_building[name] = tuple(
            _point(period, [line for line in lines.get(period, []) if line.name == name])
            for period in periods
        )
    whole = tuple(_point(period, lines.get(period, [])) for period in periods)
    return CollectionSeries(periods, whole, by_building, COLLECTION_TARGET, today)


# ---- arrears by age -----------------------------------------------------------------


# How the arrears are aged, said under the chart, in its sheet and in the monthly report.
AGE_RULE = "每笔欠费按其到期月份计账龄；一户欠费跨几个账龄段的，在各段都计户数"


@dataclass(frozen=True)
class AgeBar:
    bucket: AgingBucket
    households: int
    owed_fen: int


@dataclass(frozen=True)
class ArrearsByAge:
    as_of: date
    whole: tuple[AgeBar, ...]  # every bucket, youngest first, zeros included
    by_building: dict[str, tuple[AgeBar, ...]]  # buildings with arrears, by name

    def bars(self, building: str | None = None) -> tuple[AgeBar, ...]:
        if building is None:
            return self.whole
        return self.by_building.get(building, _bars([]))

    def sheet(self) -> Sheet:
        head = ["楼栋", *(f"{b.label}（户）" for b in AgingBucket)]
        head += [f"{b.label}（元）" for b in AgingBucket]
        rows: list[list[object]] = []
        for name, bars in [(WHOLE, self.whole), *self.by_building.items()]:
            rows.append(
                [name, *(bar.households for bar in bars), *(yuan(bar.owed_fen) for bar in bars)]
            )
        rows.append([f"统计截至 {self.as_of:%Y-%m-%d}；{AGE_RULE}"])
        return ("欠费账龄", head, rows, [14, *(12 for _ in range(2 * len(AgingBucket)))])


def _bars(rows: Sequence[tuple[AgingBucket, int]]) -> tuple[AgeBar, ...]:
    households: Counter[AgingBucket] = Counter()
    owed: Counter[AgingBucket] = Counter()
    for bucket, fen in rows:
        households[bucket] += 1
        owed[bucket] += fen
    return tuple(AgeBar(bucket, households[bucket], owed[bucket]) for bucket in AgingBucket)


def arrears_by_age(db: Database, actor: Actor, today: date | None = None) -> ArrearsByAge:
    """What is owed now by the age of each open item (账龄分析, `owed_by_age`), with the
    households owing in each age; a butler's own buildings only, as their arrears list."""
    today = today or clock.today()
    report = arrears_report(db, actor, today=today)
    by_building: dict[str, list[tuple[AgingBucket, int]]] = defaultdict(list)
    whole: list[tuple[AgingBucket, int]] = []
    for row in report.rows:
        split = list(owed_by_age(row, today).items())
        by_building[row.building] += split
        whole += split
    return ArrearsByAge(
        today, _bars(whole), {name: _bars(by_building[name]) for name in sorted(by_building)}
    )


# ---- work orders by category ----------------------------------------------------------


@dataclass(frozen=True)
class CategoryBar:
    category: str
    orders: int
    on_time: Rate  # repairs finished and complaints answered within their promise
    pending: int  # promised, not due yet: not in the rate


@dataclass(frozen=True)
class OrdersByCategory:
    period: Period
    bars: tuple[CategoryBar, ...]  # most orders first

    @property
    def total(self) -> CategoryBar:
        on_time = sum((bar.on_time for bar in self.bars), Rate())
        return CategoryBar(
            "合计", sum(b.orders for b in self.bars), on_time, sum(b.pending for b in self.bars)
        )

    def sheet(self) -> Sheet:
        head = ["类别", "工单数", "及时完成", "已到期", "及时率（%）", "未到期"]
        rows: list[list[object]] = [
            [
                bar.category,
                bar.orders,
                bar.on_time.hits,
                bar.on_time.base,
                percent(bar.on_time.value),
                bar.pending,
            ]
            for bar in (*self.bars, self.total)
        ]
        rows.append(
            [f"{self.period.label}受理的工单；及时率 = 按时限完成的报修和按期答复的投诉 ÷ 已到期的"]
        )
        return ("工单分类", head, rows, [16, 10, 10, 10, 12, 10])


def orders_by_category(
    store: Store, actor: Actor, period: Period, now: datetime | None = None
) -> OrdersByCategory:
    """The month's orders by category with their 及时率 (module docstring)."""
    bars = []
    for category, figures in category_figures(store, actor, period, now).items():
        on_time = figures.completion.rate + figures.complaint_on_time.rate
        pending = figures.completion.pending + figures.complaint_on_time.pending
        bars.append(CategoryBar(category, figures.orders, on_time, pending))
    return OrdersByCategory(period, tuple(bars))


# ---- butler coverage ----------------------------------------------------------------


@dataclass(frozen=True)
class CoverageBar:
    butler: str
    households: int  # lived-in homes of the butler's buildings
    contacted: int  # of them, reached in the month

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.contacted, self.households) if self.households else None


@dataclass(frozen=True)
class ButlerCoverage:
    period: Period
    bars: tuple[CoverageBar, ...]  # by butler's name
    target: Fraction

    def sheet(self) -> Sheet:
        head = ["管家", "所管住户", "本月已联系", "覆盖率（%）", "是否达标"]
        rows: list[list[object]] = [
            [
                bar.butler,
                bar.households,
                bar.contacted,
                percent(bar.rate),
                "达标" if bar.rate is not None and bar.rate >= self.target else "未达标",
            ]
            for bar in self.bars
        ]
        rows.append(
            [f"{self.period.label}；管家责任制：每月联系不少于所管住户的 {percent(self.target)}%"]
        )
        return ("管家覆盖率", head, rows, [14, 10, 12, 12, 10])


def butler_coverage(db: Database, actor: Actor, period: Period) -> ButlerCoverage:
    """Each butler's contacts in the month over their homes (a butler sees their own)."""
    rows = butler_contacts.coverage(db, actor, period.first_day)
    bars = tuple(CoverageBar(row.butler, row.households, row.contacted) for row in rows)
    return ButlerCoverage(period, bars, COVERAGE_TARGET)


# ---- visitors by hour and weekday -------------------------------------------------------


@dataclass(frozen=True)
class VisitorTimes:
    first_day: date
    last_day: date
    grid: tuple[tuple[int, ...], ...]  # [weekday, Monday first][hour 0-23]: visits

    @property
    def by_hour(self) -> tuple[int, ...]:
        return tuple(sum(day[hour] for day in self.grid) for hour in range(24))

    @property
    def by_weekday(self) -> tuple[int, ...]:
        return tuple(sum(day) for day in self.grid)

    @property
    def visits(self) -> int:
        return sum(self.by_weekday)

    def sheet(self) -> Sheet:
        head = ["星期", *(f"{hour}时" for hour in range(24)), "合计"]
        rows: list[list[object]] = [
            [WEEKDAYS[day], *self.grid[day], sum(self.grid[day])] for day in range(7)
        ]
        rows.append(["合计", *self.by_hour, self.visits])
        rows.append(
            [
                f"{self.first_day:%Y-%m-%d} 至 {self.last_day:%Y-%m-%d} "
                "登记的到访次数（一次登记计一次），按到达时刻"
            ]
        )
        return ("访客时段", head, rows, [10, *(6 for _ in range(24)), 8])


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


def visitor_times(
    db: Database, actor: Actor, today: date | None = None, days: int = VISITOR_DAYS
) -> VisitorTimes:
    """Visits arriving over the last `days` days by weekday and local hour."""
    require(actor, Permission.REGISTER_VISITORS)
    today = today or clock.today()
    first = today - timedelta(days=days - 1)
    query = select(Visit.arrived_at).where(
        Visit.arrived_at >= _local_midnight(first),
        Visit.arrived_at < _local_midnight(today + timedelta(days=1)),
    )
    grid = [[0] * 24 for _ in range(7)]
    with db.read() as session:
        for arrived_at in session.scalars(query):
            local = arrived_at.astimezone()
            grid[local.weekday()][local.hour] += 1
    return VisitorTimes(first, today, tuple(tuple(day) for day in grid))


# ---- 满意度 by dimension (the satisfaction survey) ----------------------------------------


def margin_percent(share: Share) -> Decimal | None:
    """A share's 95% margin in percent with one decimal (2.1 for ±2.1%); None without."""
    if share.margin is None:
        return None
    return (Decimal(repr(share.margin)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share_percent(share: Share) -> Decimal | None:
    """A share's 满意度 in percent as the reports round it; None without answers."""
    return percent(Fraction(share.satisfied, share.answered) if share.answered else None)


@dataclass(frozen=True)
class SurveySatisfaction:
    """The chosen survey's 满意度 by dimension, for the community and by building."""

    as_of: date
    surveys: tuple[AnsweredSurvey, ...]  # with answers by `as_of`, answered last first
    whole: SurveyResults | None  # the chosen survey; None: no survey has answers yet
    by_building: dict[str, SurveyResults]  # the buildings it sampled, in their order
    target: Fraction

    def results(self, building: str | None = None) -> SurveyResults | None:
        if building is None or self.whole is None:
            return self.whole
        return self.by_building.get(building)

    def sheet(self) -> Sheet:
        """Every dimension a row (then 各项合计); the community's 满意度, margin and
        households, then each building's."""
        parts = [(WHOLE, self.whole)] if self.whole is not None else []
        parts += list(self.by_building.items())
        head = ["调查项目"]
        for name, _ in parts:
            head += [f"{name}满意度（%）", f"{name}误差（±%）", f"{name}答题户数"]
        rows: list[list[object]] = []
        if self.whole is None:
            rows.append([f"截至 {self.as_of:%Y-%m-%d} 尚无已答的满意度调查"])
            return ("满意度", head, rows, [16])

        def cells(share: Share | None, households: int | None = None) -> list[object]:
            if share is None:
                return [None, None, 0]
            answered = share.answered if households is None else households
            return [share_percent(share), margin_percent(share), answered]

        for d in self.whole.dimensions:
            row: list[object] = [d.label]
            for _, found in parts:
                row += cells(found.share_of(d.dimension) if found else None)
            rows.append(row)
        total: list[object] = ["各项合计"]
        for _, found in parts:
            total += cells(found.overall, found.answered) if found else cells(None)
        rows.append(total)
        rows.append(["目标满意度（%）", percent(self.target)])
        rows.append(
            [
                f"{self.whole.name}（{self.whole.period}）；满意度 = 评“满意”或“非常满意”的"
                "份数 ÷ 答题份数，误差为 95% 置信区间的半宽；各项合计的误差按户计"
            ]
        )
        return ("满意度", head, rows, [16, *(14 for _ in range(3 * len(parts)))])


def survey_satisfaction(
    store: Store, actor: Actor, survey_id: int | None = None, today: date | None = None
) -> SurveySatisfaction:
    """`survey_id`'s results (else those of the survey answered last by `today`), for
    the community and each building it sampled (module docstring)."""
    require(actor, Permission.PRINT_REPORTS)
    today = today or clock.today()
    taken = tuple(answered_surveys(store, actor, until=_local_midnight(today + timedelta(days=1))))
    chosen = survey_id if survey_id is not None else (taken[0].survey_id if taken else None)
    if chosen is None:
        return SurveySatisfaction(today, taken, None, {}, SATISFACTION_TARGET)
    whole, of_building = results_by_building(store, actor, chosen)
    by_building = {b.building: of_building[b.building_id] for b in whole.buildings}
    return SurveySatisfaction(today, taken, whole, by_building, SATISFACTION_TARGET)
