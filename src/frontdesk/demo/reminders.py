"""The demo community's 催缴 notices, as a counter would have sent them over the last
weeks: the payment settings every notice prints, a batch of 温馨提示 posted into the
mailboxes, then 催缴通知单 for the households still owing at least 15 days after
their 温馨提示 reached them, most of them served (signed for, or by registered mail)
and a few still 已打印，待送达. No 催告函 yet: the clerk can send those now.

Earlier in the year, after each quarter's bills fell due, a building's households
behind had their 温馨提示 too.

It runs after `services.demo.build_demo`, from here because the notices are drawn by
the documents layer, which the services may not call. The clock is set back to each
day of the story while it is written, so the records carry those days; with the
year's other notices (demo/notices.py `add_demo_papers`) it runs in time order."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from frontdesk.demo import DEMO_PASSWORD
from frontdesk.demo import timeline as demo_timeline
from frontdesk.demo.timeline import on_day
from frontdesk.domain import clock
from frontdesk.domain.issued import Output
from frontdesk.domain.reminders import DeliveryMethod
from frontdesk.domain.roles import Actor
from frontdesk.printouts.reminders import prepare_reminders, record_printed
from frontdesk.services import users
from frontdesk.services.arrears import reminders
from frontdesk.services.arrears.listing import ArrearsFilter
from frontdesk.services.arrears.reminders import DeliveryInput, NoticeRow, PaymentDetails
from frontdesk.services.database import Database
from frontdesk.services.households import structure

DEMO_PAYMENT = PaymentDetails(
    counter_hours="每日 8:30-17:30（节假日 9:00-16:00）",
    account_name="金盾物业服务有限公司南京分公司",
    bank="中国工商银行南京江东中路支行",
    account_number="4301 0123 0920 0012 345",
)
RELATIONS = ("本人", "本人", "本人", "配偶", "子女", "父母")
SIGNERS = "王李张刘陈杨黄赵吴周徐孙"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "建华", "秀英")


def add_demo_reminders(db: Database, today: date | None = None, seed: int = 1) -> int:
    """Set the payment settings and send the demo's notices; returns how many."""
    today = today or clock.today()
    return demo_timeline.run_in_time_order(reminder_events(db, today, seed))


def reminder_events(db: Database, today: date, seed: int = 1) -> list[demo_timeline.Event]:
    """The payment settings, then the year's 催缴 at their times: after each earlier
    quarter's bills fell due, a 温馨提示 to one building's households behind; in the
    last weeks the whole story for three buildings (温馨提示, then 催缴通知单 to
    those still owing, most of them served)."""
    rng = random.Random(seed)
    admin = users.login(db, "admin", DEMO_PASSWORD)
    reminders.set_payment_details(db, admin, DEMO_PAYMENT)
    supervisor = users.login(db, "zhuguan", DEMO_PASSWORD)
    buildings_of = [b for b in structure.list_buildings(db, supervisor) if b.rooms]
    buildings = [b.id for b in buildings_of]
    first, served, second = (today - timedelta(days=d) for d in (42, 40, 22))
    events: list[demo_timeline.Event] = []
    quarters = [
        p.first_day + timedelta(days=9)
        for p in demo_timeline.year_periods(today)
        if p.month in (1, 4, 7, 10) and p.first_day + timedelta(days=30) < first
    ]
    homes = [b for b in buildings_of if b.name.endswith("栋")]
    for index, day in enumerate(quarters):
        building = homes[index % len(homes)].id
        events.append(
            (on_day(day, 10), _warnings(db, supervisor, building, day, day + timedelta(days=2), 1))
        )
    for building in buildings[:3]:
        events.append((on_day(first, 10), _warnings(db, supervisor, building, first, served)))
        events.append((on_day(second, 10), _notices(db, supervisor, building, second, rng)))
    return events


def _warnings(
    db: Database, supervisor: Actor, building: int, day: date, served: date, months: int = 2
) -> Callable[[], int]:
    """温馨提示 to the building's households `months` or more behind, printed on
    `day` and put into their mailboxes on `served`."""

    def run() -> int:
        flt = ArrearsFilter(building_id=building, min_months=months)
        drafts = reminders.draft_notices(db, supervisor, flt, day, level=1)
        if not drafts:
            return 0
        batch = prepare_reminders(db, supervisor, drafts, 1, two_per_page=True, today=day)
        record_printed(db, supervisor, batch, Output.PRINTED)
        with demo_timeline.happened_at(on_day(served, 10)):
            posted = reminders.printed_notices(
                db, supervisor, pending_only=True, building_id=building
            )
            reminders.record_delivery(
                db,
                supervisor,
                [row.reminder_id for row in posted],
                DeliveryInput(DeliveryMethod.MAILBOX, served),
                served,
            )
        return len(drafts)

    return run


def _notices(
    db: Database, supervisor: Actor, building: int, day: date, rng: random.Random
) -> Callable[[], int]:
    """催缴通知单 on `day` to those still owing 15 days after their 温馨提示, most of
    them served over the next days (signed for, or by registered mail)."""

    def run() -> int:
        flt = ArrearsFilter(building_id=building, min_months=2)
        drafts = [
            d for d in reminders.draft_notices(db, supervisor, flt, day, level=2) if not d.refusal
        ]
        if not drafts:
            return 0
        batch = prepare_reminders(db, supervisor, drafts, 2, today=day)
        record_printed(db, supervisor, batch, Output.PRINTED)
        sent_out = reminders.printed_notices(
            db, supervisor, pending_only=True, building_id=building
        )
        for row in sent_out:
            if rng.random() < 0.15:  # still with the butler
                continue
            served = day + timedelta(days=rng.randint(1, 4))
            with demo_timeline.happened_at(on_day(served, 10)):
                reminders.record_delivery(
                    db, supervisor, [row.reminder_id], _served(rng, row, served), served
                )
        return len(drafts)

    return run


def _served(rng: random.Random, row: NoticeRow, day: date) -> DeliveryInput:
    if rng.random() < 0.7:
        relation = rng.choice(RELATIONS)
        signer = row.owner if relation == "本人" and row.owner else ""
        return DeliveryInput(
            DeliveryMethod.SIGNED,
            day,
            signer=signer or rng.choice(SIGNERS) + rng.choice(GIVEN),
            relation=relation if signer or relation != "本人" else "家属",
        )
    return DeliveryInput(
        DeliveryMethod.REGISTERED_MAIL,
        day,
        tracking_number=f"XA{rng.randint(10**8, 10**9 - 1)}32",
    )
