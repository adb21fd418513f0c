"""Run the real `frontdesk` command in a child process, as an administrator would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def frontdesk(tmp_path: Path) -> Run:
    def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, FRONTDESK_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
        return subprocess.run(
            [sys.executable, "-m", "frontdesk", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "frontdesk",
            "demo",
            str(path),
            "--households",
            "300",
            "--seed",
            "3",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return path
