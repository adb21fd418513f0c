"""The suite hashes passwords at argon2's lowest cost; FrontDesk itself never does.

An installation hashes at argon2-cffi's default cost (RFC 9106's low-memory profile:
64 MiB and three passes, a tenth of a second a hash), fixed in services/users.py with no
setting, variable or option that lowers it (tests/unit/test_users.py checks it in a
process of its own). At that cost a test that makes an administrator and signs in spent
a quarter of a second hashing, minutes over the suite. So the suite swaps the hasher for
one at the lowest cost argon2 allows: in its own process (tests/conftest.py) and in the
`frontdesk` children it starts (tests/frontdesk_child.py).

argon2 reads the cost from each stored hash, so a hash made at either cost verifies; a
production-cost hash a test makes on purpose is rehashed at the cheap cost at its next
sign-in, as FrontDesk rehashes any hash made at another cost than its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from argon2 import PasswordHasher

from frontdesk.services import users

CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
# `python -m frontdesk` as the suite starts it in a child process: the real command,
# hashing cheaply too.
FRONTDESK_COMMAND = (sys.executable, str(Path(__file__).with_name("frontdesk_child.py")))


def hash_cheaply() -> None:
    """From now on this process hashes new passwords at the cheap cost."""
    users._hasher = CHEAP_HASHER
