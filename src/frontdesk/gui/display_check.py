"""Can Qt open a window here? Asked before the application is created, because Qt
aborts the whole process (with a page of plugin names) when its platform plugin cannot
load, and a newcomer running `make demo` on a fresh Linux desktop should instead read
one line naming what to install.

Only the X11 plugin (xcb) is checked: it is what Qt picks on a Linux desktop outside a
Wayland session, and the libraries it needs beyond Qt's own are the ones a desktop
install often lacks (libxcb-cursor0 above all). `ldd` lists them without loading
anything into this process.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QLibraryInfo

# A shared library's Debian package, where the usual rule (the soname without ".so",
# a "-" before the version when the name ends in a digit) does not give it.
_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships a shared library, by its soname."""
    known = _PACKAGES.get(soname)
    if known is not None:
        return known
    name, _, version = soname.partition(".so.")
    stem = name.lower().replace("_", "-")
    if not version:
        return stem
    return f"{stem}-{version}" if stem[-1].isdigit() else f"{stem}{version}"


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries `ldd` could not find, each once, in the order it named them."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def _xcb_plugin() -> Path:
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    return plugins / "platforms" / "libqxcb.so"


def _ldd(path: Path) -> str:
    ldd = shutil.which("ldd")
    if ldd is None or not path.exists():
        return ""
    result = subprocess.run([ldd, str(path)], capture_output=True, text=True, check=False)
    return result.stdout


def _uses_xcb(env: Mapping[str, str]) -> bool:
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    wayland = env.get("XDG_SESSION_TYPE") == "wayland" and bool(env.get("WAYLAND_DISPLAY"))
    return not wayland


def display_problem(
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    ldd: Callable[[Path], str] = _ldd,
) -> str | None:
    """One line saying why no window can open here, or None when nothing is wrong
    that can be seen beforehand."""
    env = os.environ if env is None else env
    if not platform.startswith("linux") or not _uses_xcb(env):
        return None
    if not env.get("DISPLAY"):
        return (
            "无法打开窗口：没有图形桌面（环境变量 DISPLAY 未设置）。"
            "请在桌面环境中运行，或用 ssh -X 登录后运行。"
        )
    missing = missing_libraries(ldd(_xcb_plugin()))
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(debian_package(lib) for lib in missing))
    return (
        f"无法打开窗口：缺少 Qt 需要的系统库 {'、'.join(missing)}。"
        f"Debian/Ubuntu 上请运行：sudo apt install {packages}"
    )


if __name__ == "__main__":  # `make demo` asks before it builds the demo community
    found = display_problem()
    if found is not None:
        print(found, file=sys.stderr)
    sys.exit(0 if found is None else 1)
