"""Who runs a command: `frontdesk --user NAME …` signs in as that person.

A command that changes data or shows personal data runs as a person, never as 系统:
the services check that person's role as they do in the GUI, and the audit log names
them. The password is asked on the terminal; a scheduled task gives the account in
FRONTDESK_USER and its password in FRONTDESK_PASSWORD instead. A read-only command that
shows no personal data (and `check`) runs without signing in. `NEEDS` says which is
which; README's command table says the same to the people who use it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from frontdesk.domain.roles import SYSTEM, Actor
from frontdesk.errors import AuthenticationFailed, UserError

if TYPE_CHECKING:
    from frontdesk.services.database import Database

USER_VARIABLE = "FRONTDESK_USER"
PASSWORD_VARIABLE = "FRONTDESK_PASSWORD"


class Need(Enum):
    NOBODY = "nobody"  # acts as no one: no database, or one with its own credential
    ANYONE = "anyone"  # as the signed-in person if one is given, else as 系统
    PERSON = "person"  # changes data or shows personal data: must sign in


# By command, or "command action" where the actions differ.
NEEDS: dict[str, Need] = {
    "gui": Need.NOBODY,  # the window has its own sign-in
    "demo": Need.NOBODY,  # a new file, with its own demo accounts
    "demo-export": Need.NOBODY,  # workbooks only, no database
    "init": Need.NOBODY,  # makes the first administrator
    "selftest": Need.NOBODY,
    "roster-template": Need.NOBODY,  # an empty workbook, no database
    "stats": Need.NOBODY,  # counts only
    "check": Need.NOBODY,  # names problems, shows no records
    "notice-templates": Need.NOBODY,
    "key status": Need.NOBODY,
    "key recover": Need.NOBODY,  # the recovery code is the credential
    "server-roles": Need.NOBODY,  # the server's owner account is the credential
    "restore": Need.NOBODY,  # the database may be the damaged thing being replaced
    "move-to": Need.NOBODY,  # reads the file as it is; the server asks its own credential
    "notices": Need.ANYONE,  # lobby notices: posted for everyone to read
    "backup": Need.ANYONE,  # a scheduled backup runs as 系统 (the system account)
    "backup --list": Need.ANYONE,
    "backup --second-folder": Need.PERSON,
    "key recovery-code": Need.PERSON,
    "key passphrase": Need.PERSON,
    "import": Need.PERSON,
    "import-households": Need.PERSON,
    "imports": Need.PERSON,  # who imported what
    "import-undo": Need.PERSON,
    "export-households": Need.PERSON,
    "find": Need.PERSON,
    "print": Need.PERSON,  # every paper is registered (发文登记) under its issuer
    "bill": Need.PERSON,
    "arrears": Need.PERSON,
    "report": Need.PERSON,
    "reminders": Need.PERSON,
    "visitors": Need.PERSON,
    "purge": Need.PERSON,
    "purge-visitors": Need.PERSON,
    "parcels": Need.PERSON,  # recipients' names
    "keys": Need.PERSON,  # who has a flat's key
    "lending": Need.PERSON,  # borrowers' names
    "renovations": Need.PERSON,
    "documents": Need.PERSON,
    "audit": Need.PERSON,
    "person": Need.PERSON,
    "tickets": Need.PERSON,  # callers' whereabouts and complaints
    "ticket": Need.PERSON,
    "surveys": Need.PERSON,  # the call list shows households' phones
    "survey": Need.PERSON,
    "goods-passes": Need.PERSON,  # applicants' names
    "lost-property": Need.PERSON,  # finders' and claimants' names
    "certificates": Need.PERSON,  # names the people certified
    "certificate": Need.PERSON,
    "shift-log": Need.PERSON,  # the counter's book: read by the counter
}


class SignInNeeded(UserError):
    """A command that must run as a person was given none, or no password for them."""


class SignInFailed(UserError):
    """Wrong password, unknown or locked account: counted and audited as at the window."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


def what(args: argparse.Namespace) -> str:
    """The key of `NEEDS` for the command typed."""
    command = args.command or "gui"
    if command == "key":
        return f"key {args.key_action}"
    if command == "backup":
        if args.second_folder is not None or args.no_second_folder:
            return "backup --second-folder"
        if args.list:
            return "backup --list"
    return str(command)


