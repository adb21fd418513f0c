"""The PostgreSQL client programs a server backup needs: pg_dump and pg_restore.

A dump is only as good as the pg_dump that wrote it: an older pg_dump than the server
refuses or, worse, misses what it does not know, so the newest pair found on this PC
is used, and refused (in Chinese, naming both versions) when it is older than the
server. They are looked for in FRONTDESK_PG_BIN, beside `pg_config --bindir`, in
Debian's /usr/lib/postgresql/<major>/bin, in C:\\Program Files\\PostgreSQL\\<major>\\bin
and on the PATH.

The connection is given to them in their environment (PGHOST, PGPORT, PGUSER,
PGDATABASE, PGSSLMODE, and PGPASSWORD from the URL or the keyring entry that
services/server_password.py keeps), never on the command line, where another user of
the PC could read the password.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors
from sqlalchemy import URL, Connection, make_url, text

from frontdesk.errors import EnvironmentProblem

BIN_VARIABLE = "FRONTDESK_PG_BIN"
# Where the database password is kept (the decision of issue 23: never in a settings file).
PASSWORD_SERVICE = "frontdesk-db"
DEFAULT_PORT = 5432
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


class ToolsMissing(EnvironmentProblem):
    """No pg_dump/pg_restore on this PC, or only ones older than the server."""


@dataclass(frozen=True)
class Tools:
    pg_dump: Path
    pg_restore: Path
    major: int  # of pg_dump (and the pg_restore beside it)


def is_server(url: URL | str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def server_host(url: URL) -> str:
    """The server's host, or for a local socket the socket's folder."""
    socket = url.query.get("host")
    socket_host = socket if isinstance(socket, str) else socket[0] if socket else ""
    return url.host or socket_host or "localhost"


def server_port(url: URL) -> int:
    port = url.query.get("port")
    query_port = port if isinstance(port, str) else port[0] if port else ""
    return int(url.port or query_port or DEFAULT_PORT)


def place(url: URL | str) -> str:
    """`host:port/dbname`: the server and the database, not the user (every counter PC
    of one database names it the same, whoever signs in to the server)."""
    url = make_url(url)
    return f"{server_host(url)}:{server_port(url)}/{url.database}"


def file_label(url: URL | str) -> str:
    """A name for the database's backup files: its name on the server, made safe for a
    file name (letters, digits, - and _)."""
    return re.sub(r"[^0-9A-Za-z_-]+", "_", make_url(url).database or "database")


def password(url: URL) -> str | None:
    """The URL's own password, else the one kept in this PC's keyring."""
    if url.password:
        return str(url.password)
    name = f"{url.username}@{server_host(url)}:{server_port(url)}/{url.database}"
    try:
        return keyring.get_password(PASSWORD_SERVICE, name)
    except keyring.errors.KeyringError:
        return None


def environment(url: URL | str, database: str | None = None) -> dict[str, str]:
    """The child's environment: this process's, with the connection in PG* variables.
    Without a password in the URL or the keyring, the client library looks where it
    always does (an inherited PGPASSWORD, the pgpass file): how a scheduled task on a
    PC without a keyring connects."""
    url = make_url(url)
    env = dict(os.environ)
    env["PGHOST"] = server_host(url)
    env["PGPORT"] = str(server_port(url))
    env["PGDATABASE"] = database or url.database or ""
    if url.username:
        env["PGUSER"] = str(url.username)
    secret = password(url)
    if secret:
        env["PGPASSWORD"] = secret
    for name, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        value = url.query.get(name)
        if isinstance(value, str):
            env[variable] = value
    env["PGCONNECT_TIMEOUT"] = env.get("PGCONNECT_TIMEOUT", "10")
    return env


def server_version_num(connection: Connection) -> int:
    """`SHOW server_version_num`, e.g. 150018 for 15.18."""
    return int(connection.execute(text("SHOW server_version_num")).scalar_one())


def major_of(version_num: int) -> int:
    return version_num // 10000 if version_num >= 100000 else version_num // 100


def _candidate_folders() -> list[Path]:
    folders: list[Path] = []
    given = os.environ.get(BIN_VARIABLE)
    if given:
        folders.append(Path(given))
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=False
            ).stdout.strip()
        except OSError:
            out = ""
        if out:
            folders.append(Path(out))
    folders += sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    program_files = os.environ.get("PROGRAMFILES")
    if program_files:
        folders += sorted((Path(program_files) / "PostgreSQL").glob("*/bin"))
    on_path = shutil.which("pg_dump")
    if on_path:
        folders.append(Path(on_path).parent)
    return folders


def _program(folder: Path, name: str) -> Path | None:
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def tool_major(program: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(program), "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except OSError:
        return None
    match = _VERSION.search(out)
    return int(match[1]) if match else None


def installed_tools() -> list[Tools]:
    """Every pg_dump with a pg_restore beside it on this PC, newest first."""
    found: dict[Path, Tools] = {}
    for folder in _candidate_folders():
        dump, restore = _program(folder, "pg_dump"), _program(folder, "pg_restore")
        if dump is None or restore is None or dump.resolve() in found:
            continue
        major = tool_major(dump)
        if major is not None:
            found[dump.resolve()] = Tools(dump, restore, major)
    return sorted(found.values(), key=lambda tools: tools.major, reverse=True)


def tools_for(server_version: int) -> Tools:
    """The newest pg_dump/pg_restore here, refused when older than the server's."""
    server_major = major_of(server_version)
    found = installed_tools()
    if not found:
        raise ToolsMissing(
            "本机找不到 PostgreSQL 的 pg_dump 和 pg_restore，无法备份服务器上的数据库。"
            f"请在本机安装 PostgreSQL {server_major} 或更新版本的客户端工具"
            f"（或在环境变量 {BIN_VARIABLE} 中写明它们所在的文件夹）。"
        )
    newest = found[0]
    if newest.major < server_major:
        raise ToolsMissing(
            f"本机的 pg_dump 是 PostgreSQL {newest.major} 版（{newest.pg_dump}），"
            f"比数据库服务器的 PostgreSQL {server_major} 版旧，备份会不完整，已拒绝。"
            f"请在本机安装 PostgreSQL {server_major} 或更新版本的客户端工具后再备份。"
        )
    return newest


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A client program, its output captured; an error names what it said."""
    try:
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise EnvironmentProblem(f"无法运行 {command[0]}：{exc.strerror or exc}") from exc


def last_line(process: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (process.stderr or process.stdout).splitlines() if line.strip()]
    return lines[-1].strip() if lines else f"退出码 {process.returncode}"
