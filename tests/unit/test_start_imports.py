"""The program's start stays light: what the clerk waits for before the main window
(the entry point, the application, the main window and the services they use) does
not import the report, spreadsheet, migration and ID-number libraries, which load when
a paper is drawn, a workbook written, an old file upgraded or an ID number typed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import frontdesk

HEAVY = ("reportlab", "openpyxl", "alembic", "stdnum")

PROBE = """
import json, sys
import frontdesk.cli
import frontdesk.gui.app
import frontdesk.gui.main_window
heavy = sys.argv[1:]
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))))
"""


def loaded_at_start(*modules: str) -> list[str]:
    source = str(Path(frontdesk.__file__).resolve().parents[1])  # this checkout's code
    path = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": path}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_the_start_path_does_not_import_the_heavy_libraries() -> None:
    assert loaded_at_start(*HEAVY) == []


def test_the_probe_sees_a_library_the_start_path_does_import() -> None:
    # the same probe finds SQLAlchemy, which the start does need: it can tell
    assert loaded_at_start("sqlalchemy", *HEAVY) == ["sqlalchemy"]
