"""`frontdesk lost-property` and `print lost-claim` on a demo database."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pypdf import PdfReader

from tests.cli.conftest import Run


def test_items_held_and_lately_gone(frontdesk: Run, demo_db: Path) -> None:
    result = frontdesk("lost-property", "--json", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    states = {r["state"] for r in rows}
    assert "保管中" in states and states <= {"保管中", "已到期待处理", "已认领", "已处理"}
    assert [r["number"] for r in rows] == sorted((r["number"] for r in rows), reverse=True)
    due = json.loads(frontdesk("lost-property", "--due", "--json", "--db", str(demo_db)).stdout)
    assert all(r["state"] == "已到期待处理" for r in due)
    text = frontdesk("lost-property", "--db", str(demo_db)).stdout.strip().splitlines()
    assert text[-1] == f"失物：共 {len(rows)} 件"


def test_print_a_claim_form(frontdesk: Run, demo_db: Path, tmp_path: Path) -> None:
    rows = json.loads(frontdesk("lost-property", "--json", "--db", str(demo_db)).stdout)
    claimed = next(r for r in rows if r["state"] == "已认领")
    held = next(r for r in rows if r["state"] == "保管中")
    out = tmp_path / "claim.pdf"
    result = frontdesk(
        "print", "lost-claim", claimed["number"], "--db", str(demo_db), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    text = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "失物认领单" in text and claimed["number"] in text and claimed["description"] in text
    refused = frontdesk(
        "print", "lost-claim", held["number"], "--db", str(demo_db), "--out", str(out)
    )
    assert refused.returncode == 1 and "尚未认领" in refused.stderr
