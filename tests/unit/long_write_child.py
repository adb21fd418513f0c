"""Child process of tests/unit/test_long_writes.py: runs one long write on a database
(a file's path or a server database's URL) and prints a JSON line with what happened.
Never imported by the app.

`python long_write_child.py JSON` where JSON names the database, the acting person,
the data key (hex) and either the roster to import or the period to bill (with the
bills per batch, so a small estate is billed in many steps). It prints `step` at each
step of its progress (the parent posts a payment for each), its result last."""

from __future__ import annotations

import json
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import Any

from frontdesk.db.protection import IdCipher
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.services import steps
from frontdesk.services.database import open_at
from frontdesk.services.fees import billing
from frontdesk.services.households import roster
from frontdesk.services.progress import Progress


def main() -> None:
    args: dict[str, Any] = json.loads(sys.argv[1])
    who = args["actor"]
    actor = Actor(who["user_id"], who["username"], who["display_name"], Role(who["role"]))
    db = open_at(args["db"])  # a file's path or a server database's URL
    db.cipher = IdCipher(bytes.fromhex(args["data_key"]))

    def tell(_done: int, _total: int) -> None:
        print("step", flush=True)

    try:
        result = _run(db, actor, args, Progress(tell))
    except Exception as exc:
        print(json.dumps({"error": repr(exc), "trace": traceback.format_exc()}), flush=True)
    else:
        print(json.dumps(result), flush=True)
    finally:
        db.dispose()


def _run(db: Any, actor: Actor, args: dict[str, Any], progress: Progress) -> dict[str, int]:
    if "period" in args:
        billing.INSERT_CHUNK = args["batch"]
        steps.STEP_SECONDS = 0.0  # one batch a step
        period = Period.parse(args["period"])
        today = date.fromisoformat(args["today"])
        made = billing.run_billing(db, actor, period, today=today, progress=progress)
        return {"bills": made.bills}
    report = roster.import_roster(db, actor, Path(args["roster"]), progress=progress)
    return {"added": report.added, "rejected": len(report.rejected)}


if __name__ == "__main__":
    main()
