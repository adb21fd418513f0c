"""Before the window opens: one line naming what Qt lacks, instead of Qt's abort."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from frontdesk.gui.display_check import debian_package, display_problem, missing_libraries
from tests.cheap_hashing import FRONTDESK_COMMAND

LDD_MISSING = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-cursor.so.0 => not found
"""
DESKTOP = {"DISPLAY": ":0"}


def test_the_libraries_ldd_could_not_find_each_once() -> None:
    assert missing_libraries(LDD_MISSING) == [
        "libxcb-cursor.so.0",
        "libxcb-icccm.so.4",
        "libxkbcommon-x11.so.0",
    ]
    assert missing_libraries("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


def test_each_library_is_named_by_its_debian_package() -> None:
    assert debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert debian_package("libxcb-render-util.so.0") == "libxcb-render-util0"
    assert debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert debian_package("libEGL.so.1") == "libegl1"
    assert debian_package("libdbus-1.so.3") == "libdbus-1-3"


def test_missing_xcb_libraries_are_one_line_with_the_apt_command() -> None:
    line = display_problem(DESKTOP, "linux", lambda _plugin: LDD_MISSING)
    assert line is not None and "\n" not in line
    assert "libxcb-cursor.so.0" in line
    assert line.endswith("sudo apt install libxcb-cursor0 libxcb-icccm4 libxkbcommon-x11-0")


def test_nothing_is_said_when_every_library_is_there() -> None:
    assert display_problem(DESKTOP, "linux", lambda _plugin: "") is None


def test_no_desktop_at_all_is_said_plainly() -> None:
    line = display_problem({}, "linux", lambda _plugin: LDD_MISSING)
    assert line is not None and "DISPLAY" in line and "apt" not in line


def test_other_platforms_and_wayland_sessions_are_not_checked() -> None:
    def fail(_plugin: Path) -> str:
        raise AssertionError("ldd must not run")

    assert display_problem({}, "win32", fail) is None
    assert display_problem({}, "linux", fail) is not None  # xcb on a bare box
    wayland = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}
    assert display_problem(wayland, "linux", fail) is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", fail) is None


def test_the_command_says_it_in_one_line_and_opens_nothing(tmp_path: Path) -> None:
    env = dict(os.environ, FRONTDESK_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="xcb")
    env.pop("DISPLAY", None)
    db = tmp_path / "never.sqlite"
    result = subprocess.run(
        [*FRONTDESK_COMMAND, "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "无法打开窗口：没有图形桌面（环境变量 DISPLAY 未设置）。"
        "请在桌面环境中运行，或用 ssh -X 登录后运行。"
    ]
    assert not db.exists()
