"""`frontdesk parcels` and `print parcel-label` on a demo database."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from pypdf import PdfReader

from tests.cli.conftest import Run


def _rows(frontdesk: Run, db: Path, *extra: str) -> list[dict[str, object]]:
    result = frontdesk("parcels", *extra, "--json", "--db", str(db))
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_the_shelves_and_the_overdue_among_them(frontdesk: Run, demo_db: Path) -> None:
    rows = _rows(frontdesk, demo_db)
    assert rows and {r["state"] for r in rows} == {"待取", "超期未取"}
    assert all(re.fullmatch(r"\d{6}", str(r["code"])) for r in rows)
    assert len({r["code"] for r in rows}) == len(rows)
    overdue = _rows(frontdesk, demo_db, "--uncollected")
    assert overdue and {r["state"] for r in overdue} == {"超期未取"}
    assert {r["number"] for r in overdue} < {r["number"] for r in rows}
    text = frontdesk("parcels", "--db", str(demo_db)).stdout
    assert text.strip().splitlines()[-1] == f"待取快递：共 {len(rows)} 件"


def test_print_a_label_by_its_code(frontdesk: Run, demo_db: Path, tmp_path: Path) -> None:
    row = _rows(frontdesk, demo_db)[0]
    out = tmp_path / "label.pdf"
    code = str(row["code"])
    result = frontdesk("print", "parcel-label", code, "--db", str(demo_db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "发文登记号 FW-" in result.stdout
    page = PdfReader(io.BytesIO(out.read_bytes())).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 80
    text = page.extract_text()
    assert f"{code[:3]} {code[3:]}" in text and str(row["room"]) in text
    assert str(row["recipient"]) not in text  # the surname only on an open shelf
    missing = frontdesk(
        "print", "parcel-label", "XX00000000", "--db", str(demo_db), "--out", str(out)
    )
    assert missing.returncode == 1 and "没有取件码或快递单号为 XX00000000" in missing.stderr


def test_a_cashier_keeps_no_parcels_and_a_butler_chases_his_own(
    frontdesk: Run, demo_db: Path
) -> None:
    refused = frontdesk("parcels", "--db", str(demo_db), user="shoufei")
    assert refused.returncode == 1 and "前台登记" in refused.stderr
    everyone = _rows(frontdesk, demo_db, "--uncollected")
    butlers = [
        json.loads(frontdesk(*args, user=user).stdout)
        for user in ("guanjia", "guanjia2", "guanjia3")
        for args in [("parcels", "--uncollected", "--json", "--db", str(demo_db))]
    ]
    assert sorted(r["number"] for rows in butlers for r in rows) == sorted(
        r["number"] for r in everyone
    )
