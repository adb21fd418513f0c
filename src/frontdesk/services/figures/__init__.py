"""Figures (统计图表): the series the charts draw, each read through the report it
reuses (collection, arrears, service desk, butler contacts, visitors).

The area's use-cases with their series, loaded on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.figures.series import (
        AgeBar,
        ArrearsByAge,
        ButlerCoverage,
        CategoryBar,
        CollectionSeries,
        CoverageBar,
        OrdersByCategory,
        RatePoint,
        VisitorTimes,
        arrears_by_age,
        butler_coverage,
        collection_series,
        orders_by_category,
        visitor_times,
    )

__all__ = [
    "AgeBar",
    "ArrearsByAge",
    "ButlerCoverage",
    "CategoryBar",
    "CollectionSeries",
    "CoverageBar",
    "OrdersByCategory",
    "RatePoint",
    "VisitorTimes",
    "arrears_by_age",
    "butler_coverage",
    "collection_series",
    "orders_by_category",
    "visitor_times",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
