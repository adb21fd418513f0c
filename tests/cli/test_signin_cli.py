"""`frontdesk --user NAME …`: commands that change data or show personal data run as a
person, whose role the services check as in the GUI and whom the audit log names.

The demo's accounts: qiantai (前台), zhuguan (主管), admin (系统管理员), password demo1234.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from argon2 import extract_parameters

from frontdesk.cli import build_parser, signin
from frontdesk.services.protection.backup_folder import DUMP_SUFFIX, SQLITE_SUFFIX
from tests.cheap_hashing import CHEAP_HASHER
from tests.cli.conftest import PASSWORD, Run, copy_of
from tests.cli.database_rows import Where, contents, one, rows

HOW_TO = "须以本人身份登录后运行：frontdesk --user 用户名"
CLERK_REFUSED = (
    "错误：前台无权执行此操作（需要“数据导入（房屋、业主、期初余额）与导出业主名册”权限）。"
)
SRC = Path(__file__).parents[2] / "src" / "frontdesk"


@pytest.fixture
def db(demo_db: Where, tmp_path: Path) -> Where:
    """A private copy of the demo: sign-ins are counted and logged in it."""
    return copy_of(demo_db, tmp_path / "demo.sqlite")


def sign_ins(db: Where) -> int:
    return int(one(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'login%'"))


def log_tail(db: Where, count: int) -> list[tuple[str, str, str]]:
    """The newest audit entries, oldest first: (username, action, summary)."""
    newest = rows(
        db,
        "SELECT username, action, summary FROM audit_log ORDER BY id DESC LIMIT :count",
        count=count,
    )
    return list(reversed(newest))


def display_name(db: Where, username: str) -> str:
    return str(one(db, "SELECT display_name FROM app_user WHERE username = :u", u=username))


def untouched(db: Where) -> object:
    """What a command that never opened the database leaves as it was: every table's
    rows, and a file's every byte."""
    return contents(db), db.read_bytes() if isinstance(db, Path) else None


def test_a_clerk_typing_the_password_is_refused_the_roster_export_by_role(
    frontdesk: Run, db: Where, tmp_path: Path
) -> None:
    out = tmp_path / "all.xlsx"
    result = frontdesk(
        "--user",
        "qiantai",
        "export-households",
        str(out),
        "--db",
        str(db),
        user=None,
        password=None,
        stdin=f"{PASSWORD}\n",  # typed at the prompt
    )
    assert (result.returncode, result.stderr.strip()) == (
        1,
        f"qiantai 的密码：{CLERK_REFUSED}",
    )
    assert not out.exists()
    clerk = display_name(db, "qiantai")
    assert log_tail(db, 1) == [("qiantai", "login", f"{clerk}登录（命令行）")]


def test_a_supervisor_signed_in_by_environment_exports_and_the_log_names_them(
    frontdesk: Run, db: Where, tmp_path: Path
) -> None:
    """A scheduled task: FRONTDESK_USER and FRONTDESK_PASSWORD, nothing typed."""
    out = tmp_path / "all.xlsx"
    result = frontdesk("export-households", str(out), "--db", str(db), user="zhuguan")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"已导出 \d+ 人到 {re.escape(str(out))}", result.stdout.strip())
    supervisor = display_name(db, "zhuguan")
    (login, export) = log_tail(db, 2)
    assert login == ("zhuguan", "login", f"{supervisor}登录（命令行）")
    assert export[:2] == ("zhuguan", "export")
    assert "导出业主名册「all.xlsx」" in export[2]


