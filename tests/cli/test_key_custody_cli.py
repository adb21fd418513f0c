"""`frontdesk keys` and `print key-return` on the demo: the cabinet as a list, JSON, a
registered PDF or a spreadsheet; the 钥匙退还确认单 of a key handed back."""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from tests.cli.conftest import Run, copy_of
from tests.cli.database_rows import rows, table


def test_the_cabinet_lists_each_key_with_where_it_is(frontdesk: Run, demo_db: Path) -> None:
    rows = json.loads(frontdesk("keys", "--json", "--db", str(demo_db)).stdout)
    states = [r["state"] for r in rows]
    assert states.count("借出") == 1 and states.count("逾期未还") == 1
    assert all(r["tag"].startswith("K-") and r["room"] not in r["tag"] for r in rows)
    out = next(r for r in rows if r["state"] == "逾期未还")
    assert out["borrower"] and out["due_back_at"]
    text = frontdesk("keys", "--db", str(demo_db)).stdout
    assert text.strip().splitlines()[-1] == f"共 {len(rows)} 把，借出 2 把，其中逾期 1 把"


def test_the_cabinet_as_a_registered_pdf_or_a_spreadsheet(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    db = copy_of(demo_db, tmp_path / "demo.sqlite")
    pdf = tmp_path / "keys.pdf"
    made = frontdesk("keys", "--out", str(pdf), "--db", str(db))
    assert made.returncode == 0, made.stderr
    assert "发文登记号 FW-" in made.stdout
    page = PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    assert "托管钥匙清单" in page and "逾期未还" in page
    sheet = tmp_path / "keys.xlsx"
    assert frontdesk("keys", "--out", str(sheet), "--db", str(db)).returncode == 0
    book = load_workbook(sheet)
    assert next(book.active.iter_rows(values_only=True))[0] == "钥匙编号"
    bad = frontdesk("keys", "--out", str(tmp_path / "keys.txt"), "--db", str(db))
    assert bad.returncode == 1 and ".pdf 或 .xlsx" in bad.stderr
    kinds = [kind for (kind,) in rows(db, select(table("issued_document").c.kind))]
    assert kinds.count("key_list") == 1


def test_the_return_paper_of_a_key_handed_back_only(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    db = copy_of(demo_db, tmp_path / "demo.sqlite")
    held = json.loads(frontdesk("keys", "--json", "--db", str(db)).stdout)[0]["tag"]
    out = tmp_path / "return.pdf"
    refused = frontdesk("print", "key-return", held, "--out", str(out), "--db", str(db))
    assert refused.returncode == 1 and "尚未登记退还业主" in refused.stderr
    assert not out.exists()
    missing = frontdesk("print", "key-return", "K-9999", "--out", str(out), "--db", str(db))
    assert missing.returncode == 1 and "没有编号为 K-9999 的托管钥匙" in missing.stderr
    listed = {r["tag"] for r in json.loads(frontdesk("keys", "--json", "--db", str(db)).stdout)}
    released = next(f"K-{n:04d}" for n in range(1, 100) if f"K-{n:04d}" not in listed)
    made = frontdesk("print", "key-return", released, "--out", str(out), "--db", str(db))
    assert made.returncode == 0, made.stderr
    page = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "钥匙退还确认单" in page and "领回人签字" in page and released in page
