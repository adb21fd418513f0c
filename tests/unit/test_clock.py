"""The one clock: set by date, local time or offset; it ticks on from where it was set."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from frontdesk.domain import clock


def test_a_date_alone_means_ten_in_the_morning_local_time() -> None:
    clock.freeze("2028-02-29")
    assert clock.today() == date(2028, 2, 29)
    assert clock.wall_now().replace(second=0, microsecond=0) == datetime(2028, 2, 29, 10, 0)


def test_an_offset_is_kept_and_utc_is_what_is_stored() -> None:
    clock.freeze("2027-01-01T00:30+08:00")
    assert clock.utc_now().replace(microsecond=0) == datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    beijing = clock.now().astimezone(timezone(timedelta(hours=8)))
    assert (beijing.year, beijing.month, beijing.day, beijing.hour) == (2027, 1, 1, 0)


def test_a_set_clock_still_ticks_so_records_keep_their_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It ticks with the computer's monotonic clock from the moment it was set."""
    monotonic = [100.0]
    monkeypatch.setattr(clock, "time", SimpleNamespace(monotonic=lambda: monotonic[0]))
    clock.freeze(datetime(2026, 11, 30, 23, 59, 59))
    set_at = datetime(2026, 11, 30, 23, 59, 59).astimezone().astimezone(UTC)
    assert clock.utc_now() == set_at
    monotonic[0] = 100.25
    assert clock.utc_now() == set_at + timedelta(seconds=0.25)
    monotonic[0] = 102.5
    assert clock.now().date() == date(2026, 12, 1)  # on into the next day


@pytest.mark.parametrize("text", ["2026-13-01", "tomorrow", ""])
def test_a_bad_setting_is_refused_naming_the_variable(text: str) -> None:
    with pytest.raises(ValueError, match="FRONTDESK_NOW"):
        clock.parse_instant(text)


def test_without_a_setting_the_clock_is_the_computers() -> None:
    clock.freeze(None)
    assert not clock.is_set()
    before = datetime.now(UTC)
    read = clock.utc_now()
    assert before <= read <= datetime.now(UTC)


def test_a_child_process_reads_the_setting_from_its_environment() -> None:
    script = "from frontdesk.domain import clock; print(clock.today().isoformat())"
    env = dict(os.environ, FRONTDESK_NOW="2027-01-31T17:45")
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "2027-01-31"
