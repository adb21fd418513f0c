"""The wording of 催缴 notices: what a supervisor edits per level, the defaults, and
what no wording may say. Civil Code art. 944: 物业服务人不得采取停止供电、供水、
供热、供燃气等方式催交物业费."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from frontdesk.domain.periods import Period


@dataclass(frozen=True)
class ReminderWording:
    """What a supervisor edits per level; paragraphs are separated by \\n.

    Placeholders are written {房号}, in the vocabulary of the notices and the handbook
    (see `PLACEHOLDERS`). How to pay (counter hours, the transfer account) is printed
    on every notice from the payment settings."""

    title: str
    body: str
    closing: str  # contact, and what to do if already paid


# -- the placeholders --------------------------------------------------------------------

# Filled when a notice is printed. The names and meanings shared with the notices'
# standard placeholders and the handbook's (小区名称, 物业公司, 房号 …) are the same words,
# so a clerk learns one vocabulary.
PLACEHOLDERS = {
    "业主": "业主姓名",
    "房号": "房号，如 3-2-1201",
    "欠费金额": "物业服务费等欠费合计，如 1,234.00（不含代收水电，不含“元”）",
    "最早欠费月份": "最早欠费的月份，如 2025年12月",
    "缴费期限": "缴费期限，如 2026年12月10日（催缴通知单、催告函）",
    "已送达通知": "引用实际送达的上一级通知及其日期、编号（没有则为空）",
    "小区名称": "小区名称",
    "物业公司": "物业服务企业名称",
    "小区地址": "小区地址（物业服务中心）",
    "服务中心电话": "物业服务中心电话",
    "发布日期": "通知的发布日期",
}
EARLIER = "{已送达通知}"

# The English placeholders of wordings saved before version 0021 of the database.
OLD_PLACEHOLDERS = {
    "owner": "业主",
    "room": "房号",
    "total": "欠费金额",
    "oldest": "最早欠费月份",
    "deadline": "缴费期限",
    "earlier": "已送达通知",
    "company": "物业公司",
    "phone": "服务中心电话",
    "address": "小区地址",
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def upgraded_text(text: str) -> str:
    """{owner} → {业主} …: an old English placeholder in its Chinese name."""
    return _PLACEHOLDER.sub(
        lambda m: (
            "{" + OLD_PLACEHOLDERS[m.group(1)] + "}"
            if m.group(1) in OLD_PLACEHOLDERS
            else m.group(0)
        ),
        text,
    )


def upgraded(wording: ReminderWording) -> ReminderWording:
    """A wording saved with the old English placeholders, in the Chinese ones."""
    return ReminderWording(
        upgraded_text(wording.title), upgraded_text(wording.body), upgraded_text(wording.closing)
    )


def unknown_placeholders(text: str) -> list[str]:
    """The placeholders in `text` that no notice fills, each once, in order."""
    return list(dict.fromkeys(p for p in placeholders_in(text) if p not in PLACEHOLDERS))


def fill(text: str, values: dict[str, str]) -> str:
    """Placeholders filled by name; any other braces stay as they are."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


# -- the wording -----------------------------------------------------------------------

DEFAULT_WORDING: dict[int, ReminderWording] = {
    1: ReminderWording(
        title="温馨提示",
        body=(
            "感谢您一直以来对本公司物业服务工作的理解与支持！\n"
            "经核对，您名下{房号}房屋尚有物业服务费等费用合计{欠费金额}元未缴纳，明细见下表。"
            "可能是您近来工作繁忙未及办理，特此温馨提示，请您方便时缴纳。\n"
            "如您已经缴纳，请忽略本提示；如对费用有疑问，欢迎来电或到物业服务中心查询核对。"
        ),
        closing="咨询电话：{服务中心电话}\n祝您生活愉快，阖家幸福！",
    ),
    2: ReminderWording(
        title="催缴通知单",
        body=(
            "您名下{房号}房屋欠缴物业服务费等费用，截至本通知发出之日合计{欠费金额}元，"
            "明细见下表。{已送达通知}\n"
            "物业服务费是保障小区安保、保洁、绿化和共用设施设备日常维护的必要费用。"
            "根据《中华人民共和国民法典》第九百四十四条和《物业服务合同》的约定，"
            "业主应当按照约定向物业服务人支付物业费。\n"
            "请您于{缴费期限}前缴清上述费用。如对费用有异议或确有困难，"
            "请在此期限内与本公司联系，我们愿意与您沟通协商。"
        ),
        closing="联系电话：{服务中心电话}\n如您近日已经缴费，请忽略本通知。感谢您的理解与配合！",
    ),
    3: ReminderWording(
        title="催告函",
        body=(
            "经核查，您名下{房号}房屋欠缴物业服务费等费用，截至本函发出之日合计人民币{欠费金额}元，"
            "明细见下表。{已送达通知}\n"
            "根据《中华人民共和国民法典》第九百四十四条的规定，业主违反约定逾期不支付"
            "物业费的，物业服务人可以催告其在合理期限内支付；合理期限届满仍不支付的，"
            "物业服务人可以提起诉讼或者申请仲裁。\n"
            "现{物业公司}特函催告：请您于{缴费期限}前将上述费用足额缴纳。"
            "逾期仍未缴纳的，本公司将依法通过诉讼或仲裁等途径主张权利。"
            "如对欠费金额有异议或确有特殊困难，请在上述期限内与本公司联系说明。"
        ),
        closing="联系电话：{服务中心电话}\n如您在收到本函前已缴清上述费用，请忽略本函。\n特此函告。",
    ),
}


