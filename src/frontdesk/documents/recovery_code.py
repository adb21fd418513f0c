"""The recovery code sheet: the ID-number key on paper, for the office safe.

Never stored in the document register: a kept copy beside the database would put
the key next to what it protects.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from frontdesk.documents.base import (
    FONT,
    RULE,
    Letterhead,
    content_width,
    escape,
    letterhead_block,
    register_font,
    render,
    style,
    title_style,
)
from frontdesk.documents.linebreak import Paragraph

TITLE = "证件号码密钥恢复码"

_STEPS = (
    "本页是本小区物业前台数据库中证件号码的加密密钥，请锁进保险柜，不要拍照、复印或放在电脑旁。",
    "换电脑、重装系统或从备份恢复数据库后，程序启动时会要求输入恢复码：按组输入，不分大小写，"
    "横线可省略；数字 0、1、8 与字母 O、I、B 视为相同。",
    "命令行也可使用：frontdesk key recover --db 数据库文件（按提示输入恢复码）。",
    "恢复码丢失而本机安全存储（Windows 凭据管理器）中的密钥也被清除时，"
    "已登记的证件号码将无法再读出（其余数据不受影响）。",
)


def _code_table(code: str, width: float) -> Table:
    groups = code.split("-")
    rows = [groups[i : i + 4] for i in range(0, len(groups), 4)]
    rows[-1] += [""] * (4 - len(rows[-1]))
    cell = style("code", 20, fontName=FONT, alignment=1, leading=26)
    table = Table(
        [[Paragraph(escape(g), cell) for g in row] for row in rows],
        colWidths=[width / 4] * 4,
        rowHeights=14 * mm,
    )
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def recovery_code_pdf(
    head: Letterhead, code: str, key_name: str, printed_at: datetime, printed_by: str
) -> bytes:
    register_font()
    width = content_width((210 * mm, 297 * mm))
    story: list[Flowable] = [
        letterhead_block(head, width),
        Spacer(0, 8 * mm),
        Paragraph(TITLE, title_style()),
        Paragraph(
            f"打印时间 {printed_at:%Y年%m月%d日 %H:%M}　　打印人：{escape(printed_by)}"
            f"　　密钥编号：{escape(key_name[-8:])}",
            style("meta", 9.5),
        ),
        Spacer(0, 8 * mm),
        _code_table(code, width),
        Spacer(0, 8 * mm),
        *(
            Paragraph(f"{n}. {escape(text)}", style("step", 11, leading=18))
            for n, text in enumerate(_STEPS, 1)
        ),
        Spacer(0, 16 * mm),
        Paragraph("保管人签字：＿＿＿＿＿＿＿＿　　　日期：＿＿＿＿＿＿＿＿", style("sign", 11)),
    ]
    return render(story, title=TITLE, author=head.issuer, printed_at=printed_at)
