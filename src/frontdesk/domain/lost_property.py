"""失物招领: things found in the community, kept at the office, claimed by their owner
with an identity check and a signature, or after the keeping period handed to the
police or disposed of. No database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from frontdesk.domain.day_numbers import day_number, parse_day_number
from frontdesk.errors import ValidationError

PREFIX = "SW"
MAX_PER_DAY = 999
DEFAULT_KEEP_DAYS = 30  # then the police (valuables, papers) or disposal
KEEP_RANGE = (7, 365)
DEFAULT_RETENTION_DAYS = 365  # finders' and claimants' details, after the item left
RETENTION_RANGE = (90, 3650)


class Category(StrEnum):
    DOCUMENTS = "documents"
    KEYS = "keys"
    ELECTRONICS = "electronics"
    WALLET = "wallet"
    CLOTHING = "clothing"
    UMBRELLA = "umbrella"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.DOCUMENTS: "证件",
    Category.KEYS: "钥匙",
    Category.ELECTRONICS: "手机/电子产品",
    Category.WALLET: "钱包/现金",
    Category.CLOTHING: "衣物",
    Category.UMBRELLA: "雨具",
    Category.OTHER: "其他",
}
# What goes to the police at the end of the keeping period, never thrown away.
VALUABLE = frozenset({Category.DOCUMENTS, Category.ELECTRONICS, Category.WALLET})


class IdCheck(StrEnum):
    """How the office satisfied itself the claimant owns the item."""

    ID_CARD = "id_card"  # an identity document seen, its number recorded
    DESCRIPTION = "description"  # described the item's features / contents exactly
    KNOWN = "known"  # a resident the clerk knows by sight

    @property
    def label(self) -> str:
        return ID_CHECK_LABELS[self]


ID_CHECK_LABELS = {
    IdCheck.ID_CARD: "查验身份证件",
    IdCheck.DESCRIPTION: "准确描述物品特征",
    IdCheck.KNOWN: "本小区住户（熟识）",
}


class Disposal(StrEnum):
    POLICE = "police"
    DONATED = "donated"
    DISCARDED = "discarded"

    @property
    def label(self) -> str:
        return DISPOSAL_LABELS[self]


DISPOSAL_LABELS = {
    Disposal.POLICE: "移交派出所",
    Disposal.DONATED: "捐赠",
    Disposal.DISCARDED: "报废处理",
}


class ItemState(StrEnum):
    HELD = "held"
    DUE = "due"  # held past the keeping period: the police or disposal now
    CLAIMED = "claimed"
    DISPOSED = "disposed"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    ItemState.HELD: "保管中",
    ItemState.DUE: "已到期待处理",
    ItemState.CLAIMED: "已认领",
    ItemState.DISPOSED: "已处理",
}


def item_number(day: date, sequence: int) -> str:
    """SW-261125003: the day found (yymmdd) and the item's sequence that day."""
    return day_number(PREFIX, day, sequence)


def parse_item_number(text: str, field: str = "登记号") -> str:
    """What a clerk typed or a scanner sent (sw261125003, SW-261125003, 261125003)."""
    return parse_day_number(text, PREFIX, field, "SW-261125003")


def due_on(found_at: datetime, keep_days: int) -> date:
    """The first day the item may go to the police or be disposed of."""
    return found_at.astimezone().date() + timedelta(days=keep_days)


def item_state(
    found_at: datetime,
    claimed_at: datetime | None,
    disposed_at: datetime | None,
    keep_days: int,
    today: date,
) -> ItemState:
    if claimed_at is not None:
        return ItemState.CLAIMED
    if disposed_at is not None:
        return ItemState.DISPOSED
    return ItemState.DUE if today >= due_on(found_at, keep_days) else ItemState.HELD


def check_disposal(category: Category, disposal: Disposal, due: date, today: date) -> None:
    """Only after the keeping period (the police may take an item earlier); valuables
    and papers only to the police."""
    if disposal != Disposal.POLICE and today < due:
        raise ValidationError("处理方式", f"保管期至 {due:%Y-%m-%d}，期满前只能移交派出所")
    if category in VALUABLE and disposal != Disposal.POLICE:
        raise ValidationError("处理方式", f"{category.label}类物品只能移交派出所")


def check_found_at(found_at: datetime, now: datetime) -> None:
    if found_at > now + timedelta(minutes=5):
        raise ValidationError("拾获时间", "不能晚于现在")
    if now - found_at > timedelta(days=30):
        raise ValidationError("拾获时间", "只能登记 30 天以内拾获的物品")


def check_days(days: int, field: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if not low <= days <= high:
        raise ValidationError(field, f"应在 {low} 到 {high} 天之间")
    return days
