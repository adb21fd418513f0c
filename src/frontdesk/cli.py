"""Command line: no subcommand opens the GUI; the rest are admin tools.

Every subcommand calls the same services the GUI does. Qt is imported only by
the commands that need it, so `frontdesk stats` stays fast and headless.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from frontdesk import __version__
from frontdesk.errors import FrontDeskError

_ARGPARSE_ZH = (
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid int value: (.*)", r"参数 \1 须为整数，收到 \2"),
    (
        r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)",
        r"参数 \1 无效：\2（可选：\3）",
    ),
    (r"argument (\S+): expected one argument", r"参数 \1 后面需要一个值"),
    (r"argument (\S+): (.*)", r"参数 \1：\2"),
)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its error messages in Chinese (usage text stays as generated)."""

    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _ARGPARSE_ZH:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误：{message}\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"须为正整数：{text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"须为正整数：{text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="frontdesk", description="物业前台 FrontDesk")
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    parser.add_argument("--db", type=Path, help="数据库文件（默认在用户数据文件夹）")
    commands = parser.add_subparsers(
        dest="command", metavar="命令", parser_class=ChineseArgumentParser
    )

    demo = commands.add_parser("demo", help="生成演示小区数据库")
    demo.add_argument("path", type=Path, help="新数据库文件的路径")
    demo.add_argument("--households", type=_positive, default=2000, help="住宅户数（默认 2000）")
    demo.add_argument("--seed", type=int, default=1, help="随机种子（同一种子生成相同数据）")

    stats = commands.add_parser("stats", help="以 JSON 输出各类记录数")
    stats.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")

    selftest = commands.add_parser("selftest", help="离屏打开所有界面并截图")
    selftest.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    selftest.add_argument("--screenshots", type=Path, help="保存截图（PNG）的文件夹")

    printing = commands.add_parser("print", help="生成 PDF 文档")
    documents = printing.add_subparsers(
        dest="document", metavar="文档", required=True, parser_class=ChineseArgumentParser
    )
    rooms = documents.add_parser("rooms", help="小区房屋统计表")
    rooms.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    rooms.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    return parser


def _cmd_demo(args: argparse.Namespace) -> int:
    from frontdesk.services import demo

    started = time.perf_counter()
    result = demo.build_demo(args.path, args.households, args.seed, progress=print)
    elapsed = time.perf_counter() - started
    print(
        f"演示数据已写入 {result.path}：{result.households} 户，{result.buildings} 栋，"
        f"{result.rooms} 间房屋，用时 {elapsed:.1f} 秒。"
    )
    print(f"演示账户：{', '.join(u for u, _ in demo.DEMO_USERS)}，密码均为 {demo.DEMO_PASSWORD}")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from frontdesk.services import stats
    from frontdesk.services.database import open_at

    db = open_at(args.db)
    try:
        print(json.dumps(stats.counts(db), ensure_ascii=False))
    finally:
        db.dispose()
    return 0


def _cmd_print(args: argparse.Namespace) -> int:
    from frontdesk import printouts
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services.database import open_at

    db = open_at(args.db)
    try:
        pdf = printouts.room_summary(db, SYSTEM)
    finally:
        db.dispose()
    args.out.write_bytes(pdf)
    print(f"已生成 {args.out}")
    return 0


def _cmd_gui(args: argparse.Namespace) -> int:
    from frontdesk.gui.app import run

    return run(args.db)


def _cmd_selftest(args: argparse.Namespace) -> int:
    from frontdesk.gui.selftest import run_selftest

    return run_selftest(args.db, args.screenshots)


_COMMANDS = {
    None: _cmd_gui,
    "demo": _cmd_demo,
    "stats": _cmd_stats,
    "selftest": _cmd_selftest,
    "print": _cmd_print,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except FrontDeskError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"错误：无法读写文件 {exc.filename or ''}（{exc.strerror}）", file=sys.stderr)
        return 1
