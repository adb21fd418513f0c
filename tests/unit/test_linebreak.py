"""The one line-breaking routine (禁则) every paper uses."""

from __future__ import annotations

import io

import pypdf
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from frontdesk.documents.base import FONT, register_font, style
from frontdesk.documents.linebreak import (
    NO_LINE_END,
    NO_LINE_START,
    Paragraph,
    break_lines,
    break_text,
)

register_font()

CLOSING = "，。、；：！？）》”…,.;:!?)"
OPENING = "（《“(¥"
pieces = st.one_of(
    st.sampled_from(list("物业服务中心请于前整改完毕业主徐敏军电话确认")),
    st.sampled_from(list(CLOSING + OPENING)),
    st.sampled_from(["0571-88886666", "1,193.76", "CJ-2026-000123", " ", "　", "（业主徐敏军）"]),
)
texts = st.lists(pieces, min_size=1, max_size=80).map("".join)


def _measure(char: str) -> float:
    return stringWidth(char, FONT, 10)


def _visible(line: str) -> str:
    return line.strip(" \u3000")


@settings(max_examples=300, deadline=None)
@given(texts, st.floats(min_value=12, max_value=300))
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(
    text: str, width: float
) -> None:
    lines = break_text(text, [width], _measure)
    assert "".join(lines) == text  # nothing lost, nothing added
    for line in lines[1:]:
        assert _visible(line)[:1] not in NO_LINE_START, lines
    for line in lines[:-1]:
        assert _visible(line)[-1:] not in NO_LINE_END, lines


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="物业服务中心请于前整改完毕", min_size=1, max_size=60), st.integers(2, 20))
def test_lines_of_plain_hanzi_are_full_and_within_the_width(text: str, chars: int) -> None:
    width = chars * 10.0
    lines = break_text(text, [width], _measure)
    assert all(stringWidth(line, FONT, 10) <= width + 1e-6 for line in lines)
    assert all(len(line) == chars for line in lines[:-1])


def test_a_number_and_a_short_bracket_stay_whole() -> None:
    text = "如有疑问请致电服务中心，电话：0571-88886666。确认方式：电话确认（业主徐敏军）"
    lines = [line for _room, line in break_lines(text, [150], FONT, 10)]
    assert any("0571-88886666" in line for line in lines), lines
    assert any("（业主徐敏军）" in line for line in lines), lines


def _drawn_lines(markup: str, width: float) -> list[str]:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    paragraph = Paragraph(markup, style("t", 11, leading=20))
    _w, height = paragraph.wrap(width, 800)
    paragraph.drawOn(canvas, 40, 800 - height)
    canvas.save()
    page = pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    return [line for line in page.extract_text().splitlines() if line.strip()]


def test_a_paragraph_with_markup_keeps_commas_off_the_start_of_lines() -> None:
    """The 整改通知's order has an underlined deadline: reportlab's own breaking put
    its commas at the start of lines."""
    markup = (
        "上述问题违反《装修管理服务协议》及《装修指南》的规定，请自接到本通知之时起"
        "<u>立即停止施工</u>，并于 <u>2026-12-20</u> 前整改完毕。整改完毕后请通知物业服务中心"
        "复查，经复查合格后方可恢复施工。"
    )
    for chars in range(8, 30):
        lines = _drawn_lines(markup, chars * 11 + 3)
        assert len(lines) > 1
        for line in lines[1:]:
            assert line.strip()[:1] not in NO_LINE_START, (chars, lines)
        for line in lines[:-1]:
            assert line.strip()[-1:] not in NO_LINE_END, (chars, lines)


@settings(max_examples=300, deadline=None)
@given(texts, st.floats(min_value=40, max_value=300))
def test_no_line_is_wider_than_its_width_but_for_spaces_at_its_end(text: str, width: float) -> None:
    """Spaces inside a line take room like any character; only those at its end hang."""
    widest = max(_measure(char) for char in text)
    for line in break_text(text, [width], _measure)[:-1]:
        shown = line.rstrip(" \u3000")
        if stringWidth(shown, FONT, 10) <= max(width, widest) + 1e-6:
            continue
        # Wider only where the line could not be broken anywhere (物，，，，).
        assert not any(
            shown[i] not in NO_LINE_START and shown[i - 1] not in NO_LINE_END
            for i in range(1, len(shown))
            if shown[i] not in " \u3000" and shown[i - 1] not in " \u3000"
        ), (line, width)


def test_a_reminder_line_broken_at_a_full_width_space_keeps_the_indent() -> None:
    """地点…　电话… on a reminder: the line after the full-width space starts indented."""
    from frontdesk.documents.reminder import _Pen

    pen = _Pen(Canvas(io.BytesIO(), pagesize=A4))
    text = "缴费地点：物业服务中心（江苏省南京市建邺区江东中路 888 号）　联系电话：025-86661234"
    lines = pen.lines(text, 430, 11.5, indent="　　")
    assert lines == [
        "　　缴费地点：物业服务中心（江苏省南京市建邺区江东中路 888 号）",
        "　　联系电话：025-86661234",
    ]
