"""Child process of tests/unit/test_long_writes.py: runs one long write on a database
file and prints a JSON line with what happened. Never imported by the app.

`python long_write_child.py JSON` where JSON names the database, the acting person,
the data key (hex) and the roster to import. It prints `step` at each step of its
progress (checking, then writing: the parent posts a payment for each), its result last."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Any

from frontdesk.db.protection import IdCipher
from frontdesk.domain.roles import Actor, Role
from frontdesk.services import roster
from frontdesk.services.database import open_at
from frontdesk.services.progress import Progress


def main() -> None:
    args: dict[str, Any] = json.loads(sys.argv[1])
    who = args["actor"]
    actor = Actor(who["user_id"], who["username"], who["display_name"], Role(who["role"]))
    db = open_at(Path(args["db"]))
    db.cipher = IdCipher(bytes.fromhex(args["data_key"]))

    def tell(_done: int, _total: int) -> None:
        print("step", flush=True)

    try:
        report = roster.import_roster(db, actor, Path(args["roster"]), progress=Progress(tell))
    except Exception as exc:
        print(json.dumps({"error": repr(exc), "trace": traceback.format_exc()}), flush=True)
    else:
        print(json.dumps({"added": report.added, "rejected": len(report.rejected)}), flush=True)
    finally:
        db.dispose()


if __name__ == "__main__":
    main()
