"""满意度调查: the dimensions asked about, the 5-point scale, the sample drawn by
building, the calls made and the 满意度 with its margin of error.

Pure rules: no database, no Qt. The services hand in plain rows and store what
these functions decide."""

from __future__ import annotations

import calendar
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from fractions import Fraction

from frontdesk.errors import ValidationError

MAX_ATTEMPTS = 3  # calls to one household before it counts as not reached
RESURVEY_MONTHS = 6  # a household surveyed within this many months is left out
Z_95 = 1.959963984540054  # the normal quantile for a two-sided 95% interval
LOW_SCORE = 2  # 不满意 or worse: may become a work order
# The work plan's 满意度 ≥ 95%: the share of scores of 满意 or 非常满意 a survey should reach.
SATISFACTION_TARGET = Fraction(95, 100)


class Dimension(StrEnum):
    """What a survey asks about; the plan's service areas."""

    RECEPTION = "reception"
    REPAIRS = "repairs"
    SECURITY = "security"
    CLEANING = "cleaning"
    GREENING = "greening"
    DISCLOSURE = "disclosure"
    ACTIVITIES = "activities"
    PARKING = "parking"
    OVERALL = "overall"

    @property
    def label(self) -> str:
        return DIMENSION_LABELS[self]


# The service-desk category a low score's work order is filed under by default.
DIMENSION_CATEGORIES = {
    "reception": "服务态度",
    "repairs": "水电",
    "security": "秩序",
    "cleaning": "保洁",
    "greening": "绿化",
    "parking": "停车",
}

DIMENSION_LABELS = {
    Dimension.RECEPTION: "客服接待",
    Dimension.REPAIRS: "工程维修",
    Dimension.SECURITY: "秩序维护",
    Dimension.CLEANING: "环境保洁",
    Dimension.GREENING: "绿化养护",
    Dimension.DISCLOSURE: "信息公开",
    Dimension.ACTIVITIES: "社区活动",
    Dimension.PARKING: "停车管理",
    Dimension.OVERALL: "总体评价",
}


class Score(IntEnum):
    VERY_DISSATISFIED = 1
    DISSATISFIED = 2
    NEUTRAL = 3
    SATISFIED = 4
    VERY_SATISFIED = 5

    @property
    def label(self) -> str:
        return SCORE_LABELS[self]


SCORE_LABELS = {
    Score.VERY_DISSATISFIED: "非常不满意",
    Score.DISSATISFIED: "不满意",
    Score.NEUTRAL: "一般",
    Score.SATISFIED: "满意",
    Score.VERY_SATISFIED: "非常满意",
}


class Outcome(StrEnum):
    """What one call came to."""

    REACHED = "reached"  # 接通: the answers are taken
    NO_ANSWER = "no_answer"  # 未接通: try again, up to MAX_ATTEMPTS
    REFUSED = "refused"  # 拒访: not called again

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.REACHED: "接通",
    Outcome.NO_ANSWER: "未接通",
    Outcome.REFUSED: "拒访",
}


class Status(StrEnum):
    """Where one sampled household stands."""

    PENDING = "pending"  # not called yet, or not reached with attempts left
    ANSWERED = "answered"  # by phone or by paper
    UNREACHED = "unreached"  # MAX_ATTEMPTS calls, none reached
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.PENDING: "待访",
    Status.ANSWERED: "已答",
    Status.UNREACHED: "未接通",
    Status.REFUSED: "拒访",
}


def parse_score(value: int | str, field: str) -> Score:
    """A score 1–5; anything else names the field."""
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise ValidationError(field, "请填 1–5 的分数（1 非常不满意 … 5 非常满意）")
    return Score(int(text))


def status_after(outcomes: Sequence[Outcome]) -> Status:
    """A household's state after its calls, in order."""
    if Outcome.REACHED in outcomes:
        return Status.ANSWERED
    if Outcome.REFUSED in outcomes:
        return Status.REFUSED
    return Status.UNREACHED if len(outcomes) >= MAX_ATTEMPTS else Status.PENDING


def check_attempt(outcomes: Sequence[Outcome]) -> None:
    """Refuse another call to a household already answered, refusing or out of tries."""
    status = status_after(outcomes)
    if status != Status.PENDING:
        raise ValidationError("通话结果", f"该户已{status.label}，不再拨打")


# the figure ----------------------------------------------------------------------


def is_satisfied(score: int) -> bool:
    """满意 or 非常满意."""
    return score >= Score.SATISFIED


@dataclass(frozen=True)
class Share:
    """满意度 of one dimension or building: `satisfied` of `answered` said 满意 or 非常满意."""

    answered: int
    satisfied: int
    margin: float | None  # half-width of the 95% interval, as a share; None: no answers

    @property
    def rate(self) -> float | None:
        return None if self.answered == 0 else self.satisfied / self.answered

    def text(self) -> str:
        """'93.5%（±2.1%）' or '—'."""
        if self.rate is None:
            return "—"
        margin = "" if self.margin is None else f"（±{self.margin * 100:.1f}%）"
        return f"{self.rate * 100:.1f}%{margin}"


