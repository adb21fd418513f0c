"""The month's service report (客服月报): its rates and targets; no database.

Every rate is kept as two integer counts (`Rate`: hits of a base) and every average as
an integer sum over a count (`Average`), so nothing is rounded before it is printed and
an empty base reads 无数据 instead of dividing by zero. A percent is printed with one
decimal, rounded half up from the exact fraction.

The targets are the office's plan: 投诉处理及时率 100%, 投诉处理满意度 ≥ 90%,
满意度 ≥ 95%. A callback counts as satisfied (满意) when all three of its scores are
4 or 5 (满意 or 非常满意).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

NO_DATA = "无数据"
SATISFIED_FROM = 4  # a score of 4 (满意) or 5 (非常满意)
COMPLAINT_ON_TIME_TARGET = Fraction(1)  # 投诉处理及时率 100%
COMPLAINT_SATISFIED_TARGET = Fraction(90, 100)  # 投诉处理满意度 ≥ 90%
SATISFIED_TARGET = Fraction(95, 100)  # 满意度 ≥ 95%
SATISFIED_RULE = (
    "满意率 = 三项评分（响应速度、处理质量、服务态度）均为 4 分（满意）或 5 分（非常满意）"
    "的回访数 ÷ 回访数"
)


def percent_text(value: Fraction) -> str:
    """`93.5%`, one decimal rounded half up from the exact fraction."""
    tenths = (Decimal(value.numerator) * 1000 / Decimal(value.denominator)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return f"{tenths / 10:.1f}%"


@dataclass(frozen=True)
class Rate:
    """`hits` of `base` (on time, called back, satisfied …)."""

    hits: int = 0
    base: int = 0

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.hits, self.base) if self.base else None

    @property
    def text(self) -> str:
        value = self.value
        return NO_DATA if value is None else percent_text(value)

    @property
    def counts_text(self) -> str:
        return f"{self.hits}/{self.base}"

    def meets(self, target: Fraction) -> bool | None:
        """Whether the rate reaches `target`; None without data."""
        value = self.value
        return None if value is None else value >= target

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.hits + other.hits, self.base + other.base)


@dataclass(frozen=True)
class Average:
    """A mean score as its integer sum over the count of scores."""

    total: int = 0
    count: int = 0

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.total, self.count) if self.count else None

    @property
    def text(self) -> str:
        """`4.3` (one decimal, rounded half up), or 无数据."""
        if not self.count:
            return NO_DATA
        tenths = (Decimal(self.total) * 10 / Decimal(self.count)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        return f"{tenths / 10:.1f}"


def verdict(met: bool | None) -> str:
    """达标, 未达标, or 无数据 against a target."""
    if met is None:
        return NO_DATA
    return "达标" if met else "未达标"


def all_satisfied(scores: Sequence[int]) -> bool:
    """A callback counts as satisfied when every score is 满意 or 非常满意."""
    return min(scores) >= SATISFIED_FROM
