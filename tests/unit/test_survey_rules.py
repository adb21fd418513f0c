"""The survey's rules: the sample by building, the 满意度 and its margin, the calls."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.domain.surveys import (
    Household,
    Outcome,
    Status,
    allocate,
    check_attempt,
    draw,
    form_number,
    margin_of_error,
    months_before,
    parse_form_number,
    parse_score,
    sample_size,
    share,
    status_after,
)
from frontdesk.errors import ValidationError

communities = st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=400).map(
    lambda buildings: [Household(i + 1, b) for i, b in enumerate(buildings)]
)


@settings(max_examples=150, deadline=None)
@given(communities, st.data())
def test_the_sample_has_its_size_its_strata_and_leaves_out_the_recent(
    households: list[Household], data: st.DataObject
) -> None:
    recent = set(data.draw(st.sets(st.sampled_from([h.room_id for h in households]), max_size=50)))
    eligible = [h for h in households if h.room_id not in recent]
    size = data.draw(st.integers(min_value=0, max_value=len(eligible)))
    seed = data.draw(st.integers(min_value=0, max_value=2**32))
    drawn = draw(households, size, excluded=recent, seed=seed)
    assert len(drawn) == size
    assert len({h.room_id for h in drawn}) == size
    assert not {h.room_id for h in drawn} & recent
    counts: dict[int, int] = {}
    for h in eligible:
        counts[h.building_id] = counts.get(h.building_id, 0) + 1
    for building, n in counts.items():
        got = sum(1 for h in drawn if h.building_id == building)
        assert abs(got - size * n / len(eligible)) < 1  # proportional, rounded
    assert drawn == draw(households, size, excluded=recent, seed=seed)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.integers(1, 30), st.integers(0, 500), min_size=1, max_size=12),
    st.data(),
)
def test_allocation_keeps_the_total(strata: dict[int, int], data: st.DataObject) -> None:
    size = data.draw(st.integers(0, sum(strata.values())))
    parts = allocate(strata, size)
    assert sum(parts.values()) == size
    assert all(0 <= parts[k] <= strata[k] for k in strata)


def test_allocation_by_hand() -> None:
    # 10% of 3 buildings of 120, 90 and 45 households: 12, 9, 4.5 → the half goes
    # to the largest remainder, building 3, and the total is 26 (10% of 255 rounded)
    assert sample_size(255, percent=10) == 26
    assert allocate({1: 120, 2: 90, 3: 45}, 26) == {1: 12, 2: 9, 3: 5}


def test_a_sample_larger_than_the_households_is_refused_naming_the_field() -> None:
    homes = [Household(i, 1) for i in range(1, 11)]
    with pytest.raises(ValidationError) as refused:
        draw(homes, 9, excluded={1, 2}, seed=1)
    assert refused.value.field == "样本量"
    assert "可抽取的 8 户" in refused.value.problem
    with pytest.raises(ValidationError):
        sample_size(10, percent=0)
    with pytest.raises(ValidationError):
        sample_size(10, count=0)


def test_the_margin_by_hand() -> None:
    # 200 answers of a community of 2000, 180 satisfied: p = 0.9
    # 1.96 * sqrt(0.09/200) * sqrt(1800/1999) = 0.03945
    assert margin_of_error(180, 200, 2000) == pytest.approx(0.03945, abs=1e-5)
    # a census has no sampling error; without answers there is no figure
    assert margin_of_error(9, 10, 10) == 0.0
    assert margin_of_error(0, 0, 10) is None
    # all satisfied: the conservative p(1-p) = 0.25, not a zero width
    # 1.96 * sqrt(0.25/50) * sqrt(950/999) = 1.96 * 0.070711 * 0.975167 = 0.13515
    assert margin_of_error(50, 50, 1000) == pytest.approx(0.13515, abs=1e-4)
    assert margin_of_error(0, 50, 1000) == pytest.approx(0.13515, abs=1e-4)  # none satisfied


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2000), st.data())
def test_the_margin_shrinks_with_the_sample(population: int, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, population))
    good = data.draw(st.integers(0, n))
    e = margin_of_error(good, n, population)
    assert e is not None and 0 <= e <= 1
    if n < population:
        bigger = margin_of_error(good * 2, n * 2, max(population, n * 2 + 1))
        p = good / n
        if 0 < p < 1 and bigger is not None:
            assert bigger < e


def test_the_share_counts_satisfied_and_very_satisfied() -> None:
    result = share([5, 4, 4, 3, 2, 1, 5, 5, 4, 4], 100)
    assert (result.answered, result.satisfied, result.rate) == (10, 7, 0.7)
    assert result.text().startswith("70.0%（±")
    assert share([], 100).text() == "—"


def test_calls_up_to_three_attempts() -> None:
    assert status_after([]) == Status.PENDING
    assert status_after([Outcome.NO_ANSWER, Outcome.NO_ANSWER]) == Status.PENDING
    assert status_after([Outcome.NO_ANSWER] * 3) == Status.UNREACHED
    assert status_after([Outcome.NO_ANSWER, Outcome.REACHED]) == Status.ANSWERED
    assert status_after([Outcome.REFUSED]) == Status.REFUSED
    check_attempt([Outcome.NO_ANSWER] * 2)
    with pytest.raises(ValidationError):
        check_attempt([Outcome.NO_ANSWER] * 3)
    with pytest.raises(ValidationError):
        check_attempt([Outcome.REFUSED])


def test_scores_outside_the_scale_are_refused() -> None:
    assert parse_score("4", "客服接待") == 4
    for bad in ("0", "6", "x", "", "-1"):
        with pytest.raises(ValidationError) as refused:
            parse_score(bad, "客服接待")
        assert refused.value.field == "客服接待"


def test_form_numbers_round_trip() -> None:
    assert form_number(3, 12) == "MY003-0012"
    assert parse_form_number("my003-0012") == (3, 12)
    assert parse_form_number("MY0030012") == (3, 12)
    with pytest.raises(ValidationError):
        parse_form_number("abc")


def test_six_months_before() -> None:
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 3, 15), 6) == date(2025, 9, 15)
