"""What a room owes for a month: pure rules, no database.

Prices are in yuan × 10,000 (`money.PRICE_SCALE`), quantities in hundredths, amounts
in fen. The most specific price plan in force on the period's first day applies
(building + room type, then building, then room type, then everyone); a room handed
over during the month pays for the days from its handover.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from frontdesk.domain.area import format_m2
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.money import format_unit_price, price_times
from frontdesk.domain.periods import Period, billable_days, prorate
from frontdesk.domain.rooms import RoomStatus


@dataclass(frozen=True)
class PlanTerms:
    fee_item_id: int
    building_id: int | None
    room_type: str | None
    unit_price: int
    multiplier: int
    starts_on: date


@dataclass(frozen=True)
class RuleTerms:
    fee_item_id: int
    room_status: str
    percent_off: int
    reason: str
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class RoomTerms:
    room_id: int
    building_id: int
    room_type: str
    status: str
    area_x100: int
    handover_on: date | None
    parking_spaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class BillDraft:
    room_id: int
    fee_item_id: int
    period: Period
    start_on: date
    end_on: date
    quantity_x100: int
    unit_price: int
    amount_fen: int
    reduction_fen: int
    reduction_reason: str
    description: str

    @property
    def due_fen(self) -> int:
        return self.amount_fen - self.reduction_fen


class _ForAnItem(Protocol):
    @property
    def fee_item_id(self) -> int: ...


T = TypeVar("T", bound=_ForAnItem)


def by_fee_item(terms: Iterable[T]) -> dict[int, list[T]]:
    """Plans or rules per item, so a run over thousands of rooms scans only its own."""
    grouped: dict[int, list[T]] = {}
    for term in terms:
        grouped.setdefault(term.fee_item_id, []).append(term)
    return grouped


def plan_in_force(
    plans: Iterable[PlanTerms], fee_item_id: int, building_id: int, room_type: str, on: date
) -> PlanTerms | None:
    best: tuple[int, date] | None = None
    chosen = None
    for plan in plans:
        if plan.fee_item_id != fee_item_id or plan.starts_on > on:
            continue
        if plan.building_id not in (None, building_id) or plan.room_type not in (None, room_type):
            continue
        rank = (2 * (plan.building_id is not None) + (plan.room_type is not None), plan.starts_on)
        if best is None or rank > best:
            best, chosen = rank, plan
    return chosen


def rule_in_force(
    rules: Iterable[RuleTerms], fee_item_id: int, status: str, on: date
) -> RuleTerms | None:
    for rule in rules:
        if (
            rule.fee_item_id == fee_item_id
            and rule.room_status == status
            and rule.starts_on <= on
            and (rule.ends_on is None or on <= rule.ends_on)
        ):
            return rule
    return None


def is_billable(room: RoomTerms, period: Period) -> bool:
    """Sold rooms handed over by the end of the period (no date: handed over long ago)."""
    if room.status == RoomStatus.UNSOLD:
        return False
    return room.handover_on is None or room.handover_on <= period.last_day


def monthly_bill(
    method: FeeMethod,
    fee_item_id: int,
    room: RoomTerms,
    period: Period,
    plans: Sequence[PlanTerms],
    rules: Sequence[RuleTerms],
) -> BillDraft | None:
    """The month's bill of an area, fixed or parking item, or None when it does not apply."""
    if not is_billable(room, period):
        return None
    plan = plan_in_force(plans, fee_item_id, room.building_id, room.room_type, period.first_day)
    if plan is None:
        return None
    quantity, basis = _quantity(method, room)
    if quantity == 0:
        return None
    days = billable_days(period, room.handover_on)
    amount = prorate(price_times(quantity, plan.unit_price), days, period.days)
    start = period.last_day.replace(day=period.days - days + 1)
    description = f"{basis}×{format_unit_price(plan.unit_price)}"
    if days < period.days:
        description += f"，{start.month}月{start.day}日起 {days} 天"
    rule = rule_in_force(rules, fee_item_id, room.status, period.first_day)
    reduction = (amount * rule.percent_off + 50) // 100 if rule else 0
    return BillDraft(
        room.room_id,
        fee_item_id,
        period,
        start,
        period.last_day,
        quantity,
        plan.unit_price,
        amount,
        reduction,
        rule.reason if rule else "",
        description,
    )


def _quantity(method: FeeMethod, room: RoomTerms) -> tuple[int, str]:
    if method == FeeMethod.AREA_MONTHLY:
        return room.area_x100, f"{format_m2(room.area_x100)}㎡"
    if method == FeeMethod.PARKING_MONTHLY:
        spaces = room.parking_spaces
        return 100 * len(spaces), f"车位 {'、'.join(spaces)}" if spaces else ""
    return 100, "1户"


def meter_bill(
    fee_item_id: int,
    room: RoomTerms,
    period: Period,
    plan: PlanTerms,
    previous_x100: int,
    current_x100: int,
) -> BillDraft:
    """(current − previous) × multiplier × unit price."""
    used = (current_x100 - previous_x100) * plan.multiplier
    amount = price_times(used, plan.unit_price)
    description = (
        f"{format_m2(previous_x100)}→{format_m2(current_x100)}"
        + (f" ×{plan.multiplier}" if plan.multiplier != 1 else "")
        + f"，用量 {format_m2(used)}×{format_unit_price(plan.unit_price)}"
    )
    return BillDraft(
        room.room_id,
        fee_item_id,
        period,
        period.first_day,
        period.last_day,
        used,
        plan.unit_price,
        amount,
        0,
        "",
        description,
    )
