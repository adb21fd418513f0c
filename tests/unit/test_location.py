"""Naming a database: a file path or a server URL, never with a password in it."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from sqlalchemy.exc import DBAPIError

from frontdesk import paths
from frontdesk.cli import build_parser
from frontdesk.db.engine import classify
from frontdesk.db.server import CONNECT_TIMEOUT_S, connection_problem, sqlalchemy_url
from frontdesk.domain.location import FileLocation, ServerLocation, parse_location
from frontdesk.errors import (
    DatabaseBusy,
    EnvironmentProblem,
    ServerUnreachable,
    ValidationError,
)
from frontdesk.services import database, server_password


def test_a_path_is_a_file() -> None:
    assert parse_location(" data/frontdesk.sqlite ") == FileLocation(Path("data/frontdesk.sqlite"))
    assert parse_location(r"C:\物业\frontdesk.sqlite") == FileLocation(
        Path(r"C:\物业\frontdesk.sqlite")
    )


@pytest.mark.parametrize("scheme", ["postgresql", "postgresql+psycopg", "postgres"])
def test_a_server_url_names_user_server_port_database_and_tls(scheme: str) -> None:
    location = parse_location(f"{scheme}://fd@db.office:5433/xq_east?sslmode=verify-full")
    assert location == ServerLocation(
        "fd", "db.office", 5433, "xq_east", (("sslmode", "verify-full"),)
    )
    assert isinstance(location, ServerLocation)
    assert location.keyring_name == "fd@db.office:5433/xq_east"
    assert location.sslmode == "verify-full"
    assert location.shown() == "postgresql://fd@db.office:5433/xq_east?sslmode=verify-full"
    assert parse_location(location.shown()) == location


def test_the_port_defaults_to_5432_and_a_socket_folder_is_a_host() -> None:
    assert parse_location("postgresql://fd@db/xq") == ServerLocation("fd", "db", 5432, "xq")
    socket = parse_location("postgresql+psycopg://fd@/xq?host=/run/pg&port=5433")
    assert socket == ServerLocation("fd", "/run/pg", 5433, "xq")
    assert parse_location(socket.shown()) == socket


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("postgresql://fd:secret@db/xq", "不能含密码"),
        ("postgresql://fd@db/xq?password=secret", "不能含密码"),
        ("postgresql://db/xq", "缺少用户名"),
        ("postgresql://fd@db/", "缺少数据库名"),
        ("postgresql://fd@/xq", "缺少服务器地址"),
        ("postgresql://fd@db:99999/xq", "端口号无效"),
        ("mysql://fd@db/xq", "不支持 mysql://"),
        ("  ", "不能为空"),
    ],
)
def test_what_cannot_name_a_database_is_refused(text: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem) as raised:
        parse_location(text)
    assert "secret" not in raised.value.message


def test_every_db_option_takes_a_url(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    args = parser.parse_args(["stats", "--db", "postgresql://fd@db/xq"])
    assert args.db == ServerLocation("fd", "db", 5432, "xq")
    args = parser.parse_args(["backup", "--db", "community.sqlite"])
    assert args.db == FileLocation(Path("community.sqlite"))
    with pytest.raises(SystemExit):
        parser.parse_args(["stats", "--db", "postgresql://fd:secret@db/xq"])
    assert "不能含密码" in capsys.readouterr().err


def test_this_pcs_choice_is_kept_without_its_password(tmp_path: Path) -> None:
    assert database.chosen_location() is None
    server = ServerLocation("fd", "db.office", 5432, "xq", (("sslmode", "require"),))
    database.choose_location(server, "pw-1234")
    assert database.chosen_location() == server
    assert database.located(None) == server  # what a command without --db opens
    kept = (paths.data_dir() / database.CHOICE_FILE).read_text(encoding="utf-8")
    assert kept == "postgresql://fd@db.office:5432/xq?sslmode=require\n"
    assert server_password.stored(server) == "pw-1234"
    database.choose_location(FileLocation(tmp_path / "x.sqlite"))
    assert database.located(None) == FileLocation(tmp_path / "x.sqlite")


def test_tls_and_a_connect_timeout_reach_the_driver_and_the_password_only_there() -> None:
    location = parse_location("postgresql://fd@db.office/xq?sslmode=verify-full&sslrootcert=ca.pem")
    assert isinstance(location, ServerLocation)
    url = sqlalchemy_url(location, "pw-1234")
    assert url.drivername == "postgresql+psycopg" and url.password == "pw-1234"
    assert dict(url.query) == {
        "sslmode": "verify-full",
        "sslrootcert": "ca.pem",
        "connect_timeout": str(CONNECT_TIMEOUT_S),
        "application_name": "frontdesk",
    }
    assert "pw-1234" not in url.render_as_string(hide_password=True)


@pytest.mark.parametrize(
    ("error", "problem", "says"),
    [
        (psycopg.errors.LockNotAvailable, DatabaseBusy, "另一台电脑"),
        (psycopg.errors.SerializationFailure, DatabaseBusy, "另一台电脑"),
        (psycopg.errors.DeadlockDetected, DatabaseBusy, "另一台电脑"),
        (psycopg.errors.DiskFull, EnvironmentProblem, "磁盘"),
        (psycopg.errors.InsufficientPrivilege, EnvironmentProblem, "权限不够"),
        (psycopg.errors.ReadOnlySqlTransaction, EnvironmentProblem, "只读"),
        (psycopg.errors.AdminShutdown, ServerUnreachable, "连接中断，本次操作未保存"),
        (psycopg.OperationalError, ServerUnreachable, "连接中断，本次操作未保存"),
    ],
)
def test_what_the_server_says_is_told_in_chinese(
    error: type[Exception], problem: type[EnvironmentProblem], says: str
) -> None:
    found = classify(DBAPIError("UPDATE bill …", {}, error("the server's words")))
    assert type(found) is problem
    assert found is not None and says in found.message


def test_a_bug_in_sql_stays_a_bug() -> None:
    assert classify(DBAPIError("SELEC 1", {}, psycopg.errors.SyntaxError("syntax"))) is None


@pytest.mark.parametrize(
    ("words", "says"),
    [
        ('FATAL:  password authentication failed for user "fd"', "密码不对或未保存"),
        ('FATAL:  database "xq" does not exist', "上没有数据库 xq"),
        ('FATAL:  role "fd" does not exist', "上没有用户 fd"),
        ('FATAL:  no pg_hba.conf entry for host "10.0.0.5"', "不允许本机以用户 fd 连接"),
        ("server does not support SSL, but SSL was required", "加密连接（sslmode=require）"),
        ("connection timeout expired", "超时"),
        ('could not translate host name "db.office" to address', "找不到服务器 db.office"),
        ("connection refused", "无法连接服务器 db.office:5432 上的数据库 xq"),
    ],
)
def test_a_connection_refused_says_why_naming_server_and_database(words: str, says: str) -> None:
    location = ServerLocation("fd", "db.office", 5432, "xq", (("sslmode", "require"),))
    assert says in connection_problem(location, psycopg.OperationalError(words)).message
