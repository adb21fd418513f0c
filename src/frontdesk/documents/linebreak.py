"""The one Chinese line-breaking routine (禁则) of every FrontDesk paper.

reportlab's own CJK wrapping (`wordWrap='CJK'`, `reportlab.lib.textsplit`) was
looked at first: its table of marks that may not start a line lacks the
full-width comma, colon, semicolon, ！？》” (so "，" starts lines on Chinese
paper), it hangs at most one mark, it never reads its own "may not end a line"
table (a line can end with "（"), and its `kinsokuShoriSplit` is unfinished. So
the tables here are reportlab's (they hold the Japanese marks too) joined with
the Chinese ones, and the breaking is done here, for a Paragraph of any markup
(`Paragraph`, which every document uses in place of reportlab's) and for text
drawn straight on a canvas (`break_text`).

The rules, in order of strength:
- no line starts with a closing mark (，。、；：！？）》”…) and none ends with an
  opening one (（《“¥); the line is shortened (the last character goes down
  with the mark), never made wider — only where a line holds nothing but such
  marks does it run on to the first place it may break;
- a run of digits and letters (0571-88886666, 1,193.76, CJ-2026-000123) stays
  whole unless that would leave the line less than half full; a short bracketed
  phrase (（冷藏，请勿倒置）) that fits on a line of its own goes down whole;
- a full-width space (地点：……　电话：……) is the preferred place to break;
- spaces at the end of a line hang past it (they print nothing), so the lines
  joined give back the text exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph as _ReportlabParagraph
from reportlab.platypus.paragraph import (
    ParaLines,
    _handleBulletWidth,
    cjkU,
    makeCJKParaLine,
)

# Never at the start of a line / never at the end of one.
NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉”’…·%,.;:!?)]}—") | frozenset(
    ALL_CANNOT_START
)
NO_LINE_END = frozenset("（《「『【〔〈“‘([{¥￥") | frozenset(ALL_CANNOT_END)
_OPENING_BRACKETS = "（(【〔［"
_CLOSING_OF = {"（": "）", "(": ")", "【": "】", "〔": "〕", "［": "］"}
_BRACKET_MOST = 16  # characters of a bracketed phrase kept on one line
_SPACES = " \t\u3000"
_FUZZ = 1e-6
_OBJECT = "\ufffc"  # an image or other object inside a paragraph


def _in_word(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or char in "-.,:/%+_@#&"


def _may_break(text: str, at: int) -> bool:
    """Whether a line may end between text[at - 1] and text[at] by the strong rules
    (spaces there hang at the end of the line, so the marks around them count)."""
    after, before = at, at - 1
    while after < len(text) and text[after] in _SPACES:
        after += 1
    while before > 0 and text[before] in _SPACES:
        before -= 1
    if after < len(text) and text[after] in NO_LINE_START:
        return False
    return text[before] not in NO_LINE_END


def _unit_start(text: str, start: int, end: int, at: int) -> tuple[int, bool]:
    """Where the word or bracketed phrase that a break at `at` would split begins, and
    whether it is a bracketed phrase; (`at`, False) when the break splits none."""
    if _in_word(text[at - 1]) and _in_word(text[at]) and text[at - 1].isascii():
        back = at - 1
        while back > start and _in_word(text[back - 1]):
            back -= 1
        if any(char.isalnum() for char in text[back:at]):
            return back, False
    opening = max(text.rfind(mark, start, at) for mark in _OPENING_BRACKETS)
    if opening >= 0:
        closing = text.find(_CLOSING_OF[text[opening]], opening)
        # Short, and it fits on a line of its own: moving it down keeps it whole.
        if at <= closing < opening + min(_BRACKET_MOST, end - start):
            return opening, True
    return at, False


def _line_end(text: str, start: int, end: int) -> int:
    """Where a line that could hold text[start:end] (and no more) ends instead."""
    # A full-width space in the last two thirds of the line is the place to break.
    soft = text.rfind("\u3000", start + 1, end)
    if soft > start + (end - start) // 3 and _may_break(text, soft + 1):
        while soft + 1 < len(text) and text[soft + 1] in _SPACES:
            soft += 1
        return soft + 1
    half = start + max(1, (end - start) // 2)
    fallback = 0
    for at in range(end, start, -1):
        if not _may_break(text, at):
            continue
        if not fallback:
            fallback = at
        unit, bracket = _unit_start(text, start, end, at)
        if unit == at:
            return at
        # A word keeps the line at least half full; a bracket two characters.
        least = start + 1 if bracket else half
        if unit > least and _may_break(text, unit):
            return unit
        if unit <= least:  # too long to move down: split where it must
            return fallback
    if fallback:
        return fallback
    # Nothing but marks that may not be parted: run on to the first place allowed.
    at = end
    while at < len(text) and not _may_break(text, at):
        at += 1
    return at


def line_ends(text: str, char_widths: Sequence[float], widths: Sequence[float]) -> list[int]:
    """The index after the last character of each line; line n is at most widths[n]
    wide (the last width for the rest). `char_widths[i]` is the width of text[i];
    "\\n" ends a line."""
    ends: list[int] = []
    start, count = 0, len(text)
    while start < count:
        room = widths[min(len(ends), len(widths) - 1)]
        end, used = start, 0.0
        while end < count and text[end] != "\n":
            if text[end] in _SPACES and end > start:  # spaces may hang past the edge
                used += char_widths[end]
                end += 1
                continue
            if used + char_widths[end] > room + _FUZZ:
                break
            used += char_widths[end]
            end += 1
        if end < count and text[end] == "\n":
            end += 1
        elif end < count:
            end = _line_end(text, start, max(end, start + 1))
            while end < count and text[end] in _SPACES:
                end += 1
        ends.append(end)
        start = end
    return ends


def break_text(text: str, widths: Sequence[float], measure: Callable[[str], float]) -> list[str]:
    """The lines of `text`, each at most widths[n] wide as `measure` gives it;
    "".join(lines) == text."""
    sizes: dict[str, float] = {}
    char_widths = []
    for char in text:
        if char not in sizes:
            sizes[char] = measure(char)
        char_widths.append(sizes[char])
    lines, start = [], 0
    for end in line_ends(text, char_widths, widths):
        lines.append(text[start:end])
        start = end
    return lines


def break_lines(
    text: str, widths: Sequence[float], font: str, size: float
) -> list[tuple[float, str]]:
    """(room left, text) of each line in `font` at `size`, spaces at either end of a
    line dropped (as a Paragraph draws it)."""
    lines: list[tuple[float, str]] = []
    for line in break_text(text, widths, lambda char: stringWidth(char, font, size)):
        shown = line.rstrip(_SPACES + "\n")
        room = widths[min(len(lines), len(widths) - 1)]
        lines.append((room - stringWidth(shown, font, size), shown))
    return lines


class Paragraph(_ReportlabParagraph):  # type: ignore[misc]  # reportlab ships no types
    """reportlab's Paragraph with its CJK lines (`wordWrap='CJK'`, set by
    documents.base.style) broken by the rules above, whatever the markup
    (<u>, <font>, <br/>). Other wrap modes are reportlab's own."""

    def breakLinesCJK(self, max_widths: Any) -> Any:  # reportlab's name
        widths = list(max_widths) if isinstance(max_widths, list | tuple) else [max_widths]
        style = self.style
        frags = self.frags
        if style.endDots or not frags:
            return super().breakLinesCJK(widths)
        # The halves of a split keep the lines they were given, as in reportlab.
        split = hasattr(self, "blPara") and bool(getattr(self, "_splitpara", False))
        self.height = 0
        _handleBulletWidth(self.bulletText, style, widths)
        single = len(frags) == 1 and not hasattr(frags[0], "cbDefn")
        if split:
            return frags[0].clone(kind=0, lines=self.blPara.lines) if single else self.blPara
        if single:
            first = frags[0]
            lines = break_lines(_frag_text(first), widths, first.fontName, first.fontSize)
            return first.clone(
                kind=0,
                lines=[(extra, [line]) for extra, line in lines],
                ascent=first.fontSize,
                descent=-0.2 * first.fontSize,
            )
        return self._frag_lines(widths)

    def _frag_lines(self, widths: list[float]) -> Any:
        glyphs: list[Any] = []
        for frag in self.frags:
            text = _frag_text(frag)
            if text:
                glyphs.extend(cjkU(char, frag, "utf8") for char in text)
            else:
                glyphs.append(cjkU("", frag, "utf8"))
        text = "".join(
            str(g) or ("\n" if hasattr(g.frag, "lineBreak") else _OBJECT) for g in glyphs
        )
        char_widths = [
            0.0 if char == "\n" else float(g.width) for char, g in zip(text, glyphs, strict=True)
        ]
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        calc_bounds = auto not in ("", "off")
        lines = []
        start = 0
        for number, end in enumerate(line_ends(text, char_widths, widths)):
            room = widths[min(number, len(widths) - 1)]
            broken = text[end - 1] == "\n"
            last = end - 1 if broken else end
            while last > start and text[last - 1] in _SPACES:
                last -= 1  # the spaces that hang print nothing
            while start < last and text[start] in _SPACES and number:
                start += 1
            used = sum(char_widths[start:last])
            shown = glyphs[start:end] if broken else glyphs[start:last]
            lines.append(makeCJKParaLine(shown, room, used, room - used, broken, calc_bounds))
            start = end
        return ParaLines(kind=1, lines=lines)


def _frag_text(frag: Any) -> str:
    """A fragment's text; the second half of a split paragraph holds words instead."""
    text = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
    return text if isinstance(text, str) else text.decode("utf8")


# The name the documents used before there was one routine.
TextParagraph = Paragraph

__all__ = [
    "NO_LINE_END",
    "NO_LINE_START",
    "Paragraph",
    "TextParagraph",
    "break_lines",
    "break_text",
    "line_ends",
]
