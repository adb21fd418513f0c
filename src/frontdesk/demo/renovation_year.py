"""The demo year's finished renovations (demo/fees.py calls it with the year's
ledger): most flats handed over this year renovated soon after, the others' works
starting by the seasons, none in the 春节 month, each with its whole history in the
ledger."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from frontdesk.demo.fees_ledger import Counter, Ledger, Row, at_the_counter, counter_payment
from frontdesk.demo.timeline import _local, after_festival, festival_month, year_periods
from frontdesk.domain.billing import BillDraft, RoomTerms
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.rooms import RoomType

DEMO_BANKS = ("中国工商银行滨江支行", "中国建设银行城西支行", "招商银行高新支行")
RENOVATION_SCOPES = (
    ("水电改造", "防水", "地面", "墙面"),
    ("吊顶", "墙面", "门窗（不改外立面）"),
    ("厨卫", "水电改造"),
)
RENOVATION_CONTRACTORS = (
    ("金匠装饰工程有限公司", "刘建国"),
    ("安居家装有限公司", "陈师傅"),
    ("匠心室内设计装饰有限公司", "周工"),
)
RENOVATION_DOCUMENTS = "装修方案或图纸、施工单位营业执照或资质、业主身份证件"


# How often works start in each calendar month: spring and 金九银十 busy, the summer's
# heat and the winter quiet; none in the 春节 month (the festival's decoration ban).
RENOVATION_SEASON = {
    1: 5,
    2: 4,
    3: 12,
    4: 14,
    5: 11,
    6: 8,
    7: 5,
    8: 6,
    9: 12,
    10: 14,
    11: 10,
    12: 7,
}
# A flat handed over this year is renovated within weeks, all but one in five.
RENOVATION_SKIPPED_EVERY = 5
# Works closed by now began at least this long ago (30-55 days of works, the deposit
# back within a week); later ones are under way (demo/renovations.py).
CLOSED_BY = timedelta(days=65)


def closed_renovations(
    ledger: Ledger,
    rng: random.Random,
    terms: list[RoomTerms],
    counter: Counter,
    ids: dict[str, int],
) -> None:
    """Renovations finished earlier in the year, each with its whole history: applied,
    reviewed, approved (the deposit and the rubbish fee charged, and paid at the
    counter that day), permitted, worked, inspected, accepted, and the deposit
    refunded after the acceptance (some less deductions), settled and closed.

    Most rooms handed over this year are renovated soon after (from a few weeks on);
    the others' works start by the seasons, none in the 春节 month."""
    residences = [t for t in terms if t.room_type == RoomType.RESIDENCE.value]
    last_start = counter.today - CLOSED_BY
    months = [p for p in year_periods(counter.today) if p.first_day <= last_start]
    months = [p for p in months if p != festival_month(p.year)]
    if not months:
        return
    starts: dict[int, date] = {}
    handed = sorted(
        (t.handover_on, t.room_id)
        for t in residences
        if t.handover_on is not None and t.handover_on >= months[0].first_day
    )
    for index, (handover_on, room_id) in enumerate(handed):
        if index % RENOVATION_SKIPPED_EVERY != RENOVATION_SKIPPED_EVERY - 1:
            day = after_festival(handover_on + timedelta(days=rng.randint(14, 60)))
            if day <= last_start:
                starts[room_id] = day
    others = [t for t in residences if t.room_id not in starts]
    weights = [RENOVATION_SEASON[p.month] for p in months]
    for room in rng.sample(others, min(len(others), max(8, len(residences) // 80))):
        month = rng.choices(months, weights)[0]
        last = min(month.last_day, last_start)
        starts[room.room_id] = month.first_day + timedelta(
            days=rng.randint(0, (last - month.first_day).days)
        )
    for starts_on, room_id in sorted((day, room_id) for room_id, day in starts.items()):
        _closed_renovation(ledger, rng, room_id, starts_on, counter, ids)


def _closed_renovation(
    ledger: Ledger,
    rng: random.Random,
    room_id: int,
    starts: date,
    counter: Counter,
    ids: dict[str, int],
) -> None:
    applied = starts - timedelta(days=5)
    prefix = f"ZX{applied:%y%m}-"
    number = f"{prefix}{sum(r['number'].startswith(prefix) for r in ledger.renovations) + 1:04d}"
    renovation_id = len(ledger.renovations) + 1
    completed = starts + timedelta(days=rng.randint(30, 55))
    back = completed + timedelta(days=rng.randint(1, 7))
    scope = rng.choice(RENOVATION_SCOPES)
    contractor, person = rng.choice(RENOVATION_CONTRACTORS)
    manager = counter.manager
    ledger.renovations.append(
        {
            "id": renovation_id,
            "room_id": room_id,
            "number": number,
            "applicant": "业主本人",
            "applicant_is_tenant": False,
            "applicant_phone": f"139{rng.randrange(10**8):08d}",
            "contractor": contractor,
            "contractor_person": person,
            "contractor_phone": f"138{rng.randrange(10**8):08d}",
            "licence_no": "",
            "starts_on": starts,
            "ends_on": starts + timedelta(days=60),
            "scope": "、".join(scope),
            "documents": RENOVATION_DOCUMENTS,
            "status": "closed",
            "permit_no": "XK" + number.removeprefix("ZX"),
            "permit_issued_on": starts - timedelta(days=2),
            "completed_on": completed,
            "created_at": _local(applied, time(9, rng.randint(0, 59))),
            "created_by": manager,
            "note": "",
        }
    )

    def event(kind: str, day: date, hour: int, note: str = "") -> datetime:
        at = _local(day, time(hour, rng.randint(0, 29)))
        ledger.renovation_events.append(
            {
                "room_id": room_id,
                "renovation_id": renovation_id,
                "kind": kind,
                "at": at,
                "by": manager,
                "note": note,
            }
        )
        return at

    event("submitted", applied, 9)
    event("reviewed", applied + timedelta(days=1), 10)
    approved_at = event("approved", applied + timedelta(days=2), 10)
    charged = [
        _renovation_bill(ledger, room_id, ids["装修押金"], 30000000, approved_at, number, manager),
        _renovation_bill(
            ledger, room_id, ids["装修垃圾清运费"], 3000000, approved_at, number, manager
        ),
    ]
    for purpose, bill in zip(("deposit", "fee"), charged, strict=True):
        ledger.renovation_bills.append(
            {"room_id": room_id, "renovation_id": renovation_id, "bill": bill, "purpose": purpose}
        )
    # The owner paid at the counter the hour after the approval, before the permit.
    paid_at = approved_at + timedelta(minutes=rng.randint(40, 80))
    cashier = rng.choice(counter.cashiers)
    counter_payment(ledger, rng, room_id, charged, counter, paid_at, cashier)
    event("permitted", starts - timedelta(days=2), 14)
    event("in_progress", starts, 8)
    nodes = ["plumbing"] if "水电改造" in scope else []
    nodes += ["waterproof"] if "防水" in scope or "厨卫" in scope else []
    for offset, node in zip((8, 14, 22), [*nodes, "midterm"], strict=False):
        _inspection(ledger, room_id, renovation_id, node, starts + timedelta(days=offset), manager)
    event("completed", completed, 10, "验收合格")
    _inspection(ledger, room_id, renovation_id, "completion", completed, manager, "验收合格")
    refunded_at = _deposit_refund(ledger, rng, room_id, charged[0], back, counter)
    event("settled", back, refunded_at.astimezone().hour + 1)
    event("closed", back, refunded_at.astimezone().hour + 2)


def _renovation_bill(
    ledger: Ledger, room_id: int, item: int, price: int, at: datetime, number: str, by: str
) -> Row:
    """A one-off bill as approving the renovation charges it (billing.charge)."""
    day = at.astimezone().date()
    draft = BillDraft(
        room_id, item, Period.of(day), day, day, 100, price, price // 100, 0, "", f"装修 {number}"
    )
    bill = ledger.add_bill(draft, at, None, by)
    bill["period"] = None
    return bill


def _inspection(
    ledger: Ledger,
    room_id: int,
    renovation_id: int,
    node: str,
    day: date,
    inspector: str,
    note: str = "",
) -> None:
    ledger.renovation_inspections.append(
        {
            "room_id": room_id,
            "renovation_id": renovation_id,
            "node": node,
            "inspected_on": day,
            "passed": True,
            "note": note,
            "deadline": None,
            "inspector": inspector,
        }
    )


def _deposit_refund(
    ledger: Ledger, rng: random.Random, room_id: int, bill: Row, back: date, counter: Counter
) -> datetime:
    """The deposit back to the owner's account after the acceptance, some less the
    repair of what the works damaged."""
    cashier_id, cashier = rng.choice(counter.cashiers)
    deduction = rng.choice((0, 0, 20_000, 50_000))
    refund_id = len(ledger.refunds) + 1
    at = at_the_counter(back, rng)
    payee = counter.payers.get(room_id) or "业主"
    ledger.refunds.append(
        {
            "id": refund_id,
            "room_id": room_id,
            "kind": "deposit",
            "bill_id": bill["id"],
            "gross_fen": bill["due_fen"],
            "deductions_fen": deduction,
            "amount_fen": bill["due_fen"] - deduction,
            "method": PayMethod.TRANSFER.value,
            # The owner collects it, to their own account (the 领款人 is required).
            "payee": payee,
            "payee_account_name": payee,
            "payee_bank": rng.choice(DEMO_BANKS),
            "payee_account_no": f"6222{rng.randrange(10**15):015d}",
            "reason": "竣工验收合格，退还押金",
            "refunded_at": at,
            "day": back,
            "cashier_id": cashier_id,
            "cashier_name": cashier,
        }
    )
    if deduction:
        ledger.deductions.append(
            {"refund_id": refund_id, "amount_fen": deduction, "reason": "公共楼道墙面污损修复"}
        )
    return at
