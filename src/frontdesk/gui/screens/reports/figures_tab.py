"""报表 → 统计图表: the plan's figures as charts (QtCharts) — 收缴率 month by month
against the 98% target (whole community or one building), arrears by age (whole or
one building), the month's work orders by category with their 及时率, the butlers'
coverage against 10%, visitors by hour of day and by weekday, and a satisfaction
survey's 满意度 by dimension with its margins against 95% (the survey and the building
chosen). Each chart is saved as
a PNG and its data as Excel. The series come from services/figures (read off the GUI
thread); a chart the user's role may not see is not offered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QShowEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QListWidgetItem, QWidget

from frontdesk.domain import clock
from frontdesk.domain.money import format_yuan
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Permission, Role
from frontdesk.errors import EnvironmentProblem
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.reports_figures_tab_ui import Ui_FiguresTab
from frontdesk.gui.messages import show_error
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.colours import BLUE, GREEN, RED
from frontdesk.services.figures import series as figures
from frontdesk.services.figures.series import (
    AGE_RULE,
    WEEKDAYS,
    WHOLE,
    ArrearsByAge,
    ButlerCoverage,
    CollectionSeries,
    OrdersByCategory,
    SurveySatisfaction,
    VisitorTimes,
    margin_percent,
    share_percent,
)
from frontdesk.services.xlsx import Sheet, write_book

MONTHS = 24  # the months offered for the monthly charts, this one first
BAR = QColor(BLUE)
TARGET = QColor(RED)
LINE = QColor(GREEN)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    by_building: bool  # the building chooser applies
    by_month: bool  # the month chooser applies
    allowed: Callable[[AppContext], bool]
    note: str
    by_survey: bool = False  # the survey chooser applies


def _butlers_overseen(ctx: AppContext) -> bool:
    return ctx.actor.role == Role.BUTLER or ctx.can(Permission.VIEW_AUDIT)


CHARTS = (
    Chart(
        "collection",
        "收缴率（近12个月）",
        True,
        False,
        lambda ctx: ctx.can(Permission.VIEW_FINANCE),
        "物业收入收缴率 = 实收 ÷（应收 − 减免），实收为截至今天为该月账单收到的金额；"
        "红线为工作计划目标 98%。",
    ),
    Chart(
        "arrears",
        "欠费账龄",
        True,
        False,
        lambda ctx: ctx.can(Permission.CHASE_ARREARS),
        f"截至今天的欠费，{AGE_RULE}；柱为金额，括号内为户数。",
    ),
    Chart(
        "orders",
        "工单分类与及时率",
        False,
        True,
        lambda ctx: ctx.can(Permission.PRINT_REPORTS),
        "当月受理的工单按类别计数（柱）；及时率（圆点）= 按承诺时限完成的报修和按期答复的投诉"
        " ÷ 已到期的，未到期的不计入。",
    ),
    Chart(
        "satisfaction",
        "满意度（按维度）",
        True,
        False,
        lambda ctx: ctx.can(Permission.PRINT_REPORTS),
        "满意度调查的结果：每项为评“满意”或“非常满意”的份数 ÷ 答题份数，竖线为 95% "
        "置信区间（± 误差，按样本户数与总户数计）；红线为工作计划目标 95%。",
        by_survey=True,
    ),
    Chart(
        "coverage",
        "管家覆盖率",
        False,
        True,
        _butlers_overseen,
        "管家责任制：每位管家当月联系的住户 ÷ 所管楼栋的在住住户，红线为目标 10%。",
    ),
    Chart(
        "visitors_hour",
        "访客到达时段",
        False,
        False,
        lambda ctx: ctx.can(Permission.REGISTER_VISITORS),
        "近 90 天（含今天）登记的到访次数（一次登记计一次，不论同行人数），按到达的钟点统计。",
    ),
    Chart(
        "visitors_week",
        "访客星期分布",
        False,
        False,
        lambda ctx: ctx.can(Permission.REGISTER_VISITORS),
        "近 90 天（含今天）登记的到访次数（一次登记计一次，不论同行人数），按星期统计。",
    ),
)


def may_see(ctx: AppContext) -> bool:
    return any(chart.allowed(ctx) for chart in CHARTS)


def _percent(value: Fraction | None) -> float:
    """A rate as the percent the reports print (one decimal, half up); 0 without data."""
    shown = figures.percent(value)
    return float(shown) if shown is not None else 0.0


class FiguresTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_FiguresTab()
        ui.setupUi(self)
        self.charts = [chart for chart in CHARTS if chart.allowed(ctx)]
        self.loaded: dict[tuple[str, str], Any] = {}  # (series, month) -> series
        self.sheet: Sheet | None = None
        self._stale = True
        for chart in self.charts:
            item = QListWidgetItem(chart.title)
            item.setData(Qt.ItemDataRole.UserRole, chart.key)
            ui.chartList.addItem(item)
        this = Period.of(clock.today())
        for back in range(MONTHS):
            period = this.shifted(-back)
            ui.monthCombo.addItem(f"{period.label}{'（至今）' if not back else ''}", str(period))
        ui.buildingCombo.addItem(WHOLE, None)
        ui.surveyCombo.addItem("最近一次", None)
        ui.chartView.setRenderHint(QPainter.RenderHint.Antialiasing)
        ui.chartList.setCurrentRow(0)
        ui.chartList.currentRowChanged.connect(lambda _row: self.show_chart())
        ui.monthCombo.currentIndexChanged.connect(lambda _i: self.show_chart())
        ui.buildingCombo.currentIndexChanged.connect(lambda _i: self.draw())
        ui.surveyCombo.currentIndexChanged.connect(lambda _i: self.show_chart())
        ui.pngButton.clicked.connect(self.ask_png)
        ui.excelButton.clicked.connect(self.ask_excel)

    # ---- what is shown ----------------------------------------------------------------

    def chart(self) -> Chart | None:
        row = self.ui.chartList.currentRow()
        return self.charts[row] if 0 <= row < len(self.charts) else None

    def choose(self, key: str) -> None:
        """Show the chart with this key."""
        keys = [chart.key for chart in self.charts]
        self.ui.chartList.setCurrentRow(keys.index(key))

    def period(self) -> Period:
        return Period.parse(str(self.ui.monthCombo.currentData()))

    def building(self) -> str | None:
        data = self.ui.buildingCombo.currentData()
        return None if data is None else str(data)

    def refresh(self) -> None:
        """Read the series again now if the tab is on screen, else when it is next shown."""
        self.loaded.clear()
        self._stale = True
        if self.isVisible():
            self.show_chart()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.show_chart()

    def survey(self) -> int | None:
        data = self.ui.surveyCombo.currentData()
        return None if data is None else int(data)

    def _series_key(self, chart: Chart) -> tuple[str, str]:
        name = "visitors" if chart.key.startswith("visitors") else chart.key
        if chart.by_survey:
            survey = self.survey()
            return name, "" if survey is None else str(survey)
        return name, str(self.period()) if chart.by_month else ""

    def show_chart(self) -> None:
        """Load the chosen chart's series (off the GUI thread) unless loaded; draw it."""
        chart = self.chart()
        if chart is None:
            return
        self._stale = False
        ui = self.ui
        for widget in (ui.buildingCaption, ui.buildingCombo):
            widget.setVisible(chart.by_building)
        for widget in (ui.monthCaption, ui.monthCombo):
            widget.setVisible(chart.by_month)
        for widget in (ui.surveyCaption, ui.surveyCombo):
            widget.setVisible(chart.by_survey)
        ui.noteLabel.setText(chart.note)
        key = self._series_key(chart)
        if key in self.loaded:
            self._chosen_series(chart)
            return
        ctx, period, survey = self.ctx, self.period(), self.survey()
        loads: dict[str, Callable[[], object]] = {
            "collection": lambda: figures.collection_series(ctx.db, ctx.actor),
            "arrears": lambda: figures.arrears_by_age(ctx.db, ctx.actor),
            "orders": lambda: figures.orders_by_category(ctx.db, ctx.actor, period),
            "coverage": lambda: figures.butler_coverage(ctx.db, ctx.actor, period),
            "visitors": lambda: figures.visitor_times(ctx.db, ctx.actor),
            "satisfaction": lambda: figures.survey_satisfaction(ctx.db, ctx.actor, survey),
        }
        Op(self, ctx.tasks, loads[key[0]], title=chart.title).labelled(
            f"正在统计{chart.title}…"
        ).success(lambda found: self._loaded(key, found)).run()

    def _loaded(self, key: tuple[str, str], found: object) -> None:
        self.loaded[key] = found
        if isinstance(found, SurveySatisfaction) and found.whole is not None:
            self.loaded[key[0], str(found.whole.survey_id)] = found  # "the latest" is this one
        chart = self.chart()
        if chart is not None and self._series_key(chart) == key:
            self._chosen_series(chart)

    def _chosen_series(self, chart: Chart) -> None:
        """Offer the series' buildings in the chooser (keeping the choice), then draw."""
        found = self.loaded[self._series_key(chart)]
        if chart.by_survey:
            self._offer_surveys(found)
        if chart.by_building:
            names = list(found.by_building)
            combo, chosen = self.ui.buildingCombo, self.building()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(WHOLE, None)
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen in names else 0)
            combo.blockSignals(False)
        self.draw()

    def _offer_surveys(self, found: SurveySatisfaction) -> None:
        """The surveys with answers, newest first, the one shown chosen."""
        combo = self.ui.surveyCombo
        combo.blockSignals(True)
        combo.clear()
        for taken in found.surveys:
            combo.addItem(f"{taken.name}（{taken.answered} 户）", taken.survey_id)
        if not found.surveys:
            combo.addItem("（尚无调查）", None)
        shown = None if found.whole is None else found.whole.survey_id
        combo.setCurrentIndex(max(combo.findData(shown), 0))
        combo.blockSignals(False)

    def draw(self) -> None:
        chart = self.chart()
        if chart is None or self._series_key(chart) not in self.loaded:
            return
        found = self.loaded[self._series_key(chart)]
        drawn = _new_chart()
        building = self.building() if chart.by_building else None
        if chart.key == "collection":
            self.sheet = _collection(drawn, found, building)
        elif chart.key == "arrears":
            self.sheet = _arrears(drawn, found, building)
        elif chart.key == "orders":
            self.sheet = _orders(drawn, found)
        elif chart.key == "coverage":
            self.sheet = _coverage(drawn, found)
        elif chart.key == "satisfaction":
            self.sheet = _satisfaction(drawn, found, building)
        elif chart.key == "visitors_hour":
            self.sheet = _visitors_by_hour(drawn, found)
        else:
            self.sheet = _visitors_by_weekday(drawn, found)
        old = self.ui.chartView.chart()
        self.ui.chartView.setChart(drawn)
        if old is not None:
            old.deleteLater()

    # ---- export -------------------------------------------------------------------------

    def _file_name(self) -> str:
        chart = self.chart()
        title = chart.title if chart else "图表"
        building = self.building() if chart and chart.by_building else None
        month = str(self.period()) if chart and chart.by_month else f"{clock.today():%Y-%m-%d}"
        survey = self.ui.surveyCombo.currentText() if chart and chart.by_survey else None
        if survey:
            month = survey.partition("（")[0]
        return "-".join(part for part in (title, building, month) if part)

    def ask_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "导出图片", f"{self._file_name()}.png", "PNG 图片 (*.png)"
        )
        if path:
            self.export_png(Path(path))

    def export_png(self, path: Path) -> None:
        """The chart as it is drawn on screen."""
        if not self.ui.chartView.grab().save(str(path), "PNG"):
            show_error(self, EnvironmentProblem(f"无法保存图片 {path}"), "导出图片")

    def ask_excel(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "导出 Excel", f"{self._file_name()}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            self.export_excel(Path(path))

    def export_excel(self, path: Path) -> None:
        """The chart's data: every building, month or bucket behind it."""
        sheet = self.sheet
        if sheet is None:
            return
        Op(self, self.ctx.tasks, lambda: write_book(path, [sheet]), title="导出 Excel").labelled(
            "正在导出…"
        ).run()


# ---- drawing: each returns the sheet of the data it drew ----------------------------------


def _font(size_delta: int = 0, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSize(max(font.pointSize() + size_delta, 7))
    font.setBold(bold)
    return font


def _new_chart() -> QChart:
    chart = QChart()
    chart.setTitleFont(_font(2, bold=True))
    chart.legend().setFont(_font())
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(6, 6, 6, 6))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _categories(chart: QChart, labels: Sequence[str]) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(list(labels))
    axis.setLabelsFont(_font(-1))
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    return axis


def _values(chart: QChart, title: str, top: float, side: Qt.AlignmentFlag) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, top)
    axis.setTitleText(title)
    axis.setTitleFont(_font(-1))
    axis.setLabelsFont(_font(-1))
    axis.setLabelFormat("%.0f")
    axis.applyNiceNumbers()
    chart.addAxis(axis, side)
    return axis


