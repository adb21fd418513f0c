"""Prefix search (a room number, a name's pinyin, a plate as it is typed), the one
condition the search spells differently on SQLite and PostgreSQL.

SQLite's LIKE ignores case and so cannot use a plain index; its GLOB is case-sensitive
and walks the index from the prefix on. PostgreSQL's LIKE is case-sensitive already.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, SQLColumnExpression
from sqlalchemy.orm import Session

_GLOB_SPECIAL = re.compile(r"([*?\[])")


def glob_prefix(prefix: str) -> str:
    """The GLOB pattern matching what starts with `prefix` (its wildcards taken literally)."""
    return _GLOB_SPECIAL.sub(r"[\1]", prefix) + "*"


def starts_with(
    session: Session, column: SQLColumnExpression[str], prefix: str
) -> ColumnElement[bool]:
    """`column` starts with `prefix`, case-sensitively, through the column's index."""
    if session.get_bind().dialect.name == "sqlite":
        return column.op("GLOB", is_comparison=True)(glob_prefix(prefix))
    return column.startswith(prefix, autoescape=True)
