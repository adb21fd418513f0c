"""A third search key for people's names, and surnames read as surnames (issue 20, 2).

`person.name_mixed` holds the surname spelled out and the given name as initials
(陈圆圆 -> chenyy), indexed for prefix search beside `name_pinyin` (chenyuanyuan) and
`name_initials` (cyy). Every kept name's three keys are computed again with the
surname's own reading (曾 zeng, 单 shan, 解 xie, where a dictionary reads ceng, dan,
jie). Rows whose keys were blanked by the personal-data erasure stay blank.
Downgrading drops the column; the corrected keys stay (the old code reads them alike).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 01:40:00
"""

import sqlalchemy as sa
from alembic import op

from frontdesk.domain.names import pinyin_keys

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_STEP = 2000


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_mixed", sa.String(length=120), server_default="", nullable=False)
        )
    connection = op.get_bind()
    person = sa.table(
        "person",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_pinyin", sa.String),
        sa.column("name_initials", sa.String),
        sa.column("name_mixed", sa.String),
    )
    rows = connection.execute(
        sa.select(person.c.id, person.c.name).where(person.c.name_pinyin != "")
    ).all()
    update = (
        person.update()
        .where(person.c.id == sa.bindparam("row_id"))
        .values(
            name_pinyin=sa.bindparam("full"),
            name_initials=sa.bindparam("initials"),
            name_mixed=sa.bindparam("mixed"),
        )
    )
    for start in range(0, len(rows), _STEP):
        values = []
        for row_id, name in rows[start : start + _STEP]:
            keys = pinyin_keys(name)
            values.append({"row_id": row_id, **keys._asdict()})
        connection.execute(update, values)
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_name_mixed", ["name_mixed"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_name_mixed")
        batch_op.drop_column("name_mixed")
