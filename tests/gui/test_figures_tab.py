"""报表 → 统计图表: every chart the role may see is drawn from the figures' series; the
building chooser redraws 收缴率 for one building; 满意度 by dimension draws the survey
chosen (newest first) and says so when there is none; a chart saves as a PNG and its data as
an Excel sheet whose numbers are the service's."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCharts import QBarSeries
from PySide6.QtGui import QColor, QImage

from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.reports.figures_tab import CHARTS, FiguresTab
from frontdesk.gui.screens.reports.screen import ReportsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.colours import BLUE
from frontdesk.services.figures import series
from tests.unit.figure_fixtures import JUNE, NOVEMBER, make_town, pay_town
from tests.unit.survey_fixtures import make_estate, surveyed
from tests.unit.test_survey_figures import MAY, NOV

pytestmark = pytest.mark.clock("2026-11-25T10:00")


def bars(tab: FiguresTab) -> list[float]:
    chart = tab.ui.chartView.chart()
    found = [s for s in chart.series() if isinstance(s, QBarSeries)]
    assert len(found) == 1
    bar_set = found[0].barSets()[0]
    return [bar_set.at(i) for i in range(bar_set.count())]


def blue_pixels(path: Path) -> int:
    image = QImage(str(path))
    assert not image.isNull() and image.width() > 400
    blue = QColor(BLUE).rgb()
    return sum(
        image.pixel(x, y) == blue
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
    )


def test_the_charts_are_drawn_and_export_as_png_and_excel(qtbot, db, admin, tmp_path) -> None:
    pay_town(db, admin, make_town(db, admin))
    screen = ReportsScreen(AppContext(db, admin, TaskRunner(wait=True)))
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    tab = screen.figures
    assert tab is not None
    assert screen.ui.tabs.tabText(screen.ui.tabs.indexOf(tab)) == "统计图表"
    screen.ui.tabs.setCurrentWidget(tab)
    assert [c.key for c in tab.charts] == [c.key for c in CHARTS]  # a supervisor sees all

    # 收缴率: twelve months, the whole community first; June 66.7%, November 50%
    tab.choose("collection")
    values = bars(tab)
    assert len(values) == 12 and values[-1] == 50.0
    assert values[JUNE.month - NOVEMBER.month - 1] == 66.7
    assert "全小区物业收入收缴率" in tab.ui.chartView.chart().title()
    months = tab.ui.chartView.chart().axes()[0].categories()
    assert months[-1] == "26年11月" and months[0] == "25年12月<br>无应收"  # no bills: no rate
    combo = tab.ui.buildingCombo
    assert [combo.itemText(i) for i in range(combo.count())] == ["全小区", "1栋", "2栋"]
    combo.setCurrentIndex(2)
    assert bars(tab)[-1] == 50.0 and bars(tab)[JUNE.month - NOVEMBER.month - 1] == 100.0
    assert tab.ui.chartView.chart().title().startswith("2栋")

    png = tmp_path / "收缴率.png"
    tab.export_png(png)
    assert blue_pixels(png) > 50  # the bars are drawn

    excel = tmp_path / "收缴率.xlsx"
    tab.export_excel(excel)
    sheet = load_workbook(excel).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    found = series.collection_series(db, admin)
    for point in found.whole:
        row = rows[point.period.label]
        assert row[1] * 100 == point.due_fen and row[2] * 100 == point.collected_fen
        assert row[3] == (None if point.rate is None else float(series.percent(point.rate)))
    assert rows["2026年11月"][3] == 50 and rows["2026年6月"][4:6] == (50, 100)  # 1栋, 2栋

    # every other chart draws its series
    tab.choose("arrears")
    assert bars(tab) == [100, 100, 0, 0, 0]  # 元: 1-1-102's October (1 month) and June (5)
    tab.choose("orders")
    assert tab.ui.monthCombo.isVisible() and not tab.ui.buildingCombo.isVisible()
    assert bars(tab) == []  # no work orders this month
    tab.choose("coverage")
    assert bars(tab) == []  # no butlers
    tab.choose("visitors_hour")
    assert len(bars(tab)) == 24
    tab.choose("visitors_week")
    assert len(bars(tab)) == 7
    tab.export_excel(tmp_path / "访客.xlsx")
    week = load_workbook(tmp_path / "访客.xlsx").active
    assert week.cell(1, 1).value == "星期" and week.cell(9, 1).value == "合计"


def test_a_clerk_sees_only_the_charts_of_their_work(qtbot, db, make_user) -> None:
    clerk = make_user(Role.CLERK)
    tab = FiguresTab(AppContext(db, clerk, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    assert [c.key for c in tab.charts] == [
        "orders",
        "satisfaction",
        "visitors_hour",
        "visitors_week",
    ]


def test_satisfaction_by_dimension_draws_the_chosen_survey_and_exports_it(
    qtbot, db, admin, tmp_path
) -> None:
    tab = FiguresTab(AppContext(db, admin, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    tab.choose("satisfaction")
    chart = tab.ui.chartView.chart()
    assert "尚无已答的满意度调查" in chart.title()  # said in the chart area, no empty axes
    assert chart.axes() == [] and chart.series() == []

    make_estate(db, admin)
    may = surveyed(db, admin, "二季度满意度调查", MAY)
    nov = surveyed(db, admin, "四季度满意度调查", NOV)
    tab.refresh()
    assert tab.ui.surveyCombo.isVisible() and tab.ui.buildingCombo.isVisible()
    assert not tab.ui.monthCombo.isVisible()
    combo = tab.ui.surveyCombo
    assert [combo.itemData(i) for i in range(combo.count())] == [nov, may]  # newest first
    assert combo.currentData() == nov
    assert bars(tab) == [83.3, 66.7]  # 客服接待 5 of 6, 工程维修 4 of 6
    chart = tab.ui.chartView.chart()
    assert "四季度满意度调查" in chart.title() and "6 户答卷" in chart.title()
    labels = chart.axes()[0].categories()
    assert labels == ["客服接待<br>83.3% ±25.6%<br>6户", "工程维修<br>66.7% ±32.4%<br>6户"]
    # the axis starts at the tens below the lowest interval (66.7 − 32.4 = 34.3)
    assert (chart.axes()[1].min(), chart.axes()[1].max()) == (20, 100)
    buildings = tab.ui.buildingCombo
    assert [buildings.itemText(i) for i in range(buildings.count())] == ["全小区", "1栋", "2栋"]
    buildings.setCurrentIndex(2)
    assert bars(tab) == [50.0, 100.0]  # 2栋: 1 of 2, 2 of 2
    assert tab.ui.chartView.chart().title().startswith("2栋满意度")

    combo.setCurrentIndex(1)  # May's survey
    assert "二季度满意度调查" in tab.ui.chartView.chart().title()
    png = tmp_path / "满意度.png"
    tab.export_png(png)
    assert blue_pixels(png) > 50
    excel = tmp_path / "满意度.xlsx"
    tab.export_excel(excel)
    sheet = load_workbook(excel).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["客服接待"][1:4] == (83.3, 25.6, 6)
    assert "二季度满意度调查" in str(list(rows)[-1])
