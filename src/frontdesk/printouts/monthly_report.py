"""物业工作月报 and 年度工作总结 assembled: the figures (services/figures/monthly.py)
turned into the paper's plain data, as a PDF or a workbook (the GUI and the command
line print the same)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

from frontdesk.documents.monthly_report import (
    TITLE,
    YEAR_TITLE,
    Chart,
    ConcernBlock,
    CountRow,
    KpiRow,
    MonthlyReport,
    Section,
    monthly_report_pdf,
    monthly_report_xlsx,
)
from frontdesk.domain import clock
from frontdesk.domain.issued import DocKind, Issue, Printout
from frontdesk.domain.money import format_yuan
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor
from frontdesk.domain.service_report import NO_DATA, Rate, percent_text, verdict
from frontdesk.domain.surveys import SATISFACTION_TARGET, Share
from frontdesk.printouts import letterhead
from frontdesk.services.database import Database
from frontdesk.services.figures.concerns import ARREARS_MONTHS
from frontdesk.services.figures.monthly import (
    COLLECTION_TARGET,
    COVERAGE_TARGET,
    NOTICE_KINDS,
    Kpi,
    MonthLine,
    MonthlyFigures,
    SurveyFigure,
    TrendPoint,
    monthly_figures,
    yearly_figures,
)
from frontdesk.services.figures.series import AGE_RULE, margin_percent, share_percent
from frontdesk.services.service_desk.report import Kept

NOTES = (
    "收缴率 = 本期开单的物业收入实收 ÷（应收 − 减免），收至统计时；"
    "代收代缴、公共维修资金和押金不计入。",
    f"欠费账龄：{AGE_RULE}。",
    "工单按受理时间计入当期；及时率 = 按时的单数 ÷ 已到场（已完工）或已超时的单数，未到期的另计；"
    "投诉处理及时率按处理期限计，逾期或经主管督办的为不及时。",
    "回访满意率 = 三项评分均为 4 分（满意）或 5 分（非常满意）的回访数 ÷ 接通的回访数。",
    "满意度（问卷调查）= 满意度调查中评“满意”或“非常满意”的份数 ÷ 答题份数（各调查项目合计），"
    "括号内为 95% 置信区间的误差（按答卷户数与总户数计）和答卷户数；按调查的全部答卷计。",
    f"管家联系覆盖率 = 当月管家主动联系到的在住户数 ÷ 其责任楼栋的在住户数（管家责任制：每月 "
    f"{percent_text(COVERAGE_TARGET)}）。",
    "年度数据为各月相加：比率以各月的分子、分母分别相加后计算。",
    "目标依据物业服务年度工作计划：收缴率 ≥ 98%，满意度 ≥ 95%，投诉处理及时率 100%，"
    "投诉处理满意度 ≥ 90%，管家每月联系责任区 10% 的业主。",
)


def value_text(value: Rate | int, *, money: bool = False, pending: int = 0) -> str:
    if isinstance(value, int):
        return str(value)
    if value.base == 0:
        return NO_DATA
    counts = "" if money else f"（{value.counts_text}"
    if pending and not money:
        counts += f"，另 {pending} 单未到期"
    return value.text + (f"{counts}）" if counts else "")


def target_text(target: Fraction | None) -> str:
    if target is None:
        return "—"
    return "100%" if target == 1 else f"≥ {percent_text(target)}"


NO_SURVEY = "本期无调查"


def survey_text(figure: SurveyFigure | None) -> str:
    """`93.5%（±2.1%，60 户）`; an earlier period's survey says so with its month (its
    name is in the notes); none: 本期无调查."""
    if figure is None:
        return NO_SURVEY
    found = figure.results
    margin = margin_percent(found.overall)
    spread = "" if margin is None else f"±{margin}%，"
    text = f"{figure.rate.text}（{spread}{found.answered} 户）"
    if figure.in_period:
        return text
    return f"{NO_SURVEY}；此前最近一次（{figure.taken}）：{text}"


def kpi_text(kpi: Kpi) -> str:
    """The KPI's figure for the period alone (the 工作月报 tab's summary)."""
    if kpi.survey or not isinstance(kpi.this, Rate | int):
        return survey_text(kpi.this if isinstance(kpi.this, SurveyFigure) else None)
    return value_text(kpi.this, money=kpi.money)


def _column(
    value: Rate | int | SurveyFigure | None, line: MonthLine | None, kpi: Kpi, pending: int = 0
) -> str:
    if kpi.survey:
        return survey_text(value if isinstance(value, SurveyFigure) else None)
    if isinstance(value, SurveyFigure) or value is None or line is None or not line.has_data:
        return NO_DATA
    return value_text(value, money=kpi.money, pending=pending)


def _kpi_rows(figures: MonthlyFigures) -> tuple[KpiRow, ...]:
    rows = []
    for kpi in figures.kpis:
        met = kpi.met if figures.this.has_data or kpi.survey else None
        rows.append(
            KpiRow(
                kpi.name,
                _column(kpi.this, figures.this, kpi, kpi.pending),
                _column(kpi.before, figures.before, kpi),
                None
                if figures.last_year_label is None
                else _column(kpi.last_year, figures.last_year, kpi),
                target_text(kpi.target),
                "—" if kpi.target is None or (kpi.survey and met is None) else verdict(met),
            )
        )
    return tuple(rows)


def _short(label: str) -> str:
    """2026年11月 -> 2026-11 for a chart's axis."""
    return label.replace("年", "-").removesuffix("月")


