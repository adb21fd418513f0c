"""The counters' own login on a PostgreSQL server (issue 23): on a server the evidence is
kept twice, by the triggers (db/triggers.py) and by the role the program connects as,
which is not granted what those triggers refuse. A trigger can be disabled or dropped
by the tables' owner; a grant not given cannot be used by the counters at all.

The office's IT keeps two roles: the database's owner, who creates and upgrades the
tables (the migrations) and runs `frontdesk server-roles` once after each upgrade, and
the application's login role, which the counters use. That role gets, on every table
the models declare:
- SELECT and INSERT;
- UPDATE and DELETE where the program changes or removes rows, which is everywhere but
  where a trigger refuses it outright (`<table>_no_update`, `<table>_no_delete`: the
  append-only money tables and the audit log; audit_head is never deleted), except
  DELETE on bill and prepaid_entry, whose trigger lets only an undone import's own
  rows go (数据导入);
- never TRUNCATE, TRIGGER, REFERENCES or ownership;
and USAGE of the sequences that number new rows, SELECT on alembic_version. Tables a
later upgrade adds are readable and insertable by default (ALTER DEFAULT PRIVILEGES)
until `server-roles` is run again and gives the rest.

The statements are generated from the models, so the grants cannot drift from them;
`statements` gives them as SQL for an IT department that prefers to run it itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.dialects.postgresql.base import RESERVED_WORDS

from frontdesk.db.base import Base
from frontdesk.db.triggers import refused_verbs
from frontdesk.errors import UserError

VERBS = ("SELECT", "INSERT", "UPDATE", "DELETE")


def quoted(name: str) -> str:
    """A role, schema or table name as an SQL identifier."""
    if re.fullmatch(r"[a-z_][a-z0-9_]*", name) and name not in RESERVED_WORDS:
        return name
    return '"{}"'.format(name.replace('"', '""'))


def granted() -> dict[str, tuple[str, ...]]:
    """table -> what the application's role may do on it."""
    from frontdesk.db import models  # noqa: F401  (registers every mapped class)

    refused = refused_verbs()
    return {
        table.name: tuple(verb for verb in VERBS if verb not in refused.get(table.name, ()))
        for table in Base.metadata.sorted_tables
    }


def statements(app_user: str, schema: str = "public") -> list[str]:
    """The GRANTs and REVOKEs that give `app_user` exactly its rights (run as the
    tables' owner; running them again sets the rights afresh)."""
    role, where = quoted(app_user), quoted(schema)
    found = [
        f"GRANT USAGE ON SCHEMA {where} TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {where} FROM {role}",
    ]
    found += [
        f"GRANT {', '.join(verbs)} ON {where}.{quoted(table)} TO {role}"
        for table, verbs in granted().items()
    ]
    return [
        *found,
        f"GRANT SELECT ON {where}.alembic_version TO {role}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {where} TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} GRANT SELECT, INSERT ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} GRANT USAGE ON SEQUENCES TO {role}",
    ]


def _run(connection: Connection, statement: str) -> None:
    """A statement holding names and a password as literals (psycopg reads % as the
    start of a parameter even when none is given)."""
    connection.exec_driver_sql(statement.replace("%", "%%"))


@dataclass(frozen=True)
class RoleSetUp:
    app_user: str
    created: bool  # a new login role (else an existing one's rights were set afresh)
    tables: int
    append_only: tuple[str, ...]  # the tables it may not change or delete rows of


def set_up(connection: Connection, app_user: str, password: str | None = None) -> RoleSetUp:
    """As the tables' owner, in the caller's transaction: make `app_user` a login role
    (with `password`) if there is none of that name, and give it exactly its rights."""
    if not app_user.strip():
        raise UserError("请填写应用账户的名称。")
    owner, me, i_am_super = connection.execute(
        text(
            "SELECT (SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename = 'audit_log'), current_user, "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
        )
    ).one()
    if owner is None:
        raise UserError("这个数据库还没有物业前台的数据表：请先以数据库所有者的身份打开它一次。")
    if owner != me and not i_am_super:
        raise UserError(f"请以数据表的所有者 {owner} 的身份运行（现在是 {me}）。")
    if app_user in (owner, me):
        raise UserError(f"应用账户不能是数据表的所有者 {owner}：所有者不受授权限制。")
    role = connection.execute(
        text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :name"),
        {"name": app_user},
    ).one_or_none()
    if role is not None and role.rolsuper:
        raise UserError(f"应用账户 {app_user} 是超级用户，不受授权限制：请另建一个普通账户。")
    owns = connection.scalar(
        text(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = :name "
            "AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
        ),
        {"name": app_user},
    )
    if owns:
        raise UserError(f"应用账户 {app_user} 拥有这个数据库中的表，不受授权限制：请另建一个账户。")
    if role is None:
        login = "LOGIN"
        if password:
            login += " PASSWORD '{}'".format(password.replace("'", "''"))
        _run(connection, f"CREATE ROLE {quoted(app_user)} {login}")
    schema = str(connection.scalar(text("SELECT current_schema()")))
    database = str(connection.scalar(text("SELECT current_database()")))
    _run(connection, f"GRANT CONNECT ON DATABASE {quoted(database)} TO {quoted(app_user)}")
    for statement in statements(app_user, schema):
        _run(connection, statement)
    rights = granted()
    return RoleSetUp(
        app_user,
        created=role is None,
        tables=len(rights),
        append_only=tuple(sorted(t for t, verbs in rights.items() if "UPDATE" not in verbs)),
    )
