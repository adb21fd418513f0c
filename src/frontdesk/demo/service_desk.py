"""Demo work orders (工单): a staff register, and a year of orders at the rates an
estate of this size sees — several a day, with the seasons of 南京 (more 漏水 in the
rainy months, air conditioners tripping circuits in the summer, pipes split by the
January cold; fewer calls over the Spring Festival) and a desk that keeps its promises
better as the year goes on (fewer late arrivals, completions and callbacks, more
satisfied owners) — in every state: at the desk, dispatched, arrived, paused with a
reason, finished awaiting the callback, called back (a few unsatisfied, reopened),
closed; complaints with their callbacks and one closed after three failed attempts;
anonymous complaints, public places, repeats; some overdue now and some due soon.

Each order's life is planned first (its steps and their times), then cut at the
demo's now. The last SERVICE_HOURS' orders, and the cases the desk must see on its
board, are driven through the services step by step, each at its own time
(`happened_at`), so every rule of the state machine and the audit log hold as at the
counter. The older history is the same plans checked by the same state machine
(`domain.service_desk.advance`), with the clock columns the services would have
left, bulk-inserted and sealed by one audit entry, as the gate's visits are: every
step of a year through the services (some 18,000 for 2,000 households) would add
minutes to the demo. Numbers run with the time taken, whichever way
an order was written.

The plan (what happens when) is demo/service_desk_plan.py; the writing (bulk rows and
service steps) demo/service_desk_writing.py.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from frontdesk.demo.service_desk_plan import STAFF, Desk, board_cases, random_lives
from frontdesk.demo.service_desk_writing import write_orders
from frontdesk.domain.roles import Actor
from frontdesk.domain.service_desk import Team
from frontdesk.services.database import Database
from frontdesk.services.service_desk import settings
from frontdesk.services.service_desk.settings import StaffInput


def add_demo_service_desk(
    db: Database,
    clerk: Actor,
    boss: Actor,
    rng: random.Random,
    callers: Sequence[tuple[int, int, str, str]],
    now: datetime,
) -> dict[str, int]:
    """`callers`: (room id, building id, name, phone) of occupied homes."""
    if not callers:
        return {"staff": 0, "orders": 0, "through_services": 0}
    # On the minute: the same seed plans the same orders on the same set clock.
    now = now.replace(second=0, microsecond=0)
    on_duty: dict[Team, list[int]] = {team: [] for team in Team}
    everyone: dict[Team, list[int]] = {team: [] for team in Team}
    with db.write(boss) as session:  # the register as the supervisor entered it
        for name, team, duty, note in STAFF:
            phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
            data = StaffInput(name, team, phone, duty, note=note)
            person = settings.save_staff(session, boss, data)
            everyone[team].append(person)
            if duty:
                on_duty[team].append(person)
    categories = {c.name: c for c in settings.categories(db)}
    desk = Desk(db, clerk, boss, categories, on_duty, everyone, now)
    # The year's history from a stream of its own: the board's cases stay as they are
    # whatever the history draws.
    lives = random_lives(desk, random.Random(rng.getrandbits(64)), callers, now)
    lives += board_cases(desk, rng, callers, lives)
    lives.sort(key=lambda life: life.taken)
    through = write_orders(desk, lives)
    return {"staff": len(STAFF), "orders": len(lives), "through_services": through}
