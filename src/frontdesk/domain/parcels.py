"""快递代收: the counter takes parcels in for households and hands them over; pure rules.

A parcel gets a register number (KD2612070001: the day and its sequence) and a short
pick-up code (6 digits, unique among the parcels still waiting) printed big on its
shelf label. It is handed over on the code or the tracking number, to the resident or
to someone they named, after an identity check the clerk chooses.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum

from frontdesk.errors import ValidationError

NUMBER_PREFIX = "KD"
CODE_LENGTH = 6
DEFAULT_OVERDUE_DAYS = 3
OVERDUE_RANGE = (1, 30)
DEFAULT_RETENTION_DAYS = 180  # like visitors': a dispute over a parcel comes within months
RETENTION_RANGE = (30, 3650)
DEFAULT_COURIERS = (
    "顺丰",
    "中通",
    "圆通",
    "申通",
    "韵达",
    "极兔",
    "京东",
    "邮政EMS",
    "德邦",
    "其他",
)
MAX_COURIERS = 20
TRACKING_TAIL = 4

_NUMBER = re.compile(rf"^{NUMBER_PREFIX}\d{{10}}$", re.ASCII)
_CODE = re.compile(rf"^\d{{{CODE_LENGTH}}}$", re.ASCII)
_TRACKING = re.compile(r"^[A-Z0-9\-]{6,40}$", re.ASCII)
_SPACES = re.compile(r"\s+")


class IdentityCheck(StrEnum):
    """How the clerk made sure the parcel goes to the right person."""

    CODE = "code"
    ID_CARD = "id_card"
    KNOWN_FACE = "known_face"
    PHONE = "phone"

    @property
    def label(self) -> str:
        return IDENTITY_LABELS[self]


IDENTITY_LABELS = {
    IdentityCheck.CODE: "取件码",
    IdentityCheck.ID_CARD: "身份证",
    IdentityCheck.KNOWN_FACE: "人脸熟识",
    IdentityCheck.PHONE: "电话核实",
}


class ParcelState(StrEnum):
    WAITING = "waiting"
    OVERDUE = "overdue"  # waiting longer than the settings allow: the butler calls
    COLLECTED = "collected"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    ParcelState.WAITING: "待取",
    ParcelState.OVERDUE: "超期未取",
    ParcelState.COLLECTED: "已取",
}


def parcel_number(day: date, sequence: int) -> str:
    """KD2612070012: the day (yymmdd) and the parcel's sequence that day."""
    return f"{NUMBER_PREFIX}{day:%y%m%d}{sequence:04d}"


def is_parcel_number(text: str) -> bool:
    return bool(_NUMBER.match(compact(text)))


def compact(text: str) -> str:
    """What a scanner or a clerk typed, as stored: no spaces, upper case."""
    return _SPACES.sub("", text).upper()


def parse_code(text: str) -> str | None:
    """The pick-up code typed alone (123456, 123 456), or None."""
    value = compact(text)
    return value if _CODE.match(value) else None


def new_code(taken: Collection[str], draw: int | None = None) -> str:
    """A code no waiting parcel has; `draw` (tests) picks the first one tried."""
    space = 10**CODE_LENGTH
    start = secrets.randbelow(space) if draw is None else draw % space
    if len(taken) >= space:
        raise ValidationError("取件码", "待取快递过多，取件码已用完")
    for step in range(space):
        code = f"{(start + step * 7919) % space:0{CODE_LENGTH}d}"  # 7919 is prime to 10^6
        if code not in taken:
            return code
    raise ValidationError("取件码", "待取快递过多，取件码已用完")


def normalize_tracking(text: str, field: str = "快递单号") -> str:
    value = compact(text)
    if not value:
        raise ValidationError(field, "不能为空（扫描面单条码或手工输入）")
    if not _TRACKING.match(value):
        raise ValidationError(field, "应为 6 到 40 位字母或数字，如 SF1234567890123")
    return value


def tracking_tail(tracking: str) -> str:
    """…8842: enough to tell parcels apart on a shelf, not enough to track one."""
    return f"…{tracking[-TRACKING_TAIL:]}" if tracking else ""


def check_courier(courier: str, couriers: Sequence[str]) -> str:
    value = courier.strip()
    if not value:
        raise ValidationError("快递公司", "请选择快递公司")
    if value not in couriers:
        raise ValidationError("快递公司", f"「{value}」不在快递公司列表中，请在设置中添加")
    return value


def check_couriers(couriers: Sequence[str]) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(c.strip() for c in couriers if c.strip()))
    if not names:
        raise ValidationError("快递公司", "至少列出一家快递公司")
    if len(names) > MAX_COURIERS:
        raise ValidationError("快递公司", f"最多 {MAX_COURIERS} 家")
    if any(len(name) > 20 or "、" in name for name in names):
        raise ValidationError("快递公司", "每家名称不超过 20 个字，不含“、”")
    return names


def check_days(days: int, field: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if not low <= days <= high:
        raise ValidationError(field, f"应在 {low} 到 {high} 天之间")
    return days


def waiting_days(received_at: datetime, now: datetime) -> int:
    """Whole local days on the shelf: taken in yesterday evening is 1 day today."""
    return (now.astimezone().date() - received_at.astimezone().date()).days


def parcel_state(
    received_at: datetime, collected_at: datetime | None, now: datetime, overdue_days: int
) -> ParcelState:
    if collected_at is not None:
        return ParcelState.COLLECTED
    if waiting_days(received_at, now) >= overdue_days:
        return ParcelState.OVERDUE
    return ParcelState.WAITING


def overdue_before(now: datetime, overdue_days: int) -> datetime:
    """Parcels taken in before this instant (local midnight) are overdue now."""
    first_fresh = now.astimezone().date() - timedelta(days=overdue_days - 1)
    return datetime.combine(first_fresh, datetime.min.time()).astimezone()


# Tracking numbers whose prefix names the courier; the others are told by the clerk.
COURIER_PREFIXES = (("SF", "顺丰"), ("JDV", "京东"), ("JD", "京东"), ("YT", "圆通"), ("JT", "极兔"))


def guess_courier(tracking: str, couriers: Sequence[str]) -> str | None:
    """The courier a scanned number's prefix names, when the list offers it."""
    value = compact(tracking)
    for prefix, courier in COURIER_PREFIXES:
        if value.startswith(prefix) and courier in couriers:
            return courier
    return None
