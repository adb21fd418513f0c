"""`frontdesk purge` (also called `purge-visitors`, its name before the counter's
registers kept personal data): erase every register's personal data past its period."""

from __future__ import annotations

import argparse
from typing import Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, location_arg


def add_purge(commands: Any) -> None:
    purge = commands.add_parser(
        "purge",
        aliases=["purge-visitors"],
        help="清除超过保存期限的个人信息（访客、快递、钥匙、放行条、借用、失物）",
    )
    purge.add_argument("--dry-run", action="store_true", help="只统计，不清除")
    purge.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def purge(args: argparse.Namespace) -> int:
    from frontdesk.services import retention
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        run = retention.purge_expired(db, actor, dry_run=args.dry_run)
    verb = "将清除" if args.dry_run else "已清除"
    visitors = run.visitors
    print(
        f"{verb} {visitors.before:%Y-%m-%d} 以前 {visitors.visits} 条访客登记、"
        f"{visitors.bookings} 条预约、{visitors.watch_entries} 条已失效黑名单中的个人信息。"
    )
    if visitors.documents:
        deleted = "将删除" if args.dry_run else "已删除"
        print(f"{deleted} {visitors.documents} 份访客单、点名表的存档内容（发文登记保留）。")
    for register, records in run.registers:
        print(f"{register}：{verb} {records} 条记录中超过保存期限的个人信息。")
    if not run.complete:
        print("另一台电脑正在读取数据库，旧内容尚未从日志文件中抹去；下次清理时会自动完成。")
    if args.dry_run:
        print("（试运行，未改动数据库）")
    return 0