# -- what the wording may not say ------------------------------------------------------

_CUT = "停止|暂停|中断|切断|终止|关闭|限制|停用|禁用|取消|注销|冻结"
_SUPPLY = (
    "供水|供电|供气|供暖|供热|用水|用电|用气|水电气?|燃气|天然气|煤气|暖气|热水|"
    "电梯|门禁卡?|出入|进出|通行|进入小区|车辆进出"
)
_FORBIDDEN = re.compile(
    # 停水 断电 停暖 停梯 限电 …: the short forms
    r"(?:停|断|限)(?:水|电|气|暖|热|梯)"
    # 拉闸 关阀 锁表 停止供应
    r"|拉闸|关阀|关闸|锁表|停止供应"
    # 停止供水, 暂停对您家的供暖, 限制出入, 切断水电
    rf"|(?:{_CUT})[^。，；！？、,;!?\n]{{0,6}}?(?:{_SUPPLY})"
    # 门禁停用, 门禁卡将被注销, 水电暂停供应
    rf"|(?:{_SUPPLY})[^。，；！？,;!?\n]{{0,4}}?(?:{_CUT}|失效)"
    # 禁止进入小区, 不得出入
    r"|(?:禁止|不得|不准|不予)(?:进入|出入|进出|通行|使用电梯)"
)


def forbidden_phrases(text: str) -> list[str]:
    """Phrases that threaten to cut or restrict water, power, gas, heating or access.

    Civil Code art. 944: 物业服务人不得采取停止供电、供水、供热、供燃气等方式催交物业费.
    Spaces are ignored (停 水 is 停水). Each phrase is listed once, in order of appearance;
    an empty list means the wording may be used."""
    compact = re.sub(r"\s+", "", text)
    found: list[str] = []
    for match in _FORBIDDEN.finditer(compact):
        if match.group(0) not in found:
            found.append(match.group(0))
    return found


# -- what the wording may not claim ----------------------------------------------------

# "此前已多次提醒", "已通过温馨提示、催缴通知单等方式": the letter cites the notices actually
# delivered through {已送达通知}; a wording of its own may not claim reminders in general.
_CLAIMS_EARLIER = re.compile(
    r"(?:此前|之前|先前|前期|曾)[^。；\n]{0,12}?(?:提醒|催缴|催告|通知|函)"
    r"|(?:多次|屡次|反复|再三|一再)[^。；\n]{0,6}?(?:提醒|催缴|催告|通知)"
)


def earlier_claims(text: str) -> list[str]:
    """Phrases that claim earlier reminders without citing them (use {已送达通知})."""
    compact = re.sub(r"\s+", "", _PLACEHOLDER.sub("", text))
    return list(dict.fromkeys(m.group(0) for m in _CLAIMS_EARLIER.finditer(compact)))


# -- the order of notices: level 3 after a served level 2, level 2 after level 1 ---------

NOTICE_GAP_DAYS = 15  # a level-N notice needs the level N-1 notice served this long before
LEVEL_TITLES = {1: "温馨提示", 2: "催缴通知单", 3: "催告函"}


class DeliveryState(StrEnum):
    """Where a printed notice is: only a recorded delivery counts as a demand."""

    PRINTED = "printed"
    DELIVERED = "delivered"

    @property
    def label(self) -> str:
        return {"printed": "已打印，待送达", "delivered": "已送达"}[self.value]


class DeliveryMethod(StrEnum):
    """How a notice reached the household, and what evidence each way needs."""

    SIGNED = "当面签收"  # 签收人 and 与业主关系 on the tear-off receipt
    REGISTERED_MAIL = "挂号信"  # tracking number
    EMS = "EMS"  # tracking number
    MAILBOX = "投递信箱"  # level 1 only: no evidence of receipt

    @property
    def needs_tracking(self) -> bool:
        return self in (DeliveryMethod.REGISTERED_MAIL, DeliveryMethod.EMS)

    @property
    def needs_signer(self) -> bool:
        return self is DeliveryMethod.SIGNED

    @property
    def evidence(self) -> bool:
        """A way that leaves evidence of receipt (what a written demand needs)."""
        return self is not DeliveryMethod.MAILBOX