def _bars(
    chart: QChart,
    name: str,
    values: Sequence[float],
    x: QBarCategoryAxis,
    y: QValueAxis,
    label_format: str = "@value",
) -> QBarSeries:
    bars = QBarSet(name)
    bars.append([float(v) for v in values])
    bars.setColor(BAR)
    series = QBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsFormat(label_format)
    series.setLabelsPrecision(12)  # the values come rounded as they are to be read
    series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    bars.setLabelFont(_font(-2))
    bars.setLabelColor(QColor("#1f2933"))
    chart.addSeries(series)
    series.attachAxis(x)
    series.attachAxis(y)
    return series


def _target(chart: QChart, value: float, count: int, x: QBarCategoryAxis, y: QValueAxis) -> None:
    """The plan's target as a red dashed line across the categories."""
    line = QLineSeries()
    line.setName(f"目标 {value:.0f}%")
    for index in range(count):
        line.append(QPointF(index, value))
    pen = QPen(TARGET)
    pen.setWidth(2)
    pen.setStyle(Qt.PenStyle.DashLine)
    line.setPen(pen)
    chart.addSeries(line)
    line.attachAxis(x)
    line.attachAxis(y)


def _points(
    chart: QChart,
    name: str,
    values: Sequence[float | None],
    x: QBarCategoryAxis,
    y: QValueAxis,
    label_format: str,
) -> QScatterSeries:
    """A labelled mark over each category with a value (none where it is None)."""
    points = QScatterSeries()
    points.setName(name)
    points.setColor(LINE)
    points.setBorderColor(LINE)
    points.setMarkerSize(10)
    for index, value in enumerate(values):
        if value is not None:
            points.append(QPointF(index, value))
    points.setPointLabelsVisible(True)
    points.setPointLabelsFormat(label_format)
    points.setPointLabelsFont(_font(-2))
    points.setPointLabelsColor(LINE)
    chart.addSeries(points)
    points.attachAxis(x)
    points.attachAxis(y)
    return points


