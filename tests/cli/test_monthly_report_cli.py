"""`frontdesk report monthly --period … | --year … --out F.pdf|F.xlsx`: 物业工作月报
and the year's figures from the real command line, on a copy of the demo."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from frontdesk.domain import clock
from frontdesk.domain.periods import Period
from tests.cli.conftest import Run, copy_of

THIS_MONTH = Period.of(clock.today())


@pytest.fixture
def copy_db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "office.sqlite"
    path = copy_of(demo_db, path)
    return path


def test_the_month_and_the_year_as_workbooks(frontdesk: Run, copy_db: Path, tmp_path: Path) -> None:
    db = ("--db", str(copy_db))
    month = tmp_path / "month.xlsx"
    result = frontdesk("report", "monthly", "--period", str(THIS_MONTH), "--out", str(month), *db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"已生成 {month}"
    sheet = load_workbook(month)["主要指标"]
    header = [c.value for c in sheet[4]]
    assert header[:2] == ["指标", f"本月（{THIS_MONTH.label}）"] and header[-2:] == ["目标", "结果"]
    names = [row[0] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]
    assert {"物业费收缴率", "回访满意率", "投诉处理及时率", "管家联系覆盖率"} <= set(names)

    year = tmp_path / "year.xlsx"
    result = frontdesk("report", "monthly", "--year", str(THIS_MONTH.year), "--out", str(year), *db)
    assert result.returncode == 0, result.stderr
    assert load_workbook(year)["主要指标"].cell(4, 2).value.startswith(f"本年（{THIS_MONTH.year}年")


def test_bad_periods_and_outputs_are_refused(frontdesk: Run, copy_db: Path, tmp_path: Path) -> None:
    db = ("--db", str(copy_db))
    out = str(tmp_path / "r.pdf")
    for args, said in (
        (("--year", "26"), "年份应写作 2026"),
        (("--period", "2026-13"), "2026-11"),
        (("--period", "2026-11", "--year", "2026"), "--year"),
        ((), "--period"),
    ):
        bad = frontdesk("report", "monthly", *args, "--out", out, *db)
        assert bad.returncode != 0 and said in bad.stderr, bad.stderr
    wrong = frontdesk("report", "monthly", "--period", "2026-11", "--out", "r.docx", *db)
    assert wrong.returncode != 0 and ".pdf 或 .xlsx" in wrong.stderr


def test_the_pdf_is_registered_as_the_months_work_report(
    frontdesk: Run, copy_db: Path, tmp_path: Path
) -> None:
    db = ("--db", str(copy_db))
    pdf = tmp_path / "month.pdf"
    result = frontdesk("report", "monthly", "--period", str(THIS_MONTH), "--out", str(pdf), *db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(f"已生成 {pdf}，发文登记号 FW-")
    registered = json.loads(frontdesk("documents", "--kind", "工作月报", "--json", *db).stdout)
    assert [d["title"] for d in registered] == [f"物业工作月报 {THIS_MONTH.label}"]
    pages = PdfReader(io.BytesIO(pdf.read_bytes())).pages
    text = "".join("".join(page.extract_text().split()) for page in pages)
    assert "物业工作月报" in text and "主要指标" in text and "异常情况及处理" in text


def test_the_pdf_shows_the_surveys_satisfaction_line(
    frontdesk: Run, copy_db: Path, tmp_path: Path
) -> None:
    db = ("--db", str(copy_db))
    newest = json.loads(frontdesk("surveys", "--json", *db).stdout)[0]  # the demo's current one
    pdf = tmp_path / "month.pdf"
    result = frontdesk("report", "monthly", "--period", str(THIS_MONTH), "--out", str(pdf), *db)
    assert result.returncode == 0, result.stderr
    pages = PdfReader(io.BytesIO(pdf.read_bytes())).pages  # its text in the table's order
    flat = "".join("".join(page.extract_text().split()) for page in pages)
    assert "回访满意率" in flat  # kept as its own line
    # the line is the survey's 满意度 over every score given, as `frontdesk surveys` says
    figures = re.findall(r"([\d.]+)%（±[\d.]+%，(\d+)户）", flat)
    assert len(figures) == 1, figures
    assert abs(float(figures[0][0]) - newest["satisfaction"] * 100) <= 0.05
    assert int(figures[0][1]) == newest["answered"]
    name = newest["name"]
    if re.search(r"满意度（问卷调查）[\d.]+%", flat):  # answered this month: line and chart
        assert f"本期为：{name}" in flat and f"满意度（按维度）：{name}" in flat
    else:  # answered last month: the latest before, no chart
        assert "满意度（问卷调查）本期无调查；此前最近一次" in flat
        assert f"此前最近一次为：{name}" in flat and "满意度（按维度）" not in flat
