"""`frontdesk key …`: the ID-number key — where it is kept, the recovery code sheet,
opening a database on a new PC, and a passphrase for PCs without a keyring."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, location_arg
from frontdesk.errors import UserError


def add_commands(commands: Any) -> None:
    key = commands.add_parser(
        "key", help="数据密钥（证件号码和电话加密、审计日志签名）：状态、恢复码、换电脑后恢复、口令"
    )
    actions = key.add_subparsers(dest="key_action", required=True, metavar="操作")
    status = actions.add_parser("status", help="密钥保管在哪里、恢复码是否打印过")
    sheet = actions.add_parser("recovery-code", help="生成恢复码 PDF（打印后请删除文件）")
    sheet.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    recover = actions.add_parser("recover", help="在新电脑上用恢复码打开数据库")
    recover.add_argument("--code", help="恢复码（不写则提示输入，不留在命令历史中）")
    passphrase = actions.add_parser(
        "passphrase", help="另设一个口令（供不能使用安全存储的电脑使用）"
    )
    for parser in (status, sheet, recover, passphrase):
        parser.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def _ask_new_passphrase() -> str:
    from frontdesk.services.database import PASSPHRASE_VARIABLE

    given = os.environ.get(PASSPHRASE_VARIABLE)
    if given:
        return given
    first = _typed("新口令（至少 8 个字符）：")
    if first != _typed("再次输入新口令："):
        raise UserError("两次输入的口令不一致。")
    return first


def _typed(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UserError("没有输入（标准输入已结束）。") from None


def run(args: argparse.Namespace) -> int:
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        return _ACTIONS[args.key_action](db, args)


def _status(db: Any, _args: argparse.Namespace) -> int:
    from frontdesk.services.protection import data_key

    info = data_key.key_info(db)
    state = data_key.state(db)
    if info is None:
        print(f"尚未启用：{data_key.NO_SECURE_STORE}，首次启动时需设置口令。")
        return 0
    print(f"密钥编号：{info.key_id}")
    print(f"{data_key.SECURE_STORE}：{'已保存' if info.in_keyring else '没有'}")
    print(f"口令保护：{'已设置' if info.has_passphrase else '未设置'}")
    if info.recovery_exported_at:
        when = info.recovery_exported_at.astimezone()
        print(f"恢复码：{when:%Y-%m-%d %H:%M} 由 {info.recovery_exported_by} 打印")
    else:
        print("恢复码：尚未打印，请尽快运行 frontdesk key recovery-code --out 文件.pdf")
    print(f"本机现在{'能' if state == data_key.KeyState.READY else '不能'}读出证件号码。")
    return 0


def _sheet(db: Any, args: argparse.Namespace) -> int:
    from frontdesk.printouts.recovery import recovery_sheet

    actor = signin.actor(db, args)
    args.out.write_bytes(recovery_sheet(db, actor))
    print(f"已生成 {args.out}。请立即打印并锁进保险柜，然后删除这个文件。")
    return 0


def _recover(db: Any, args: argparse.Namespace) -> int:
    from frontdesk.services.protection import data_key

    if data_key.state(db) == data_key.KeyState.READY:
        print("本机已经能读出证件号码，不需要恢复码。")
        return 0
    code = args.code or _typed("恢复码：")
    data_key.parse_recovery_code(code)  # a typo is named before a passphrase is asked
    passphrase = None if data_key.keyring_usable() else _ask_new_passphrase()
    data_key.recover(db, code, passphrase)
    kept = data_key.SECURE_STORE if passphrase is None else "口令（以后启动时输入）"
    print(f"恢复码正确，证件号码已可读出；密钥已保存在{kept}。")
    return 0


def _passphrase(db: Any, args: argparse.Namespace) -> int:
    from frontdesk.services.protection import data_key

    actor = signin.actor(db, args)
    data_key.set_passphrase(db, actor, _ask_new_passphrase())
    print("口令已设置：不能使用安全存储的电脑启动时输入这个口令。")
    return 0


_ACTIONS = {
    "status": _status,
    "recovery-code": _sheet,
    "recover": _recover,
    "passphrase": _passphrase,
}
