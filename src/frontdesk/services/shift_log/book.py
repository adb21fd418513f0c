"""The shift handover book (交接班记录): the outgoing clerk hands over (the program drafts
the entry from every register's provider, the clerk adds notes), the incoming clerk
acknowledges it signed in — in the 交接班 tab with their own user name and password, or
when the program shows the waiting handover at their sign-in — and the book is read by
date. Nothing written is changed: a later word is a 补记 of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import ShiftAcknowledgement, ShiftEntry
from frontdesk.db.turns import in_turn
from frontdesk.db.who import by_columns
from frontdesk.domain import clock
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.shift_log import (
    AckWay,
    EntryKind,
    EntryState,
    HandoverItem,
    check_notes,
    entry_state,
    items_from_json,
    items_json,
    summary,
)
from frontdesk.errors import NotFound, UserError
from frontdesk.services import users
from frontdesk.services.access import require
from frontdesk.services.shift_log.providers import PROVIDERS, Provider

PERMISSION = Permission.KEEP_COUNTER_REGISTERS
SERIES = "shift_entry"  # handovers are written in turn: one waiting at a time


@dataclass(frozen=True)
class EntryRow:
    id: int
    kind: EntryKind
    state: EntryState
    written_at: datetime
    written_by: str
    written_by_id: int | None
    items: tuple[HandoverItem, ...]
    notes: str
    follows_id: int | None  # a 补记's handover
    acknowledged_at: datetime | None = None
    acknowledged_by: str = ""
    ack_way: AckWay | None = None

    @property
    def summary(self) -> str:
        return summary(self.items) if self.kind == EntryKind.HANDOVER else self.notes

    @property
    def waiting(self) -> bool:
        return self.state == EntryState.WAITING

    def heading(self, day: date, follows_at: datetime | None = None) -> str:
        """交班 08:02　交班人：王芳, or 补记 13:12　李强（补 08:02 的交班）; times of
        another day than `day` with their date."""
        at = _clock(self.written_at, day)
        if self.kind == EntryKind.NOTE:
            about = f"（补 {_clock(follows_at, day)} 的交班）" if follows_at else ""
            return f"补记 {at}　{self.written_by}{about}"
        return f"交班 {at}　交班人：{self.written_by}"

    def taken_text(self, day: date) -> str:
        """接班人：李强　08:10 确认接班（登录时确认）, or "" while it waits."""
        if self.acknowledged_at is None or self.ack_way is None:
            return ""
        when = _clock(self.acknowledged_at, day)
        return f"接班人：{self.acknowledged_by}　{when} 确认接班（{self.ack_way.label}）"


def _clock(at: datetime, day: date) -> str:
    local = at.astimezone()
    return f"{local:%H:%M}" if local.date() == day else f"{local:%m-%d %H:%M}"


@dataclass(frozen=True)
class HandoverDraft:
    """What 交班 would write now, and the handover still waiting (which must be
    acknowledged before another can be written)."""

    at: datetime
    items: tuple[HandoverItem, ...]
    waiting: EntryRow | None


# reading ------------------------------------------------------------------------------


def _query() -> Select[ShiftEntry, ShiftAcknowledgement]:
    return select(ShiftEntry, ShiftAcknowledgement).outerjoin(
        ShiftAcknowledgement, ShiftAcknowledgement.entry_id == ShiftEntry.id
    )


def _row(entry: ShiftEntry, ack: ShiftAcknowledgement | None) -> EntryRow:
    return EntryRow(
        entry.id,
        entry.kind,
        entry_state(entry.kind, ack is not None),
        entry.written_at,
        entry.written_by,
        entry.written_by_id,
        items_from_json(entry.items),
        entry.notes,
        entry.follows_id,
        ack.acknowledged_at if ack else None,
        ack.acknowledged_by if ack else "",
        ack.way if ack else None,
    )


def _waiting(session: Session) -> EntryRow | None:
    found = session.execute(
        _query()
        .where(ShiftEntry.kind == EntryKind.HANDOVER, ShiftAcknowledgement.id.is_(None))
        .order_by(ShiftEntry.written_at.desc())
        .limit(1)
    ).first()
    return None if found is None else _row(found[0], found[1])


def _entry(session: Session, entry_id: int) -> EntryRow:
    found = session.execute(_query().where(ShiftEntry.id == entry_id)).first()
    if found is None:
        raise NotFound("没有这条交接班记录。")
    return _row(found[0], found[1])


def get_entry(db: Database, actor: Actor, entry_id: int) -> EntryRow:
    require(actor, PERMISSION)
    with db.read() as session:
        return _entry(session, entry_id)


def waiting_handover(db: Database, actor: Actor) -> EntryRow | None:
    """The handover waiting for its acknowledgement, if any."""
    require(actor, PERMISSION)
    with db.read() as session:
        return _waiting(session)


def handover_for(db: Database, actor: Actor) -> EntryRow | None:
    """At sign-in: the waiting handover this person may acknowledge (someone else's),
    or None — also for a role that keeps no counter registers."""
    if not actor.can(PERMISSION):
        return None
    waiting = waiting_handover(db, actor)
    return waiting if waiting and waiting.written_by_id != actor.user_id else None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


def book_entries(
    db: Database, actor: Actor, day_from: date, day_to: date | None = None
) -> list[EntryRow]:
    """The book's entries written from `day_from` to `day_to` (local days, both
    included; one day when `day_to` is not given), oldest first."""
    require(actor, PERMISSION)
    day_to = day_to or day_from
    if day_to < day_from:
        day_from, day_to = day_to, day_from
    start, end = _day_start(day_from), _day_start(day_to + timedelta(days=1))
    with db.read() as session:
        found = session.execute(
            _query()
            .where(ShiftEntry.written_at >= start, ShiftEntry.written_at < end)
            .order_by(ShiftEntry.written_at, ShiftEntry.id)
        ).all()
        return [_row(entry, ack) for entry, ack in found]


# handing over -------------------------------------------------------------------------


def _ask(
    db: Database, actor: Actor, now: datetime, providers: Sequence[Provider]
) -> tuple[HandoverItem, ...]:
    return tuple(provider(db, actor, now) for provider in providers)


def draft_handover(
    db: Database,
    actor: Actor,
    now: datetime | None = None,
    providers: Sequence[Provider] = PROVIDERS,
) -> HandoverDraft:
    """What the book would say if the clerk handed over now."""
    require(actor, PERMISSION)
    now = now or clock.utc_now()
    items = _ask(db, actor, now, providers)
    return HandoverDraft(now, items, waiting_handover(db, actor))


def _refuse_while_waiting(waiting: EntryRow | None, actor: Actor) -> None:
    if waiting is None:
        return
    at = f"{waiting.written_at.astimezone():%m-%d %H:%M}"
    if waiting.written_by_id == actor.user_id:
        raise UserError(
            f"您 {at} 的交班尚待接班人确认，不能再次交班；如需补充，请对该次交班写补记。"
        )
    raise UserError(f"{waiting.written_by} {at} 的交班尚未确认接班：请先确认接班，再交班。")


def hand_over(
    db: Database,
    actor: Actor,
    notes: str,
    *,
    now: datetime | None = None,
    providers: Sequence[Provider] = PROVIDERS,
) -> EntryRow:
    """交班: the program's draft as it stands now and the clerk's notes, written once;
    refused while an earlier handover waits for its acknowledgement."""
    require(actor, PERMISSION)
    text = check_notes(notes, required=False)
    now = now or clock.utc_now()
    with db.read() as session:
        _refuse_while_waiting(_waiting(session), actor)
    items = _ask(db, actor, now, providers)
    with db.write(actor) as session:
        in_turn(session, SERIES)
        _refuse_while_waiting(_waiting(session), actor)  # another counter, meanwhile
        entry = ShiftEntry(
            kind=EntryKind.HANDOVER,
            written_at=now,
            **by_columns("written", actor),
            items=items_json(items),
            notes=text,
        )
        session.add(entry)
        session.flush()
        return _entry(session, entry.id)


def add_note(
    db: Database, actor: Actor, entry_id: int, notes: str, *, now: datetime | None = None
) -> EntryRow:
    """补记: a later word on a handover, written as an entry of its own."""
    require(actor, PERMISSION)
    text = check_notes(notes, required=True)
    now = now or clock.utc_now()
    with db.write(actor) as session:
        handover = _entry(session, entry_id)
        if handover.kind != EntryKind.HANDOVER:
            raise UserError("补记须针对一次交班：请选中该次交班再写补记。")
        entry = ShiftEntry(
            kind=EntryKind.NOTE,
            follows_id=entry_id,
            written_at=max(now, handover.written_at),
            **by_columns("written", actor),
            items="[]",
            notes=text,
        )
        session.add(entry)
        session.flush()
        return _entry(session, entry.id)


# acknowledging ------------------------------------------------------------------------


def acknowledge(
    db: Database,
    actor: Actor,
    entry_id: int,
    *,
    way: AckWay = AckWay.SIGN_IN,
    now: datetime | None = None,
) -> EntryRow:
    """接班确认 by the signed-in `actor`: once, by someone other than who handed over."""
    require(actor, PERMISSION)
    now = now or clock.utc_now()
    with db.write(actor) as session:
        in_turn(session, SERIES)
        entry = _entry(session, entry_id)
        if entry.kind != EntryKind.HANDOVER:
            raise UserError("补记无需接班确认。")
        if entry.acknowledged_at is not None:
            raise UserError(
                f"该交班已于 {entry.acknowledged_at.astimezone():%m-%d %H:%M} "
                f"由 {entry.acknowledged_by} 确认接班。"
            )
        if entry.written_by_id is not None and entry.written_by_id == actor.user_id:
            raise UserError("交班人不能自己确认接班：请由接班人输入其用户名和密码确认。")
        session.add(
            ShiftAcknowledgement(
                entry_id=entry_id,
                acknowledged_at=max(now, entry.written_at),
                **by_columns("acknowledged", actor),
                way=way,
            )
        )
        session.flush()
        return _entry(session, entry_id)


def sign_and_acknowledge(
    db: Database, entry_id: int, username: str, password: str, *, now: datetime | None = None
) -> EntryRow:
    """接班确认 in the 交接班 tab: the incoming clerk types their own user name and
    password, checked (and failures counted) as the sign-in checks them."""
    now = now or clock.utc_now()
    incoming = users.login(db, username, password, now, via="（接班确认）")
    return acknowledge(db, incoming, entry_id, way=AckWay.COUNTER, now=now)
