"""`frontdesk server-roles postgresql://OWNER@HOST/DB --app-user NAME`: run by the
office's IT as the database's owner, once the tables are made and again after each
upgrade: the counters' login role, granted everything the program does but what the
triggers refuse (db/roles.py). `--print-sql` prints the statements instead."""

from __future__ import annotations

import argparse
import getpass
from typing import TYPE_CHECKING, Any

from frontdesk.errors import EnvironmentProblem, UserError

if TYPE_CHECKING:
    from frontdesk.db.roles import RoleSetUp

SCHEMES = ("postgresql://", "postgresql+psycopg://")


def add_commands(commands: Any) -> None:
    roles = commands.add_parser(
        "server-roles",
        help="PostgreSQL：设置各台电脑连接数据库所用的账户（不能修改或删除收款和审计记录）",
    )
    roles.add_argument(
        "url", nargs="?", help="数据库地址，以所有者身份：postgresql://所有者@主机:5432/库名"
    )
    roles.add_argument("--app-user", required=True, help="各台电脑连接数据库所用的账户名")
    roles.add_argument("--password-prompt", action="store_true", help="新建账户时输入它的密码")
    roles.add_argument(
        "--print-sql", action="store_true", help="只打印授权语句（供 psql 执行），不连接"
    )


def run(args: argparse.Namespace) -> int:
    from frontdesk.db import roles

    if args.print_sql:
        role = roles.quoted(args.app_user)
        print(f"-- 如尚无此账户，先建立：CREATE ROLE {role} LOGIN PASSWORD '…';")
        print("-- 再以数据表所有者的身份连接物业前台的数据库，执行：")
        print(f"-- GRANT CONNECT ON DATABASE 库名 TO {role};")
        for statement in roles.statements(args.app_user):
            print(f"{statement};")
        return 0
    if not args.url or not args.url.startswith(SCHEMES):
        raise UserError("请给出 PostgreSQL 数据库地址：postgresql://所有者@主机:5432/库名")
    password = _new_password(args.app_user) if args.password_prompt else None
    done = _set_up(args.url, args.app_user, password)
    print(
        ("已新建" if done.created else "已更新")
        + f"账户 {done.app_user} 的权限：{done.tables} 个表可读、可新增；"
    )
    kept = "、".join(done.append_only)
    print(f"其中 {len(done.append_only)} 个表只能新增，不能修改或删除：{kept}。")
    print("每次升级物业前台后请再运行一次本命令。")
    return 0


def _set_up(url: str, app_user: str, password: str | None) -> RoleSetUp:
    from sqlalchemy.exc import OperationalError

    from frontdesk.db import roles
    from frontdesk.db.engine import make_engine

    engine = make_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as connection:
            return roles.set_up(connection, app_user, password)
    except OperationalError as exc:
        raise EnvironmentProblem(f"无法连接数据库服务器：{exc.orig}") from None
    finally:
        engine.dispose()


def _new_password(app_user: str) -> str:
    try:
        first = getpass.getpass(f"账户 {app_user} 的新密码：")
        again = getpass.getpass("再次输入：")
    except EOFError:
        raise UserError("没有输入（标准输入已结束）。") from None
    if not first or first != again:
        raise UserError("两次输入的密码不一致或为空。")
    return first
