"""Settings kept as one JSON object in a `setting` row, read whatever shape they
were saved in.

A setting of this kind is a frozen dataclass whose every field has a default
(LateFeeTerms, ReminderWording, PaymentDetails, HandbookValues). Its stored object
may come from an older or newer version of the program: a field renamed since
(declared in `renamed`, old name -> new name, so the value follows it), a field
added since (missing: its default), a field dropped since (extra: ignored), a value
of the wrong type or a row that is not JSON at all (the default, and a log line).
Nothing here raises on a stored value; `save` always writes the current shape, so
the next save of the setting leaves no trace of the old one.

Typed tables were the other way: these settings are one row each, edited and read
whole, never queried by a field or referenced by another row, so a table per
setting would buy a migration per field and nothing a query needs.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from frontdesk.db.models import Setting

log = logging.getLogger(__name__)

T = TypeVar("T")


def load(session: Session, key: str, default: T, renamed: Mapping[str, str] | None = None) -> T:
    """The setting `key` as `default`'s dataclass; `default` where nothing is stored."""
    setting = session.get(Setting, key)
    return default if setting is None else parse(key, setting.value, default, renamed or {})


def parse(key: str, text: str, default: T, renamed: Mapping[str, str]) -> T:
    try:
        stored = json.loads(text)
    except ValueError:
        log.warning("setting %s is not JSON; using the defaults", key)
        return default
    if not isinstance(stored, dict):
        log.warning("setting %s is not an object; using the defaults", key)
        return default
    for old, new in renamed.items():
        if old in stored and new not in stored:
            stored[new] = stored.pop(old)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(default):  # type: ignore[arg-type]
        if field.name not in stored:
            continue
        value, wanted = stored[field.name], getattr(default, field.name)
        if _same_kind(value, wanted):
            values[field.name] = value
        else:
            log.warning("setting %s.%s has a %s; using the default", key, field.name, type(value))
    return dataclasses.replace(default, **values)  # type: ignore[type-var]


def _same_kind(value: object, wanted: object) -> bool:
    if isinstance(wanted, bool) or isinstance(value, bool):
        return type(value) is type(wanted)
    return isinstance(value, type(wanted))


def save(session: Session, key: str, value: object) -> None:
    """Store `value` (a dataclass) in its current shape."""
    text = json.dumps(dataclasses.asdict(value), ensure_ascii=False)  # type: ignore[call-overload]
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=text))
    else:
        setting.value = text
