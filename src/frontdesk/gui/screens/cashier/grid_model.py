"""Where each room of a building goes on 楼栋收费状况, and what its cell says, without
Qt: residential buildings a row per floor (top floor first) and a column per unit and
door; shops, garages and storerooms in number order, ten to a row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from frontdesk.domain.money import format_yuan
from frontdesk.services.fees.grid import FeeState, RoomFeeState

PER_ROW = 10


@dataclass(frozen=True)
class GridLayout:
    column_headers: list[str]
    row_headers: list[str]
    cells: list[tuple[int, int, RoomFeeState]]  # (row, column, room)


def layout(states: Sequence[RoomFeeState]) -> GridLayout:
    if all(s.unit for s in states):
        return _by_floor(states)
    return _in_rows(states)


def _by_floor(states: Sequence[RoomFeeState]) -> GridLayout:
    columns = sorted(
        {(s.unit or "", s.number[-2:]) for s in states}, key=lambda c: (c[0].zfill(4), c[1])
    )
    floors = sorted({s.floor for s in states}, reverse=True)
    return GridLayout(
        [f"{unit}单元{tail}" for unit, tail in columns],
        [f"{floor}层" for floor in floors],
        [(floors.index(s.floor), columns.index((s.unit or "", s.number[-2:])), s) for s in states],
    )


def _in_rows(states: Sequence[RoomFeeState]) -> GridLayout:
    rows = (len(states) + PER_ROW - 1) // PER_ROW
    return GridLayout(
        [str(n) for n in range(1, PER_ROW + 1)],
        [str(r + 1) for r in range(rows)],
        [(index // PER_ROW, index % PER_ROW, s) for index, s in enumerate(states)],
    )


def cell_text(state: RoomFeeState) -> str:
    """The room number, then what it owes or the month it has paid through."""
    text = state.number
    if state.state == FeeState.OWING:
        text += f"\n欠 {format_yuan(state.owed_fen)}"
    elif state.paid_through:
        text += f"\n至 {state.paid_through.year % 100:02d}/{state.paid_through.month:02d}"
    return text


def counts_text(states: Sequence[RoomFeeState]) -> str:
    counts = Counter(s.state for s in states)
    return "　".join(f"{s.label} {counts[s]} 户" for s in FeeState) + (
        f"　欠费合计 ¥{format_yuan(sum(s.owed_fen for s in states))}"
    )
