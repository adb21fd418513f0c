"""PDFs from plain data: fonts embedded, totals right, letterhead and page numbers present."""

from __future__ import annotations

import io
from datetime import datetime

from pypdf import PdfReader

from frontdesk import printouts
from frontdesk.documents.base import Letterhead, escape
from frontdesk.documents.room_summary import BuildingLine, room_summary_pdf
from frontdesk.domain.roles import Actor
from frontdesk.domain.rooms import RoomStatus
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.households.structure import NewBuilding

NOON = datetime(2026, 11, 25, 12, 30)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def line(name: str, rooms: int, occupied: int, area: int) -> BuildingLine:
    by_status = dict.fromkeys(RoomStatus, 0)
    by_status[RoomStatus.OCCUPIED] = occupied
    by_status[RoomStatus.VACANT] = rooms - occupied
    return BuildingLine(name, 2, rooms, by_status, area)


def test_room_summary_has_letterhead_rows_and_totals() -> None:
    head = Letterhead("锦绣华庭", "锦绣物业服务有限公司", "幸福路 8 号", "0571-88886666")
    pdf = room_summary_pdf(
        head, [line("1栋", 96, 90, 864_000), line("2栋", 48, 40, 432_050)], NOON, "张主管"
    )
    text = text_of(pdf)
    assert "锦绣华庭" in text and "锦绣物业服务有限公司" in text
    assert "服务电话：0571-88886666" in text
    assert "小区房屋统计表" in text and "制表人：张主管" in text
    assert "统计截至 2026年11月25日" in text
    assert "合计" in text and "144" in text and "130" in text
    assert "12,960.50" in text  # 8,640.00 + 4,320.50 m²
    assert "第 1 页 / 共 1 页" in text and "打印时间：2026-11-25 12:30" in text


def test_the_bundled_font_is_embedded_so_any_pc_shows_the_same_glyphs() -> None:
    pdf = room_summary_pdf(Letterhead("测试小区"), [], NOON, "admin")
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(font.get_object()["/BaseFont"])
    assert any("WenQuanYiMicroHei" in str(name) for name in fonts)


def test_a_long_table_flows_over_pages_with_the_header_repeated() -> None:
    lines = [line(f"{n}栋", 10, 5, 90_000) for n in range(1, 121)]
    reader = PdfReader(io.BytesIO(room_summary_pdf(Letterhead("测试小区"), lines, NOON, "admin")))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 3
    assert all("建筑面积（㎡）" in page for page in pages)
    assert f"第 {len(pages)} 页 / 共 {len(pages)} 页" in pages[-1]


def test_markup_characters_in_names_are_printed_not_interpreted() -> None:
    assert escape("A&B <小区>") == "A&amp;B &lt;小区&gt;"
    pdf = room_summary_pdf(Letterhead("A&B <小区>"), [], NOON, "<admin>")
    assert "A&B <小区>" in text_of(pdf) and "制表人：<admin>" in text_of(pdf)


def test_printout_reads_the_database_and_names_the_printer(db: Database, admin: Actor) -> None:
    structure.create_building(db, admin, NewBuilding("3", "", 6, 2, 2, "90"))
    text = text_of(printouts.room_summary(db, admin, NOON).pdf)
    assert "测试小区" in text and "3栋" in text and "制表人：管理员" in text
    assert "2,160.00" in text  # 6 floors x 2 units x 2 rooms x 90 m²
