"""Fee commands through the real command line, on a small demo community:
`bill` (dry run, real run, re-run, bad period), `print receipt` (补打 on the second
print, unknown number) and `report daily|collection` (PDF, Excel, bad suffix)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from frontdesk.demo import build_demo
from frontdesk.domain import clock
from frontdesk.domain.periods import Period
from tests.cli.conftest import copy_of, on_the_test_engine
from tests.cli.database_rows import DAY, Where, one, rows, typed

HOUSEHOLDS = 150
THIS_MONTH = Period.of(clock.today())
NEXT_MONTH = THIS_MONTH.shifted(1)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Where]:
    """A demo community with a year of bills and payments, built once for the module
    (on PostgreSQL, moved onto the server)."""
    folder = tmp_path_factory.mktemp("fees-demo")
    path = folder / "demo.sqlite"
    build_demo(path, HOUSEHOLDS, seed=4)
    with on_the_test_engine(path, folder / "home") as database:
        yield database


@pytest.fixture
def demo(demo_file: Where, tmp_path: Path) -> Where:
    """A private copy of the demo for one test (the commands below write to it)."""
    return copy_of(demo_file, tmp_path / "demo.sqlite")


def stats(frontdesk, db: Where) -> dict[str, int]:
    result = frontdesk("stats", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def pdf_text(path: Path) -> str:
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def created(stdout: str, verb: str) -> int:
    match = re.search(rf"{verb} (\d+) 笔账单", stdout)
    assert match, stdout
    return int(match[1])


# bill ---------------------------------------------------------------------------


def test_bill_dry_run_prints_what_it_would_create_and_writes_nothing(
    frontdesk, demo: Where
) -> None:
    before = stats(frontdesk, demo)
    runs_before = one(demo, "SELECT count(*) FROM billing_run")
    result = frontdesk("bill", "--period", str(THIS_MONTH), "--dry-run", "--db", str(demo))
    assert result.returncode == 0, result.stderr
    would = created(result.stdout, "将生成")
    # The demo billed this month's monthly items already; this month's water readings
    # are taken but not billed yet, so those are what a run would add.
    assert would > 0
    assert result.stdout.startswith(f"{THIS_MONTH.label}：将生成 {would} 笔账单")
    by_item = [int(n) for n in re.findall(r"^  \S+\t(\d+) 笔\t", result.stdout, re.M)]
    assert sum(by_item) == would
    assert "已有账单" in result.stdout
    assert "（试运行，未写入数据库）" in result.stdout
    assert stats(frontdesk, demo)["bills"] == before["bills"]
    assert one(demo, "SELECT count(*) FROM billing_run") == runs_before


def test_bill_next_month_creates_bills_once(frontdesk, demo: Where) -> None:
    before = stats(frontdesk, demo)["bills"]
    first = frontdesk("bill", "--period", str(NEXT_MONTH), "--db", str(demo))
    assert first.returncode == 0, first.stderr
    made = created(first.stdout, "已生成")
    assert made > 0
    assert "试运行" not in first.stdout
    after = stats(frontdesk, demo)["bills"]
    assert after == before + made
    assert one(demo, "SELECT count(*) FROM bill WHERE period = :p", p=str(NEXT_MONTH)) == made

    again = frontdesk("bill", "--period", str(NEXT_MONTH), "--db", str(demo))
    assert again.returncode == 0, again.stderr
    assert "已生成 0 笔" in again.stdout
    assert f"已有账单 {made} 笔未重复生成" in again.stdout
    assert stats(frontdesk, demo)["bills"] == after


def test_bill_with_a_bad_period_exits_2_naming_the_period(frontdesk, demo: Where) -> None:
    before = stats(frontdesk, demo)["bills"]
    result = frontdesk("bill", "--period", "2026-13", "--db", str(demo))
    assert result.returncode == 2
    assert "账期" in result.stderr
    assert "2026-13" in result.stderr
    assert "Traceback" not in result.stderr
    assert stats(frontdesk, demo)["bills"] == before


def test_bill_too_far_ahead_is_refused(frontdesk, demo: Where) -> None:
    result = frontdesk("bill", "--period", str(THIS_MONTH.shifted(3)), "--db", str(demo))
    assert result.returncode == 1
    assert result.stderr.startswith("错误：账期：")
    assert "Traceback" not in result.stderr


# print receipt -------------------------------------------------------------------


def test_print_receipt_then_reprint_says_bu_da(frontdesk, demo: Where, tmp_path: Path) -> None:
    first_out, second_out = tmp_path / "r.pdf", tmp_path / "r2.pdf"
    first = frontdesk("print", "receipt", "SJ00000001", "--db", str(demo), "--out", str(first_out))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"已生成 {first_out}，发文登记号 FW-")
    text = pdf_text(first_out)
    assert "SJ00000001" in text
    assert "补打" not in text
    second = frontdesk("print", "receipt", "sj1", "--db", str(demo), "--out", str(second_out))
    assert second.returncode == 0, second.stderr
    reprint = pdf_text(second_out)
    assert "SJ00000001" in reprint
    assert "补打" in reprint
    assert one(demo, "SELECT count(*) FROM receipt_print") == 2


def test_print_unknown_receipt_exits_1(frontdesk, demo: Where, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = frontdesk("print", "receipt", "SJ99999999", "--db", str(demo), "--out", str(out))
    assert result.returncode == 1
    assert "找不到收据" in result.stderr
    assert "SJ99999999" in result.stderr
    assert not out.exists()


# reports -------------------------------------------------------------------------


def _a_past_day_with_payments(db: Where) -> date:
    busiest = rows(
        db,
        typed(
            "SELECT day FROM payment WHERE cashier_id IS NOT NULL AND day < :today "
            "GROUP BY day ORDER BY count(*) DESC, day DESC LIMIT 1",
            day=DAY,
        ).bindparams(today=clock.today()),
    )
    assert busiest, "the demo has no past payments"
    day: date = busiest[0][0]
    return day


def test_daily_report_as_pdf_and_excel(frontdesk, demo: Where, tmp_path: Path) -> None:
    day = _a_past_day_with_payments(demo)
    pdf = tmp_path / "d.pdf"
    result = frontdesk("report", "daily", "--date", str(day), "--db", str(demo), "--out", str(pdf))
    assert result.returncode == 0, result.stderr
    text = pdf_text(pdf)
    assert "收费日报" in text
    assert f"{day.year}年{day.month}月{day.day}日" in text

    xlsx = tmp_path / "d.xlsx"
    result = frontdesk("report", "daily", "--date", str(day), "--db", str(demo), "--out", str(xlsx))
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(xlsx)["收费员"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "收费员")
    total_row = next(row for row in rows if row and row[0] == "合计")
    cashier_rows = rows[rows.index(header) + 1 : rows.index(total_row)]
    column = header.index("收款合计")
    total = total_row[column]
    assert isinstance(total, int | float) and not isinstance(total, bool)
    assert total > 0
    assert total == pytest.approx(sum(row[column] for row in cashier_rows))
    receipts = total_row[header.index("收据张数")]
    assert isinstance(receipts, int) and receipts > 0


def test_daily_report_refuses_other_suffixes(frontdesk, demo: Where, tmp_path: Path) -> None:
    day = _a_past_day_with_payments(demo)
    out = tmp_path / "d.txt"
    result = frontdesk("report", "daily", "--date", str(day), "--db", str(demo), "--out", str(out))
    assert result.returncode == 1
    assert ".pdf" in result.stderr and ".xlsx" in result.stderr
    assert "d.txt" in result.stderr
    assert not out.exists()


def test_collection_report_for_this_month(frontdesk, demo: Where, tmp_path: Path) -> None:
    out = tmp_path / "c.pdf"
    result = frontdesk(
        "report", "collection", "--period", str(THIS_MONTH), "--db", str(demo), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"已生成 {out}，发文登记号 FW-")
    text = pdf_text(out)
    assert "收缴率报表" in text
    assert THIS_MONTH.label in text


def test_arrears_list_and_reminder_notices_from_the_command_line(
    frontdesk, demo: Where, tmp_path: Path
) -> None:
    listed = frontdesk("arrears", "--min-months", "3", "--json", "--db", str(demo))
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert rows and all(row["months"] >= 3 for row in rows)
    xlsx = tmp_path / "a.xlsx"
    assert frontdesk("arrears", "--xlsx", str(xlsx), "--db", str(demo)).returncode == 0
    assert load_workbook(xlsx).active["A1"].value == "房号"
    from frontdesk.demo.reminders import add_demo_reminders
    from frontdesk.services.database import opened

    with opened(demo) as db:  # the payment settings, 温馨提示 served, some 催缴通知单
        add_demo_reminders(db)
    out = tmp_path / "r.pdf"
    args = ("--min-months", "3", "--db", str(demo), "--out", str(out))
    refused = frontdesk("print", "reminders", "--level", "3", *args)
    assert refused.returncode == 1 and "不能发催告函" in refused.stderr
    preview = frontdesk("print", "reminders", "--level", "2", "--skip-not-due", "--preview", *args)
    assert preview.returncode == 0, preview.stderr
    assert "预览，未编号存档、未登记" in preview.stdout
    before = frontdesk("reminders", "list", "--pending", "--db", str(demo)).stdout
    made = frontdesk("print", "reminders", "--level", "2", "--skip-not-due", *args)
    assert made.returncode == 0, made.stderr
    skipped = made.stdout.count("跳过 ")
    assert len(PdfReader(out).pages) == len(rows) - skipped
    assert f"{len(rows) - skipped} 户" in made.stdout and "已打印，待送达" in made.stdout
    pending = frontdesk("reminders", "list", "--pending", "--db", str(demo)).stdout
    assert pending.count("催缴通知单") == before.count("催缴通知单") + len(rows) - skipped
    number = next(line.split("\t")[0] for line in pending.splitlines() if "催缴通知单" in line)
    served = frontdesk(
        "reminders",
        "deliver",
        number,
        "--method",
        "挂号信",
        "--date",
        str(clock.today()),
        "--db",
        str(demo),
    )
    assert served.returncode == 1 and "邮件单号" in served.stderr
    served = frontdesk(
        "reminders",
        "deliver",
        number,
        "--method",
        "挂号信",
        "--date",
        str(clock.today()),
        "--tracking",
        "XA123456789CN",
        "--db",
        str(demo),
    )
    assert served.returncode == 0, served.stderr
    listed = frontdesk("reminders", "list", "--db", str(demo)).stdout
    assert f"已送达 {clock.today()} 挂号信 XA123456789CN" in next(
        line for line in listed.splitlines() if line.startswith(number)
    )