def _collection(chart: QChart, found: CollectionSeries, building: str | None) -> Sheet:
    points = found.points(building)
    chart.setTitle(f"{building or WHOLE}物业收入收缴率（截至 {found.as_of:%Y-%m-%d}）")
    x = _categories(
        chart,
        [
            f"{p.period.year % 100:02d}年{p.period.month}月{'<br>无应收' if p.rate is None else ''}"
            for p in points
        ],
    )
    y = _values(chart, "收缴率（%）", 100, Qt.AlignmentFlag.AlignLeft)
    y.setRange(0, 105)
    y.setTickCount(8)
    _bars(chart, "收缴率（%）", [_percent(p.rate) for p in points], x, y, "@value%")
    target = float(found.target * 100)
    _target(chart, target, len(points), x, y)
    y.setLabelFormat("%.0f")
    return found.sheet()


def _arrears(chart: QChart, found: ArrearsByAge, building: str | None) -> Sheet:
    bars = found.bars(building)
    total = sum(bar.owed_fen for bar in bars)
    chart.setTitle(
        f"{building or WHOLE}欠费账龄（截至 {found.as_of:%Y-%m-%d}，"
        f"合计 {format_yuan(total)} 元，{sum(bar.households for bar in bars)} 户）"
    )
    x = _categories(chart, [f"{bar.bucket.label}（{bar.households}户）" for bar in bars])
    # 元 while the largest bar is under 10万元, else 万元 with one decimal
    large = max(bar.owed_fen for bar in bars) >= 10_000_000
    unit = "欠费金额（万元）" if large else "欠费金额（元）"
    amounts = [
        round(bar.owed_fen / 1_000_000, 1) if large else round(bar.owed_fen / 100) for bar in bars
    ]
    y = _values(chart, unit, max([*amounts, 1.0]) * 1.15, Qt.AlignmentFlag.AlignLeft)
    _bars(chart, unit, amounts, x, y)
    chart.legend().hide()
    return found.sheet()


