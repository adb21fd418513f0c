"""The papers of the key register: the 钥匙退还确认单 of a key handed back, and the
托管钥匙清单 of the cabinet."""

from __future__ import annotations

from frontdesk.documents.key_custody import LIST_HEAD as LIST_HEAD
from frontdesk.documents.key_custody import (
    KeyReturnDoc,
    KeyReturnLine,
    key_list_pdf,
    key_return_pdf,
)
from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.issued import DocKind, Issue, Printout, Subject
from frontdesk.domain.key_custody import KeyState
from frontdesk.domain.roles import Actor
from frontdesk.errors import UserError
from frontdesk.printouts import letterhead
from frontdesk.services import key_custody
from frontdesk.services.database import Database
from frontdesk.services.key_custody import KeyRow, LendingRow


def _line(row: LendingRow) -> KeyReturnLine:
    company = f"（{row.company}）" if row.company else ""
    return KeyReturnLine(
        local_time(row.out_at, seconds=False),
        f"{row.scope.label} {row.serves}".strip(),
        f"{row.borrower}{company}",
        local_time(row.returned_at, seconds=False, empty="—"),
    )


def key_return(db: Database, actor: Actor, tag: str) -> Printout:
    """The 钥匙退还确认单 of a key handed back to its owner, for both to sign."""
    key, lendings = key_custody.key_history(db, actor, tag)
    if key.released_at is None:
        raise UserError(f"钥匙 {key.tag} 尚未登记退还业主，请先办理退还。")
    doc = KeyReturnDoc(
        tag=key.tag,
        room_code=key.room_code,
        place=key.place,
        description=key.description,
        authorised_by=key.authorised_by,
        scopes=key.scopes,
        authorised=f"{key.authorised_on:%Y-%m-%d} 至 {key.expires_on:%Y-%m-%d}",
        received_at=local_time(key.received_at, seconds=False),
        released_at=local_time(key.released_at, seconds=False),
        released_to=key.released_to,
        clerk=key.released_by,
        lendings=tuple(_line(row) for row in reversed(lendings)),
    )
    pdf = key_return_pdf(letterhead(db), doc, clock.now())
    issue = Issue(DocKind.KEY_RETURN, f"钥匙退还确认单 {key.tag}", key.tag, (Subject(key.room_id),))
    return Printout(pdf, issue)


def key_list_row(row: KeyRow) -> tuple[str, ...]:
    """A key as the 托管钥匙清单 and its spreadsheet list it."""
    return (
        row.tag,
        row.room_code,
        row.description,
        row.cabinet_slot,
        row.scopes,
        f"{row.expires_on:%Y-%m-%d}",
        row.state.label,
        row.borrower,
        local_time(row.due_back_at, seconds=False),
    )


def key_list(db: Database, actor: Actor) -> Printout:
    """托管钥匙清单: every key in the cabinet or out, the overdue ones in red."""
    now = clock.now()
    rows = key_custody.list_keys(db, actor, now=now)
    overdue = {i for i, r in enumerate(rows) if r.state == KeyState.OVERDUE}
    pdf = key_list_pdf(letterhead(db), [key_list_row(r) for r in rows], overdue, now)
    return Printout(pdf, Issue(DocKind.KEY_LIST, f"托管钥匙清单 {now:%Y-%m-%d %H:%M}"))
