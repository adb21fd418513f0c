"""Commands for backups: `backup` (take one, list them, set the second folder),
`restore` (check a backup, show what it holds beside what it replaces, keep the current
database aside, put the backup in place) and `init` (a new, empty database).

`backup` acts as the person signed in with `frontdesk --user NAME` (the services check
their role), or as the system account for a scheduled backup; `restore` acts as the
system account, since the database it replaces may be the damaged thing (cli/signin.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, NEW_DB_HELP, location_arg
from frontdesk.domain.location import ServerLocation


def add_commands(commands: Any) -> None:
    backup = commands.add_parser("backup", help="备份数据库和存档文件（已校验），或列出备份")
    backup.add_argument(
        "--to", type=Path, metavar="文件夹", help="备份到此文件夹（默认备份文件夹）"
    )
    backup.add_argument("--list", action="store_true", help="列出已有的备份")
    second = backup.add_mutually_exclusive_group()
    second.add_argument(
        "--second-folder", type=Path, metavar="文件夹", help="设置第二备份位置（U盘、网络盘）"
    )
    second.add_argument("--no-second-folder", action="store_true", help="不再备份到第二位置")
    backup.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    restore = commands.add_parser("restore", help="从备份恢复数据库（请先关闭所有物业前台程序）")
    restore.add_argument("file", type=Path, help="备份文件（.sqlite，服务器数据库为 .dump）")
    restore.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    restore.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    init = commands.add_parser(
        "init", help="新建空的物业前台数据库（只在没有文件或文件为空时；已有数据不会被覆盖）"
    )
    init.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=NEW_DB_HELP)


def run_init(args: argparse.Namespace) -> int:
    from frontdesk.services.database import create_at
    from frontdesk.services.protection import data_key

    db = create_at(args.db)
    try:
        state = data_key.state(db)
        place = db.place
    finally:
        db.dispose()
    print(f"已新建空的物业前台数据库：{place}")
    print("首次启动程序（frontdesk）时设置小区名称和管理员账户。")
    if state != data_key.KeyState.READY:
        print("证件号码密钥尚未就绪：首次启动时按提示设置口令。")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from frontdesk.domain import backups as backup_text
    from frontdesk.services.database import opened
    from frontdesk.services.protection import backup_folder, backups

    with opened(args.db) as db:
        # The person given with --user or FRONTDESK_USER signs in here (a wrong password
        # stops the backup); without one a scheduled backup runs as 系统.
        who = signin.actor(db, args)
        if args.second_folder is not None or args.no_second_folder:
            settings = backup_folder.set_second_folder(
                db, who, None if args.no_second_folder else args.second_folder.resolve()
            )
            where = settings.second_folder or "未设置"
            print(f"第二备份位置：{where}（每次自动备份同时复制一份）")
            return 0
        if args.list:
            return _list(db)
        result = backups.make_backup(db, who, "manual", args.to)
    print(f"已备份到 {result.path}（{backup_text.format_size(result.size)}，已校验）")
    if result.path.suffix == ".dump":
        print(f"校验方式：{result.verified}")
    if result.files_copied:
        print(f"存档文件：新复制 {result.files_copied} 个到 {result.path.parent / 'files'}")
    if result.second_copy:
        print(f"第二备份位置：{result.second_copy}（已校验）")
    for warning in result.warnings:
        print(f"警告：{warning}", file=sys.stderr)
    return 0


def _list(db: Any) -> int:
    from frontdesk.domain import backups as backup_text
    from frontdesk.services.protection import backup_folder

    settings = backup_folder.backup_settings(db)
    found = backup_folder.backups_of(db)
    print(f"备份文件夹：{settings.folder}")
    print(f"第二备份位置：{settings.second_folder or '未设置'}")
    for backup in found:
        print(
            f"{backup.path.name}\t{backup.taken_at:%Y-%m-%d %H:%M}\t"
            f"{backup_text.describe_age(backup.taken_at)}\t{backup.kind_label}\t"
            f"{backup_text.format_size(backup.size)}"
        )
    print(f"共 {len(found)} 个备份" if found else "还没有备份。")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from frontdesk.domain import backups as backup_text
    from frontdesk.services.database import file_path
    from frontdesk.services.protection import backup_contents, backup_folder, restore

    if isinstance(args.db, ServerLocation):
        return _restore_server(args, args.db.shown())
    db_path = file_path(args.db).expanduser().resolve()
    revision = restore.check_backup_file(args.file)
    parsed = backup_folder.parse_name(args.file.name)
    taken = f"{parsed[1]:%Y-%m-%d %H:%M} 的备份，" if parsed else ""
    size = backup_text.format_size(args.file.stat().st_size)
    print(f"备份文件 {args.file}：{taken}{size}，结构版本 {revision}，检查通过。")
    print("备份中的数据（将恢复）：")
    for line in backup_contents.contents_of(args.file).lines():
        print(f"  {line}")
    if db_path.exists():
        print(f"当前数据库 {db_path}（将被替换，先另存到 {backup_folder.folder_for(db_path)}）：")
        for line in backup_contents.contents_of(db_path).lines():
            print(f"  {line}")
    else:
        print(f"将恢复为数据库 {db_path}（此处还没有数据库）。")
    if revision != restore.HEAD_REVISION:
        print(f"备份来自较早的版本，恢复后将升级到本程序的结构版本 {restore.HEAD_REVISION}。")
    print("请先关闭所有电脑上的物业前台程序。")
    if not args.yes and not _confirm("确定恢复吗？输入 y 确认："):
        print("已取消，数据库未改动。")
        return 1
    result = restore.restore_backup(db_path, args.file, signin.unattended(args))
    print(f"已从 {result.restored_from.name} 恢复数据库 {db_path}。")
    print("若本机没有这个数据库的密钥，启动时会要求输入恢复码（或 frontdesk key recover）。")
    if result.kept_aside:
        print(f"恢复前的数据库另存为 {result.kept_aside}")
    if result.upgraded_from:
        print(f"已从结构版本 {result.upgraded_from} 升级。")
    if result.files_copied:
        print(f"存档文件：复制回 {result.files_copied} 个。")
    for warning in result.warnings:
        print(f"警告：{warning}", file=sys.stderr)
    return 0


def _restore_server(args: argparse.Namespace, url: str) -> int:
    """`restore FILE.dump --db postgresql://…`: into an empty database, or over one that
    holds data once confirmed (kept aside first, never touched before the restored copy
    is verified)."""
    from frontdesk.domain import backups as backup_text
    from frontdesk.services.protection import backup_folder, server_restore

    server_restore.check_dump(args.file)
    size = backup_text.format_size(args.file.stat().st_size)
    print(f"备份文件 {args.file}：{size}，pg_restore 检查通过。")
    for line in server_restore.dump_lines(args.file):
        print(f"  {line}")
    target = server_restore.describe_target(url)
    if target.tables:
        rows = "，".join(f"{t} {n}" for t, n in target.rows.items())
        folder = backup_folder.folder_for(backup_folder.server_home(url))
        print(f"服务器数据库 {target.place} 中已有数据（{rows}），将被替换，先另存到 {folder}。")
        print("请先关闭所有电脑上的物业前台程序。")
    else:
        print(f"将恢复到空的服务器数据库 {target.place}。")
    if not args.yes and not _confirm("确定恢复吗？输入 y 确认："):
        print("已取消，数据库未改动。")
        return 1
    result = server_restore.restore_server(
        url, args.file, signin.unattended(args), replace=bool(target.tables)
    )
    print(f"已从 {result.restored_from.name} 恢复服务器数据库 {target.place}。")
    if result.kept_aside:
        print(f"恢复前的数据库另存为 {result.kept_aside}")
    if result.upgraded_from:
        print(f"已从结构版本 {result.upgraded_from} 升级。")
    for warning in result.warnings:
        print(f"警告：{warning}", file=sys.stderr)
    return 0


def _confirm(question: str) -> bool:
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "是")