def _percent(rate: Rate | Kept) -> float | None:
    rate = rate.rate if isinstance(rate, Kept) else rate
    value = rate.value
    return None if value is None else float(value * 100)


def _charts(figures: MonthlyFigures) -> tuple[Chart, ...]:
    trend = figures.trend
    months = tuple(_short(m.label) for m in trend)

    def series(pick: Callable[[TrendPoint], float | None]) -> tuple[float | None, ...]:
        return tuple(pick(m) if m.has_data else None for m in trend)

    year = figures.last_year_label is None
    span = "本年各月" if year else "近 12 个月"
    # the compared columns, oldest first: 去年同月, 上月, 本月 (or 上年, 本年)
    compared = [(figures.before_label, figures.before), (figures.label, figures.this)]
    if figures.last_year is not None and figures.last_year_label is not None:
        compared.insert(0, (figures.last_year_label, figures.last_year))

    def by_column(
        picks: Sequence[tuple[str, Callable[[MonthLine], Rate | Kept]]],
    ) -> tuple[tuple[str, tuple[float | None, ...]], ...]:
        return tuple(
            (
                label,
                tuple(_percent(pick(line)) if line.has_data else None for _, pick in picks),
            )
            for label, line in compared
        )

    on_time: list[tuple[str, Callable[[MonthLine], Rate | Kept]]] = [
        ("报修到场", lambda m: m.arrival),
        ("紧急报修到场", lambda m: m.urgent_arrival),
        ("报修完成", lambda m: m.completion),
        ("投诉处理", lambda m: m.complaint_on_time),
        ("回访率", lambda m: m.callback),
    ]
    satisfied: list[tuple[str, Callable[[MonthLine], Rate | Kept]]] = [
        ("回访满意率", lambda m: m.satisfied),
        ("投诉处理满意度", lambda m: m.complaint_satisfied),
    ]
    charts = [
        Chart(
            f"物业费收缴率（{span}）",
            months,
            (("收缴率", series(lambda m: _percent(m.collection))),),
            "%",
            target=float(COLLECTION_TARGET * 100),
            target_label=f"目标 {percent_text(COLLECTION_TARGET)}",
        ),
        Chart(
            "欠费按账龄（统计时）",
            tuple(a.label for a in figures.arrears_by_age),
            (("欠费金额", tuple(a.owed_fen / 100 for a in figures.arrears_by_age)),),
            "元",
        ),
        Chart(f"工单数（{span}）", months, (("工单", series(lambda m: float(m.orders))),), "单"),
        Chart("工单及时率", tuple(name for name, _ in on_time), by_column(on_time), "%"),
        Chart(
            "回访满意度",
            tuple(name for name, _ in satisfied),
            by_column(satisfied),
            "%",
            target=95.0,
            target_label="满意度目标 95%",
        ),
        *_survey_chart(figures.survey),
        Chart(
            f"访客登记（{span}）", months, (("人次", series(lambda m: float(m.visitors))),), "人次"
        ),
    ]
    if figures.by_category:
        top = list(figures.by_category.items())[:10]
        charts.insert(
            3,
            Chart(
                f"工单按类别（{figures.label}，前 {len(top)} 类）",
                tuple(name for name, _ in top),
                (("工单", tuple(float(n) for _, n in top)),),
                "单",
            ),
        )
    return tuple(charts)


