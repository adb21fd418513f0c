"""`frontdesk report service --period … --out F.pdf|F.xlsx`: the month's service report
from the real command line, on a copy of the demo with orders taken through `ticket`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from frontdesk.domain import clock
from frontdesk.domain.periods import Period
from tests.cli.conftest import Run, copy_of

THIS_MONTH = Period.of(clock.today())


@pytest.fixture
def desk_db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite"
    path = copy_of(demo_db, path)
    return path


def pdf_text(path: Path) -> str:
    pages = PdfReader(io.BytesIO(path.read_bytes())).pages
    return "".join("".join(page.extract_text().split()) for page in pages)


def test_the_months_report_as_pdf_and_workbook(
    frontdesk: Run, desk_db: Path, tmp_path: Path
) -> None:
    db = ("--db", str(desk_db))
    before = tmp_path / "before.xlsx"
    result = frontdesk("report", "service", "--period", str(THIS_MONTH), "--out", str(before), *db)
    assert result.returncode == 0, result.stderr
    taken_before = _orders(before)
    for kind, category, room in (("投诉", "噪音", "1-1-101"), ("户内报修", "水电", "1-1-102")):
        added = frontdesk(
            *("ticket", "add", "--kind", kind, "--category", category),
            *("--description", "夜间施工噪音", "--room", room, *db),
        )
        assert added.returncode == 0, added.stderr

    pdf = tmp_path / "service.pdf"
    result = frontdesk("report", "service", "--period", str(THIS_MONTH), "--out", str(pdf), *db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(f"已生成 {pdf}，发文登记号 FW-")
    registered = json.loads(frontdesk("documents", "--kind", "客服月报", "--json", *db).stdout)
    assert [d["title"] for d in registered] == [f"客服服务月报 {THIS_MONTH.label}"]
    text = pdf_text(pdf)
    assert "客服服务月报" in text and f"统计月份：{THIS_MONTH.label}" in text
    assert "投诉处理及时率" in text and "投诉处理满意度" in text and "≥90.0%" in text

    xlsx = tmp_path / "service.xlsx"
    result = frontdesk("report", "service", "--period", str(THIS_MONTH), "--out", str(xlsx), *db)
    assert result.returncode == 0, result.stderr
    assert _orders(xlsx) == taken_before + 2
    kinds = {
        row[0]: row[1]
        for row in load_workbook(xlsx)["工单类型"].iter_rows(min_row=4, values_only=True)
    }
    assert kinds["投诉"] >= 1 and kinds["报修（户内）"] >= 1


def test_a_month_without_orders_reads_no_data(
    frontdesk: Run, desk_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "empty.pdf"
    result = frontdesk(
        "report", "service", "--period", "2001-01", "--out", str(out), "--db", str(desk_db)
    )
    assert result.returncode == 0, result.stderr
    text = pdf_text(out)
    assert "2001年1月" in text and "无数据" in text
    bad = frontdesk(
        "report", "service", "--period", "2001-13", "--out", str(out), "--db", str(desk_db)
    )
    assert bad.returncode != 0 and "2026-11" in bad.stderr


def _orders(path: Path) -> int:
    sheet = load_workbook(path)["主要指标"]
    (count,) = [
        row[1] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] == "工单总数"
    ]
    assert isinstance(count, int)
    return count
