"""The 催缴 wording in Chinese placeholders.

A supervisor's wording of each notice level (the settings rows reminder_wording_1 …
_3, one JSON object of title, body and closing) was written with English
placeholders ({owner} {room} {total} …) while notices and the handbook use Chinese
ones ({小区名称} …). Each saved wording is rewritten in the Chinese names the program
now fills ({业主} {房号} {欠费金额} …); any other braces are left as typed. Going down
writes the English names back (the placeholders added since, {小区名称} {发布日期},
have none and stay as they are).

The mapping is written out here, not imported: a migration keeps meaning what it
meant when it was written.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 01:40:00
"""

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

KEYS = ("reminder_wording_1", "reminder_wording_2", "reminder_wording_3")
FIELDS = ("title", "body", "closing")
CHINESE = {
    "owner": "业主",
    "room": "房号",
    "total": "欠费金额",
    "oldest": "最早欠费月份",
    "deadline": "缴费期限",
    "earlier": "已送达通知",
    "company": "物业公司",
    "phone": "服务中心电话",
    "address": "小区地址",
}
ENGLISH = {chinese: english for english, chinese in CHINESE.items()}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.Text))


def _renamed(text: str, names: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(
        lambda m: "{" + names[m.group(1)] + "}" if m.group(1) in names else m.group(0), text
    )


def _rewrite(names: dict[str, str]) -> None:
    """Each stored wording with its placeholders renamed; a row that is not a JSON
    object (the program reads it as the default wording) is left alone."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(setting.c.key, setting.c.value).where(setting.c.key.in_(KEYS)))
    for key, value in rows.all():
        try:
            stored = json.loads(value)
        except ValueError:
            continue
        if not isinstance(stored, dict):
            continue
        changed = {
            field: _renamed(stored[field], names)
            for field in FIELDS
            if isinstance(stored.get(field), str)
        }
        if all(stored[field] == text for field, text in changed.items()):
            continue
        stored.update(changed)
        bind.execute(
            setting.update()
            .where(setting.c.key == key)
            .values(value=json.dumps(stored, ensure_ascii=False))
        )


def upgrade() -> None:
    _rewrite(CHINESE)


def downgrade() -> None:
    _rewrite(ENGLISH)
