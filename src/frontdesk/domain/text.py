"""Text typed into a form or read from an import: normalised, checked, limited.

Every service that stores typed text passes it through `clean_text` (free text) or
`clean_name` (a person's name or other identifying text). Both:

- normalise to Unicode NFC, so 'é' typed as e + combining accent and 'é' typed as one
  character are the same text (and the roster's duplicate rule sees one person);
- refuse invisible characters with a message naming the field: format characters
  (category Cf: zero-width space/joiner, byte-order mark, soft hyphen, the
  bidirectional embeddings, overrides, isolates and marks) and control characters
  other than line breaks and tabs in free text. An invisible character could make two
  names that look alike differ, or turn a line round on the screen and on paper;
- keep line breaks as \n only (a carriage return would not survive an Excel export);
- trim the ends and limit the length, counted in characters after normalising.

A name is one line: line breaks and tabs are refused too, and runs of spaces become
one space.
"""

from __future__ import annotations

import re
import unicodedata

from frontdesk.errors import ValidationError

# Line breaks and tabs are part of free text (notes, outcomes); nothing else invisible is.
_FREE_TEXT_CONTROLS = frozenset("\n\r\t")
_SPACES = re.compile(r"[ \u3000]+")


def _refuse_invisible(text: str, field: str, allowed: frozenset[str]) -> None:
    for char in text:
        category = unicodedata.category(char)
        if char in allowed:
            continue
        if category == "Cf":
            code = f"U+{ord(char):04X}"
            raise ValidationError(field, f"含有不可见的格式字符（{code}），请删除后重新输入")
        if category in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp"):
            code = f"U+{ord(char):04X}"
            raise ValidationError(field, f"含有不可见的控制字符（{code}），请删除后重新输入")


def normalize_text(value: str, field: str, *, one_line: bool = False) -> str:
    """NFC, invisible characters refused, ends trimmed; no length check."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    _refuse_invisible(text, field, frozenset() if one_line else _FREE_TEXT_CONTROLS)
    text = text.strip()
    if one_line:
        text = _SPACES.sub(" ", text)
    return text


def _limit(text: str, field: str, limit: int, required: bool) -> str:
    if required and not text:
        raise ValidationError(field, "不能为空")
    if len(text) > limit:
        raise ValidationError(field, f"不能超过 {limit} 个字（现有 {len(text)} 个字）")
    return text


def clean_text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """Free text (a note, a reason, an address): line breaks and tabs allowed."""
    return _limit(normalize_text(value, field), field, limit, required)


def clean_name(value: str, field: str, limit: int = 40, *, required: bool = False) -> str:
    """A name or other identifying text: one line, spaces collapsed."""
    return _limit(normalize_text(value, field, one_line=True), field, limit, required)


def numbered_title(number: int, title: str) -> str:
    """一、欢迎入住 — a section title numbered the way Chinese documents number them."""
    import cn2an  # 60 ms to import: not on the start-up path

    return f"{cn2an.an2cn(str(number))}、{title}"
