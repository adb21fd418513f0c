"""`frontdesk print work-order` prints the 派工单 with the caller's whole phone and,
after a paid repair, the 维修回执 with its fee; `ticket finish --paid`, `ticket charge`,
`ticket void-charge` and the price list from the command line."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.db.models import IssuedDocument
from frontdesk.domain.issued import DocKind
from frontdesk.services.database import open_at
from tests.cli.conftest import Run, copy_of

PHONE = "13812345678"


def _text(path: Path) -> str:
    pages = PdfReader(io.BytesIO(path.read_bytes())).pages
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in pages))


@pytest.fixture
def desk_db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite"
    path = copy_of(demo_db, path)
    return path


def _order(frontdesk: Run, db: tuple[str, ...]) -> str:
    added = frontdesk(
        *("ticket", "add", "--kind", "户内报修", "--category", "水电"),
        *("--description", "厨房角阀漏水", "--room", "1-1-101", "--phone", PHONE, "--json"),
        *db,
    )
    assert added.returncode == 0, added.stderr
    number: str = json.loads(added.stdout)["number"]
    for step in (("dispatch", number, "--team", "工程"), ("arrive", number)):
        assert frontdesk("ticket", *step, *db).returncode == 0
    return number


def test_the_dispatch_sheet_and_the_paid_repairs_receipt_on_both_papers(
    frontdesk: Run, desk_db: Path, tmp_path: Path
) -> None:
    db = ("--db", str(desk_db))
    number = _order(frontdesk, db)
    for paper in ("a5", "80mm"):
        out = tmp_path / f"dispatch-{paper}.pdf"
        result = frontdesk("print", "work-order", number, "--paper", paper, "--out", str(out), *db)
        assert result.returncode == 0, result.stderr
        assert "发文登记号 FW-" in result.stdout
        text = _text(out)
        assert "派工单" in text and number in text and PHONE in text  # the worker calls ahead
        assert "有偿维修" in text and "上门维修人工费30.00元/次" in text
    finished = frontdesk(
        *("ticket", "finish", number, "--work", "更换角阀"),
        *("--paid", "上门维修人工费,角阀*2,PPR 水管*2.5"),
        *db,
    )
    assert finished.returncode == 0, finished.stderr
    shown = frontdesk("ticket", "show", number, "--json", *db)
    (charge,) = json.loads(shown.stdout)["charges"]
    assert charge == {
        "total_fen": 9600,
        "labour_fen": 3000,
        "materials_fen": 6600,
        "state": "open",
        "receipts": [],
    }
    out = tmp_path / "receipt.pdf"
    assert frontdesk("print", "work-order", number, "--out", str(out), *db).returncode == 0
    text = _text(out)
    assert "维修回执" in text and "角阀" in text and "2.5米" in text
    assert "人民币玖拾陆元整（¥96.00）" in text
    db_file = open_at(desk_db)
    try:
        with db_file.read() as session:
            kinds = session.scalars(
                select(IssuedDocument.title).where(IssuedDocument.kind == DocKind.WORK_ORDER)
            ).all()
    finally:
        db_file.dispose()
    assert sorted(kinds) == sorted([f"{number} 派工单", f"{number} 派工单", f"{number} 维修回执"])


def test_a_charge_is_voided_and_made_again_from_the_command_line(
    frontdesk: Run, desk_db: Path
) -> None:
    db = ("--db", str(desk_db))
    number = _order(frontdesk, db)
    assert frontdesk("ticket", "finish", number, "--work", "更换角阀", *db).returncode == 0
    wrong = frontdesk("ticket", "charge", number, "--paid", "角阀*0.005", *db)
    assert wrong.returncode != 0 and "最多两位小数" in wrong.stderr
    unknown = frontdesk("ticket", "charge", number, "--paid", "金水龙头", *db)
    assert unknown.returncode == 1 and "价目表中没有“金水龙头”" in unknown.stderr
    charged = frontdesk("ticket", "charge", number, "--paid", "角阀*3", *db)
    assert charged.returncode == 0 and "维修费 54.00 元" in charged.stdout
    voided = frontdesk("ticket", "void-charge", number, "--reason", "数量录错", *db)
    assert voided.returncode == 0 and "已作废，作废原因：数量录错" in voided.stdout
    again = frontdesk("ticket", "charge", number, "--paid", "角阀*2", *db)
    assert "维修费 36.00 元（人工 0.00，材料 36.00）待缴费" in again.stdout


def test_supervisors_edit_the_price_list(frontdesk: Run, desk_db: Path) -> None:
    db = ("--db", str(desk_db))
    saved = frontdesk(
        *("ticket", "price", "更换马桶盖", "--kind", "人工", "--unit", "次", "--price", "40"),
        *db,
    )
    assert saved.returncode == 0, saved.stderr
    assert "人工  更换马桶盖  40.00 元/次" in frontdesk("ticket", "prices", *db).stdout
    clerk = frontdesk(
        *("ticket", "price", "更换马桶盖", "--kind", "人工", "--unit", "次", "--price", "1"),
        *db,
        user="qiantai",
    )
    assert clerk.returncode != 0 and "权限" in clerk.stderr