@dataclass(frozen=True)
class ServedNotice:
    """An earlier notice to the household as the record has it."""

    level: int
    number: str
    delivered_on: date | None  # None: printed, not (yet) delivered
    debt_keys: frozenset[str]  # the 物业服务费 debt it demanded (see `debt_key`)
    method: str = ""  # DeliveryMethod value once delivered


def debt_key(fee_item: str, period: str | None, start_on: date) -> str:
    """One unpaid charge as a notice names it: 物业服务费@2026-03 (or @2026-03-15)."""
    return f"{fee_item}@{period or start_on.isoformat()}"


def level_refusal(
    level: int, oldest_key: str | None, earlier: list[ServedNotice], today: date
) -> str:
    """'' when a level-`level` notice may go out today, else why not (in Chinese).

    Level 1 may always go. Level N needs a level N-1 notice, recorded as delivered at
    least NOTICE_GAP_DAYS before today, that demanded the same debt (its oldest unpaid
    charge); a level-3 demand needs a debt under the service contract at all."""
    if level <= 1:
        return ""
    before = LEVEL_TITLES[level - 1]
    if oldest_key is None:
        return "没有物业服务费欠费（代收费用不在物业费催告范围内）"
    same = [n for n in earlier if n.level == level - 1 and oldest_key in n.debt_keys]
    served = [n for n in same if n.delivered_on is not None]
    if not served:
        if same:
            return f"{before}（{same[-1].number}）已打印，尚未登记送达"
        return f"未向该户送达过同一欠费的{before}"
    last = max(n.delivered_on for n in served if n.delivered_on is not None)
    ready = last + timedelta(days=NOTICE_GAP_DAYS)
    if ready > today:
        return (
            f"{before}于 {last:%Y-%m-%d} 送达，须满 {NOTICE_GAP_DAYS} 天"
            f"（{ready:%Y-%m-%d} 起）才可发{LEVEL_TITLES[level]}"
        )
    return ""


def cited_notices(
    level: int, earlier: list[ServedNotice], debt_keys: Iterable[str]
) -> list[ServedNotice]:
    """The delivered lower-level notices a letter cites, oldest first: for each lower
    level the latest one delivered that demanded part of this debt (a notice about a
    debt since paid is no reminder of this one)."""
    demanded = set(debt_keys)
    cited = []
    for lower in range(1, level):
        served = [
            n
            for n in earlier
            if n.level == lower and n.delivered_on is not None and demanded & n.debt_keys
        ]
        if served:
            cited.append(max(served, key=lambda n: (n.delivered_on or date.min, n.number)))
    return sorted(cited, key=lambda n: n.delivered_on or date.min)


def earlier_sentence(cited: list[ServedNotice]) -> str:
    """本公司已于2026年10月5日向您送达《催缴通知单》（编号CJ-2026-000012）… — or ''.
    A notice dropped into the mailbox was 投递, not 送达: there is no proof of receipt."""
    if not cited:
        return ""
    parts = [
        f"{n.delivered_on.year}年{n.delivered_on.month}月{n.delivered_on.day}日"
        f"向您{'投递' if n.method == DeliveryMethod.MAILBOX.value else '送达'}"
        f"《{LEVEL_TITLES[n.level]}》（编号{n.number}）"
        for n in cited
        if n.delivered_on is not None
    ]
    return "本公司已于" + "，于".join(parts) + "，至今尚未收到上述款项。"


def month_spans(months: list[Period]) -> str:
    """The unpaid months as runs: 2026年1月至3月、2026年6月 (a paid month between breaks
    the run; a run across a new year names both years: 2025年11月至2026年2月)."""
    ordered = sorted(set(months), key=lambda p: (p.year, p.month))
    runs: list[list[Period]] = []
    for period in ordered:
        if runs and runs[-1][-1].shifted(1) == period:
            runs[-1].append(period)
        else:
            runs.append([period])
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        if first == last:
            parts.append(first.label)
        elif first.year == last.year:
            parts.append(f"{first.label}至{last.month}月")
        else:
            parts.append(f"{first.label}至{last.label}")
    return "、".join(parts)


def room_order(code: str) -> tuple[tuple[tuple[int, int | str], ...], ...]:
    """A room code (3-2-1201) as building, unit, room in numeric order (2栋 before
    10栋, 201 before 1001), so a butler posts the letters floor by floor."""
    return tuple(
        tuple(
            (0, int(part)) if part.isdigit() else (1, part)
            for part in re.findall(r"\d+|\D+", piece)
        )
        for piece in code.split("-")
    )
