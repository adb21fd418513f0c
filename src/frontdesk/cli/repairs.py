"""Paid repairs (有偿维修) and the work-order paper from the command line:
`frontdesk ticket finish GD… --work … --paid "上门维修人工费,角阀*2,PPR 水管*2.5"`,
`ticket charge|void-charge`, the price list (`ticket prices`, `ticket price NAME …`),
and `frontdesk print work-order GD… [--paper a5|80mm] --out F.pdf`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli.args import DB_HELP, location_arg
from frontdesk.domain.repair_prices import (
    PRICE_KIND_LABELS,
    PriceKind,
    format_quantity,
    parse_quantity,
)
from frontdesk.domain.service_desk_paper import WorkOrderPaper
from frontdesk.errors import UserError, ValidationError

if TYPE_CHECKING:
    from frontdesk.domain.issued import Printout
    from frontdesk.domain.roles import Actor
    from frontdesk.services.database import Database
    from frontdesk.services.service_desk import RepairChargeRow, RepairLine

ACTIONS = ("charge", "void-charge", "prices", "price")
PAID_HELP = "有偿维修的收费明细：价目表项目名称，逗号分隔，数量写在 * 后，如 上门维修人工费,角阀*2"
KINDS = {k.value: k for k in PriceKind} | {label: k for k, label in PRICE_KIND_LABELS.items()}


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def add_actions(actions: Any) -> None:
    charge = actions.add_parser("charge", help="给已完工的户内报修收取维修费（计入住户账单）")
    charge.add_argument("number", help="工单编号")
    charge.add_argument("--paid", required=True, help=PAID_HELP)
    _db(charge)
    void = actions.add_parser("void-charge", help="作废工单未缴的维修费（须写原因）")
    void.add_argument("number", help="工单编号")
    void.add_argument("--reason", required=True, help="作废原因")
    _db(void)
    prices = actions.add_parser("prices", help="有偿维修价目表")
    prices.add_argument("--all", action="store_true", help="含已停用的项目")
    _db(prices)
    price = actions.add_parser("price", help="新增或修改价目表中的一项（主管）")
    price.add_argument("name", help="项目名称，如 更换水龙头人工费")
    price.add_argument("--kind", choices=list(KINDS), required=True, help="人工 或 材料")
    price.add_argument("--unit", required=True, help="单位，如 次、个、米")
    price.add_argument("--price", required=True, help="单价（元），如 30.00")
    price.add_argument("--inactive", action="store_true", help="停用（不再可选）")
    _db(price)


def add_print(documents: Any) -> None:
    sheet = documents.add_parser("work-order", help="派工单（完工后为维修回执）")
    sheet.add_argument("number", help="工单编号，如 GD-2612-0001（不分大小写，可省略连字符）")
    sheet.add_argument(
        "--paper",
        choices=[p.value for p in WorkOrderPaper],
        default=WorkOrderPaper.A5.value,
        help="纸张：a5（默认）或 80mm 小票",
    )
    _db(sheet)
    sheet.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")


def printout(db: Database, actor: Actor, args: argparse.Namespace) -> Printout:
    from frontdesk.printouts.work_order import work_order
    from frontdesk.services import service_desk as desk

    order = desk.find_number(db, actor, args.number)
    return work_order(db, actor, order, WorkOrderPaper(args.paper))


def parse_lines(db: Database, text: str) -> tuple[RepairLine, ...]:
    """'上门维修人工费,角阀*2,PPR 水管*2.5' -> lines of the price list by name."""
    from frontdesk.services import service_desk as desk

    by_name = {p.name: p.id for p in desk.price_list(db)}
    lines = []
    for part in text.replace("，", ",").split(","):
        if not part.strip():
            continue
        name, _, amount = part.replace("×", "*").partition("*")
        name = name.strip()
        if name not in by_name:
            raise ValidationError("收费明细", f"价目表中没有“{name}”（frontdesk ticket prices）")
        quantity = parse_quantity(amount, f"“{name}”的数量")
        lines.append(desk.RepairLine(by_name[name], quantity))
    return tuple(lines)


def run(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    from frontdesk.domain.money import parse_yuan
    from frontdesk.services import service_desk as desk

    if args.action == "prices":
        return _prices(db, args.all)
    if args.action == "price":
        found = {p.name: p.id for p in desk.price_list(db, include_inactive=True)}
        data = desk.PriceInput(
            args.name, KINDS[args.kind], args.unit, parse_yuan(args.price), not args.inactive
        )
        desk.save_price(db, actor, data, found.get(args.name.strip()))
        print(f"已保存：{args.name.strip()} {args.price} 元/{args.unit}")
        return 0
    order = desk.find_number(db, actor, args.number)
    if args.action == "charge":
        desk.charge_repair(db, actor, order, parse_lines(db, args.paid))
    else:  # void-charge
        live = [c for c in desk.order_charges(db, actor, order) if c.state != "voided"]
        if not live:
            raise UserError("该工单没有未作废的维修费。")
        desk.void_charge(db, actor, live[-1].id, args.reason)
    for charge in desk.order_charges(db, actor, order):
        print(charge_text(charge))
    return 0


def _prices(db: Database, everything: bool) -> int:
    from frontdesk.domain.money import format_yuan
    from frontdesk.services import service_desk as desk

    for p in desk.price_list(db, include_inactive=everything):
        state = "" if p.active else "  （已停用）"
        print(f"{p.kind.label}  {p.name}  {format_yuan(p.unit_fen)} 元/{p.unit}{state}")
    return 0


def charge_text(charge: RepairChargeRow) -> str:
    """维修费 96.00 元（人工 30.00，材料 66.00）已缴费，收据 SJ00000012"""
    from frontdesk.domain.money import format_yuan

    text = (
        f"维修费 {format_yuan(charge.total_fen)} 元（人工 {format_yuan(charge.labour_fen)}，"
        f"材料 {format_yuan(charge.materials_fen)}）{charge.state.label}"
    )
    if charge.receipts:
        text += f"，收据 {charge.receipt_number}"
    if charge.void_reason:
        text += f"，作废原因：{charge.void_reason}"
    lines = "、".join(f"{x.name}×{format_quantity(x.quantity_x100)}" for x in charge.lines)
    return f"{text}；{lines}"
