"""Where a screen asks to take the clerk, and who takes them there.

A screen never opens another screen (screens do not import each other): it asks
`ctx.navigator.go(place)` and the main window, the one place that knows every
screen, goes there. `go` answers whether it could (no window in a test of one tab;
an area the role may not use), so the asker can say where to go instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class HouseholdFile:
    """户档案 with this room's file open (the search, a recently opened file)."""

    room_id: int


@dataclass(frozen=True)
class Counter:
    """收费 › 收款 on this room (去收款 from a file's bills, a move-in, a renovation)."""

    room_id: int


@dataclass(frozen=True)
class FileWindow:
    """This room's household file in a window over `over`, closed before `go` returns
    (the move-in checklist's 业主建档: register the owners, then carry on)."""

    room_id: int
    over: QWidget


@dataclass(frozen=True)
class RestoreBackup:
    """Put this backup in place of the open database (confirmed by a supervisor in
    设置 → 备份与恢复): the window closes so that nothing holds the old database, and
    the program opens the restored one with a new sign-in."""

    backup: Path


@dataclass(frozen=True)
class NewWorkOrder:
    """客服 with a new work order's intake open for this room (新建工单… in the
    household file's 工单 tab): the caller is the room's resident."""

    room_id: int


@dataclass(frozen=True)
class WorkOrderView:
    """An order's full view (工单详情) over `over`, closed before `go` returns (a
    double-click on an order in the household file's 工单 tab)."""

    order_id: int
    over: QWidget


@dataclass(frozen=True)
class ReceiptJournal:
    """收费 › 收据 on this receipt's day with it selected (a paid repair's receipt from
    the 客服 board)."""

    number: str


@dataclass(frozen=True)
class AreaList:
    """An area of the main window (its key) on the tab with this title, if the role
    has it (a line of 今日工作 opens the list behind it)."""

    area: str
    tab: str = ""


Place = (
    AreaList
    | HouseholdFile
    | Counter
    | FileWindow
    | RestoreBackup
    | NewWorkOrder
    | WorkOrderView
    | ReceiptJournal
)


class Navigator:
    """Screens' requests to go somewhere; the main window connects itself."""

    def __init__(self) -> None:
        self._go: Callable[[Place], bool] | None = None

    def connect(self, go: Callable[[Place], bool]) -> None:
        self._go = go

    def go(self, place: Place) -> bool:
        """Take the clerk to `place`; False if nobody could."""
        return self._go is not None and self._go(place)
