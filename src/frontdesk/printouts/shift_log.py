"""交接班记录: one day of the shift handover book on A4."""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.documents.shift_log import ShiftLogEntry, ShiftLogItem, shift_log_pdf
from frontdesk.domain import clock
from frontdesk.domain.issued import DocKind, Issue, Printout
from frontdesk.domain.roles import Actor
from frontdesk.domain.shift_log import EntryKind
from frontdesk.printouts import letterhead
from frontdesk.services.database import Database
from frontdesk.services.shift_log import book
from frontdesk.services.shift_log.book import EntryRow


def log_entry(row: EntryRow, day: date, written: dict[int, datetime]) -> ShiftLogEntry:
    """An entry as the page prints it; `written`: when each handover was written (a
    补记 names the handover it adds to by its time)."""
    if row.kind == EntryKind.NOTE:
        follows = written.get(row.follows_id or 0)
        return ShiftLogEntry(row.heading(day, follows), "", (), row.notes, note=True)
    items = tuple(ShiftLogItem(i.register, i.text, i.details, i.count) for i in row.items)
    return ShiftLogEntry(row.heading(day), row.taken_text(day), items, row.notes)


def shift_log(db: Database, actor: Actor, day: date, now: datetime | None = None) -> Printout:
    """The day's book: every handover and 补记 written that day."""
    rows = book.book_entries(db, actor, day)
    written = {r.id: r.written_at for r in rows if r.kind == EntryKind.HANDOVER}
    for row in rows:  # a 补记 on an earlier day's handover names that handover's time
        if row.follows_id is not None and row.follows_id not in written:
            written[row.follows_id] = book.get_entry(db, actor, row.follows_id).written_at
    entries = [log_entry(r, day, written) for r in rows]
    printed = (now or clock.utc_now()).astimezone()
    pdf = shift_log_pdf(letterhead(db), day, entries, printed, actor.display_name)
    title = f"交接班记录 {day:%Y-%m-%d}"
    return Printout(pdf, Issue(DocKind.SHIFT_LOG, title, f"交接班{day:%Y%m%d}"))
