"""Work-order numbers: the stored form GD-2612-0001, and the one reading of a number
as typed (any case, hyphens or none)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.order_numbers import (
    as_order_number,
    count_of,
    month_prefix,
    order_number,
    parse_order_number,
)
from frontdesk.errors import ValidationError

years = st.integers(0, 99)
months = st.integers(1, 12)
counts = st.integers(1, 99_999)


def spellings(text: str) -> st.SearchStrategy[str]:
    """`text` in any mix of upper and lower case."""
    return st.lists(st.booleans(), min_size=len(text), max_size=len(text)).map(
        lambda upper: "".join(
            c.upper() if u else c.lower() for c, u in zip(text, upper, strict=True)
        )
    )


@given(years, months, counts, st.booleans(), st.booleans(), st.data())
def test_a_number_reads_the_same_with_or_without_hyphens_in_any_case(
    year: int, month: int, count: int, first: bool, second: bool, data: st.DataObject
) -> None:
    stored = order_number(f"GD-{year:02d}{month:02d}-", count)
    typed = f"GD{'-' if first else ''}{year:02d}{month:02d}{'-' if second else ''}{count:04d}"
    typed = data.draw(spellings(typed))
    assert parse_order_number(f" {typed} ") == stored
    assert parse_order_number(stored) == stored
    assert count_of(stored, f"GD-{year:02d}{month:02d}-") == count


def test_the_stored_form() -> None:
    taken = datetime(2026, 12, 8, 14, 0).astimezone()
    assert month_prefix(taken) == "GD-2612-"
    assert order_number("GD-2612-", 1) == "GD-2612-0001"
    assert order_number("GD-2612-", 10_000) == "GD-2612-10000"
    assert parse_order_number("gd2612-0001") == "GD-2612-0001"
    assert parse_order_number("GD-2612-00012") == "GD-2612-0012"
    assert as_order_number("gd 2612 0001") == "GD-2612-0001"
    assert as_order_number("张三") is None and as_order_number("FW-2026-000123") is None


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "GD",
        "2612-0001",
        "GD-2612-001",
        "GD-2613-0001",
        "GD-2612-0000",
        "WX-2612-0001",
        "GD-2612-0001x",
        "GD--2612-0001",
        "FW-2026-000123",
    ],
)
def test_what_is_not_a_number_is_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_order_number(typed)
    assert refused.value.field == "工单编号"
