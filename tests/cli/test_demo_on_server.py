"""`frontdesk demo postgresql://…` (issue 23): the same demo a file gets, on a server,
checked on arrival; a database that is not empty is refused before any work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import postgres

pytestmark = pytest.mark.postgres


def test_the_demo_on_a_server_is_the_demo_of_a_file(
    frontdesk, tmp_path: Path, pg_empty_url: str
) -> None:
    on_server = frontdesk("demo", pg_empty_url, "--households", "40", "--seed", "7", user=None)
    assert on_server.returncode == 0, on_server.stdout + on_server.stderr
    assert "到达后核对" in on_server.stdout
    assert "演示数据已写入 postgresql://" in on_server.stdout
    path = tmp_path / "demo.sqlite"
    in_file = frontdesk("demo", str(path), "--households", "40", "--seed", "7", user=None)
    assert in_file.returncode == 0, in_file.stderr

    counts = [
        json.loads(frontdesk("stats", "--db", where).stdout) for where in (pg_empty_url, str(path))
    ]
    assert counts[0] == counts[1]
    assert counts[0]["households"] > 30 and counts[0]["receipts"] > 0


def test_a_database_that_is_not_empty_is_refused_before_any_work(
    frontdesk, pg_empty_url: str
) -> None:
    first = frontdesk("demo", pg_empty_url, "--households", "20", user=None)
    assert first.returncode == 0, first.stderr
    before = frontdesk("stats", "--db", pg_empty_url).stdout

    again = frontdesk("demo", pg_empty_url, "--households", "20", user=None)
    assert again.returncode == 1
    assert "不是空的" in again.stderr and "Traceback" not in again.stderr
    assert "已生成" not in again.stdout  # refused before the demo was written
    assert frontdesk("stats", "--db", pg_empty_url).stdout == before


def test_a_password_in_the_address_is_refused(frontdesk) -> None:
    url = postgres.database_url(postgres.server_url(), "estate").replace(
        "frontdesk@", "frontdesk:secret@"
    )
    refused = frontdesk("demo", url, user=None)
    assert refused.returncode == 2
    assert "地址中不能含密码" in refused.stderr
