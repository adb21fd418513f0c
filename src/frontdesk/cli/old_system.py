"""`frontdesk demo-export DIR --rooms N`: the workbooks an office's old system exports
for an estate of N homes (demo/old_system.py), to try 数据导入 without the office's own
files. It writes files only and opens no database, so it needs no sign-in."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from frontdesk.cli.args import positive_arg
from frontdesk.domain.money import format_yuan
from frontdesk.errors import UserError


def add_commands(commands: Any) -> None:
    export = commands.add_parser(
        "demo-export", help="生成原物业系统导出的演示 Excel（房屋业主、期初余额、缴费记录、抄表）"
    )
    export.add_argument("folder", type=Path, help="保存这些 .xlsx 的文件夹")
    export.add_argument(
        "--rooms",
        type=positive_arg,
        default=2000,
        help="住宅户数（默认 2000；另有商铺、车位、储藏室）",
    )
    export.add_argument("--seed", type=int, default=1, help="随机种子（同一种子生成相同文件）")


def run(args: argparse.Namespace) -> int:
    from frontdesk.demo.old_system import old_estate
    from frontdesk.demo.old_system_books import write_old_system
    from frontdesk.domain import clock

    if args.rooms > 200_000:
        raise UserError("户数须在 1 到 200000 之间。")
    estate = old_estate(args.rooms, args.seed, clock.today())
    exported = write_old_system(args.folder, estate)
    for path in exported.paths:
        print(f"已生成 {path}")
    totals = exported.totals
    print(
        f"原系统合计：房屋 {totals.rooms} 间，业主 {totals.people} 人，"
        f"期初欠费 {totals.arrears_lines} 笔 {format_yuan(totals.arrears_fen)} 元，"
        f"预存 {format_yuan(totals.prepaid_fen)} 元，押金 {format_yuan(totals.deposits_fen)} 元，"
        f"缴费记录 {totals.history_lines} 条，表读数 {totals.meter_readings} 个"
    )
    print(f"本系统从 {estate.cutover.label} 起出账；导入说明见 README“迁入”一节。")
    return 0
