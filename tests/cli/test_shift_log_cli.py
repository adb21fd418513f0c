"""`frontdesk shift-log`: a day of the demo's handover book as text, JSON and the A4
page (registered in the document register), for the counter only."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from frontdesk.domain import clock
from tests.cli.conftest import Run, copy_of


def test_a_day_of_the_book_as_json_and_text(frontdesk: Run, demo_db: Path) -> None:
    day = (clock.wall_now() - timedelta(days=2)).date()
    db = ("--date", day.isoformat(), "--db", str(demo_db))
    result = frontdesk("shift-log", "--json", *db)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    handovers = [r for r in rows if r["kind"] == "交班"]
    assert len(handovers) == 2  # the morning's and the evening's
    assert all(r["written_at"].startswith(day.isoformat()) for r in rows)
    assert all(r["state"] == "已接班" and r["acknowledged_by"] for r in handovers)
    assert [i["register"] for i in handovers[0]["items"]] == [
        "访客登记",
        "报事报修",
        "工单回访",
        "收费交班",
    ]
    text = frontdesk("shift-log", *db).stdout
    assert text.strip().splitlines()[-1] == f"{day:%Y-%m-%d}：交班 2 次，待接班确认 0 次"


def test_the_latest_handover_waits_and_the_page_is_registered(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    db = copy_of(demo_db, tmp_path / "demo.sqlite")
    today = json.loads(frontdesk("shift-log", "--json", "--db", str(db)).stdout)
    assert today[-1]["kind"] == "交班" and today[-1]["state"] == "待接班确认"

    out = tmp_path / "log.pdf"
    result = frontdesk("shift-log", "--out", str(out), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "发文登记号" in result.stdout
    page = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "交接班记录" in page and "接班人签名" in page
    documents = frontdesk("documents", "--kind", "交接班记录", "--db", str(db))
    assert documents.returncode == 0, documents.stderr
    assert f"交接班记录 {clock.today():%Y-%m-%d}" in documents.stdout


def test_only_the_counter_reads_the_book(frontdesk: Run, demo_db: Path) -> None:
    result = frontdesk("shift-log", "--db", str(demo_db), user="shoufei")
    assert result.returncode == 1 and "前台登记" in result.stderr
    both = frontdesk("shift-log", "--json", "--out", "x.pdf", "--db", str(demo_db))
    assert both.returncode == 2