def _orders(chart: QChart, found: OrdersByCategory) -> Sheet:
    chart.setTitle(
        f"{found.period.label}工单分类与及时率（共 {found.total.orders} 张，"
        f"及时率 {found.total.on_time.text}）"
    )
    bars = found.bars
    x = _categories(chart, [bar.category for bar in bars])
    counts = [float(bar.orders) for bar in bars]
    y = _values(chart, "工单数", max([*counts, 1.0]) * 1.15, Qt.AlignmentFlag.AlignLeft)
    _bars(chart, "工单数", counts, x, y)
    right = _values(chart, "及时率（%）", 100, Qt.AlignmentFlag.AlignRight)
    right.setRange(0, 110)
    rates = [_percent(bar.on_time.value) if bar.on_time.base else None for bar in bars]
    _points(chart, "及时率（%，无到期工单的类别不标）", rates, x, right, "@yPoint%")
    return found.sheet()


def _coverage(chart: QChart, found: ButlerCoverage) -> Sheet:
    chart.setTitle(f"{found.period.label}管家联系覆盖率")
    bars = found.bars
    x = _categories(chart, [f"{bar.butler}（{bar.households}户）" for bar in bars])
    rates = [_percent(bar.rate) for bar in bars]
    target = float(found.target * 100)
    y = _values(chart, "覆盖率（%）", max([*rates, target]) * 1.3, Qt.AlignmentFlag.AlignLeft)
    _bars(chart, "覆盖率（%）", rates, x, y, "@value%")
    _target(chart, target, len(bars), x, y)
    return found.sheet()


