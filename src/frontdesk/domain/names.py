"""Search keys for Chinese names: full pinyin, initials, and the surname spelled out with
the given name as initials (陈圆圆 -> chenyuanyuan, cyy, chenyy), the three ways a clerk
types a name at the counter.

A surname is read as a surname: 曾 is zeng, 单 shan, 解 xie, whatever a dictionary reads
the character as elsewhere; compound surnames (欧阳, 尉迟, 万俟 …) are one surname.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

# Compound surnames (复姓) with their readings; a name starting with one of these is
# taken to carry it (欧阳娜娜: ouyang + nana).
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "上官": ("shang", "guan"),
    "诸葛": ("zhu", "ge"),
    "东方": ("dong", "fang"),
    "皇甫": ("huang", "fu"),
    "尉迟": ("yu", "chi"),
    "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"),
    "长孙": ("zhang", "sun"),
    "宇文": ("yu", "wen"),
    "司徒": ("si", "tu"),
    "司空": ("si", "kong"),
    "夏侯": ("xia", "hou"),
    "轩辕": ("xuan", "yuan"),
    "令狐": ("ling", "hu"),
    "端木": ("duan", "mu"),
    "独孤": ("du", "gu"),
    "南宫": ("nan", "gong"),
    "西门": ("xi", "men"),
    "万俟": ("mo", "qi"),
    "闻人": ("wen", "ren"),
    "澹台": ("tan", "tai"),
    "公冶": ("gong", "ye"),
    "太史": ("tai", "shi"),
    "申屠": ("shen", "tu"),
    "呼延": ("hu", "yan"),
    "钟离": ("zhong", "li"),
    "宗政": ("zong", "zheng"),
    "濮阳": ("pu", "yang"),
    "淳于": ("chun", "yu"),
    "单于": ("chan", "yu"),
    "赫连": ("he", "lian"),
    "拓跋": ("tuo", "ba"),
    "百里": ("bai", "li"),
    "东郭": ("dong", "guo"),
    "左丘": ("zuo", "qiu"),
    "乐正": ("yue", "zheng"),
    "公羊": ("gong", "yang"),
    "亓官": ("qi", "guan"),
}

# Surnames whose reading differs from the character's common one (多音字姓氏).
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "种": "chong",
    "召": "shao",
    "折": "she",
    "繁": "po",
    "句": "gou",
    "员": "yun",
    "黑": "he",
    "薄": "bo",
    "阚": "kan",
    "秘": "bi",
    "隗": "wei",
    "郇": "xun",
    "卜": "bu",
    "祭": "zhai",
    "尉": "wei",
    "能": "nai",
    "都": "du",
    "角": "jue",
    "隽": "juan",
    "莘": "shen",
    "柏": "bai",
    "燕": "yan",
    "重": "chong",
    "长": "chang",
    "车": "che",
    "应": "ying",
    "便": "pian",
    "宿": "su",
    "沈": "shen",
    "华": "hua",
    "任": "ren",
    "纪": "ji",
    "过": "guo",
    "牟": "mou",
    "蔚": "yu",
    "藏": "zang",
}


class NameKeys(NamedTuple):
    full: str  # chenyuanyuan
    initials: str  # cyy
    mixed: str  # chenyy: the surname spelled out, the given name as initials


def _surname(name: str) -> tuple[str, tuple[str, ...]] | None:
    """The name's surname and its syllables, when it starts with a Chinese one."""
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2], COMPOUND_SURNAMES[name[:2]]
    if name[:1] in SURNAME_READINGS:
        return name[:1], (SURNAME_READINGS[name[:1]],)
    return None


@lru_cache(maxsize=20_000)
def _syllables(text: str, *, first_letters: bool) -> tuple[str, ...]:
    """Given names repeat (an import of 40,000 people reads each one once)."""
    # pypinyin loads its phrase dictionary on import (0.2 s): not at start-up.
    from pypinyin import Style, lazy_pinyin

    style = Style.FIRST_LETTER if first_letters else Style.NORMAL
    found = lazy_pinyin(text, style=style, errors="default")
    return tuple(s.lower().replace(" ", "") for s in found if s.strip())


def pinyin_keys(name: str) -> NameKeys:
    """The search keys of a name, in lower case; letters and digits pass through."""
    name = name.strip()
    known = _surname(name)
    if known is not None:
        surname, syllables = known
        given = name[len(surname) :]
    else:
        # The first character's own reading (the phrase dictionary must not join it
        # with the given name: 单田芳 is shan + tianfang, not the word 单田).
        surname, given = name[:1], name[1:]
        syllables = tuple(_syllables(surname, first_letters=False))
    surname_full = "".join(syllables)
    surname_initials = "".join(s[:1] for s in syllables)
    given_full = "".join(_syllables(given, first_letters=False))
    given_initials = "".join(_syllables(given, first_letters=True))
    return NameKeys(
        surname_full + given_full,
        surname_initials + given_initials,
        surname_full + given_initials,
    )


def mask_name(name: str) -> str:
    """张* / 欧阳** : the first character stays (as the screens and the audit log show a
    name to someone who may not see it whole)."""
    return name[:1] + "*" * (len(name) - 1) if name else ""
