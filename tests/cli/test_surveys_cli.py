"""`frontdesk surveys`, `frontdesk survey …` and `frontdesk print survey-forms` run as
the real command on the demo, whose two surveys are part of it."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from pypdf import PdfReader

from tests.cli.conftest import Run, copy_of


def _copy(demo_db: Path, tmp_path: Path) -> str:
    db = tmp_path / "demo.sqlite"
    db = copy_of(demo_db, db)
    return str(db)


def test_the_demo_has_two_surveys_with_plausible_figures(frontdesk: Run, demo_db: Path) -> None:
    listed = frontdesk("surveys", "--json", "--db", str(demo_db))
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 2 and rows[0]["period"] != rows[1]["period"]
    assert all(r["period"].endswith("季度") for r in rows)
    for r in rows:
        assert r["sampled"] > 0
        assert 0.45 <= r["response_rate"] <= 0.95
        assert 0.80 <= r["satisfaction"] <= 1
        assert r["answered"] + r["unreached"] + r["refused"] + r["pending"] == r["sampled"]
    results = frontdesk("survey", "results", str(rows[1]["id"]), "--json", "--db", str(demo_db))
    figures = json.loads(results.stdout)
    assert [d["dimension"] for d in figures["dimensions"]][:2] == ["客服接待", "工程维修"]
    assert sum(b["sampled"] for b in figures["buildings"]) == figures["sampled"]
    assert figures["overall"]["margin"] > 0


def test_define_sample_call_enter_and_follow_up(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    db = _copy(demo_db, tmp_path)
    made = frontdesk(
        "survey", "add", "测试调查", "--period", "2026年12月",
        "--dimensions", "客服接待,环境保洁", "--question", "还有什么建议？", "--db", db,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    clerk = frontdesk("survey", "sample", "测试调查", "--count", "5", "--db", db, user="qiantai")
    assert clerk.returncode == 1 and "权限" in clerk.stderr
    too_many = frontdesk("survey", "sample", "测试调查", "--count", "99999", "--db", db)
    assert too_many.returncode == 1 and "样本量" in too_many.stderr
    drawn = frontdesk("survey", "sample", "测试调查", "--percent", "2", "--seed", "1", "--db", db)
    assert drawn.returncode == 0, drawn.stderr
    calls = json.loads(frontdesk("survey", "calls", "测试调查", "--json", "--db", db,
                                 user="qiantai").stdout)  # fmt: skip
    assert calls and all("****" in c["phone"] for c in calls if c["phone"])
    first, second = calls[0]["form"], calls[1]["form"]
    bad = frontdesk("survey", "call", first, "--outcome", "接通", "--scores", "5,9", "--db", db)
    assert bad.returncode == 1 and "环境保洁" in bad.stderr
    ok = frontdesk("survey", "call", first, "--outcome", "接通", "--scores", "5,1", "--db", db)
    assert ok.returncode == 0 and "已答" in ok.stdout
    paper = frontdesk("survey", "form", second, "--scores", "4,4", "--db", db)
    assert paper.returncode == 0, paper.stderr
    low = frontdesk("survey", "low", "测试调查", "--db", db)
    score_id = low.stdout.split("\t")[0]
    order = frontdesk("survey", "order", score_id, "--db", db)
    assert order.returncode == 0 and re.search(r"GD-\d{4}-\d{4}", order.stdout)
    listed = json.loads(frontdesk("surveys", "--json", "--db", db).stdout)
    mine = next(r for r in listed if r["name"] == "测试调查")
    assert (mine["answered"], mine["satisfaction"]) == (2, 0.75)


def test_the_forms_print_one_numbered_page_per_household(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    db = _copy(demo_db, tmp_path)
    survey = json.loads(frontdesk("surveys", "--json", "--db", db).stdout)[0]
    out = tmp_path / "forms.pdf"
    printed = frontdesk("print", "survey-forms", survey["name"], "--all", "--out", str(out),
                        "--db", db)  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    assert "发文登记号" in printed.stdout
    pages = PdfReader(io.BytesIO(out.read_bytes())).pages
    assert len(pages) == survey["sampled"]
    first = re.sub(r"\s+", "", pages[0].extract_text())
    assert f"MY{survey['id']:03d}-0001" in first and "客服接待" in first and "非常满意" in first
    documents = frontdesk("documents", "--json", "--db", db)
    assert "满意度调查问卷" in documents.stdout
