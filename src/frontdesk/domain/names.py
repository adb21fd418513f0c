"""Search keys for Chinese names: full pinyin and initials (张三 -> zhangsan, zs)."""

from __future__ import annotations


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full, initials) in lower case; letters and digits in the name pass through."""
    # pypinyin loads its phrase dictionary on import (0.2 s): not at start-up.
    from pypinyin import Style, lazy_pinyin

    syllables = [s.lower() for s in lazy_pinyin(name.strip(), errors="default") if s.strip()]
    initials = [s.lower() for s in lazy_pinyin(name.strip(), style=Style.FIRST_LETTER) if s.strip()]
    return "".join(syllables).replace(" ", ""), "".join(initials).replace(" ", "")


def mask_name(name: str) -> str:
    """张* / 欧阳** : the first character stays (as the screens and the audit log show a
    name to someone who may not see it whole)."""
    return name[:1] + "*" * (len(name) - 1) if name else ""
