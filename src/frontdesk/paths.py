"""Where FrontDesk keeps its data and finds its bundled files.

Data folder precedence: explicit argument > FRONTDESK_HOME > the platform's
user data folder. Bundled `ui/` and `resources/` are found in a frozen bundle,
an installed wheel (`frontdesk/_data/`) or a source checkout, in that order.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "FrontDesk"
DB_FILENAME = "frontdesk.sqlite"


def data_dir() -> Path:
    """The folder for the database, backups and stored documents."""
    env = os.environ.get("FRONTDESK_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def _bundle_roots() -> list[Path]:
    roots = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        roots.append(Path(frozen_root))
    package = Path(__file__).resolve().parent
    roots.append(package / "_data")  # installed wheel
    roots.append(package.parent.parent)  # source checkout: src/frontdesk -> repo root
    return roots


def bundled_path(*parts: str) -> Path:
    """Path of a bundled file such as `bundled_path("resources", "fonts", "x.ttc")`."""
    for root in _bundle_roots():
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise FileNotFoundError("/".join(parts))


def resource(*parts: str) -> Path:
    return bundled_path("resources", *parts)
