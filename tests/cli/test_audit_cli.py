"""`frontdesk audit --export`: the log with its hashes; exit 1 when the chain is broken."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.conftest import Run

# SQLite only: the log is copied and tampered with as a file.
pytestmark = pytest.mark.sqlite_only


def test_audit_export_writes_the_log_and_says_the_chain_is_whole(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "demo.sqlite"
    copy.write_bytes(demo_db.read_bytes())
    out = tmp_path / "audit.xlsx"
    result = frontdesk("audit", "--export", str(out), "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert "哈希链完整" in result.stdout
    check = dict(load_workbook(out)["校验"].iter_rows(values_only=True))
    assert check["哈希链校验"] == "完整"


def test_audit_export_of_a_tampered_log_says_where(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "demo.sqlite"
    copy.write_bytes(demo_db.read_bytes())
    with sqlite3.connect(copy) as raw:
        raw.execute("DROP TRIGGER audit_log_no_update")
        raw.execute("UPDATE audit_log SET summary = summary || '（改）' WHERE id = 3")
    out = tmp_path / "audit.xlsx"
    result = frontdesk("audit", "--export", str(out), "--db", str(copy))
    assert result.returncode == 1
    assert "审计日志第 3 条起被改动或删除" in result.stdout
    check = dict(load_workbook(out)["校验"].iter_rows(values_only=True))
    assert check["哈希链校验"] == "审计日志第 3 条起被改动或删除"
