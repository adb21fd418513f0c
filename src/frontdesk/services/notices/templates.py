"""Notice templates as the office keeps them: the shipped set, each possibly edited
or retired by a supervisor, and the office's own templates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import NoticeTemplateRow
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain.notice_templates import SHIPPED_TEMPLATES
from frontdesk.domain.notices import FieldKind, NoticeField, NoticeTemplate, check_template
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require

CUSTOM_PREFIX = "custom-"
_SHIPPED = {t.key: t for t in SHIPPED_TEMPLATES}


@dataclass(frozen=True)
class TemplateRow:
    template: NoticeTemplate
    shipped: bool  # one of the shipped set: "reset" brings its text back
    edited: bool  # a shipped template the office changed
    retired: bool  # hidden from the list of templates to issue


def _fields_json(fields: tuple[NoticeField, ...]) -> str:
    return json.dumps(
        [
            {
                "name": f.name,
                "kind": f.kind.value,
                "required": f.required,
                "hint": f.hint,
                "default": f.default,
            }
            for f in fields
        ],
        ensure_ascii=False,
    )


def _fields(text: str) -> tuple[NoticeField, ...]:
    raw: list[dict[str, Any]] = json.loads(text)
    return tuple(
        NoticeField(
            str(f["name"]),
            FieldKind(f["kind"]),
            bool(f.get("required", True)),
            str(f.get("hint", "")),
            str(f.get("default", "")),
        )
        for f in raw
    )


def _template(row: NoticeTemplateRow) -> NoticeTemplate:
    return NoticeTemplate(row.key, row.name, row.title, _fields(row.fields_json), row.body)


def _stored(session: Session) -> dict[str, NoticeTemplateRow]:
    rows = session.scalars(select(NoticeTemplateRow).order_by(NoticeTemplateRow.position))
    return {row.key: row for row in rows}


def _rows(session: Session) -> list[TemplateRow]:
    stored = _stored(session)
    rows = []
    for shipped in SHIPPED_TEMPLATES:
        row = stored.get(shipped.key)
        template = _template(row) if row else shipped
        rows.append(TemplateRow(template, True, template != shipped, bool(row and row.retired)))
    rows += [
        TemplateRow(_template(row), False, False, row.retired)
        for key, row in stored.items()
        if key not in _SHIPPED
    ]
    return rows


def list_templates(db: Database, *, with_retired: bool = False) -> list[TemplateRow]:
    """The shipped templates in their order, then the office's own in theirs."""
    with db.read() as session:
        rows = _rows(session)
    return [row for row in rows if with_retired or not row.retired]


def _find_row(db: Database, key_or_name: str) -> TemplateRow:
    wanted = key_or_name.strip()
    for row in list_templates(db, with_retired=True):
        if wanted in (row.template.key, row.template.name):
            return row
    names = "、".join(row.template.name for row in list_templates(db))
    raise NotFound(f"没有通知模板“{wanted}”。现有：{names}")


def get_template(db: Database, key_or_name: str) -> NoticeTemplate:
    """By key (water_outage) or by name (停水通知), retired ones included (to edit)."""
    return _find_row(db, key_or_name).template


def template_to_issue(db: Database, key_or_name: str) -> NoticeTemplate:
    """As `get_template`, but a retired template is not issued."""
    row = _find_row(db, key_or_name)
    if row.retired:
        raise UserError(f"通知模板“{row.template.name}”已停用，请主管在“通知模板”中恢复后再发布。")
    return row.template


def _check_name_free(session: Session, template: NoticeTemplate) -> None:
    for row in _rows(session):
        if row.template.name == template.name and row.template.key != template.key:
            raise ValidationError("模板名称", f"已有同名模板“{template.name}”")


def save_template(db: Database, actor: Actor, template: NoticeTemplate) -> NoticeTemplate:
    """Save an edit; a template without a key is a new one of the office's own."""
    require(actor, Permission.EDIT_NOTICE_TEMPLATES)
    checked = check_template(template)
    with db.write(actor) as session:
        _check_name_free(session, checked)
        row = session.scalar(select(NoticeTemplateRow).where(NoticeTemplateRow.key == checked.key))
        if row is None:
            if checked.key and checked.key not in _SHIPPED:
                raise NotFound(f"没有通知模板“{checked.key}”。")
            position = (session.scalar(select(func.max(NoticeTemplateRow.position))) or 0) + 1
            key = checked.key or _new_key(session)
            row = NoticeTemplateRow(key=key, position=position, retired=False)
            session.add(row)
        row.name, row.title, row.body = checked.name, checked.title, checked.body
        row.fields_json = _fields_json(checked.fields)
        row.updated_at = utcnow()
        stamp(row, "updated", actor)
        session.flush()
        return _template(row)


def _new_key(session: Session) -> str:
    keys = session.scalars(
        select(NoticeTemplateRow.key).where(NoticeTemplateRow.key.like(f"{CUSTOM_PREFIX}%"))
    )
    numbers = [int(k.removeprefix(CUSTOM_PREFIX)) for k in keys if k[7:].isdigit()]
    return f"{CUSTOM_PREFIX}{max(numbers, default=0) + 1}"


def reset_template(db: Database, actor: Actor, key: str) -> NoticeTemplate:
    """A shipped template back to its shipped text (and listed again)."""
    require(actor, Permission.EDIT_NOTICE_TEMPLATES)
    if key not in _SHIPPED:
        raise UserError("只有系统自带的模板可以恢复默认。")
    with db.write(actor) as session:
        row = session.scalar(select(NoticeTemplateRow).where(NoticeTemplateRow.key == key))
        if row is not None:
            session.delete(row)
    return _SHIPPED[key]


def set_retired(db: Database, actor: Actor, key: str, retired: bool) -> None:
    """停用 hides a template from the list to issue from; notices issued keep theirs."""
    require(actor, Permission.EDIT_NOTICE_TEMPLATES)
    with db.write(actor) as session:
        row = session.scalar(select(NoticeTemplateRow).where(NoticeTemplateRow.key == key))
        if row is None:
            shipped = _SHIPPED.get(key)
            if shipped is None:
                raise NotFound(f"没有通知模板“{key}”。")
            row = NoticeTemplateRow(
                key=key,
                name=shipped.name,
                title=shipped.title,
                body=shipped.body,
                fields_json=_fields_json(shipped.fields),
                position=0,
                **by_columns("updated", actor),
            )
            session.add(row)
        row.retired = retired
        row.updated_at = utcnow()
        stamp(row, "updated", actor)