def _survey_chart(figure: SurveyFigure | None) -> tuple[Chart, ...]:
    """满意度 by dimension of the period's survey, with each dimension's margin; none
    when no survey's answers were taken in the period."""
    if figure is None or not figure.in_period:
        return ()
    found = figure.results
    dimensions = [d for d in found.dimensions if d.share.answered]
    return (
        Chart(
            f"满意度（按维度）：{found.name}，{found.answered} 户答卷",
            tuple(d.label for d in dimensions),
            (("", tuple(_rounded(share_percent(d.share)) for d in dimensions)),),
            "%",
            target=float(SATISFACTION_TARGET * 100),
            target_label=f"目标 {percent_text(SATISFACTION_TARGET)}；竖线为 95% 置信区间",
            margins=tuple(_margin(d.share) for d in dimensions),
        ),
    )


def _margin(share: Share) -> float | None:
    return _rounded(margin_percent(share))


def _rounded(value: Decimal | None) -> float | None:
    """A percent as the paper prints it (one decimal), for the chart and its data."""
    return None if value is None else float(value)


def _survey_notes(figures: MonthlyFigures) -> tuple[str, ...]:
    """Which survey the 满意度 line shows, and the period's other surveys."""
    year = figures.last_year_label is None
    several = year and len(figures.surveys) > 1
    rule = (
        "满意度（问卷调查）取本年答卷最晚的一次调查" + ("（本年各次调查见下）" if several else "")
        if year
        else "满意度（问卷调查）取本月录入答卷的调查（有多次时取答卷最晚的一次）"
    ) + f"；{'本年' if year else '本月'}无调查时列出此前最近一次的结果，不作达标判断。"
    shown = figures.survey
    if shown is not None:
        which = "本期为" if shown.in_period else "此前最近一次为"
        rule += f"{which}：{shown.results.name}（答卷 {shown.taken}）。"
    notes = [rule]
    if several:
        notes.append(
            "本年的满意度调查："
            + "；".join(
                f"{f.results.name}（{f.taken}）{survey_text(f)}" for f in reversed(figures.surveys)
            )
            + "。"
        )
    return tuple(notes)


