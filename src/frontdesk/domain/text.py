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
