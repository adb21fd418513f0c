"""Figures across the areas: the month's and the year's work figures against the
plan's targets (物业工作月报, 年度工作总结), loaded on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.figures.monthly import (
        AgeLine,
        Concern,
        ConcernGroup,
        Kpi,
        MonthLine,
        MonthlyFigures,
        TrendPoint,
        monthly_figures,
        yearly_figures,
    )

__all__ = [
    "AgeLine",
    "Concern",
    "ConcernGroup",
    "Kpi",
    "MonthLine",
    "MonthlyFigures",
    "TrendPoint",
    "monthly_figures",
    "yearly_figures",
]

__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
