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


def test_print_the_permit_of_a_renovation_under_way_and_the_guide(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    import io

    from pypdf import PdfReader

    active = json.loads(frontdesk("renovations", "--active", "--json", "--db", str(demo_db)).stdout)
    valid = next(r for r in active if r["status"] == "施工中" and not r["overdue"])
    number, room = valid["number"], valid["room"]
    out = tmp_path / "permit.pdf"
    result = frontdesk("print", "permit", number, "--db", str(demo_db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "装修许可证" in text.replace(" ", "") and room in text
    assert "XK" + number.removeprefix("ZX") in text
    waiting = next(
        r["number"]
        for r in json.loads(frontdesk("renovations", "--json", "--db", str(demo_db)).stdout)
        if r["status"] == "已提交"
    )
    refused = frontdesk("print", "permit", waiting, "--db", str(demo_db), "--out", str(out))
    assert refused.returncode == 1 and "尚未发装修许可证" in refused.stderr
    # Stopped or past its end date: the permit and the passes are not printed as valid.
    stopped = next(r["number"] for r in active if r["status"] == "停工整改")
    overdue = next(r["number"] for r in active if r["overdue"] and r["status"] == "施工中")
    for paper in ("permit", "worker-passes"):
        result = frontdesk("print", paper, stopped, "--db", str(demo_db), "--out", str(out))
        assert result.returncode == 1 and "停工整改" in result.stderr, result.stderr
        result = frontdesk("print", paper, overdue, "--db", str(demo_db), "--out", str(out))
        assert result.returncode == 1 and "已失效" in result.stderr, result.stderr
    guide = tmp_path / "guide.pdf"
    made = frontdesk("print", "renovation-guide", "--db", str(demo_db), "--out", str(guide))
    assert made.returncode == 0, made.stderr
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(guide.read_bytes())).pages]
    assert "装修指南" in pages[1] and "闭水试验" in "".join(pages)