def _sections(figures: MonthlyFigures) -> tuple[Section, ...]:
    lines = [figures.this, figures.before, figures.last_year]
    year = figures.last_year_label is None
    if year:
        lines = lines[:2]

    def row(name: str, text: Callable[[MonthLine], str]) -> CountRow:
        values = [text(line) if line is not None and line.has_data else NO_DATA for line in lines]
        return CountRow(name, values[0], values[1], None if year else values[2])

    owed = sum(a.owed_fen for a in figures.arrears_by_age)
    households = sum(a.households for a in figures.arrears_by_age)
    return (
        Section(
            "收费与欠费",
            (
                row("应收（扣除减免，元）", lambda m: format_yuan(m.collection.base)),
                row("实收（元）", lambda m: format_yuan(m.collection.hits)),
                row("收缴率", lambda m: value_text(m.collection, money=True)),
                row("收回往期欠费（元）", lambda m: format_yuan(m.arrears_collected_fen)),
            ),
            f"统计时共有 {households} 户欠费，合计 {format_yuan(owed)} 元；"
            f"欠费 {ARREARS_MONTHS} 个月及以上的列在“异常情况”。",
        ),
        Section(
            "客服工单",
            (
                row("工单总数", lambda m: str(m.orders)),
                row("报修到场及时率", lambda m: value_text(m.arrival.rate)),
                row("报修完成及时率", lambda m: value_text(m.completion.rate)),
                row("投诉处理及时率", lambda m: value_text(m.complaint_on_time.rate)),
                row("回访率", lambda m: value_text(m.callback.rate)),
                row("升级督办的投诉", lambda m: str(m.complaints_escalated)),
            ),
            "本期工单按类型："
            + ("、".join(f"{k} {n} 单" for k, n in figures.by_kind.items()) or "无")
            + "。",
        ),
        Section(
            "装修管理",
            (
                row("新受理装修申请", lambda m: str(m.renovations_applied)),
                row("发放装修许可证", lambda m: str(m.permits_issued)),
                row("装修完工", lambda m: str(m.renovations_completed)),
                row("发现违规（整改通知）", lambda m: str(m.violations)),
            ),
        ),
        Section("入伙", (row("办理入伙交房（户）", lambda m: str(m.handovers)),)),
        Section(
            "发文（通知、函件、催缴）",
            tuple(row(kind.label, _issued(kind.label)) for kind in NOTICE_KINDS),
            "按发文登记计，重印不计。",
        ),
        Section(
            "管家联系与关怀探访",
            (
                row("管家联系（次）", lambda m: str(m.contacts)),
                row("管家联系覆盖率", lambda m: value_text(m.coverage)),
                row("关怀探访（次）", lambda m: str(m.care_visits)),
            ),
        ),
        Section(
            "访客",
            (
                row("访客登记（批）", lambda m: str(m.visits)),
                row("访客（人次）", lambda m: str(m.visitors)),
            ),
        ),
    )


def _issued(label: str) -> Callable[[MonthLine], str]:
    return lambda line: str(line.notices.get(label, 0))


def _report(db: Database, actor: Actor, figures: MonthlyFigures) -> MonthlyReport:
    year = figures.last_year_label is None
    columns = (
        (f"本年（{figures.label}）", f"上年（{figures.before_label}）")
        if year
        else (
            f"本月（{figures.label}）",
            f"上月（{figures.before_label}）",
            f"去年同月（{figures.last_year_label}）",
        )
    )
    return MonthlyReport(
        community=letterhead(db).community_name,
        title=YEAR_TITLE if year else TITLE,
        period=figures.label,
        columns=columns,
        as_of=f"统计截至 {clock.local_time(figures.as_of, seconds=False)}",
        has_data=figures.has_data,
        kpis=_kpi_rows(figures),
        charts=_charts(figures),
        sections=_sections(figures),
        concerns=tuple(
            ConcernBlock(
                group.title,
                tuple((c.reference, c.what, c.since, c.step) for c in group.concerns),
            )
            for group in figures.concerns
        ),
        notes=(*NOTES, *_survey_notes(figures)),
        prepared_by=actor.display_name,
    )


def _figures(db: Database, actor: Actor, period: Period | None, year: int | None) -> MonthlyFigures:
    if period is not None:
        return monthly_figures(db, actor, period)
    assert year is not None
    return yearly_figures(db, actor, year)


def monthly_report(
    db: Database,
    actor: Actor,
    period: Period | None = None,
    year: int | None = None,
    figures: MonthlyFigures | None = None,
) -> Printout:
    """The month's 物业工作月报 (or the year's summary) as a PDF, registered as the
    period's (a later copy is its reprint); from `figures` when already read."""
    if period is None and year is None:
        raise ValueError("a month or a year")
    figures = figures or _figures(db, actor, period, year)
    report = _report(db, actor, figures)
    pdf = monthly_report_pdf(letterhead(db), report, clock.now())
    reference = str(period) if period is not None else str(year)
    return Printout(pdf, Issue(DocKind.WORK_REPORT, f"{report.title} {report.period}", reference))


def monthly_report_excel(
    db: Database,
    actor: Actor,
    period: Period | None = None,
    year: int | None = None,
    figures: MonthlyFigures | None = None,
) -> bytes:
    figures = figures or _figures(db, actor, period, year)
    return monthly_report_xlsx(_report(db, actor, figures))
