"""`frontdesk lending` on the demo: the things lent out now, or only the overdue ones,
the borrower's phone masked, the deposit's state at the cashier."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run


def test_the_things_lent_out_and_the_overdue_ones(frontdesk: Run, demo_db: Path) -> None:
    rows = json.loads(frontdesk("lending", "--json", "--db", str(demo_db)).stdout)
    assert rows and all("****" in r["phone"] for r in rows)
    assert {r["state"] for r in rows} == {"借出", "逾期未还"}
    trolley = next(r for r in rows if r["item"] == "手推车")
    assert (trolley["deposit"], trolley["deposit_state"]) == ("100.00", "已收")
    overdue = json.loads(frontdesk("lending", "--overdue", "--json", "--db", str(demo_db)).stdout)
    assert overdue == [r for r in rows if r["state"] == "逾期未还"]
    text = frontdesk("lending", "--overdue", "--db", str(demo_db)).stdout.strip().splitlines()
    pieces = sum(r["quantity"] for r in overdue)
    assert text[-1] == f"逾期未还：共 {len(overdue)} 笔 {pieces} 件"
    assert all("无押金" in line or "押金" in line for line in text[:-1])
