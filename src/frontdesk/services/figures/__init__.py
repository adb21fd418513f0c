"""Figures across the areas: the series the charts draw (统计图表), each read through
the report it reuses (collection, arrears, service desk, butler contacts, visitors),
and the month's and the year's work figures against the plan's targets (物业工作月报,
年度工作总结), loaded on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.figures.concerns import Concern, ConcernGroup
    from frontdesk.services.figures.monthly import (
        REPORT_PERMISSIONS,
        AgeLine,
        Kpi,
        MonthLine,
        MonthlyFigures,
        TrendPoint,
        monthly_figures,
        yearly_figures,
    )
    from frontdesk.services.figures.series import (
        AgeBar,
        ArrearsByAge,
        ButlerCoverage,
        CategoryBar,
        CollectionSeries,
        CoverageBar,
        OrdersByCategory,
        RatePoint,
        SurveySatisfaction,
        VisitorTimes,
        arrears_by_age,
        butler_coverage,
        collection_series,
        orders_by_category,
        survey_satisfaction,
        visitor_times,
    )

__all__ = [
    "REPORT_PERMISSIONS",
    "AgeBar",
    "AgeLine",
    "ArrearsByAge",
    "ButlerCoverage",
    "CategoryBar",
    "CollectionSeries",
    "Concern",
    "ConcernGroup",
    "CoverageBar",
    "Kpi",
    "MonthLine",
    "MonthlyFigures",
    "OrdersByCategory",
    "RatePoint",
    "SurveySatisfaction",
    "TrendPoint",
    "VisitorTimes",
    "arrears_by_age",
    "butler_coverage",
    "collection_series",
    "monthly_figures",
    "orders_by_category",
    "survey_satisfaction",
    "visitor_times",
    "yearly_figures",
]

__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
