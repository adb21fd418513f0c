"""Opening a database on a PostgreSQL server: connect, check it is ours, migrate to head.

- A server that refuses or cannot be reached, a wrong password, a missing database and a
  refused TLS connection each get a message naming the server and the database.
- An empty database (no table in its schema) is made a FrontDesk database by every
  migration in one transaction; `frontdesk init` does the same, and refuses a database
  that is already ours or holds anything else.
- A database holding tables but no FrontDesk schema is refused and left untouched
  (NotAFrontDeskDatabase); one from a newer FrontDesk too (DatabaseTooNew).
- An older one is upgraded in one transaction: PostgreSQL's DDL is transactional, so a
  migration that fails leaves the database as it was (no copy is made first, unlike a
  file: the server's own backups are the IT's, README).
- Counters that open the same database at once take turns (an advisory lock held by the
  migrating transaction): one creates or upgrades it, the others then find it at head.
"""

from __future__ import annotations

import re

from sqlalchemy import URL, Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from frontdesk.db.engine import Database, make_engine
from frontdesk.domain.location import ServerLocation
from frontdesk.errors import (
    DatabaseTooNew,
    EnvironmentProblem,
    NotAFrontDeskDatabase,
    ServerUnreachable,
)

# The advisory lock held while a database is created or upgraded ("FDK2").
MIGRATION_LOCK = 0x46444B32
# Waiting for a server that does not answer: the counter says so instead of hanging.
CONNECT_TIMEOUT_S = 10
# Tables of the first migration: a database with alembic_version but none of these is
# another program's.
FRONTDESK_TABLES = frozenset({"community", "app_user", "audit_log"})
_OUR_REVISION = re.compile(r"\d{4}")


def sqlalchemy_url(location: ServerLocation, password: str | None) -> URL:
    query: dict[str, str] = dict(location.options)
    query.setdefault("connect_timeout", str(CONNECT_TIMEOUT_S))
    query.setdefault("application_name", "frontdesk")
    host: str | None = location.host
    port: int | None = location.port
    if location.host.startswith("/"):  # a Unix socket's folder goes in the query
        query["host"] = location.host
        query["port"] = str(location.port)
        host = port = None
    return URL.create(
        "postgresql+psycopg",
        username=location.user,
        password=password,
        host=host,
        port=port,
        database=location.database,
        query=query,
    )


def named(location: ServerLocation) -> str:
    return f"服务器 {location.server} 上的数据库 {location.database}"


def connection_problem(location: ServerLocation, exc: BaseException) -> EnvironmentProblem:
    """What a person can do about a connection the server or the network refused."""
    message = str(exc).lower()
    where = named(location)
    if "password authentication failed" in message or "no password supplied" in message:
        return EnvironmentProblem(
            f"无法登录{where}：用户 {location.user} 的密码不对或未保存。"
            "请在“连接数据库服务器”中重新输入密码。"
        )
    if "does not exist" in message and "database" in message:
        return EnvironmentProblem(
            f"服务器 {location.server} 上没有数据库 {location.database}。"
            "请核对数据库名，或请信息部门先建好这个空数据库。"
        )
    if "role" in message and "does not exist" in message:
        return EnvironmentProblem(
            f"服务器 {location.server} 上没有用户 {location.user}。请核对用户名。"
        )
    if "pg_hba.conf" in message or "permission denied" in message:
        return EnvironmentProblem(
            f"服务器 {location.server} 不允许本机以用户 {location.user} 连接数据库 "
            f"{location.database}。请信息部门在服务器上放行本机。"
        )
    if "ssl" in message or "certificate" in message:
        mode = location.sslmode or "未指定"
        return EnvironmentProblem(
            f"与{where}的加密连接（sslmode={mode}）未能建立：{_first_line(exc)}。"
            "请信息部门核对服务器证书。"
        )
    if "timeout" in message or "timed out" in message:
        return ServerUnreachable(f"连接{where}超时：服务器没有应答。请检查网络，或服务器是否开机。")
    if "could not translate host name" in message or "name or service not known" in message:
        return ServerUnreachable(f"找不到服务器 {location.host}：请核对服务器地址和网络。")
    if "too many" in message and "connection" in message:
        return EnvironmentProblem(f"{where}的连接数已满，请稍候再试，或请信息部门调大连接数。")
    if "starting up" in message or "shutting down" in message or "recovery" in message:
        return ServerUnreachable(f"{where}正在启动或关闭，请稍候再试。")
    return ServerUnreachable(
        f"无法连接{where}：服务器拒绝连接或网络不通（{_first_line(exc)}）。"
        "请检查网络，或服务器是否开机。"
    )


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def refresh_statistics(connection: Connection) -> None:
    """Give the server's planner statistics of what the tables hold after a bulk load
    (`frontdesk move-to`, a restore of a server dump: pg_restore takes none). Without
    them, until autovacuum gets round to it (a minute or more), every query is planned
    for tables of unknown size: at 20,000 households a room's bills were read by a scan
    of every allocation, 58 ms instead of 0.4 ms (bench/postgres.py)."""
    connection.exec_driver_sql("ANALYZE")


