"""What the command modules share for reading what was typed: the parser with its
errors in Chinese, the argument types (count, period, day) and building codes."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, NoReturn

from frontdesk.domain.location import DatabaseLocation, parse_location
from frontdesk.domain.periods import Period, PeriodFormatError
from frontdesk.errors import UserError, ValidationError

if TYPE_CHECKING:
    from frontdesk.domain.roles import Actor
    from frontdesk.services.database import Database

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


def positive_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"须为正整数：{text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"须为正整数：{text}")
    return value


def screen_size_arg(text: str) -> tuple[int, int]:
    """A screen size as 1366x768 (or 1366×768)."""
    width, sep, height = text.lower().replace("×", "x").partition("x")
    if not (sep and width.strip().isdigit() and height.strip().isdigit()):
        raise argparse.ArgumentTypeError(f"须为 宽x高，如 1366x768：{text}")
    size = int(width), int(height)
    if min(size) < 200:
        raise argparse.ArgumentTypeError(f"屏幕太小：{text}")
    return size


def period_arg(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodFormatError:
        raise argparse.ArgumentTypeError(f"账期应写作 2026-11，收到 {text}") from None


def day_arg(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写作 2026-11-25，收到 {text}") from None


def building_ids(db: Database, actor: Actor, codes: Sequence[str]) -> tuple[int, ...]:
    """Buildings by the codes typed (3, 12…), refusing one that does not exist."""
    from frontdesk.services.households import structure

    by_code = {b.code: b.id for b in structure.list_buildings(db, actor)}
    missing = [code for code in codes if code not in by_code]
    if missing:
        raise UserError(f"没有编号为“{missing[0]}”的楼栋。")
    return tuple(by_code[code] for code in codes)


DB_HELP = "数据库文件，或服务器地址 postgresql://用户@服务器:5432/数据库名"
NEW_DB_HELP = "新数据库文件，或服务器上的空数据库 postgresql://用户@服务器:5432/数据库名"


def location_arg(text: str) -> DatabaseLocation:
    """`--db`: a file path or a server URL (without its password)."""
    try:
        return parse_location(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.problem) from None
