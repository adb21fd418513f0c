"""db/prefix.py: the prefix condition each database is given, wildcards taken literally."""

from __future__ import annotations

from typing import Any, cast

import pytest
from sqlalchemy import literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from frontdesk.db.models import Vehicle
from frontdesk.db.prefix import starts_with


class _On:
    """A session as far as starts_with asks: which database it is bound to."""

    def __init__(self, dialect: Any) -> None:
        self.dialect = dialect

    def get_bind(self) -> _On:
        return self


def sql(dialect: Any, prefix: str) -> str:
    condition = starts_with(cast(Session, _On(dialect)), Vehicle.plate, prefix)
    return str(condition.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def test_sqlite_globs_and_postgresql_likes_with_the_wildcards_escaped() -> None:
    assert sql(sqlite.dialect(), "浙A*1?[") == "vehicle.plate GLOB '浙A[*]1[?][[]*'"
    # psycopg's pyformat doubles each % of the statement
    assert sql(postgresql.dialect(), "浙A%1_") == (
        "vehicle.plate LIKE '浙A/%%1/_' || '%%' ESCAPE '/'"
    )


@pytest.mark.parametrize(
    ("text", "starts"),
    [("A*", True), ("A*B", True), ("A*b", True), ("AB", False), ("A", False), ("a*", False)],
)
def test_on_sqlite_a_prefix_with_a_wildcard_matches_it_literally(db, text, starts) -> None:
    with db.read() as session:
        assert session.scalar(select(starts_with(session, literal(text), "A*"))) == starts
