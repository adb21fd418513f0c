"""What a household will be charged: each monthly fee item for a room, in words, for the
notices that state it (入伙通知 …), computed as the billing run would, billing nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import FeeItem
from frontdesk.domain.area import format_m2
from frontdesk.domain.billing import BillDraft, by_fee_item, monthly_bill
from frontdesk.domain.fees import FeeMethod, quantity_unit
from frontdesk.domain.money import format_unit_price, format_yuan
from frontdesk.domain.periods import Period
from frontdesk.services.fees.billing import rooms_to_bill
from frontdesk.services.fees.items import plan_terms, rule_terms

ESTIMATED_METHODS = (FeeMethod.AREA_MONTHLY, FeeMethod.FIXED_MONTHLY)


@dataclass(frozen=True)
class FeeEstimate:
    """A household's monthly charges for some months, item by item, as the billing run
    will bill them (area × price × months, the month's price, reductions by status)."""

    lines: tuple[str, ...]  # '物业服务费：89.50㎡ × 2.35 元/㎡/月 × 12 个月 = 2,523.90 元'
    total_fen: int


def fee_estimates(
    session: Session, room_ids: list[int], first: Period, months: int
) -> dict[int, FeeEstimate]:
    """Each room's 物业服务费 and other per-area or per-household monthly items for
    `months` months from `first` (parking only once a space is taken: not estimated)."""
    items = session.scalars(
        select(FeeItem)
        .where(FeeItem.active.is_(True), FeeItem.method.in_(ESTIMATED_METHODS))
        .order_by(FeeItem.sort_key, FeeItem.id)
    ).all()
    plans, rules = by_fee_item(plan_terms(session)), by_fee_item(rule_terms(session))
    wanted = set(room_ids)
    rooms = [info.terms for info in rooms_to_bill(session, first) if info.terms.room_id in wanted]
    periods = [first.shifted(n) for n in range(months)]
    estimates = {}
    for room in rooms:
        lines: list[str] = []
        total = 0
        for item in items:
            drafts = [
                draft
                for period in periods
                if (
                    draft := monthly_bill(
                        item.method,
                        item.id,
                        room,
                        period,
                        plans.get(item.id, []),
                        rules.get(item.id, []),
                    )
                )
                is not None
            ]
            lines += _estimate_lines(item.name, item.unit, drafts)
            total += sum(draft.due_fen for draft in drafts)
        estimates[room.room_id] = FeeEstimate(tuple(lines), total)
    return estimates


def _estimate_lines(name: str, unit: str, drafts: list[BillDraft]) -> list[str]:
    """Runs of full months at one price as quantity × price × months; a part month
    (handed over mid-month) on its own; reductions after them with their reason."""
    lines: list[str] = []
    runs: list[list[BillDraft]] = []
    for draft in drafts:
        full = draft.start_on == draft.period.first_day
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and full
            and last.start_on == last.period.first_day
            and (last.unit_price, last.quantity_x100) == (draft.unit_price, draft.quantity_x100)
        ):
            runs[-1].append(draft)
        else:
            runs.append([draft])
    several = len(runs) > 1
    per = quantity_unit(unit)
    for run in runs:
        head = run[0]
        amount = sum(draft.amount_fen for draft in run)
        if head.start_on != head.period.first_day:
            days = (head.end_on - head.start_on).days + 1
            start = head.start_on
            when = f"{start.year}年{start.month}月{start.day}日起 {days} 天"
            lines.append(f"{name}（{when}，按日折算）：{format_yuan(amount)} 元")
            continue
        count = head.quantity_x100
        quantity = format_m2(count) if per == "㎡" or count % 100 else str(count // 100)
        span = head.period.label
        if len(run) > 1:
            span += f"至{run[-1].period.label}"
        label = f"{name}（{span}）" if several else name
        # Bills are rounded to the fen each month: the letter shows the month's amount,
        # so quantity × price × months can be checked to the fen.
        monthly = f"{quantity}{per} × {format_unit_price(head.unit_price)} {unit}"
        if len(run) == 1:
            lines.append(f"{label}：{monthly} = {format_yuan(amount)} 元")
        else:
            lines.append(
                f"{label}：{monthly} = {format_yuan(head.amount_fen)} 元/月 × "
                f"{len(run)} 个月 = {format_yuan(amount)} 元"
            )
    reduced = sum(draft.reduction_fen for draft in drafts)
    if reduced:
        reasons = "、".join(dict.fromkeys(d.reduction_reason for d in drafts if d.reduction_fen))
        lines.append(f"{name}减免（{reasons}）：-{format_yuan(reduced)} 元")
    return lines
