"""钥匙托管: keys an owner leaves at the counter for an empty flat, with a written
authorisation (its scope and expiry); each lending out and return.

The tag on the key ring carries a number only (K-0042), never the room: a lost ring
must not lead anyone to a flat. Pure rules; no database."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from frontdesk.errors import ValidationError

TAG_PREFIX = "K-"
TAG_DIGITS = 4
DEFAULT_RETENTION_DAYS = 365  # who held a flat's key matters in a dispute for a year
RETENTION_RANGE = (90, 3650)
MAX_AUTHORISATION_DAYS = 3 * 366
MAX_LENDING = timedelta(days=30)
SCOPE_SEPARATOR = "、"
# A key lent out in the afternoon is due back within this long, else by closing time.
SHORT_LENDING = timedelta(hours=2)
CLOSING_TIME = time(18, 0)

_TAG = re.compile(r"^\s*(?:[Kk]\s*-?\s*)?(\d{1,4})\s*$")


class KeyScope(StrEnum):
    """What the owner's authorisation allows the key to be lent for."""

    RENOVATION = "renovation"
    REPAIR = "repair"
    VIEWING = "viewing"
    EMERGENCY = "emergency"

    @property
    def label(self) -> str:
        return SCOPE_LABELS[self]


SCOPE_LABELS = {
    KeyScope.RENOVATION: "装修",
    KeyScope.REPAIR: "维修",
    KeyScope.VIEWING: "看房",
    KeyScope.EMERGENCY: "应急",
}


class KeyState(StrEnum):
    HELD = "held"  # in the key cabinet, may be lent
    LAPSED = "lapsed"  # in the cabinet, but the authorisation has expired
    OUT = "out"
    OVERDUE = "overdue"  # out and past its due time
    RELEASED = "released"  # handed back to the owner

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    KeyState.HELD: "在柜",
    KeyState.LAPSED: "授权已过期",
    KeyState.OUT: "借出",
    KeyState.OVERDUE: "逾期未还",
    KeyState.RELEASED: "已退还业主",
}


def tag_number(sequence: int) -> str:
    """K-0042: the number on the key's tag."""
    if not 1 <= sequence < 10**TAG_DIGITS:
        raise ValidationError("钥匙编号", f"编号已用完（最多 {10**TAG_DIGITS - 1} 个）")
    return f"{TAG_PREFIX}{sequence:0{TAG_DIGITS}d}"


def parse_tag(text: str) -> str:
    """'k42', 'K-0042', '42' -> 'K-0042'; anything else names the field."""
    found = _TAG.match(text)
    if found is None or int(found.group(1)) == 0:
        raise ValidationError("钥匙编号", f"“{text.strip()}”不是钥匙编号（如 K-0042）")
    return tag_number(int(found.group(1)))


def scopes_text(scopes: frozenset[KeyScope]) -> str:
    """The scopes as stored and shown: 装修、维修 (in the fixed order)."""
    if not scopes:
        raise ValidationError("授权范围", "至少选择一项（装修、维修、看房、应急）")
    return SCOPE_SEPARATOR.join(s.label for s in KeyScope if s in scopes)


def parse_scopes(text: str) -> frozenset[KeyScope]:
    by_label = {s.label: s for s in KeyScope}
    parts = [p.strip() for p in re.split(r"[、,，\s]+", text) if p.strip()]
    unknown = [p for p in parts if p not in by_label and p not in KeyScope._value2member_map_]
    if unknown:
        raise ValidationError("授权范围", f"“{unknown[0]}”不是授权范围（装修、维修、看房、应急）")
    return frozenset(by_label.get(p) or KeyScope(p) for p in parts)


def check_authorisation(authorised_on: date, expires_on: date, today: date) -> None:
    if authorised_on > today:
        raise ValidationError("授权日期", "不能晚于今天")
    if expires_on < today:
        raise ValidationError("授权截止", "授权已过期，请业主重新出具授权书")
    if (expires_on - authorised_on).days > MAX_AUTHORISATION_DAYS:
        raise ValidationError("授权截止", "授权期限不能超过三年")


def check_due_back(out_at: datetime, due_back_at: datetime) -> datetime:
    if due_back_at <= out_at:
        raise ValidationError("应还时间", "应晚于借出时间")
    if due_back_at - out_at > MAX_LENDING:
        raise ValidationError("应还时间", "一次借出不能超过 30 天")
    return due_back_at


def usual_due_back(now: datetime) -> datetime:
    """Back by closing time today, or two hours after a late lending."""
    local = now.astimezone()
    closing = datetime.combine(local.date(), CLOSING_TIME, local.tzinfo)
    return max(closing, local + SHORT_LENDING)


def key_state(
    expires_on: date,
    released: bool,
    due_back_at: datetime | None,
    now: datetime,
    today: date,
) -> KeyState:
    """`due_back_at` is that of the open lending (None: the key is in the cabinet);
    `today` is now's local day (worked out once for a whole list)."""
    if released:
        return KeyState.RELEASED
    if due_back_at is not None:
        return KeyState.OVERDUE if due_back_at < now else KeyState.OUT
    return KeyState.LAPSED if expires_on < today else KeyState.HELD


def check_retention_days(days: int) -> int:
    low, high = RETENTION_RANGE
    if not low <= days <= high:
        raise ValidationError("钥匙借用记录保存天数", f"应在 {low} 到 {high} 天之间")
    return days
