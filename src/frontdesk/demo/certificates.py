"""Demo certificates: three months of the counter's 证明 — 居住证明 for school places and
residence permits, 物业费结清证明 for flats being sold (the ones owing were told what to
pay first, and issued nothing), 装修押金已退证明 for owners whose renovation was settled —
each issued through the service at its time among the year's other papers (the
register's numbers run with the dates), two revoked as issued in error."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import select

from frontdesk.db.models import Person, Refund, RenovationBill
from frontdesk.demo import DEMO_PASSWORD
from frontdesk.demo.timeline import Event, on_day
from frontdesk.domain import clock
from frontdesk.domain.certificates import CertificateKind
from frontdesk.domain.household import PersonKind
from frontdesk.domain.issued import Output
from frontdesk.domain.roles import Actor
from frontdesk.errors import UserError
from frontdesk.printouts import certificates as certificate_printouts
from frontdesk.services import users
from frontdesk.services.certificates import register
from frontdesk.services.certificates.issuing import CertificateRequest
from frontdesk.services.database import Database

DAYS = 91
PER_ROOM_DAY = 0.003  # about one a day at 300 households
MOST_PER_DAY = 6  # one counter: a big community does not issue more
TRIES = 4  # rooms tried for one certificate (the others owe, or a date is missing)
SEED = 24
PURPOSES = {
    CertificateKind.PAID_UP: ("办理房屋过户", "房屋出售", "银行贷款审核", ""),
    CertificateKind.RESIDENCE: ("子女入学", "办理居住证", "积分入学", "社区证明", ""),
    CertificateKind.DEPOSIT_REFUNDED: ("业主留存", ""),
}
KIND_WEIGHTS = {
    CertificateKind.RESIDENCE: 5,
    CertificateKind.PAID_UP: 4,
    CertificateKind.DEPOSIT_REFUNDED: 1,
}
REVOKE_REASONS = ("产权人姓名有误，已重新开具", "业主申请作废（用途改变）")
REVOKED_AFTER = timedelta(minutes=25)


def certificate_events(db: Database, today: date) -> list[Event]:
    """The quarter's certificates and the two revocations, each at its time."""
    clerk = users.login(db, "qiantai", DEMO_PASSWORD)
    living, refunded = _rooms(db)
    if not living:
        return []
    rng = random.Random(SEED)
    per_day = min(MOST_PER_DAY, max(1, round(len(living) * PER_ROOM_DAY * 2)))
    times = [
        at
        for back in range(DAYS, -1, -1)
        if (today - timedelta(days=back)).weekday() != 6  # the counter is shut on Sundays
        for at in _times(rng, today - timedelta(days=back), rng.randint(0, per_day))
    ]
    issued: dict[int, str] = {}
    events: list[Event] = []
    for index, at in enumerate(times):
        kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
        if kind is CertificateKind.DEPOSIT_REFUNDED and not refunded:
            kind = CertificateKind.PAID_UP
        rooms = refunded if kind is CertificateKind.DEPOSIT_REFUNDED else living
        picks = [
            CertificateRequest(kind, room, rng.choice(PURPOSES[kind]))
            for room in rng.sample(rooms, min(TRIES, len(rooms)))
        ]
        events.append((at, _issue(db, clerk, picks, issued, index)))
    for index, reason in zip(rng.sample(range(len(times)), 2), REVOKE_REASONS, strict=False):
        events.append((times[index] + REVOKED_AFTER, _revoke(db, clerk, issued, index, reason)))
    return events


def _issue(
    db: Database, clerk: Actor, picks: list[CertificateRequest], issued: dict[int, str], index: int
) -> Callable[[], int]:
    def run() -> int:
        for request in picks:
            try:
                printed = certificate_printouts.issue(db, clerk, request, Output.KEPT, clock.now())
            except UserError:  # owes, or a date missing on file: the clerk says so, no paper
                continue
            issued[index] = printed.number
            return 1
        return 0

    return run


def _revoke(
    db: Database, clerk: Actor, issued: dict[int, str], index: int, reason: str
) -> Callable[[], int]:
    def run() -> int:
        if index in issued:
            register.revoke_certificate(db, clerk, issued[index], reason)
        return 0

    return run


def _rooms(db: Database) -> tuple[list[int], list[int]]:
    """Rooms with an owner on file, and rooms whose renovation deposit came back."""
    with db.read() as session:
        living = session.scalars(
            select(Person.room_id)
            .where(Person.kind == PersonKind.OWNER, Person.left_on.is_(None))
            .distinct()
            .order_by(Person.room_id)
        ).all()
        refunded = session.scalars(
            select(RenovationBill.room_id)
            .join(Refund, Refund.bill_id == RenovationBill.bill_id)
            .where(RenovationBill.purpose == "deposit")
            .distinct()
            .order_by(RenovationBill.room_id)
        ).all()
    return list(living), list(refunded)


def _times(rng: random.Random, day: date, count: int) -> list[datetime]:
    """Office hours, 8:30 to 17:30, and nothing after now."""
    start = on_day(day, 8, 30)
    times = sorted(start + timedelta(minutes=rng.randrange(540)) for _ in range(count))
    return [at for at in times if at < clock.now()]
