"""楼栋收费状况's layout without a window: floors top down by unit and door, other
buildings ten to a row, and what each cell and the counts line say."""

from __future__ import annotations

from frontdesk.domain.periods import Period
from frontdesk.gui.screens.cashier.grid_model import cell_text, counts_text, layout
from frontdesk.services.fees.grid import FeeState, RoomFeeState


def room(
    room_id: int, unit: str | None, floor: int, number: str, state: FeeState, owed: int = 0
) -> RoomFeeState:
    paid = Period(2026, 11) if state == FeeState.PAID else None
    return RoomFeeState(room_id, f"1-{unit}-{number}", unit, floor, number, state, owed, paid)


def test_a_residential_building_is_a_row_per_floor_top_first() -> None:
    states = [
        room(1, "1", 1, "101", FeeState.PAID),
        room(2, "1", 1, "102", FeeState.OWING, 19690),
        room(3, "1", 2, "201", FeeState.VACANT),
        room(4, "2", 2, "201", FeeState.UNBILLED),
    ]
    shape = layout(states)
    assert shape.column_headers == ["1单元01", "1单元02", "2单元01"]
    assert shape.row_headers == ["2层", "1层"]
    assert [(r, c, s.room_id) for r, c, s in shape.cells] == [
        (1, 0, 1),
        (1, 1, 2),
        (0, 0, 3),
        (0, 2, 4),
    ]
    assert cell_text(states[0]) == "101\n至 26/11"
    assert cell_text(states[1]) == "102\n欠 196.90"
    assert cell_text(states[2]) == "201"
    assert counts_text(states) == "已缴清 1 户　欠费 1 户　空置 1 户　未出账 1 户　欠费合计 ¥196.90"


def test_units_sort_by_number_not_by_text() -> None:
    states = [room(i, unit, 1, "101", FeeState.PAID) for i, unit in enumerate(("10", "2", "1"))]
    assert layout(states).column_headers == ["1单元01", "2单元01", "10单元01"]


def test_shops_and_garages_go_ten_to_a_row() -> None:
    states = [room(i, None, 1, f"S{i:02d}", FeeState.PAID) for i in range(23)]
    shape = layout(states)
    assert shape.column_headers == [str(n) for n in range(1, 11)]
    assert shape.row_headers == ["1", "2", "3"]
    assert [(r, c) for r, c, _ in shape.cells][9:12] == [(0, 9), (1, 0), (1, 1)]
