"""客服服务月报 assembled: the service desk's month figures turned into the paper's
plain data, as a PDF or a workbook (the GUI and the command line print the same)."""

from __future__ import annotations

from frontdesk.documents.service_report import (
    CountTable,
    KeyFigure,
    ScoreLine,
    ServiceReport,
    service_report_pdf,
    service_report_xlsx,
)
from frontdesk.domain import clock
from frontdesk.domain.issued import DocKind, Issue, Printout
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor
from frontdesk.domain.service_desk import SCORE_ASPECTS
from frontdesk.domain.service_report import (
    COMPLAINT_ON_TIME_TARGET,
    COMPLAINT_SATISFIED_TARGET,
    SATISFIED_RULE,
    SATISFIED_TARGET,
)
from frontdesk.printouts import letterhead
from frontdesk.services.database import Database
from frontdesk.services.service_desk.report import (
    REPEAT_AT,
    MonthFigures,
    Satisfaction,
    ServiceFigures,
    service_figures,
)

NOTES = (
    "口径：统计本月受理的工单（按受理时间）；时限按每张工单受理时承诺的到场、完工、回访时限，"
    "暂停（等业主、等配件）的时间不计；预约上门的从预约时段开始计，到场以预约时段结束为限；"
    "重新打开的工单按最近一次处理计。",
    "及时率 = 按时的单数 ÷ 已到场（已完工）或已超时的单数；尚未到期的单数另列，不计入。"
    "投诉处理及时率以投诉的处理期限计（类别承诺的答复时限，或主管另定的期限）；"
    "逾期未答复或经主管督办的投诉计为不及时，并计入升级督办的投诉。",
    "回访率 = 已回访的单数 ÷ 应回访的单数（已完工的报修和投诉中，已回访、未回访即关闭"
    "或回访时限已过的）。",
    f"{SATISFIED_RULE}；平均分为各项评分（1–5 分）的平均；每次接通的回访都计入，"
    "包括不满意后重新处理的。",
    "目标依据物业服务工作计划：投诉处理及时率 100%，投诉处理满意度 ≥ 90%，满意度 ≥ 95%。",
)


def _figures(this: MonthFigures, before: MonthFigures) -> tuple[KeyFigure, ...]:
    return (
        KeyFigure("工单总数", this.orders, before.orders),
        KeyFigure(
            "报修到场及时率", this.arrival.rate, before.arrival.rate, None, this.arrival.pending
        ),
        KeyFigure(
            "紧急报修到场及时率",
            this.urgent_arrival.rate,
            before.urgent_arrival.rate,
            None,
            this.urgent_arrival.pending,
        ),
        KeyFigure(
            "报修完成及时率",
            this.completion.rate,
            before.completion.rate,
            None,
            this.completion.pending,
        ),
        KeyFigure("回访率", this.callback.rate, before.callback.rate, None, this.callback.pending),
        KeyFigure(
            "满意度（满意率）",
            this.satisfaction.satisfied,
            before.satisfaction.satisfied,
            SATISFIED_TARGET,
        ),
        KeyFigure(
            "投诉处理及时率",
            this.complaint_on_time.rate,
            before.complaint_on_time.rate,
            COMPLAINT_ON_TIME_TARGET,
            this.complaint_on_time.pending,
        ),
        KeyFigure(
            "投诉处理满意度",
            this.complaint_satisfaction.satisfied,
            before.complaint_satisfaction.satisfied,
            COMPLAINT_SATISFIED_TARGET,
        ),
        KeyFigure("升级督办的投诉", this.complaints_escalated, before.complaints_escalated),
        KeyFigure("重新打开的工单", this.reopened, before.reopened),
    )


def _compare(title: str, column: str, this: dict[str, int], before: dict[str, int]) -> CountTable:
    """Every name of either month, this month's order (most first) then the rest."""
    names = [*this, *(name for name in before if name not in this)]
    rows = tuple((name, this.get(name, 0), before.get(name, 0)) for name in names)
    total = ("合计", sum(this.values()), sum(before.values()))
    return CountTable(title, column, (*rows, total) if rows else rows)


def _scores(this: Satisfaction, before: Satisfaction) -> tuple[ScoreLine, ...]:
    lines = tuple(
        ScoreLine(
            aspect,
            (this.averages[i], before.averages[i]),
            (this.aspect_satisfied[i], before.aspect_satisfied[i]),
        )
        for i, aspect in enumerate(SCORE_ASPECTS)
    )
    return (*lines, ScoreLine("综合（三项均满意）", None, (this.satisfied, before.satisfied)))


def _report(
    db: Database, actor: Actor, period: Period, figures: ServiceFigures | None
) -> ServiceReport:
    figures = figures or service_figures(db, actor, period)
    this, before = figures.this, figures.before
    repeats = this.repeats
    return ServiceReport(
        community=letterhead(db).community_name,
        period=period.label,
        before=period.shifted(-1).label,
        as_of=f"统计截至 {clock.local_time(figures.as_of, seconds=False)}",
        figures=_figures(this, before),
        counts=(
            _compare("按工单类型", "类型", this.by_kind, before.by_kind),
            _compare("按受理渠道", "渠道", this.by_channel, before.by_channel),
            _compare("按类别（由多到少）", "类别", this.by_category, before.by_category),
            _compare(
                "投诉按类别（原因分析）",
                "类别",
                this.by_complaint_category,
                before.by_complaint_category,
            ),
            _compare("按楼栋", "楼栋", this.by_building, before.by_building),
        ),
        scores=_scores(this.satisfaction, before.satisfaction),
        complaint_scores=_scores(this.complaint_satisfaction, before.complaint_satisfaction),
        repeats=CountTable(
            f"重复发生的位置（本月同一房屋，或同一公共位置同一类别，{REPEAT_AT} 单及以上）",
            "位置",
            tuple((place, n, before.places.get(place, 0)) for place, n in repeats.items()),
        ),
        notes=NOTES,
        prepared_by=actor.display_name,
    )


def service_report(
    db: Database, actor: Actor, period: Period, figures: ServiceFigures | None = None
) -> Printout:
    """The month's 客服服务月报 as a PDF, registered as the month's (a later copy of the
    same month is its reprint); from `figures` when the caller has read them already."""
    pdf = service_report_pdf(letterhead(db), _report(db, actor, period, figures), clock.now())
    return Printout(pdf, Issue(DocKind.SERVICE_REPORT, f"客服服务月报 {period.label}", str(period)))


def service_report_excel(db: Database, actor: Actor, period: Period) -> bytes:
    return service_report_xlsx(_report(db, actor, period, None))
