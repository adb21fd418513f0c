"""The screens of the main window's areas, one package each; they never import each
other (an import-linter contract): shared pieces live in gui/widgets/, and a screen
reaches another through the navigator (gui/navigation.py)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from frontdesk.services.database import Changes


@runtime_checkable
class Screen(Protocol):
    """What the main window asks of the screen of an area."""

    def refresh(self) -> None:
        """Reload what it shows, keeping the clerk's place: each time it is shown."""

    def changed(self, changes: Changes) -> None:
        """Data was written while it is shown (by it, a dialog, a timer, a worker):
        reload whatever of it the change concerns."""


@runtime_checkable
class FirstField(Protocol):
    """A screen that says where work on it starts (optional)."""

    def focus_first_field(self) -> None:
        """Put the cursor there: its area's Ctrl+<n> calls it."""
