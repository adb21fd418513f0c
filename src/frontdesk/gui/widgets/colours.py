"""The palette the screens share, so a warning is the same red and a finished step
the same green everywhere (as hex strings: they go into style sheets and rich text
as often as into a QColor)."""

from __future__ import annotations

RED = "#b3261e"  # owing, overdue, a problem
GREEN = "#1b7f3b"  # done, paid, in order
DARK_GREEN = "#0f5132"  # settled, moved in: done and closed
BLUE = "#1d5fa8"  # under way at the office
AMBER = "#b26a00"  # under way on site
SLATE = "#8a94a3"  # not started
GREY = "#8a8f98"  # closed, rejected, locked
EDITED = "#9a6700"  # changed from what was shipped or stored; not saved yet
