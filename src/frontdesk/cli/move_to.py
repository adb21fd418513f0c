"""`frontdesk move-to postgresql://… [--db FILE]`: the community in a database file moved
onto a PostgreSQL server (services/protection/move_to.py), with a report in Chinese of
what arrived and what the checks on arrival found. The file is left as it was."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from frontdesk.domain.backups import format_size
from frontdesk.domain.money import format_yuan


def add_commands(commands: Any) -> None:
    move = commands.add_parser(
        "move-to",
        help="把数据库文件（连同存档文件）迁移到 PostgreSQL 服务器上的一个空数据库，到达后核对",
    )
    move.add_argument("url", help="目标数据库，如 postgresql://用户名@服务器:5432/数据库名")
    move.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="要迁移的数据库文件")


def run(args: argparse.Namespace) -> int:
    from frontdesk.services.database import default_path
    from frontdesk.services.protection.move_to import move_to

    source = args.db or default_path()
    started = time.perf_counter()
    report = move_to(source, args.url, lambda step: print(f"…{step}", file=sys.stderr, flush=True))
    seconds = time.perf_counter() - started
    print(f"已把 {report.source} 迁移到 {report.target}（用时 {seconds:.1f} 秒）")
    print(f"数据表：{len(report.tables)} 个，共 {report.rows} 行")
    for count in sorted(report.tables, key=lambda t: -t.rows)[:8]:
        print(f"  {count.table}：{count.rows} 行")
    for files in report.files:
        label = "发文存档" if files.area.value == "documents" else "附件和照片"
        print(f"{label}：{files.files} 个文件，{format_size(files.size)}")
    for (table, column), fen in sorted(report.totals.items()):
        if table in _MONEY_SHOWN and column == _MONEY_SHOWN[table][1]:
            print(f"{_MONEY_SHOWN[table][0]}合计：{format_yuan(fen)} 元（{table}.{column}）")
    print("到达后核对：")
    for line in report.passed:
        print(f"  ✓ {line}")
    for line in report.problems:
        print(f"  ✗ {line}")
    if report.ok:
        print("核对全部通过。原数据库文件未作任何改动。")
    else:
        print("数据已复制，但到达后核对发现以上问题：请先处理，再启用服务器上的数据库。")
    return 0 if report.ok else 1


# The totals a cashier knows, named; every money column is compared all the same.
_MONEY_SHOWN = {
    "bill": ("账单应收", "amount_fen"),
    "payment": ("收款", "total_fen"),
    "allocation": ("收款分配到账单", "amount_fen"),
    "refund": ("退款", "amount_fen"),
    "reduction": ("减免", "amount_fen"),
    "prepaid_entry": ("预存款变动", "amount_fen"),
}
