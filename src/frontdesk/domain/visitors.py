"""Visitor rules: purposes, how the host confirmed, pass numbers, booking codes,
the states of a visit and a booking; no database.

Stored times are aware datetimes; "a day" is the counter's local calendar day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from frontdesk.errors import ValidationError

FREQUENT_VISITS = 5  # more visits than this to one household …
FREQUENT_DAYS = 30  # … within this many days flags the visitor
DEFAULT_RETENTION_DAYS = 180
RETENTION_RANGE = (30, 3650)
BOOKING_GRACE = timedelta(hours=1)  # a booking still admits this long after its window
BOOKING_DAYS_AHEAD = 90
MAX_PARTY = 50
MAX_STAY = timedelta(hours=24)
# A renovation worker arriving after the permitted working hours (to fetch tools, lock up).
AFTER_HOURS_STAY = timedelta(hours=1)


def renovation_leave(arrived: datetime, works_end: time) -> datetime:
    """When a renovation worker's visit ends: at the end of the permitted working
    hours of the day they came, or after a short stay when they came after it."""
    local = arrived.astimezone()
    end = datetime.combine(local.date(), works_end, local.tzinfo)
    return end if end > local else local + AFTER_HOURS_STAY


class Purpose(StrEnum):
    FAMILY = "family"
    DELIVERY = "delivery"
    RENOVATION = "renovation"
    REPAIR = "repair"
    VIEWING = "viewing"
    INSPECTION = "inspection"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PURPOSE_LABELS[self]

    @property
    def usual_stay(self) -> timedelta:
        """How long such a visit usually lasts: the default expected leave time."""
        return USUAL_STAY[self]


PURPOSE_LABELS = {
    Purpose.FAMILY: "探亲访友",
    Purpose.DELIVERY: "快递外卖",
    Purpose.RENOVATION: "装修施工",
    Purpose.REPAIR: "维修",
    Purpose.VIEWING: "中介看房",
    Purpose.INSPECTION: "政府检查",
    Purpose.OTHER: "其他",
}

USUAL_STAY = {
    Purpose.FAMILY: timedelta(hours=3),
    Purpose.DELIVERY: timedelta(minutes=30),
    Purpose.RENOVATION: timedelta(hours=8),
    Purpose.REPAIR: timedelta(hours=2),
    Purpose.VIEWING: timedelta(hours=1),
    Purpose.INSPECTION: timedelta(hours=2),
    Purpose.OTHER: timedelta(hours=2),
}


class Confirmation(StrEnum):
    """How the household confirmed the visitor before the gate let them in."""

    PHONE = "phone"  # the clerk called the household; who answered is recorded
    BOOKING = "booking"  # the household booked the visit beforehand
    ESCORTED = "escorted"  # a resident came to the gate to fetch them

    @property
    def label(self) -> str:
        return CONFIRMATION_LABELS[self]


def confirmation_phrase(confirmation: Confirmation, who: str) -> str:
    """How the visit was confirmed, as a clerk would say it: 业主徐敏军电话确认,
    业主徐敏军预约, 业主陪同; a worker's pass speaks for itself (持装修出入证 …)."""
    who = re.sub(r"^(业主|住户|租户|家属|产权人)\s+", r"\1", " ".join(who.split()))
    if who.startswith("持"):
        return who
    if not who:
        return confirmation.label
    verbs = {
        Confirmation.PHONE: "电话确认",
        Confirmation.BOOKING: "预约",
        Confirmation.ESCORTED: "陪同",
    }
    return f"{who}{verbs[confirmation]}"


CONFIRMATION_LABELS = {
    Confirmation.PHONE: "电话确认",
    Confirmation.BOOKING: "预约",
    Confirmation.ESCORTED: "业主陪同",
}


class PassPaper(StrEnum):
    ROLL_80 = "80mm"
    ROLL_58 = "58mm"
    A6 = "a6"

    @property
    def label(self) -> str:
        return {"80mm": "80 毫米小票", "58mm": "58 毫米小票", "a6": "A6 纸"}[self]


