"""`frontdesk print movein ROOM` and `frontdesk print handbook` on the demo."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from pypdf import PdfReader

from tests.cli.conftest import Run
from tests.cli.database_rows import Where, rows


def _pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages]


def test_the_move_in_papers_of_a_handed_over_room(
    frontdesk: Run, demo_db: Where, tmp_path: Path
) -> None:
    stats = json.loads(frontdesk("stats", "--db", str(demo_db)).stdout)
    assert stats["handovers"] >= 1 and stats["defects"] >= 1
    [(building, unit, number)] = rows(
        demo_db,
        "SELECT b.code, u.code, r.number FROM handover h JOIN room r ON r.id = h.room_id "
        "JOIN building b ON b.id = r.building_id JOIN unit u ON u.id = r.unit_id "
        "WHERE h.completed_on IS NOT NULL ORDER BY h.id LIMIT 1",
    )
    room = f"{building}-{unit}-{number}"
    out = tmp_path / "movein.pdf"
    result = frontdesk("print", "movein", room, "--db", str(demo_db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    titles = ("入伙通知书", "入伙手续办理清单", "验房记录表", "钥匙移交确认单")
    pages = _pages(out)
    first_title = [next((t for t in titles if t in page), "") for page in pages]
    assert [t for t in first_title if t] == list(titles)  # each paper starts a page, in order
    text = "".join(pages)
    assert room in text and "入户门钥匙" in text
    missing = frontdesk("print", "movein", "99-9-999", "--db", str(demo_db), "--out", str(out))
    assert missing.returncode == 1 and "99-9-999" in missing.stderr


def test_the_handbook_has_its_contents_and_the_fee_standards(
    frontdesk: Run, demo_db: Where, tmp_path: Path
) -> None:
    out = tmp_path / "handbook.pdf"
    result = frontdesk("print", "handbook", "--db", str(demo_db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    pages = _pages(out)
    assert "业主手册" in re.sub(r"\s", "", pages[0]) and "目录" in pages[1]
    text = "".join(pages)
    assert re.search(r"物业服务费（住宅）：\d+\.\d{2} 元/㎡/月", text)
    assert "{" not in text
