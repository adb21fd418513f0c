"""Where a FrontDesk database is: a file on this PC, or a database on a PostgreSQL server.

What `--db`, the first run and 设置 › 系统 accept: a file path, or a URL
`postgresql://user@host:5432/dbname?sslmode=require` (also `postgresql+psycopg://`).
A password never sits in a location: it is kept in the OS keyring under `keyring_name`
(services/server_password.py) and added only when connecting, so a location can be
stored in settings and shown on screen as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from frontdesk.errors import ValidationError

SERVER_SCHEMES = ("postgresql", "postgresql+psycopg", "postgres")
DEFAULT_PORT = 5432
FIELD = "数据库位置"


@dataclass(frozen=True)
class FileLocation:
    """An SQLite file."""

    path: Path

    def shown(self) -> str:
        return str(self.path)


@dataclass(frozen=True)
class ServerLocation:
    """A database on a PostgreSQL server. `host` is a name, an address, or (as libpq
    allows) the folder of a local Unix socket; `options` are passed to the server's
    client library as given (sslmode, sslrootcert, connect_timeout …)."""

    user: str
    host: str
    port: int
    database: str
    options: tuple[tuple[str, str], ...] = ()

    @property
    def keyring_name(self) -> str:
        """The keyring's user name for this database's password: user@host:port/dbname."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @property
    def server(self) -> str:
        """The server as a person names it: host:port."""
        return f"{self.host}:{self.port}"

    @property
    def sslmode(self) -> str | None:
        return dict(self.options).get("sslmode")

    def shown(self) -> str:
        """The URL without any password: safe to store in settings and to show."""
        query = list(self.options)
        if self.host.startswith("/"):  # a Unix socket's folder cannot sit in the authority
            query = [("host", self.host), ("port", str(self.port)), *query]
            authority = f"{self.user}@"
        else:
            authority = f"{self.user}@{self.host}:{self.port}"
        tail = f"?{urlencode(query, safe='/')}" if query else ""
        return f"postgresql://{authority}/{self.database}{tail}"


DatabaseLocation = FileLocation | ServerLocation


def is_server_text(text: str) -> bool:
    scheme, sep, _rest = text.strip().partition("://")
    return bool(sep) and scheme.lower() in SERVER_SCHEMES


def parse_location(text: str) -> DatabaseLocation:
    """A file path or a server URL; a URL with a password in it, or missing its user or
    database, is refused (ValidationError naming what is wrong)."""
    text = text.strip()
    if not text:
        raise ValidationError(FIELD, "不能为空")
    if not is_server_text(text):
        scheme, sep, _rest = text.partition("://")
        if sep and scheme.isascii() and scheme.isalpha() and len(scheme) > 1:
            raise ValidationError(
                FIELD, f"不支持 {scheme}:// ，请填写数据库文件路径或 postgresql:// 地址"
            )
        return FileLocation(Path(text).expanduser())
    return _parse_server(text)


def _parse_server(text: str) -> ServerLocation:
    parts = urlsplit(text)
    try:
        netloc_port = parts.port
    except ValueError:
        raise ValidationError(FIELD, f"端口号无效：{text}") from None
    if parts.password is not None:
        raise ValidationError(FIELD, "地址中不能含密码；密码保存在系统钥匙串中，连接时另行输入")
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(name == "password" for name, _value in query):
        raise ValidationError(FIELD, "地址中不能含密码；密码保存在系统钥匙串中，连接时另行输入")
    host = unquote(parts.hostname or "")
    port = netloc_port
    options: list[tuple[str, str]] = []
    for name, value in query:
        if name == "host":
            host = value
        elif name == "port":
            if not value.isdigit():
                raise ValidationError(FIELD, f"端口号无效：{value}")
            port = int(value)
        elif name == "user":
            continue
        else:
            options.append((name, value))
    user = unquote(parts.username or dict(query).get("user", ""))
    database = unquote(parts.path.lstrip("/"))
    if not user:
        raise ValidationError(FIELD, "缺少用户名，例如 postgresql://frontdesk@服务器:5432/小区库")
    if not host:
        raise ValidationError(
            FIELD, "缺少服务器地址，例如 postgresql://frontdesk@服务器:5432/小区库"
        )
    if not database or "/" in database:
        raise ValidationError(FIELD, "缺少数据库名，例如 postgresql://frontdesk@服务器:5432/小区库")
    if port is None:
        port = DEFAULT_PORT
    if not 0 < port < 65536:
        raise ValidationError(FIELD, f"端口号无效：{port}")
    return ServerLocation(user, host, port, database, tuple(options))
