"""Day-counted register numbers (FX-/SW-): however a clerk types or a scanner sends one,
it reads back as the stored form; anything else names the field."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.day_numbers import day_number, parse_day_number
from frontdesk.errors import ValidationError


@given(
    prefix=st.sampled_from(["FX", "SW"]),
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    sequence=st.integers(min_value=1, max_value=999),
    typed=st.sampled_from(["stored", "lower", "bare", "digits", "spaced"]),
)
def test_every_typed_form_reads_back_as_stored(
    prefix: str, day: date, sequence: int, typed: str
) -> None:
    stored = day_number(prefix, day, sequence)
    forms = {
        "stored": stored,
        "lower": stored.lower(),
        "bare": stored.replace("-", ""),
        "digits": stored.split("-")[1],
        "spaced": f" {stored[:6]} {stored[6:]} ",
    }
    assert parse_day_number(forms[typed], prefix, "登记号", "SW-261125003") == stored


@pytest.mark.parametrize("text", ["", "FX-2612", "SW-261207003", "FX-26120700A", "放行条"])
def test_anything_else_names_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_day_number(text, "FX", "放行条号", "FX-261207003")
    assert caught.value.field == "放行条号"
