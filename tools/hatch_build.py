"""Hatch build hook: compile the Qt Designer forms before the wheel is assembled."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Runs tools/build_ui.py for wheels and editable installs alike."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        path = Path(self.root) / "tools" / "build_ui.py"
        spec = importlib.util.spec_from_file_location("frontdesk_build_ui", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.compile_forms()
        build_data["artifacts"].append("src/frontdesk/gui/forms/*_ui.py")
