"""`frontdesk renovations` on the demo: every state, the active ones, overdue marked."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run


def test_the_demo_has_renovations_in_every_state(frontdesk: Run, demo_db: Path) -> None:
    result = frontdesk("renovations", "--json", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    states = {r["status"] for r in json.loads(result.stdout)}
    assert states == {
        "已提交",
        "已初审",
        "已驳回",
        "已批准",
        "施工中",
        "停工整改",
        "已竣工验收",
        "押金已结算",
        "已关闭",
    }
    active = json.loads(frontdesk("renovations", "--active", "--json", "--db", str(demo_db)).stdout)
    assert {r["status"] for r in active} <= {"施工中", "停工整改", "已发许可证"}
    assert any(r["overdue"] and r["days_left"] < 0 for r in active)
    assert any(r["open_violations"] for r in active)
    text = frontdesk("renovations", "--db", str(demo_db)).stdout
    assert "逾期" in text and text.strip().splitlines()[-1].startswith("共 ")
