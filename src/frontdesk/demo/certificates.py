"""Demo certificates: three months of the counter's 证明 — 居住证明 for school places in
the summer's wake and for residence permits, 物业费结清证明 for flats being sold (the
ones owing were told what to pay first, and issued nothing), 装修押金已退证明 for owners
whose renovation was settled — each issued through the service on its own day, a
couple revoked as issued in error."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select

from frontdesk.db.models import Person, Refund, RenovationBill
from frontdesk.demo.timeline import happened_at, on_day
from frontdesk.domain.certificates import CertificateKind
from frontdesk.domain.household import PersonKind
from frontdesk.domain.issued import Output
from frontdesk.domain.roles import Actor
from frontdesk.errors import UserError
from frontdesk.printouts import certificates as certificate_printouts
from frontdesk.services.certificates import register
from frontdesk.services.certificates.issuing import CertificateRequest
from frontdesk.services.database import Database

DAYS = 91
PER_HOUSEHOLD_DAY = 0.003  # about one a day at 300 households
MOST_PER_DAY = 6  # one counter: a big community does not issue more
TRIES = 4  # rooms tried for one certificate (the others owe, or nobody is on file)
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


def add_demo_certificates(
    db: Database, clerk: Actor, rng: random.Random, now: datetime, households: int
) -> int:
    """Issue the quarter's certificates in time order; returns how many were issued."""
    living, refunded = _rooms(db)
    if not living:
        return 0
    per_day = min(MOST_PER_DAY, max(1, round(households * PER_HOUSEHOLD_DAY * 2)))
    issued: list[str] = []
    for back in range(DAYS, -1, -1):
        day = now.date() - timedelta(days=back)
        if day.weekday() == 6:  # the counter is shut on Sundays
            continue
        for at in _times(rng, day, rng.randint(0, per_day), now):
            kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
            rooms = refunded if kind is CertificateKind.DEPOSIT_REFUNDED and refunded else living
            kind = kind if rooms is refunded else _living_kind(kind)
            number = _issue(db, clerk, rng, kind, rooms, at)
            if number:
                issued.append(number)
    for number, reason in zip(
        rng.sample(issued, min(2, len(issued))), REVOKE_REASONS, strict=False
    ):
        certificate = register.get_certificate(db, clerk, number)
        with happened_at(certificate.issued_at + timedelta(minutes=25)):
            register.revoke_certificate(db, clerk, number, reason)
    return len(issued)


def _living_kind(kind: CertificateKind) -> CertificateKind:
    return CertificateKind.PAID_UP if kind is CertificateKind.DEPOSIT_REFUNDED else kind


def _rooms(db: Database) -> tuple[list[int], list[int]]:
    """Rooms with an owner on file, and rooms whose renovation deposit came back."""
    with db.read() as session:
        living = sorted(
            set(
                session.scalars(
                    select(Person.room_id).where(
                        Person.kind == PersonKind.OWNER, Person.left_on.is_(None)
                    )
                )
            )
        )
        refunded = sorted(
            set(
                session.scalars(
                    select(RenovationBill.room_id)
                    .join(Refund, Refund.bill_id == RenovationBill.bill_id)
                    .where(RenovationBill.purpose == "deposit")
                )
            )
        )
    return living, refunded


def _times(rng: random.Random, day: date, count: int, now: datetime) -> list[datetime]:
    """Office hours, 8:30 to 17:30, and nothing after now."""
    times = sorted(on_day(day, 8, 30) + timedelta(minutes=rng.randrange(540)) for _ in range(count))
    return [at for at in times if at < now]


def _issue(
    db: Database,
    clerk: Actor,
    rng: random.Random,
    kind: CertificateKind,
    rooms: list[int],
    at: datetime,
) -> str:
    for room in rng.sample(rooms, min(TRIES, len(rooms))):
        request = CertificateRequest(kind, room, rng.choice(PURPOSES[kind]))
        try:
            with happened_at(at):
                return certificate_printouts.issue(db, clerk, request, Output.KEPT, at).number
        except UserError:  # owes, or a date missing on file: the clerk says so, no paper
            continue
    return ""