def test_the_user_may_be_named_after_the_command_too(
    frontdesk: Run, db: Where, tmp_path: Path
) -> None:
    out = tmp_path / "card.pdf"
    result = frontdesk(
        "print", "household", "1-1-101", "--db", str(db), "--out", str(out), "--user", "qiantai",
        user=None,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    issuer = one(db, "SELECT by_name FROM issued_document ORDER BY id DESC LIMIT 1")
    assert issuer == display_name(db, "qiantai")


@pytest.mark.parametrize(
    "command",
    [
        ("bill", "--period", "2026-12"),
        ("import-households", "roster.xlsx", "--dry-run"),
        ("export-households", "all.xlsx"),
        ("find", "1-1-101"),
        ("print", "rooms", "--out", "rooms.pdf"),
        ("purge",),
        ("purge-visitors",),
        ("audit", "--export", "log.xlsx"),
        ("backup", "--second-folder", "."),
    ],
    ids=lambda command: command[0] + (f" {command[1]}" if command[0] == "print" else ""),
)
def test_a_command_that_needs_a_person_says_how_to_sign_in(
    frontdesk: Run, db: Where, command: tuple[str, ...]
) -> None:
    before = untouched(db)
    result = frontdesk(*command, "--db", str(db), user=None, password=None)
    assert result.returncode == 2
    first = {"backup": "backup --second-folder", "print": "print rooms"}.get(command[0], command[0])
    assert result.stderr.strip() == (
        f"错误：“{first}”会修改数据或显示个人信息，{HOW_TO} {first} …（运行时输入密码）；"
        "计划任务请设置环境变量 FRONTDESK_USER 和 FRONTDESK_PASSWORD。"
    )
    assert result.stdout == ""
    assert untouched(db) == before  # not even opened


def test_read_only_commands_without_personal_data_need_no_sign_in(
    frontdesk: Run, db: Where
) -> None:
    before = sign_ins(db)
    for command in (("stats",), ("check",), ("notices",), ("notice-templates",)):
        result = frontdesk(*command, "--db", str(db), user=None, password=None)
        assert result.returncode == 0, (command, result.stderr)
    backups = frontdesk("backup", "--list", "--db", str(db), user=None, password=None)
    assert backups.returncode == 0, backups.stderr
    assert sign_ins(db) == before


def test_a_wrong_password_is_refused_in_chinese_and_logged_as_at_the_window(
    frontdesk: Run, db: Where, tmp_path: Path
) -> None:
    out = tmp_path / "all.xlsx"
    wrong = frontdesk(
        "export-households", str(out), "--db", str(db), user="zhuguan", password="wrong1234"
    )
    assert (wrong.returncode, wrong.stderr.strip()) == (
        2,
        "错误：登录失败：用户名或密码错误（再错 4 次将锁定 15 分钟）。",
    )
    assert "Traceback" not in wrong.stderr and not out.exists()
    supervisor = display_name(db, "zhuguan")
    assert log_tail(db, 1) == [("zhuguan", "login_failed", f"{supervisor}登录失败（命令行）")]
    unknown = frontdesk("export-households", str(out), "--db", str(db), user="nobody")
    assert (unknown.returncode, unknown.stderr.strip()) == (2, "错误：登录失败：用户名或密码错误。")
    assert log_tail(db, 1) == [
        ("system", "login_failed", "登录失败（命令行）：用户名「nobody」不存在或已停用")
    ]
    failed = one(db, "SELECT failed_logins FROM app_user WHERE username = 'zhuguan'")
    assert failed == 1  # counted towards the lockout, as at the window


def test_no_password_at_all_says_where_to_put_it(frontdesk: Run, db: Where, tmp_path: Path) -> None:
    result = frontdesk(
        "--user", "zhuguan", "find", "1-1-101", "--db", str(db), user=None, password=None
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "zhuguan 的密码：错误：没有输入 zhuguan 的密码。"
        "计划任务请把密码放在环境变量 FRONTDESK_PASSWORD 中。"
    )


def test_the_scheduled_password_is_not_tried_on_another_account(frontdesk: Run, db: Where) -> None:
    """FRONTDESK_PASSWORD belongs to FRONTDESK_USER: `--user qiantai` asks for its own."""
    before = sign_ins(db)
    result = frontdesk("--user", "qiantai", "find", "1-1-101", "--db", str(db), user="zhuguan")
    assert result.returncode == 2 and "没有输入 qiantai 的密码" in result.stderr
    assert sign_ins(db) == before


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                found.append(f"{prefix}{name}")
                found += _commands(command, f"{prefix}{name} ")
    return found


def test_every_command_has_decided_whether_it_needs_a_person() -> None:
    commands = _commands(build_parser())
    undecided = [
        c
        for c in commands
        if c not in signin.NEEDS and c.split(" ")[0] not in signin.NEEDS and c != "key"
    ]
    assert undecided == []
    assert "export-households" in commands and "key passphrase" in commands


def test_no_command_acts_as_the_system_account_behind_the_sign_in() -> None:
    """Only signin.py hands out 系统 (to commands allowed to run without a person)."""
    users = {
        path.name
        for path in (SRC / "cli").glob("*.py")
        if re.search(r"\bSYSTEM\b", path.read_text(encoding="utf-8"))
    }
    assert users == {"signin.py"}


def test_readme_lists_every_command_with_its_sign_in() -> None:
    readme = (SRC.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Who runs a command", 1)[1].split("\n## ", 1)[0]
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `frontdesk ([^`]+)` \| ([^|]+) \|", section, re.M)
    }
    said = {
        "须登录": signin.Need.PERSON,
        "可不登录": signin.Need.ANYONE,
        "不登录": signin.Need.NOBODY,
    }
    documented = {command: said[text.strip()] for command, text in rows.items()}
    expected = {command: need for command, need in signin.NEEDS.items() if command != "gui"}
    assert documented == expected


def test_the_scheduled_backup_runs_as_the_system_or_as_the_person_given(
    frontdesk: Run, db: Where, tmp_path: Path
) -> None:
    copies = f"*{SQLITE_SUFFIX if isinstance(db, Path) else DUMP_SUFFIX}"  # a file, or pg_dump
    unattended = frontdesk("backup", "--to", str(tmp_path / "a"), "--db", str(db), user=None)
    assert unattended.returncode == 0, unattended.stderr
    assert len(list((tmp_path / "a").glob(copies))) == 1
    wrong = frontdesk(
        "backup", "--to", str(tmp_path / "b"), "--db", str(db), user="zhuguan", password="nope1234"
    )
    assert wrong.returncode == 2 and "登录失败" in wrong.stderr
    assert not list((tmp_path / "b").glob(copies))  # a wrong password stops it


def test_the_commands_the_suite_runs_hash_cheaply(db: Where) -> None:
    """The demo's accounts, made by `frontdesk demo` in a child process, carry the suite's
    cheap cost (tests/frontdesk_child.py), not the production one."""
    hashes = [stored for (stored,) in rows(db, "SELECT password_hash FROM app_user")]
    cheap = extract_parameters(CHEAP_HASHER.hash("other123"))
    assert len(hashes) == 8
    assert all(extract_parameters(stored) == cheap for stored in hashes)
