"""满意度（按维度）: a survey's 满意度 by dimension with its margin, for the community
and for each building, on a community where every number is counted by hand; the
survey shown by default is the one answered last by the figures' date; the sheet."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from frontdesk.domain.roles import Actor
from frontdesk.domain.surveys import Dimension
from frontdesk.services.database import Database
from frontdesk.services.figures import series
from tests.unit.survey_fixtures import Estate, make_estate, surveyed

pytestmark = pytest.mark.clock("2026-11-25T10:00")
MAY = datetime(2026, 5, 12, 15, 0).astimezone()
NOV = datetime(2026, 11, 10, 15, 0).astimezone()


@pytest.fixture
def estate(db: Database, admin: Actor) -> Estate:
    return make_estate(db, admin)


def figures(shown: series.SurveySatisfaction, building: str | None = None) -> dict[str, tuple]:
    found = shown.results(building)
    assert found is not None
    rows = {
        d.label: (series.share_percent(d.share), series.margin_percent(d.share), d.share.answered)
        for d in found.dimensions
    }
    rows["总体"] = (
        series.share_percent(found.overall),
        series.margin_percent(found.overall),
        found.answered,
    )
    return rows


def test_satisfaction_by_dimension_and_building_counted_by_hand(
    db: Database, admin: Actor, estate: Estate
) -> None:
    sid = surveyed(db, admin, "二季度满意度调查", MAY)
    shown = series.survey_satisfaction(db, admin)
    assert shown.whole is not None and shown.whole.survey_id == sid
    assert shown.target == Fraction(95, 100)
    # margin = 1.96 · sqrt(p(1−p)/n) · sqrt((N−n)/(N−1)), p(1−p) taken as 0.25 at p = 0 or 1
    # 客服接待 5 of 6: 1.96·sqrt((5/36)/6)·sqrt(14/19) = 25.6%; 工程维修 4 of 6: 32.4%;
    # every score 9 of 12, margin by the 6 households: 1.96·sqrt(0.1875/6)·sqrt(14/19)
    assert figures(shown) == {
        "客服接待": (Decimal("83.3"), Decimal("25.6"), 6),
        "工程维修": (Decimal("66.7"), Decimal("32.4"), 6),
        "总体": (Decimal("75.0"), Decimal("29.7"), 6),
    }
    assert list(shown.by_building) == ["1栋", "2栋"]
    # 1栋: 4 answers of 12 homes; 2栋: 2 answers of 8 homes
    assert figures(shown, "1栋") == {
        "客服接待": (Decimal("100.0"), Decimal("41.8"), 4),
        "工程维修": (Decimal("50.0"), Decimal("41.8"), 4),
        "总体": (Decimal("75.0"), Decimal("36.2"), 4),
    }
    assert figures(shown, "2栋") == {
        "客服接待": (Decimal("50.0"), Decimal("64.2"), 2),
        "工程维修": (Decimal("100.0"), Decimal("64.2"), 2),
        "总体": (Decimal("75.0"), Decimal("55.6"), 2),
    }
    # a building's figures are the survey's own results for that building
    whole = shown.whole
    assert [(b.building, b.share) for b in whole.buildings] == [
        ("1栋", shown.by_building["1栋"].overall),
        ("2栋", shown.by_building["2栋"].overall),
    ]
    assert whole.share_of(Dimension.RECEPTION) == shown.whole.dimensions[0].share


def test_the_survey_answered_last_by_the_day_is_shown_unless_one_is_chosen(
    db: Database, admin: Actor, estate: Estate
) -> None:
    assert series.survey_satisfaction(db, admin).whole is None  # no survey yet
    may = surveyed(db, admin, "二季度满意度调查", MAY)
    nov = surveyed(db, admin, "四季度满意度调查", NOV)
    shown = series.survey_satisfaction(db, admin)
    assert [s.survey_id for s in shown.surveys] == [nov, may]  # newest first
    assert [s.answered for s in shown.surveys] == [6, 6]
    assert shown.whole is not None and shown.whole.survey_id == nov
    # as of a day before November's answers, May's is the latest
    earlier = series.survey_satisfaction(db, admin, today=date(2026, 10, 31))
    assert [s.survey_id for s in earlier.surveys] == [may]
    assert earlier.whole is not None and earlier.whole.survey_id == may
    chosen = series.survey_satisfaction(db, admin, may)
    assert chosen.whole is not None and chosen.whole.name == "二季度满意度调查"


def test_the_sheet_carries_every_dimension_building_and_the_target(
    db: Database, admin: Actor, estate: Estate
) -> None:
    empty = series.survey_satisfaction(db, admin).sheet()
    assert "尚无已答的满意度调查" in str(empty[2][0][0])
    surveyed(db, admin, "二季度满意度调查", MAY)
    name, head, rows, _widths = series.survey_satisfaction(db, admin).sheet()
    assert name == "满意度"
    assert head[:4] == ["调查项目", "全小区满意度（%）", "全小区误差（±%）", "全小区答题户数"]
    assert head[4] == "1栋满意度（%）" and head[7] == "2栋满意度（%）"
    by_name = {row[0]: row for row in rows}
    assert by_name["客服接待"][1:] == [
        Decimal("83.3"), Decimal("25.6"), 6,
        Decimal("100.0"), Decimal("41.8"), 4,
        Decimal("50.0"), Decimal("64.2"), 2,
    ]  # fmt: skip
    assert by_name["各项合计"][1:4] == [Decimal("75.0"), Decimal("29.7"), 6]
    assert by_name["目标满意度（%）"][1] == Decimal("95.0")
    assert "二季度满意度调查" in str(rows[-1][0])