def need_of(args: argparse.Namespace) -> Need:
    # A command added without deciding is treated as the strictest kind.
    return NEEDS.get(what(args), Need.PERSON)


def _typed(args: argparse.Namespace) -> str:
    """The command as typed, with its paper or action: `print rooms`, `person export`."""
    key = what(args)
    for action in ("document", "report", "action", "person_action"):
        value = getattr(args, action, None)
        if isinstance(value, str) and " " not in key:
            return f"{key} {value}"
    return key


def _how_to_sign_in(command: str) -> str:
    return (
        f"“{command}”会修改数据或显示个人信息，须以本人身份登录后运行："
        f"frontdesk --user 用户名 {command} …（运行时输入密码）；"
        f"计划任务请设置环境变量 {USER_VARIABLE} 和 {PASSWORD_VARIABLE}。"
    )


def credentials(args: argparse.Namespace) -> Credentials | None:
    """Who the command is to run as, asked before the database is opened; None where it
    needs (or was given) no one. Raises SignInNeeded for a command that needs a person."""
    need = need_of(args)
    if need is Need.NOBODY:
        return None
    named = (getattr(args, "user", None) or "").strip()
    scheduled = os.environ.get(USER_VARIABLE, "").strip()
    username = named or scheduled
    if not username:
        if need is Need.PERSON:
            raise SignInNeeded(_how_to_sign_in(_typed(args)))
        return None
    # FRONTDESK_PASSWORD belongs to FRONTDESK_USER: not tried on another account.
    given = os.environ.get(PASSWORD_VARIABLE, "")
    if given and (not scheduled or scheduled == username):
        return Credentials(username, given)
    return Credentials(username, _ask_password(username))


def _ask_password(username: str) -> str:
    prompt = f"{username} 的密码："
    try:
        if sys.stdin.isatty():
            password = getpass.getpass(prompt)
        else:  # piped in (getpass would read it anyway, after a warning in English)
            print(prompt, end="", file=sys.stderr, flush=True)
            password = sys.stdin.readline().rstrip("\r\n")
    except EOFError:
        password = ""
    if not password:
        raise SignInNeeded(
            f"没有输入 {username} 的密码。计划任务请把密码放在环境变量 {PASSWORD_VARIABLE} 中。"
        )
    return password


def actor(db: Database, args: argparse.Namespace) -> Actor:
    """The person the command runs as, signed in on `db` (once per command); 系统 only
    where `NEEDS` allows the command to run without signing in and no one was given."""
    signed_in = getattr(args, "signed_in", None)
    if isinstance(signed_in, Actor):
        return signed_in
    given = getattr(args, "credentials", None)
    if not isinstance(given, Credentials):
        if need_of(args) is Need.PERSON:
            raise SignInNeeded(_how_to_sign_in(_typed(args)))
        return SYSTEM
    from frontdesk.services import users

    try:
        person = users.login(db, given.username, given.password, via="（命令行）")
    except AuthenticationFailed as exc:
        if users.setup_needed(db):
            raise SignInNeeded(
                "这个数据库还没有任何账户：请先打开程序完成首次设置（或 frontdesk init）。"
            ) from None
        raise SignInFailed(f"登录失败：{exc.message}") from None
    args.signed_in = person
    return person


def unattended(args: argparse.Namespace) -> Actor:
    """系统, for a command `NEEDS` lets run with no one signed in (e.g. `restore`, whose
    database may be the damaged thing it replaces, so no one can sign in on it)."""
    if need_of(args) is not Need.NOBODY:
        raise SignInNeeded(_how_to_sign_in(_typed(args)))
    return SYSTEM


def add_user_option(parser: argparse.ArgumentParser) -> None:
    """`--user` on the main parser and, like `--db`, after every command that opens a
    database, so that it may be typed before or after the command's name."""
    parser.add_argument(
        "--user",
        metavar="用户名",
        help=(
            "以此账户登录（运行时输入密码；计划任务用环境变量 "
            f"{USER_VARIABLE}、{PASSWORD_VARIABLE}）"
        ),
    )
    _add_to_commands(parser)


def _add_to_commands(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            # a command with an alias (purge, purge-visitors) is listed once per name
            for command in {id(c): c for c in action.choices.values()}.values():
                if "--db" in command._option_string_actions:
                    command.add_argument(
                        "--user", metavar="用户名", default=argparse.SUPPRESS, help="以此账户登录"
                    )
                _add_to_commands(command)
