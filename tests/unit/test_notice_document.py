"""通知公告 as printed: a page per building or household, the signature with the body's
end, the seal stamped when given, and the demo seal itself."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from frontdesk.documents.base import Letterhead
from frontdesk.documents.handbook import NO_LINE_START
from frontdesk.documents.notice import NoticePage, notice_document, notice_pdf
from frontdesk.documents.seal import demo_seal_png
from frontdesk.domain.notice_templates import SHIPPED_TEMPLATES
from frontdesk.domain.notices import FieldKind, NoticeMode, check_values, filled_text

HEAD = Letterhead("春江花园", "杭州绿城物业服务有限公司", "杭州市上城区春江路88号", "0571-86001234")
ISSUER = "杭州绿城物业服务有限公司\n春江花园物业服务中心"
BODY = """因二次供水水箱清洗，小区将临时停止供水，具体安排如下：

- 停水时间：2026年11月28日（星期六）8:00至18:00
- 停水范围：3栋、5栋、7栋

停水期间给您的生活带来不便，敬请谅解。如有疑问，请致电物业服务中心：0571-86001234。"""
PARAGRAPH = (
    "停水期间请关闭家中所有水龙头，恢复供水初期水质可能略显浑浊，请先放水片刻，"
    "待水清后再饮用。给您的生活带来不便，敬请谅解，感谢您的理解与支持！"
)


@pytest.fixture(scope="module")
def seal() -> bytes:
    return demo_seal_png("杭州绿城物业服务有限公司春江花园物业服务中心")


def page(salutation: str, number: str = "TZ-2026-0012", **changes: Any) -> NoticePage:
    base = NoticePage(number, "停水通知", salutation, BODY, ISSUER, "2026年11月25日")
    return replace(base, **changes)


def texts_of(pdf: bytes) -> list[str]:
    return [item.extract_text() for item in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def images_of(pdf: bytes, index: int) -> list[Any]:
    """The image XObjects a page draws, directly or inside a form XObject."""
    found: list[Any] = []

    def visit(resources: Any) -> None:
        for ref in (resources or {}).get("/XObject", {}).values():
            xobject = ref.get_object()
            if xobject["/Subtype"] == "/Image":
                found.append(xobject)
            elif xobject["/Subtype"] == "/Form":
                visit(xobject.get("/Resources"))

    visit(PdfReader(io.BytesIO(pdf)).pages[index].get("/Resources"))
    return found


# -- pages ------------------------------------------------------------------------------


def test_a_lobby_notice_has_a_page_per_building_each_with_its_salutation() -> None:
    buildings = ["3栋", "5栋", "7栋"]
    pages = [page(f"尊敬的{b}全体业主、住户：", f"TZ-2026-001{n}") for n, b in enumerate(buildings)]
    texts = [flat(text) for text in texts_of(notice_pdf(HEAD, pages, NoticeMode.LOBBY))]
    assert len(texts) == 3
    for n, (building, text) in enumerate(zip(buildings, texts, strict=True)):
        assert f"尊敬的{building}全体业主、住户：" in text
        assert f"TZ-2026-001{n}" in text
        assert "停水通知" in text
        assert "2026年11月28日（星期六）8:00至18:00" in text
        assert text.endswith("春江花园物业服务中心2026年11月25日")
        others = [b for b in buildings if b != building]
        assert not any(f"尊敬的{other}" in text for other in others)
    assert "第1页" not in texts[0]  # a posted notice has no page number


def test_letters_give_a_page_per_household_with_its_addressee() -> None:
    households = [(f"{n}栋2单元1201室", f"业主{n}") for n in range(1, 8)]
    pages = [
        page(f"尊敬的{owner}业主：", addressee=room, title="物业费缴费通知")
        for room, owner in households
    ]
    texts = [flat(text) for text in texts_of(notice_pdf(HEAD, pages, NoticeMode.LETTER))]
    assert len(texts) == len(households)
    for (room, owner), text in zip(households, texts, strict=True):
        assert f"{room}尊敬的{owner}业主：" in text  # the room above the salutation
        assert "物业费缴费通知" in text
        assert "2026年11月25日" in text


def test_a_long_body_runs_on_and_the_next_notice_starts_a_new_page() -> None:
    long_body = "\n\n".join([BODY, *[PARAGRAPH] * 30, "特此通知。"])
    pages = [page("尊敬的3栋全体业主、住户：", body=long_body), page("尊敬的5栋全体业主、住户：")]
    texts = [flat(text) for text in texts_of(notice_pdf(HEAD, pages, NoticeMode.LOBBY))]
    first_end = next(i for i, text in enumerate(texts) if "特此通知。" in text)
    assert first_end >= 2  # the first notice takes at least three pages
    for text in texts[:first_end]:
        assert "2026年11月25日" not in text
    assert texts[first_end + 1].startswith(flat(HEAD.community_name))
    assert "尊敬的5栋全体业主、住户：" in texts[first_end + 1]
    assert len(texts) == first_end + 2


# Bodies ending at every height of a page (a lobby page holds about nine of these
# paragraphs, a letter about fourteen), so some end where the signature no longer fits.
@pytest.mark.parametrize(
    ("mode", "paragraphs"),
    [(NoticeMode.LOBBY, n) for n in range(9, 19)] + [(NoticeMode.LETTER, n) for n in range(8, 22)],
)
def test_the_signature_never_leaves_the_body_behind(mode: NoticeMode, paragraphs: int) -> None:
    long_body = "\n\n".join([BODY, *[PARAGRAPH] * paragraphs, "特此通知。"])
    pdf = notice_pdf(HEAD, [page("尊敬的3栋全体业主、住户：", body=long_body)], mode)
    texts = [flat(text) for text in texts_of(pdf)]
    assert len(texts) >= 2
    signed = "特此通知。杭州绿城物业服务有限公司春江花园物业服务中心2026年11月25日"
    assert texts[-1].endswith(signed)
    assert not any("2026年11月25日" in text for text in texts[:-1])


def test_the_register_learns_the_page_each_notice_starts_on() -> None:
    long_body = "\n\n".join([BODY, *[PARAGRAPH] * 12])
    pages = [
        page("尊敬的3栋全体业主、住户："),
        page("尊敬的5栋全体业主、住户：", body=long_body),
        page("尊敬的7栋全体业主、住户："),
    ]
    pdf, starts = notice_document(HEAD, pages, NoticeMode.LOBBY)
    texts = texts_of(pdf)
    assert starts[:2] == [1, 2] and starts[2] >= 4
    assert len(texts) == starts[2]
    for number, item in zip(starts, pages, strict=True):
        assert flat(item.salutation) in flat(texts[number - 1])


def test_progress_is_reported_and_a_cancel_stops_the_build() -> None:
    pages = [page(f"尊敬的业主{n}：", addressee=f"{n}室") for n in range(120)]
    calls: list[tuple[int, int]] = []
    _pdf, starts = notice_document(
        HEAD, pages, NoticeMode.LETTER, on_progress=lambda done, total: calls.append((done, total))
    )
    assert starts == list(range(1, 121))
    assert calls == [(50, 120), (100, 120), (120, 120)]

    class Cancelled(Exception):
        pass

    def cancel(_done: int, _total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        notice_document(HEAD, pages, NoticeMode.LETTER, on_progress=cancel)


def test_no_line_starts_with_a_closing_mark() -> None:
    body = "\n\n".join([PARAGRAPH * 3, BODY, "- " + PARAGRAPH * 2])
    for mode in NoticeMode:
        pdf = notice_pdf(HEAD, [page("尊敬的3栋全体业主、住户：", body=body)], mode)
        for text in texts_of(pdf):
            for line in text.splitlines():
                assert line.strip()[:1] not in NO_LINE_START, line


def test_a_long_title_is_kept_whole() -> None:
    title = "关于春江花园二〇二七年度物业服务费及公共能耗分摊费用缴纳的通知"
    pdf = notice_pdf(HEAD, [page("尊敬的全体业主：", title=title)], NoticeMode.LOBBY)
    assert flat(title) in flat(texts_of(pdf)[0])


def test_the_pdf_is_a4_and_says_what_it_is() -> None:
    pages = [page("尊敬的3栋全体业主、住户："), page("尊敬的5栋全体业主、住户：", title="停电通知")]
    reader = PdfReader(io.BytesIO(notice_pdf(HEAD, pages, NoticeMode.LOBBY)))
    for item in reader.pages:
        size = (float(item.mediabox.width), float(item.mediabox.height))
        assert size == pytest.approx(A4, abs=0.5)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "停水通知"
    assert meta.author == HEAD.issuer
    assert meta.creator == "FrontDesk 物业前台"


def test_no_pages_is_refused() -> None:
    with pytest.raises(ValueError, match="没有要打印的通知"):
        notice_pdf(HEAD, [], NoticeMode.LOBBY)


@pytest.mark.parametrize("mode", list(NoticeMode))
@pytest.mark.parametrize("template", SHIPPED_TEMPLATES, ids=lambda t: t.key)
def test_every_shipped_template_prints_without_a_placeholder(template: Any, mode: Any) -> None:
    samples = {
        FieldKind.PERIOD: "2026-11-28 08:00至18:00",
        FieldKind.DATE: "2027-01-31",
        FieldKind.DATETIME: "2026-11-28 08:30",
    }
    raw = {f.name: samples.get(f.kind, f.hint or "示例") for f in template.fields}
    standard = {"小区名称": "春江花园", "服务中心电话": "0571-86001234", "影响范围": "3栋"}
    standard |= {"物业公司": HEAD.issuer, "楼栋": "3栋"}
    standard |= {"费用明细": "- 物业服务费：2.35 元/㎡/月", "应缴金额": "2,523.96 元"}
    title, body = filled_text(template, check_values(template, raw), standard)
    texts = texts_of(notice_pdf(HEAD, [page("尊敬的张三业主：", title=title, body=body)], mode))
    assert len(texts) == 1
    assert "{" not in texts[0]
    assert flat(template.title) in flat(texts[0])


# -- the seal ---------------------------------------------------------------------------


def test_the_seal_is_stamped_with_its_transparency_when_given(seal: bytes) -> None:
    pages = [page("尊敬的3栋全体业主、住户："), page("尊敬的5栋全体业主、住户：")]
    pdf = notice_pdf(HEAD, pages, NoticeMode.LOBBY, seal)
    for index in range(2):
        images = images_of(pdf, index)
        assert len(images) == 1
        assert "/SMask" in images[0]  # the paper shows around and through the ink
    # One copy of the picture, however many notices are stamped.
    assert len(pdf) < len(notice_pdf(HEAD, pages[:1], NoticeMode.LOBBY, seal)) + 30_000


def test_without_a_seal_there_is_no_image() -> None:
    pdf = notice_pdf(HEAD, [page("尊敬的3栋全体业主、住户：")], NoticeMode.LETTER)
    assert images_of(pdf, 0) == []


def test_the_demo_seal_is_a_red_stamp_on_a_transparent_ground(seal: bytes) -> None:
    image = Image.open(io.BytesIO(seal))
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    assert image.size == (600, 600)
    corner = image.getpixel((5, 5))
    centre = image.getpixel((300, 300))  # the star
    ring = image.getpixel((300, 10))
    assert isinstance(corner, tuple) and isinstance(centre, tuple) and isinstance(ring, tuple)
    assert corner[3] == 0
    for pixel in (centre, ring):
        red, green, blue, alpha = pixel
        assert alpha > 200 and red > 180 and green < 80 and blue < 80


def test_the_demo_seal_is_sized_as_asked_and_names_its_office() -> None:
    small = Image.open(io.BytesIO(demo_seal_png("春江花园物业服务中心", size_px=300)))
    assert small.size == (300, 300)
    other = Image.open(io.BytesIO(demo_seal_png("锦绣华庭物业服务中心", size_px=300)))
    assert small.tobytes() != other.tobytes()  # the name is drawn, not a fixed picture