def _tables(connection: Connection) -> set[str]:
    rows = connection.execute(
        text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    )
    return {row[0] for row in rows}


def inspect_server(connection: Connection, location: ServerLocation) -> str | None:
    """Revision of a FrontDesk database; None for an empty one; raises for another
    program's database or one from a newer FrontDesk."""
    from frontdesk.db.migrate import HEAD_REVISION, known_revisions

    tables = _tables(connection)
    if not tables:
        return None
    revision = None
    if "alembic_version" in tables and tables >= FRONTDESK_TABLES:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None:
        raise NotAFrontDeskDatabase(
            f"{named(location)}中已有其他数据（{len(tables)} 张表），不是物业前台数据库。"
            "请使用一个新建的空数据库。"
        )
    if revision != HEAD_REVISION and revision not in known_revisions():
        if _OUR_REVISION.fullmatch(revision) and revision > HEAD_REVISION:
            raise DatabaseTooNew(
                f"{named(location)}由更新版本的物业前台创建（结构版本 {revision}），"
                "请先升级本程序。"
            )
        raise NotAFrontDeskDatabase(f"{named(location)}不是物业前台数据库。")
    return str(revision)


def _engine(location: ServerLocation, password: str | None) -> Engine:
    return make_engine(sqlalchemy_url(location, password).render_as_string(hide_password=False))


def _connected(engine: Engine, location: ServerLocation) -> Connection:
    try:
        return engine.connect()
    except DBAPIError as exc:
        raise connection_problem(location, exc.orig or exc) from None


def open_server(location: ServerLocation, password: str | None) -> Database:
    """Open (making an empty database ours, or upgrading an older one) the FrontDesk
    database at `location`; anything else there is refused and left untouched."""
    from frontdesk.db.migrate import HEAD_REVISION

    engine = _engine(location, password)
    try:
        with _connected(engine, location) as connection:
            revision = inspect_server(connection, location)
            connection.rollback()
            if revision != HEAD_REVISION:
                _migrate(connection, location, create=False)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, location)


def create_server(location: ServerLocation, password: str | None) -> Database:
    """`frontdesk init URL`: make the empty database at `location` a new FrontDesk
    database; one that holds anything is refused and left alone."""
    engine = _engine(location, password)
    try:
        with _connected(engine, location) as connection:
            revision = inspect_server(connection, location)
            connection.rollback()
            if revision is not None:
                raise EnvironmentProblem(f"{named(location)}已经是物业前台数据库，无需新建。")
            _migrate(connection, location, create=True)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, location)


def _migrate(connection: Connection, location: ServerLocation, *, create: bool) -> None:
    """Every pending migration in one transaction, one opener at a time. Looked at again
    once the lock is held: another counter may have done it meanwhile."""
    from frontdesk.db.migrate import HEAD_REVISION, upgrade

    with connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        revision = inspect_server(connection, location)
        if create and revision is not None:
            raise EnvironmentProblem(f"{named(location)}已被另一台电脑新建为物业前台数据库。")
        if revision == HEAD_REVISION:
            return
        _refuse_unless_allowed(connection, location, revision)
        # (No server database predates revision 0028, so none holds unsealed bulk money:
        # db/bulk_audit.seal_unrecorded is for old files only.)
        upgrade(connection)


def _refuse_unless_allowed(
    connection: Connection, location: ServerLocation, revision: str | None
) -> None:
    """Only the tables' owner may change them, and the counters' account (`frontdesk
    server-roles`) is not it: say who must open the database first, instead of the
    server's "permission denied" halfway through a migration."""
    from frontdesk.db.migrate import HEAD_REVISION

    me, owner, may = connection.execute(
        text(
            "SELECT current_user, t.tableowner, "
            "CASE WHEN t.tableowner IS NULL "
            "THEN has_schema_privilege(current_schema(), 'CREATE') "
            "ELSE pg_has_role(current_user, t.tableowner, 'USAGE') END "
            "FROM (SELECT 1) AS one LEFT JOIN pg_tables t "
            "ON t.schemaname = current_schema() AND t.tablename = 'audit_log'"
        )
    ).one()
    if may:
        return
    if owner is None:
        raise EnvironmentProblem(
            f"账户 {me} 无权在{named(location)}中建表，无法把它建成物业前台数据库。"
            "请信息部门用数据库的所有者账户新建，或给这个账户建表的权限。"
        )
    raise EnvironmentProblem(
        f"{named(location)}的结构版本是 {revision}，本程序需要 {HEAD_REVISION}，要先升级；"
        f"但本机的数据库账户 {me} 不是数据表的所有者（{owner}），无权升级。请信息部门以 "
        f"{owner} 的身份用新版本打开一次（如 frontdesk stats --db 数据库地址），"
        "再运行 frontdesk server-roles 重新授权。"
    )
