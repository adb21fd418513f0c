"""`frontdesk print` for every paper the renovation and visitor screens print:
renovation-application, worker-passes, rectification, acceptance (by renovation
number) and roll-call, run as the real command on the demo."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.db.models import AuditEntry
from frontdesk.services.database import open_at
from tests.cli.conftest import Run, copy_of


def _text(path: Path) -> str:
    return re.sub(
        r"\s+",
        "",
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages),
    )


def _works(frontdesk: Run, db: Path) -> list[dict[str, object]]:
    result = frontdesk("renovations", "--json", "--db", str(db))
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_every_renovation_paper_prints_by_the_renovation_number(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "demo.sqlite"
    db = copy_of(demo_db, db)
    works = _works(frontdesk, db)
    under_way = next(w for w in works if w["status"] == "施工中" and not w["overdue"])
    stopped = next(w for w in works if w["status"] == "停工整改")
    accepted = next(w for w in works if w["status"] == "已竣工验收")
    cases = [
        ("renovation-application", under_way, ("装修申请表",)),
        ("worker-passes", under_way, ("出入证", str(under_way["room"]))),
        ("rectification", stopped, ("停工整改通知", "编号：ZG", f"装修编号：{stopped['number']}")),
        ("acceptance", accepted, ("竣工验收",)),
    ]
    for paper, work, expected in cases:
        out = tmp_path / f"{paper}.pdf"
        result = frontdesk("print", paper, str(work["number"]), "--db", str(db), "--out", str(out))
        assert result.returncode == 0, (paper, result.stderr)
        assert "发文登记号 FW-" in result.stdout
        text = _text(out)
        for words in expected:
            assert words in text, (paper, words)
    clean = next(w for w in works if w["open_violations"] == 0)
    nothing = frontdesk(
        "print",
        "rectification",
        str(clean["number"]),
        "--db",
        str(db),
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert nothing.returncode == 1 and "没有待整改的违规" in nothing.stderr
    unknown = frontdesk(
        "print", "acceptance", "ZX9901-0999", "--db", str(db), "--out", str(tmp_path / "x.pdf")
    )
    assert unknown.returncode == 1 and "没有编号为 ZX9901-0999 的装修登记" in unknown.stderr


def test_the_roll_call_prints_whole_phones_and_is_audited(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "demo.sqlite"
    db = copy_of(demo_db, db)
    inside = json.loads(frontdesk("visitors", "--inside", "--json", "--db", str(db)).stdout)
    assert inside, "the demo has visitors inside"
    out = tmp_path / "roll.pdf"
    result = frontdesk(
        "print", "roll-call", "--assembly-point", "中心广场", "--db", str(db), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    text = _text(out)
    assert "在场访客点名表" in text and "集合点：中心广场" in text
    people = sum(int(row["party_size"]) for row in inside)
    assert f"应到：{people}人" in text
    phones = re.findall(r"1[3-9]\d{9}", text)
    assert len(phones) >= len(inside)  # the visitors' phones, whole (the list shows them masked)
    assert all("*" in str(row["phone"]) for row in inside)
    assert "收回销毁" in text
    opened = open_at(db)
    try:
        with opened.read() as session:
            entries = session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == "reveal", AuditEntry.entity == "visit"
                )
            ).all()
    finally:
        opened.dispose()
    assert len(entries) == 1 and "在场访客点名表" in entries[0].summary
