"""Free text typed into a form: trimmed, length-checked, named in the message."""

from __future__ import annotations

from frontdesk.errors import ValidationError


def clean_text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    text = value.strip()
    if required and not text:
        raise ValidationError(field, "不能为空")
    if len(text) > limit:
        raise ValidationError(field, f"不能超过 {limit} 个字")
    return text


def numbered_title(number: int, title: str) -> str:
    """一、欢迎入住 — a section title numbered the way Chinese documents number them."""
    import cn2an  # 60 ms to import: not on the start-up path

    return f"{cn2an.an2cn(str(number))}、{title}"
