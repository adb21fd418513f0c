"""交接班记录: the shift handover book (issue 24).

Two new tables, both append-only (an entry is evidence of what one shift handed to the
next; a correction is a 补记, a new entry):
- shift_entry: a handover (交班) or a note on one (补记, `follows_id`), when and by whom,
  the program's draft of every register as a JSON snapshot, the outgoing clerk's notes;
- shift_acknowledgement: the incoming clerk's 接班确认, at most one per entry.
Their UPDATE/DELETE (and on PostgreSQL TRUNCATE) triggers are made as 0023 and 0029 made
the others'. The document register's CHECK on `kind` takes shift_log (交接班记录).

Going down drops both tables and refuses a file whose register already holds a printed
shift log (the register keeps what it issued).

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import DOCUMENT_KINDS_0027, one_of, replace_check
from frontdesk.errors import EnvironmentProblem

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None

# The document kinds as 0036 left them (0027's and those 0031-0036 added); this revision
# adds shift_log.
KINDS_BEFORE = (
    *DOCUMENT_KINDS_0027,
    "parcel_label",
    "key_return",
    "key_list",
    "goods_pass",
    "lost_claim",
    "certificate",
)
KINDS_AFTER = (*KINDS_BEFORE, "shift_log")
APPEND_ONLY = ("shift_entry", "shift_acknowledgement")
_REFUSE = "RAISE EXCEPTION '{}' USING ERRCODE = 'restrict_violation';"


def _tables() -> None:
    op.create_table(
        "shift_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "handover",
                "note",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("follows_id", sa.Integer(), nullable=True),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("written_by", sa.String(length=40), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'note') = (follows_id IS NOT NULL)",
            name=op.f("ck_shift_entry_note_follows_a_handover"),
        ),
        sa.ForeignKeyConstraint(
            ["follows_id"],
            ["shift_entry.id"],
            name=op.f("fk_shift_entry_follows_id_shift_entry"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"],
            ["app_user.id"],
            name=op.f("fk_shift_entry_written_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_entry")),
    )
    with op.batch_alter_table("shift_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_entry_follows_id"), ["follows_id"])
        batch_op.create_index("ix_shift_entry_written_at", ["written_at"])
    op.create_table(
        "shift_acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=40), nullable=False),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "way",
            sa.Enum(
                "counter",
                "sign_in",
                name="way",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["app_user.id"],
            name=op.f("fk_shift_acknowledgement_acknowledged_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["shift_entry.id"],
            name=op.f("fk_shift_acknowledgement_entry_id_shift_entry"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_acknowledgement")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_shift_acknowledgement_entry_id")),
    )
    with op.batch_alter_table("shift_acknowledgement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shift_acknowledgement_acknowledged_at"), ["acknowledged_at"]
        )


def _triggers() -> None:
    bind = op.get_bind()
    for table in APPEND_ONLY:
        if bind.dialect.name == "postgresql":
            for verb in ("UPDATE", "DELETE", "TRUNCATE"):
                name = f"{table}_no_{verb.lower()}"
                each = "STATEMENT" if verb == "TRUNCATE" else "ROW"
                refuse = _REFUSE.format(f"{table} is append-only")
                bind.exec_driver_sql(
                    f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
                    f"AS $$BEGIN {refuse} END$$"
                )
                bind.exec_driver_sql(
                    f"CREATE TRIGGER {name} BEFORE {verb} ON {table} FOR EACH {each} "
                    f"EXECUTE FUNCTION {name}()"
                )
        else:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def upgrade() -> None:
    _tables()
    _triggers()
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_AFTER))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM issued_document WHERE kind = 'shift_log'")).first():
        raise EnvironmentProblem("文档登记簿中已有交接班记录，不能降级到 0036。")
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_BEFORE))
    for table in reversed(APPEND_ONLY):
        op.drop_table(table)  # the triggers go with the table
        if bind.dialect.name == "postgresql":
            for verb in ("update", "delete", "truncate"):
                bind.exec_driver_sql(f"DROP FUNCTION {table}_no_{verb}()")
