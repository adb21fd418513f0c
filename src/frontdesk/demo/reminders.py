"""The demo community's 催缴 notices, as a counter would have sent them over the last
weeks: the payment settings every notice prints, a batch of 温馨提示 posted into the
mailboxes, then 催缴通知单 for the households still owing at least 15 days after
their 温馨提示 reached them, most of them served (signed for, or by registered mail)
and a few still 已打印，待送达. No 催告函 yet: the clerk can send those now.

It runs after `services.demo.build_demo`, from here because the notices are drawn by
the documents layer, which the services may not call. The clock is set back to each
day of the story while it is written, so the records carry those days."""

from __future__ import annotations

import random
from datetime import date, timedelta

from frontdesk.demo import DEMO_PASSWORD
from frontdesk.domain import clock
from frontdesk.domain.issued import Output
from frontdesk.domain.reminders import DeliveryMethod
from frontdesk.printouts.reminders import prepare_reminders, record_printed
from frontdesk.services import users
from frontdesk.services.arrears import reminders
from frontdesk.services.arrears.listing import ArrearsFilter
from frontdesk.services.arrears.reminders import DeliveryInput, PaymentDetails
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
    rng = random.Random(seed)
    admin = users.login(db, "admin", DEMO_PASSWORD)
    reminders.set_payment_details(db, admin, DEMO_PAYMENT)
    supervisor = users.login(db, "zhuguan", DEMO_PASSWORD)
    buildings = [b.id for b in structure.list_buildings(db, supervisor) if b.rooms][:3]
    was = clock.now() if clock.is_set() else None
    sent = 0
    try:
        first, served, second = (today - timedelta(days=d) for d in (42, 40, 22))
        for building in buildings:
            flt = ArrearsFilter(building_id=building, min_months=2)
            clock.freeze(first)
            drafts = reminders.draft_notices(db, supervisor, flt, first, level=1)
            if not drafts:
                continue
            batch = prepare_reminders(db, supervisor, drafts, 1, two_per_page=True, today=first)
            record_printed(db, supervisor, batch, Output.PRINTED)
            sent += len(drafts)
            clock.freeze(served)
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
            clock.freeze(second)
            drafts = [
                d
                for d in reminders.draft_notices(db, supervisor, flt, second, level=2)
                if not d.refusal
            ]
            if not drafts:
                continue
            batch = prepare_reminders(db, supervisor, drafts, 2, today=second)
            record_printed(db, supervisor, batch, Output.PRINTED)
            sent += len(drafts)
            sent_out = reminders.printed_notices(
                db, supervisor, pending_only=True, building_id=building
            )
            for row in sent_out:
                if rng.random() < 0.15:  # still with the butler
                    continue
                day = second + timedelta(days=rng.randint(1, 4))
                clock.freeze(day)
                if rng.random() < 0.7:
                    relation = rng.choice(RELATIONS)
                    signer = row.owner if relation == "本人" and row.owner else ""
                    data = DeliveryInput(
                        DeliveryMethod.SIGNED,
                        day,
                        signer=signer or rng.choice(SIGNERS) + rng.choice(GIVEN),
                        relation=relation if signer or relation != "本人" else "家属",
                    )
                else:
                    data = DeliveryInput(
                        DeliveryMethod.REGISTERED_MAIL,
                        day,
                        tracking_number=f"XA{rng.randint(10**8, 10**9 - 1)}32",
                    )
                reminders.record_delivery(db, supervisor, [row.reminder_id], data, day)
    finally:
        clock.freeze(was)
    return sent
