"""Long writes in short steps, so a counter never waits long for the write lock.

SQLite has one writer at a time; a payment waits for the lock up to its busy timeout.
A long write (a roster import, a purge) that held the lock from start to end would make
every counter wait for all of it. `write_steps` cuts it into transactions of about
STEP_SECONDS each and pauses between them, long enough that a counter waiting for the
lock gets it. The caller keeps all-or-nothing: it undoes the committed steps when a
later one fails (see roster.import_roster), and the last step carries the summary, so
work that fits one step is still one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.domain.roles import Actor
from frontdesk.errors import DatabaseBusy
from frontdesk.services.progress import NO_PROGRESS, Progress

T = TypeVar("T")

# Rows added per flush inside a step; a step takes batches until STEP_SECONDS have passed.
BATCH_ROWS = 50
STEP_SECONDS = 0.2
# The pause between two steps: longer than the longest nap of SQLite's busy handler
# (100 ms), so a counter waiting for the lock always wakes inside it and gets in.
PAUSE_SECONDS = 0.12
# Busy timeouts a step may meet in a row before the long write gives up.
BUSY_RETRIES = 5


def write_steps(
    db: Database,
    actor: Actor,
    items: Sequence[T],
    add: Callable[[Session, list[T]], None],
    finish: Callable[[Session], None],
    progress: Progress = NO_PROGRESS,
    *,
    batch_rows: int = BATCH_ROWS,
    step_seconds: float | None = None,
) -> None:
    """Write items in short transactions: each takes batches until `step_seconds` have
    passed (STEP_SECONDS unless the writer asks for longer steps: an import's pauses
    would otherwise add a third to its time), then commits and pauses so a waiting
    counter gets the lock. The last step also runs `finish` (the summary, the audit
    entry), so work that fits one step is one transaction. The caller undoes committed
    steps if this raises."""
    # read at each call (None: STEP_SECONDS), so a test's shorter steps reach every writer
    step_for = STEP_SECONDS if step_seconds is None else step_seconds
    done = 0
    busy = 0
    while True:
        first = done
        try:
            with db.write(actor) as session:
                started = time.monotonic()
                while done < len(items):  # at least one batch a step, then until time is up
                    batch = list(items[done : done + batch_rows])
                    add(session, batch)
                    done += len(batch)
                    progress.step(done, len(items))
                    if time.monotonic() - started >= step_for:
                        break
                if done >= len(items):
                    finish(session)
                    return
        except DatabaseBusy:
            # The counters were busy for a whole busy timeout: this step wrote nothing;
            # a long write gives way and tries the same step again.
            busy += 1
            if busy > BUSY_RETRIES:
                raise
            done = first
            continue
        busy = 0
        _pause()


def _pause() -> None:
    time.sleep(PAUSE_SECONDS)
