"""Compile Qt Designer forms (ui/**/*.ui) into src/frontdesk/gui/forms/*_ui.py.

Run by the hatch build hook (so `pip install` and wheels carry the forms) and by
`make` for development. Forms are regenerated only when the .ui file is newer.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "ui"
FORMS_DIR = ROOT / "src" / "frontdesk" / "gui" / "forms"

_UIC = "import sys; from PySide6.scripts.pyside_tool import uic; sys.exit(uic())"


def form_module_name(ui_file: Path) -> str:
    """`ui/admin/users.ui` -> `admin_users_ui` (flat, so imports stay short)."""
    rel = ui_file.relative_to(UI_DIR).with_suffix("")
    return "_".join(rel.parts) + "_ui"


def compile_forms(force: bool = False) -> list[Path]:
    """Compile every stale form; return the generated files that were written."""
    FORMS_DIR.mkdir(parents=True, exist_ok=True)
    init = FORMS_DIR / "__init__.py"
    if not init.exists():
        init.write_text('"""Generated from ui/*.ui by tools/build_ui.py; do not edit."""\n')
    written = []
    for ui_file in sorted(UI_DIR.rglob("*.ui")):
        target = FORMS_DIR / f"{form_module_name(ui_file)}.py"
        if not force and target.exists() and target.stat().st_mtime >= ui_file.stat().st_mtime:
            continue
        subprocess.run(
            [sys.executable, "-c", _UIC, "--from-imports", str(ui_file), "-o", str(target)],
            check=True,
        )
        written.append(target)
    return written


if __name__ == "__main__":
    done = compile_forms(force="--force" in sys.argv)
    print(f"compiled {len(done)} form(s)")
