"""`frontdesk print certificate`, `certificates` and `certificate verify|revoke` on a demo
database: the demo's quarter of certificates, one issued, checked, revoked, and a
结清证明 refused for a room that owes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from pypdf import PdfReader

from tests.cli.conftest import Run, copy_of


def _code_on(pdf: Path) -> str:
    text = PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    found = re.search(r"核验码：\s*([A-Z0-9]{4}-[A-Z0-9]{4})", text)
    assert found, text
    return found.group(1)


def test_the_demo_register_holds_a_quarter_of_certificates(frontdesk: Run, demo_db: Path) -> None:
    result = frontdesk("certificates", "--json", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) > 20 and all(re.fullmatch(r"ZM\d{10}", r["number"]) for r in rows)
    assert {r["kind"] for r in rows} >= {"物业费结清证明", "居住证明"}
    revoked = [r for r in rows if r["state"] == "已作废"]
    assert len(revoked) == 2 and all(r["revoke_reason"] for r in revoked)
    text = frontdesk("certificates", "--kind", "residence", "--db", str(demo_db)).stdout
    assert "物业费结清证明" not in text and text.strip().endswith("份证明")
    counts = json.loads(frontdesk("stats", "--db", str(demo_db)).stdout)
    assert counts["certificates"] == len(rows)


def test_issue_verify_and_revoke_a_certificate(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    db = str(copy_of(demo_db, tmp_path / "demo.sqlite"))
    listed = json.loads(
        frontdesk("certificates", "--kind", "residence", "--json", "--db", db).stdout
    )
    room = listed[0]["room"]
    out = tmp_path / "residence.pdf"
    issued = frontdesk(
        *("print", "certificate", "residence", room, "--purpose", "子女入学"),
        *("--db", db, "--out", str(out)),
    )
    assert issued.returncode == 0, issued.stderr
    number = re.search(r"证明编号 (ZM\d{10})", issued.stdout)
    assert number, issued.stdout
    code = _code_on(out)
    good = frontdesk("certificate", "verify", number.group(1), code, "--json", "--db", db)
    assert good.returncode == 0, good.stderr
    answer = json.loads(good.stdout)
    assert answer["result"] == "有效" and answer["certificate"]["purpose"] == "子女入学"
    forged = frontdesk("certificate", "verify", number.group(1), "AAAA-AAAA", "--db", db)
    assert forged.returncode == 3 and "核验码不符" in forged.stdout
    revoked = frontdesk(
        "certificate", "revoke", number.group(1), "--reason", "信息有误", "--db", db
    )
    assert revoked.returncode == 0 and "已作废" in revoked.stdout
    again = frontdesk("certificate", "verify", number.group(1), code, "--db", db)
    assert again.returncode == 3 and "原因：信息有误" in again.stdout


def test_a_paid_up_certificate_is_refused_for_a_room_that_owes(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    owing = json.loads(frontdesk("arrears", "--json", "--db", str(demo_db)).stdout)[0]["room"]
    out = tmp_path / "paid.pdf"
    result = frontdesk(
        "print", "certificate", "paid-up", owing, "--db", str(demo_db), "--out", str(out)
    )
    assert result.returncode == 1 and "不能开具物业费结清证明" in result.stderr
    assert "合计" in result.stderr and not out.exists()
