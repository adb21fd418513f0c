"""The wording of 催缴 notices: what a supervisor edits per level, the defaults, and
what no wording may say. Civil Code art. 944: 物业服务人不得采取停止供电、供水、
供热、供燃气等方式催交物业费."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ReminderWording:
    """What a supervisor edits per level; paragraphs are separated by \\n.

    Placeholders the service fills in body and closing: {owner} 张三, {room} 3-2-1201,
    {total} the amount owed as `format_yuan` writes it without the symbol (1,234.00;
    the wording adds 元), {oldest} the oldest unpaid month (2025年12月), {deadline}
    (2026年12月10日), {phone} the service telephone, {address} the service centre."""

    title: str
    body: str
    closing: str  # where and how to pay, service-centre contact


# -- the wording -----------------------------------------------------------------------

DEFAULT_WORDING: dict[int, ReminderWording] = {
    1: ReminderWording(
        title="温馨提示",
        body=(
            "感谢您一直以来对物业服务中心工作的理解与支持！\n"
            "经核对，您名下{room}房屋自{oldest}起尚有物业服务费等费用合计{total}元未缴纳，"
            "明细见下表。可能是您近来工作繁忙未及办理，特此温馨提示，请您方便时前来缴纳。\n"
            "如您已经缴纳，请忽略本提示；如对费用有疑问，欢迎来电或到物业服务中心查询核对。"
        ),
        closing=(
            "缴费地点：物业服务中心（{address}）　咨询电话：{phone}\n祝您生活愉快，阖家幸福！"
        ),
    ),
    2: ReminderWording(
        title="催缴通知单",
        body=(
            "您名下{room}房屋自{oldest}起欠缴物业服务费等费用，截至本通知发出之日合计"
            "{total}元，明细见下表。物业服务中心此前已提醒缴费，至今尚未收到上述款项。\n"
            "物业服务费是保障小区安保、保洁、绿化和共用设施设备日常维护的必要费用。"
            "根据《中华人民共和国民法典》第九百四十四条和《物业服务合同》的约定，"
            "业主应当按照约定向物业服务人支付物业费。\n"
            "请您于{deadline}前到物业服务中心缴清上述费用。如对费用有异议或确有困难，"
            "请在此期限内与我们联系，我们愿意与您沟通协商。"
        ),
        closing=(
            "缴费地点：物业服务中心（{address}）　联系电话：{phone}\n"
            "如您近日已经缴费，请忽略本通知。感谢您的理解与配合！"
        ),
    ),
    3: ReminderWording(
        title="催告函",
        body=(
            "经核查，您名下{room}房屋自{oldest}起欠缴物业服务费等费用，截至本函发出之日"
            "合计人民币{total}元，明细见下表。物业服务中心此前已通过温馨提示、催缴通知单等"
            "方式多次提醒，至今仍未收到上述款项。\n"
            "根据《中华人民共和国民法典》第九百四十四条的规定，业主违反约定逾期不支付"
            "物业费的，物业服务人可以催告其在合理期限内支付；合理期限届满仍不支付的，"
            "物业服务人可以提起诉讼或者申请仲裁。\n"
            "现特函催告：请您于{deadline}前将上述欠费足额缴纳至物业服务中心。"
            "逾期仍未缴纳的，我中心将依法追缴，通过诉讼或仲裁等法律途径主张权利。"
            "如对欠费金额有异议或确有特殊困难，请在上述期限内到物业服务中心说明。"
        ),
        closing=(
            "缴费地点：物业服务中心（{address}）　联系电话：{phone}\n"
            "如您在收到本函前已缴清上述费用，请忽略本函。特此函告。"
        ),
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