def _visitors_by_hour(chart: QChart, found: VisitorTimes) -> Sheet:
    chart.setTitle(
        f"访客到达时段（{found.first_day:%Y-%m-%d} 至 {found.last_day:%Y-%m-%d}，"
        f"共 {found.visits} 次到访）"
    )
    x = _categories(chart, [str(hour) for hour in range(24)])
    x.setTitleText("到达钟点（时）")
    x.setTitleFont(_font(-1))
    counts = [float(n) for n in found.by_hour]
    y = _values(chart, "到访（次）", max([*counts, 1.0]) * 1.15, Qt.AlignmentFlag.AlignLeft)
    _bars(chart, "到访（次）", counts, x, y)
    chart.legend().hide()
    return found.sheet()


def _visitors_by_weekday(chart: QChart, found: VisitorTimes) -> Sheet:
    chart.setTitle(
        f"访客星期分布（{found.first_day:%Y-%m-%d} 至 {found.last_day:%Y-%m-%d}，"
        f"共 {found.visits} 次到访）"
    )
    x = _categories(chart, WEEKDAYS)
    counts = [float(n) for n in found.by_weekday]
    y = _values(chart, "到访（次）", max([*counts, 1.0]) * 1.15, Qt.AlignmentFlag.AlignLeft)
    _bars(chart, "到访（次）", counts, x, y)
    chart.legend().hide()
    return found.sheet()


def _satisfaction(chart: QChart, found: SurveySatisfaction, building: str | None) -> Sheet:
    """满意度 by dimension as bars, each with its 95% interval as a vertical line, the
    margin and the households in its label, against the 95% target line."""
    shown = found.results(building)
    place = building or WHOLE
    chart.legend().hide()
    if shown is None or shown.overall.answered == 0:
        chart.setTitle(
            f"截至 {found.as_of:%Y-%m-%d} 尚无已答的满意度调查"
            if shown is None
            else f"{place}在“{shown.name}”中尚无答卷"
        )
        return found.sheet()
    chart.setTitle(
        f"{place}满意度（按维度）：{shown.name}，{shown.answered} 户答卷，"
        f"总体 {shown.overall.text()}"
    )
    labels: list[str] = []
    rates: list[float] = []
    intervals: list[tuple[float, float] | None] = []
    for d in shown.dimensions:
        rate, margin = share_percent(d.share), margin_percent(d.share)
        value = "无答卷" if rate is None else f"{rate}%"
        spread = "" if margin is None else f" ±{margin}%"
        labels.append(f"{d.label}<br>{value}{spread}<br>{d.share.answered}户")
        rates.append(float(rate) if rate is not None else 0.0)
        if rate is not None and margin is not None:
            intervals.append((float(rate - margin), float(rate + margin)))
        else:
            intervals.append(None)
    target = float(found.target * 100)
    x = _categories(chart, labels)
    y = _values(chart, "满意度（%）", 100, Qt.AlignmentFlag.AlignLeft)
    # from the tens below the lowest bar, interval or target: the differences readable
    lowest = min([target, *rates, *(low for low, _ in filter(None, intervals))])
    y.setRange(max(0.0, (lowest - 5) // 10 * 10), 100)
    y.setTickCount(int((100 - y.min()) // 10) + 1)
    bars = _bars(chart, "满意度（%）", rates, x, y)
    bars.setLabelsVisible(False)  # each value is under its bar, clear of the interval
    _target(chart, target, len(labels), x, y)
    for index, interval in enumerate(intervals):
        if interval is not None:
            _interval(chart, index, interval, x, y)
    return found.sheet()


def _interval(
    chart: QChart, index: int, interval: tuple[float, float], x: QBarCategoryAxis, y: QValueAxis
) -> None:
    """A 95% interval over the bar at `index`: a vertical line with caps, kept in 0–100%."""
    low, high = (min(max(v, 0.0), 100.0) for v in interval)
    line = QLineSeries()
    cap = 0.12
    for px, py in (
        (index - cap, low),
        (index + cap, low),
        (index, low),
        (index, high),
        (index - cap, high),
        (index + cap, high),
    ):
        line.append(QPointF(px, py))
    pen = QPen(QColor("#1f2933"))
    pen.setWidth(2)
    line.setPen(pen)
    chart.addSeries(line)
    line.attachAxis(x)
    line.attachAxis(y)
