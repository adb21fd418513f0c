"""Demo shift handovers: three months of the counter's book — the day clerk takes the
shift from the night's duty butler at about 08:00 and hands it back at about 17:30, a
补记 now and then, each handover acknowledged a few minutes later by the next person on
duty; the latest one, before the demo's "now", still waits for its acknowledgement.
The drafts are what such a counter hands on: visitors still inside, open orders,
callbacks due, a cashier not yet closed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.db.models import ShiftAcknowledgement, ShiftEntry
from frontdesk.demo.timeline import bulk_insert, on_day
from frontdesk.domain.order_numbers import month_prefix, order_number
from frontdesk.domain.shift_log import AckWay, EntryKind, HandoverItem, items_json
from frontdesk.domain.visitors import pass_number

Row = dict[str, Any]
DAYS = 90
NOTES = (
    "",
    "",
    "",
    "3栋2单元电梯异响，已报工程部，明早跟进。",
    "地下车库B区照明故障，已派电工。",
    "业主反映楼上漏水，已预约明天上午上门查看。",
    "消防巡查已完成，无异常。",
    "前台打印机缺纸，已领一包。",
    "快递柜满，部分快递暂放前台货架。",
    "下午停水通知已张贴各单元。",
    "夜间巡逻发现2号门门禁故障，已报修。",
)
LATER = (
    "上一班交接的漏水已由工程部处理完毕。",
    "补充：2号门门禁已恢复。",
    "交班时漏记：前台代收的物业费发票已交财务。",
)
PLACES = ("1-1-301", "2-2-1502", "3-1-801", "5-2-1201", "7-1-602", "9-3-1103", "12-1-201")
PURPOSES = ("探亲访友", "快递外卖", "装修施工", "维修", "中介看房")
CATEGORIES = ("水电", "门窗", "电梯", "公共照明", "管道疏通", "绿化")


@dataclass(frozen=True)
class OnDuty:
    user_id: int
    name: str


def _draft(rng: random.Random, at: datetime, cashiers: list[str]) -> tuple[HandoverItem, ...]:
    inside = rng.choice((0, 0, 1, 2, 3, 5))
    arrivals = sorted(at - timedelta(minutes=rng.randint(20, 240)) for _ in range(inside))
    visits = tuple(
        f"{pass_number(a.astimezone().date(), rng.randint(1, 60))} {rng.choice(PLACES)} "
        f"{rng.choice(PURPOSES)} {a.astimezone():%m-%d %H:%M} 到"
        for a in arrivals
    )
    orders = rng.choice((0, 1, 2, 3, 4, 6))
    late = min(orders, rng.choice((0, 0, 1, 2)))
    prefix = month_prefix(at)
    order_details = tuple(
        f"{order_number(prefix, rng.randint(1, 300))} {rng.choice(PLACES)} "
        f"{rng.choice(CATEGORIES)} 已派工（已超时）"
        for _ in range(late)
    )
    callbacks = rng.choice((0, 0, 1, 2))
    open_cash = [c for c in cashiers if at.astimezone().hour >= 12 and rng.random() < 0.3]
    return (
        HandoverItem(
            "访客登记",
            inside,
            f"在场访客 {inside} 批 {inside + rng.randint(0, inside)} 人"
            if inside
            else "无在场访客",
            visits,
        ),
        HandoverItem(
            "报事报修",
            orders,
            f"未完结工单 {orders} 单" + (f"，其中已超时 {late} 单" if late else "")
            if orders
            else "无未完结工单",
            order_details,
        ),
        HandoverItem(
            "工单回访",
            callbacks,
            f"待回访 {callbacks + 2} 单" + (f"，其中到期 {callbacks} 单" if callbacks else ""),
            tuple(
                f"{order_number(prefix, rng.randint(1, 300))} {rng.choice(PLACES)} 水电"
                for _ in range(callbacks)
            ),
        ),
        HandoverItem(
            "收费交班",
            len(open_cash),
            f"未交班/日结的收费员 {len(open_cash)} 位" if open_cash else "收款均已交班",
            tuple(
                f"{c}：收据 {rng.randint(1, 9)} 张，实收 {rng.randint(2, 40) * 100}.00 元"
                for c in open_cash
            ),
        ),
    )


def handover_rows(
    rng: random.Random,
    now: datetime,
    days: int,
    clerk: OnDuty,
    night: list[OnDuty],
    cashiers: list[str],
    first_id: int = 1,
    *,
    last_waits: bool = True,
) -> tuple[list[Row], list[Row]]:
    """The book's entries and acknowledgements over `days` before `now`, with ids from
    `first_id`; the last handover before `now` is left waiting (`last_waits`)."""
    entries: list[Row] = []
    acks: list[Row] = []
    today = now.astimezone().date()
    start = today - timedelta(days=days)
    times: list[tuple[datetime, OnDuty, OnDuty]] = []
    for offset in range(days + 1):
        day: date = start + timedelta(days=offset)
        duty = night[offset % len(night)]
        times.append((on_day(day, 7, 50) + timedelta(minutes=rng.randint(0, 20)), duty, clerk))
        times.append((on_day(day, 17, 20) + timedelta(minutes=rng.randint(0, 20)), clerk, duty))
    times = [t for t in times if t[0] < now]
    next_id = first_id
    for index, (at, outgoing, incoming) in enumerate(times):
        entries.append(
            {
                "id": next_id,
                "kind": EntryKind.HANDOVER.value,
                "follows_id": None,
                "written_at": at,
                "written_by": outgoing.name,
                "written_by_id": outgoing.user_id,
                "items": items_json(_draft(rng, at, cashiers)),
                "notes": rng.choice(NOTES),
            }
        )
        handover_id = next_id
        next_id += 1
        if last_waits and index == len(times) - 1:
            break  # the latest waits for the next person on duty
        taken = at + timedelta(minutes=rng.randint(2, 15))
        way = AckWay.SIGN_IN if rng.random() < 0.6 else AckWay.COUNTER
        acks.append(
            {
                "entry_id": handover_id,
                "acknowledged_at": taken,
                "acknowledged_by": incoming.name,
                "acknowledged_by_id": incoming.user_id,
                "way": way.value,
            }
        )
        if rng.random() < 0.08:
            entries.append(
                {
                    "id": next_id,
                    "kind": EntryKind.NOTE.value,
                    "follows_id": handover_id,
                    "written_at": taken + timedelta(hours=rng.randint(1, 5)),
                    "written_by": incoming.name,
                    "written_by_id": incoming.user_id,
                    "items": "[]",
                    "notes": rng.choice(LATER),
                }
            )
            next_id += 1
    entries = [e for e in entries if e["written_at"] < now]
    return entries, acks


def add_demo_shift_log(
    session: Session,
    rng: random.Random,
    now: datetime,
    clerk: OnDuty,
    night: list[OnDuty],
    cashiers: list[str],
    days: int = DAYS,
) -> int:
    """Write the demo's book; returns how many handovers it holds."""
    entries, acks = handover_rows(rng, now, days, clerk, night, cashiers)
    bulk_insert(session, ShiftEntry, entries)
    bulk_insert(session, ShiftAcknowledgement, acks)
    return sum(1 for e in entries if e["kind"] == EntryKind.HANDOVER.value)