class VisitState(StrEnum):
    INSIDE = "inside"
    OVERDUE = "overdue"  # past the expected leave time
    STALE = "stale"  # from an earlier day and past its leave time: the next shift checks
    LEFT = "left"

    @property
    def label(self) -> str:
        return {
            "inside": "在场",
            "overdue": "超时未离",
            "stale": "跨日未签离",
            "left": "已离开",
        }[self]


def visit_state(
    arrived_at: datetime, expected_leave_at: datetime, left_at: datetime | None, now: datetime
) -> VisitState:
    if left_at is not None:
        return VisitState.LEFT
    if now <= expected_leave_at:
        return VisitState.INSIDE
    # Someone in at 23:50 and due out at 02:50 is not yet the next shift's problem.
    if arrived_at.astimezone().date() < now.astimezone().date():
        return VisitState.STALE
    return VisitState.OVERDUE


class BookingState(StrEnum):
    OPEN = "open"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"
    LAPSED = "lapsed"

    @property
    def label(self) -> str:
        return {"open": "待到访", "arrived": "已到访", "cancelled": "已取消", "lapsed": "已过期"}[
            self
        ]


def window_end_at(on: date, window_end: time) -> datetime:
    return datetime.combine(on, window_end).astimezone()


def booking_ends(on: date, window_end: time) -> datetime:
    """The last moment a booking admits its visitor (local time, aware)."""
    return window_end_at(on, window_end) + BOOKING_GRACE


def booking_state(
    on: date, window_end: time, arrived: bool, cancelled: bool, now: datetime
) -> BookingState:
    if arrived:
        return BookingState.ARRIVED
    if cancelled:
        return BookingState.CANCELLED
    if now > booking_ends(on, window_end):
        return BookingState.LAPSED
    return BookingState.OPEN


PASS_PREFIX = "FK"
_PASS = re.compile(rf"^{PASS_PREFIX}\d{{10}}$", re.ASCII)  # not Arabic-Indic or full-width digits
_CODE = re.compile(r"^\d{6}$", re.ASCII)


def pass_number(day: date, sequence: int) -> str:
    """FK2611250003: the day (yymmdd) and the visit's sequence that day."""
    return f"{PASS_PREFIX}{day:%y%m%d}{sequence:04d}"


def parse_pass_number(text: str, field: str = "访客单号") -> str:
    """What a clerk typed or a scanner sent (fk 261125 0003) as stored."""
    compact = re.sub(r"[\s\-]", "", text).upper()
    if not compact:
        raise ValidationError(field, "不能为空")
    if compact.isdigit() and len(compact) == 10:
        compact = PASS_PREFIX + compact
    if not _PASS.match(compact):
        raise ValidationError(field, "格式应为 FK 加 10 位数字，如 FK2611250003")
    return compact


PASS_TAIL = 4  # the last digits of a pass that sign it out on the day it was issued
_TAIL = re.compile(rf"^\d{{{PASS_TAIL}}}$", re.ASCII)


def pass_tail(text: str) -> str | None:
    """The last four digits of a pass typed alone (0003, 00 03), or None."""
    compact = re.sub(r"[\s\-]", "", text)
    return compact if _TAIL.match(compact) else None


def parse_booking_code(text: str, field: str = "预约码") -> str:
    compact = re.sub(r"\s", "", text)
    if not _CODE.match(compact):
        raise ValidationError(field, "应为 6 位数字")
    return compact


def normalize_document_number(text: str) -> str:
    """A document number as compared: no spaces or dashes, upper case."""
    return re.sub(r"[\s\-]", "", text).upper()


def check_party_size(count: int, field: str = "人数") -> int:
    if not 1 <= count <= MAX_PARTY:
        raise ValidationError(field, f"应在 1 到 {MAX_PARTY} 人之间")
    return count


def check_expected_leave(arrived_at: datetime, leave_at: datetime) -> datetime:
    if leave_at <= arrived_at:
        raise ValidationError("预计离开", "应晚于到达时间")
    if leave_at - arrived_at > MAX_STAY:
        raise ValidationError("预计离开", "访客单最长有效 24 小时，长住人员请登记为住户")
    return leave_at


def check_retention_days(days: int) -> int:
    low, high = RETENTION_RANGE
    if not low <= days <= high:
        raise ValidationError("访客信息保存天数", f"应在 {low} 到 {high} 天之间")
    return days
