"""The test page of 设置 › 打印: the size of the paper chosen, the lines given."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from frontdesk.documents.print_check import paper_size, print_check_pdf
from frontdesk.domain.fees import Paper
from frontdesk.domain.visitors import PassPaper

MM = 72 / 25.4
SIZES_MM = {
    Paper.A4: (210, 297),
    Paper.A5: (210, 148),
    Paper.FORM_241x93: (241, 93),
    Paper.FORM_241x140: (241, 140),
    PassPaper.ROLL_80: (80, 60),
    PassPaper.ROLL_58: (58, 60),
    PassPaper.A6: (105, 148),
}


@pytest.mark.parametrize("paper", [*Paper, *PassPaper])
def test_the_page_is_the_paper_and_says_what_was_chosen(paper: Paper | PassPaper) -> None:
    lines = (f"收据 · {paper.label}", "打印机：前台 EPSON LQ-630K")
    reader = PdfReader(io.BytesIO(print_check_pdf(paper_size(paper), lines)))
    [page] = reader.pages
    width, height = SIZES_MM[paper]
    assert float(page.mediabox.width) == pytest.approx(width * MM, abs=0.5)
    assert float(page.mediabox.height) == pytest.approx(height * MM, abs=0.5)
    text = "".join(page.extract_text().split())
    assert "打印测试页" in text
    assert "".join(lines[1].split()) in text
