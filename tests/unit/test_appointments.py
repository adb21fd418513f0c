"""An appointment slot as the desk's intake and `ticket add --appointment` read it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from frontdesk.domain.appointments import parse_slot
from frontdesk.errors import ValidationError

DAY = date(2026, 12, 7)


def local(*parts: int) -> datetime:
    return datetime(*parts).astimezone()


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("14:00-16:00", local(2026, 12, 7, 14), local(2026, 12, 7, 16)),
        ("12-08 14:00-16:00", local(2026, 12, 8, 14), local(2026, 12, 8, 16)),
        ("2026-12-08 9:30~11:00", local(2026, 12, 8, 9, 30), local(2026, 12, 8, 11)),
        ("2026/12/08 14：00 至 16：00", local(2026, 12, 8, 14), local(2026, 12, 8, 16)),
        ("12.08 14:00到16:00", local(2026, 12, 8, 14), local(2026, 12, 8, 16)),
        # a day without a year that has passed this year is next year's
        ("01-05 09:00-11:00", local(2027, 1, 5, 9), local(2027, 1, 5, 11)),
        ("2026-01-05 09:00-11:00", local(2026, 1, 5, 9), local(2026, 1, 5, 11)),
    ],
)
def test_a_slot_is_read_in_local_time(typed: str, start: datetime, end: datetime) -> None:
    assert parse_slot(f" {typed} ", DAY) == (start, end)


def test_an_empty_slot_is_none() -> None:
    assert parse_slot("  ", DAY) is None


@pytest.mark.parametrize(
    "typed",
    ["明天下午", "14:00", "12-08", "13-01 09:00-10:00", "12-08 25:00-26:00", "02-30 9:00-10:00"],
)
def test_what_cannot_be_read_is_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_slot(typed, DAY)
    assert refused.value.field == "预约时段" and typed in refused.value.problem
