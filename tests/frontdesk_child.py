"""`python tests/frontdesk_child.py ARGS…`: `python -m frontdesk ARGS…` as the suite runs it
in a child process, with the suite's cheap password hashing (tests/cheap_hashing.py).

Run as a script, never imported.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

# In place of this folder, the checkout, as `python -m` run there would have it.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from tests.cheap_hashing import hash_cheaply  # noqa: E402

hash_cheaply()
runpy.run_module("frontdesk", run_name="__main__", alter_sys=True)
