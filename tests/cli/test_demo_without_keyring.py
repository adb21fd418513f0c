"""`make demo` on a PC without a keyring and without FRONTDESK_PASSPHRASE (a bare Linux
box): the demo is keyed under its own passphrase, and the steps after the build (its
notices, reminders and work-order photos) must open it under that passphrase too."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.cheap_hashing import FRONTDESK_COMMAND


def test_the_demo_is_written_whole_without_a_keyring_or_passphrase(tmp_path: Path) -> None:
    env = dict(os.environ, FRONTDESK_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    env.pop("FRONTDESK_PASSPHRASE")
    assert env["PYTHON_KEYRING_BACKEND"] == "keyring.backends.null.Keyring"
    path = tmp_path / "demo.sqlite"
    made = subprocess.run(
        [*FRONTDESK_COMMAND, "demo", str(path), "--households", "40"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert "演示数据已写入" in made.stdout
    # the GUI asks for the passphrase the README names; with it, the file opens
    env["FRONTDESK_PASSPHRASE"] = "demo1234"
    stats = subprocess.run(
        [*FRONTDESK_COMMAND, "stats", "--db", str(path)],
        capture_output=True,
        text=True,
        env=dict(env, FRONTDESK_USER="admin", FRONTDESK_PASSWORD="demo1234"),
        timeout=120,
        check=False,
    )
    assert stats.returncode == 0, stats.stderr
    assert '"tickets"' in stats.stdout
