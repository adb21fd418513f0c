"""`frontdesk goods-passes` and `print goods-pass` on a demo database."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from frontdesk.domain import clock
from tests.cli.conftest import Run


def test_todays_passes_with_masked_phones(frontdesk: Run, demo_db: Path) -> None:
    result = frontdesk("goods-passes", "--json", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert sum(r["state"] == "待放行" for r in rows) >= 3  # the demo leaves a few open today
    assert all("****" in r["phone"] and r["items"] for r in rows)
    text = frontdesk("goods-passes", "--db", str(demo_db)).stdout.strip().splitlines()
    assert text[-1] == f"{clock.today():%Y-%m-%d}：共 {len(rows)} 张放行条"


def test_an_earlier_day_lists_that_days_passes(frontdesk: Run, demo_db: Path) -> None:
    day = clock.today() - timedelta(days=30)
    for back in range(30):
        shown = day - timedelta(days=back)
        result = frontdesk(
            "goods-passes", "--date", shown.isoformat(), "--json", "--db", str(demo_db)
        )
        rows = json.loads(result.stdout)
        if rows:
            break
    assert rows and any(r["number"].startswith(f"FX-{shown:%y%m%d}") for r in rows)
    assert {r["state"] for r in rows} <= {"已放行", "已作废", "已过期"}


def test_print_a_pass(frontdesk: Run, demo_db: Path, tmp_path: Path) -> None:
    rows = json.loads(frontdesk("goods-passes", "--json", "--db", str(demo_db)).stdout)
    number = rows[0]["number"]
    out = tmp_path / "pass.pdf"
    result = frontdesk(
        "print",
        "goods-pass",
        number.replace("-", "").lower(),
        "--db",
        str(demo_db),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    page = PdfReader(io.BytesIO(out.read_bytes())).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 148  # A5
    text = page.extract_text()
    assert number in text and "物品放行条" in text and rows[0]["items"][0] in text
    missing = frontdesk(
        "print", "goods-pass", "FX-200101999", "--db", str(demo_db), "--out", str(out)
    )
    assert missing.returncode == 1 and "没有放行条号为 FX-200101999" in missing.stderr