def margin_of_error(satisfied: int, answered: int, population: int) -> float | None:
    """The half-width of the 95% confidence interval of the share satisfied/answered.

    The normal (Wald) interval with the finite population correction:

        e = z · sqrt(p(1 − p) / n) · sqrt((N − n) / (N − 1)),   z = 1.96

    n the households that answered, N the households of the community (the population
    the sample stands for), p the observed share. When p is 0 or 1 the Wald width is
    zero, which overstates certainty: p(1 − p) is then taken at its worst case 0.25,
    the conservative width a survey plans its sample with. None without answers; 0
    when every household answered (n = N: a census has no sampling error)."""
    if answered <= 0:
        return None
    return margin_at(satisfied / answered, answered, population)


def margin_at(p: float, answered: int, population: int) -> float | None:
    """`margin_of_error` for an observed share `p` of `answered` of `population`."""
    if answered <= 0:
        return None
    if population < answered:
        raise ValueError("population smaller than the answers")
    if population == answered:
        return 0.0
    variance = p * (1 - p) if 0 < p < 1 else 0.25
    fpc = (population - answered) / (population - 1)
    return Z_95 * math.sqrt(variance / answered) * math.sqrt(fpc)


def share(scores: Iterable[int], population: int) -> Share:
    values = list(scores)
    good = sum(1 for s in values if is_satisfied(s))
    return Share(len(values), good, margin_of_error(good, len(values), population))


# the sample ----------------------------------------------------------------------


@dataclass(frozen=True)
class Household:
    """A household the sample may draw: its room and building."""

    room_id: int
    building_id: int


def sample_size(households: int, *, count: int | None = None, percent: int | None = None) -> int:
    """How many to draw: a count, or a percentage of `households` rounded half up."""
    if (count is None) == (percent is None):
        raise ValidationError("样本量", "请填户数或百分比中的一项")
    if percent is not None:
        if not 1 <= percent <= 100:
            raise ValidationError("样本比例", "请填 1–100 之间的百分比")
        size = (households * percent + 50) // 100
        return max(size, 1) if households else 0
    assert count is not None
    if count < 1:
        raise ValidationError("样本量", "至少抽取 1 户")
    return count


def allocate(strata: Mapping[int, int], size: int) -> dict[int, int]:
    """Proportional allocation of `size` over strata of the given sizes (largest
    remainder, Hamilton's method): each stratum gets ⌊size·Nₕ/N⌋, and the households
    left over go to the largest remainders (ties by the stratum's key), so the parts
    add up to `size` exactly and no stratum gets more than it has."""
    total = sum(strata.values())
    if size > total:
        raise ValidationError("样本量", f"样本量 {size} 户超过可抽取的 {total} 户")
    if total == 0:
        return dict.fromkeys(strata, 0)
    parts = {key: size * n // total for key, n in strata.items()}
    left = size - sum(parts.values())
    order = sorted(strata, key=lambda key: (-(size * strata[key] % total), key))
    for key in order[:left]:
        parts[key] += 1
    return parts


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def draw(
    households: Sequence[Household],
    size: int,
    *,
    excluded: Iterable[int] = (),
    seed: int,
) -> list[Household]:
    """A stratified random sample by building: the eligible households (those not in
    `excluded`, the rooms surveyed within RESURVEY_MONTHS) split by building, each
    building's share by `allocate`, drawn without replacement. The same seed and the
    same households give the same sample. Sorted by building, then room."""
    left_out = set(excluded)
    eligible = sorted(
        (h for h in households if h.room_id not in left_out),
        key=lambda h: (h.building_id, h.room_id),
    )
    if size > len(eligible):
        raise ValidationError(
            "样本量",
            f"样本量 {size} 户超过可抽取的 {len(eligible)} 户"
            f"（共 {len(households)} 户，近 {RESURVEY_MONTHS} 个月已调查的 "
            f"{len(households) - len(eligible)} 户不再抽取）",
        )
    by_building: dict[int, list[Household]] = {}
    for h in eligible:
        by_building.setdefault(h.building_id, []).append(h)
    parts = allocate({b: len(hs) for b, hs in by_building.items()}, size)
    rng = random.Random(seed)
    chosen: list[Household] = []
    for building in sorted(by_building):
        chosen.extend(rng.sample(by_building[building], parts[building]))
    return sorted(chosen, key=lambda h: (h.building_id, h.room_id))


def form_number(survey_id: int, serial: int) -> str:
    """The number printed on a paper form and typed back: MY<survey>-<serial>."""
    return f"MY{survey_id:03d}-{serial:04d}"


def parse_form_number(text: str) -> tuple[int, int]:
    """(survey id, serial) of 'MY001-0012' (case, spaces and a missing hyphen forgiven)."""
    cleaned = text.strip().upper().replace(" ", "")
    if cleaned.startswith("MY"):
        cleaned = cleaned[2:]
    head, sep, tail = cleaned.partition("-")
    if not sep and len(cleaned) > 4:
        head, tail = cleaned[:-4], cleaned[-4:]
    if not (head.isdigit() and tail.isdigit()):
        raise ValidationError("问卷编号", "请输入问卷右上角的编号，如 MY001-0012")
    return int(head), int(tail)
