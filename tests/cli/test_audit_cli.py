"""`frontdesk audit --export`: the log with its hashes; exit 1 when the chain is broken."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import text

from tests.cli.conftest import Run, copy_of
from tests.cli.database_rows import Where, write


def test_audit_export_writes_the_log_and_says_the_chain_is_whole(
    frontdesk: Run, demo_db: Where, tmp_path: Path
) -> None:
    copy = copy_of(demo_db, tmp_path / "demo.sqlite")  # the export is logged in it
    out = tmp_path / "audit.xlsx"
    result = frontdesk("audit", "--export", str(out), "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert "哈希链完整" in result.stdout
    check = dict(load_workbook(out)["校验"].iter_rows(values_only=True))
    assert check["哈希链校验"] == "完整"


def test_audit_export_of_a_tampered_log_says_where(
    frontdesk: Run, demo_db: Where, tmp_path: Path
) -> None:
    copy = copy_of(demo_db, tmp_path / "demo.sqlite")
    # Someone with the file, or the server's owner account, drops the guard and edits.
    of_table = "" if isinstance(copy, Path) else " ON audit_log"  # PostgreSQL names the table
    write(
        copy,
        text(f"DROP TRIGGER audit_log_no_update{of_table}"),
        text("UPDATE audit_log SET summary = summary || '（改）' WHERE id = 3"),
    )
    out = tmp_path / "audit.xlsx"
    result = frontdesk("audit", "--export", str(out), "--db", str(copy))
    assert result.returncode == 1
    assert "审计日志第 3 条起被改动或删除" in result.stdout
    check = dict(load_workbook(out)["校验"].iter_rows(values_only=True))
    assert check["哈希链校验"] == "审计日志第 3 条起被改动或删除"
