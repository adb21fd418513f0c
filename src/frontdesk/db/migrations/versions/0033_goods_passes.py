"""物品放行条: goods passes for moving things out, checked at the gate (issue 24).

- goods_pass: one pass, numbered FX-yymmddnnn by day, for a room; the applicant (owner,
  tenant or someone the owner sent, with the owner's consent on record unless the owner
  applies), the items, the vehicle, the time window, what the clerk was warned of
  (arrears, open renovation: never a refusal), and when and by whom it was used at the
  gate or cancelled. A pass is used once or cancelled, never both (CHECK); its open
  passes are found by a partial index on both engines.
- The document register learns the kind goods_pass (the A5 pass printed).

Going down drops the table and refuses a file whose register already holds a goods
pass (the register keeps what it issued).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import DOCUMENT_KINDS_0027, one_of, replace_check
from frontdesk.errors import EnvironmentProblem

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

# The document kinds as 0032 left them (0027's, 0031's parcel_label, 0032's key kinds).
KINDS_BEFORE = (*DOCUMENT_KINDS_0027, "parcel_label", "key_return", "key_list")
KINDS_AFTER = (*KINDS_BEFORE, "goods_pass")
OPEN = "used_at IS NULL AND cancelled_at IS NULL"


def _by(verb: str) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{verb}_by", sa.String(length=40), nullable=False),
        sa.Column(f"{verb}_by_id", sa.Integer(), nullable=True),
    ]


def _by_key(verb: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [f"{verb}_by_id"],
        ["app_user.id"],
        name=op.f(f"fk_goods_pass_{verb}_by_id_app_user"),
        ondelete="RESTRICT",
    )


def upgrade() -> None:
    op.create_table(
        "goods_pass",
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("applicant_kind", sa.String(length=20), nullable=False),
        sa.Column("applicant_name", sa.String(length=40), nullable=False),
        sa.Column("applicant_phone", sa.String(length=200), nullable=False),
        sa.Column("consent", sa.String(length=20), nullable=True),
        sa.Column("consent_by", sa.String(length=40), nullable=False),
        sa.Column("items", sa.String(length=1000), nullable=False),
        sa.Column("plate", sa.String(length=12), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("window_end", sa.DateTime(), nullable=False),
        sa.Column("warnings", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        *_by("issued"),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        *_by("used"),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        *_by("cancelled"),
        sa.Column("cancel_reason", sa.String(length=100), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            one_of("applicant_kind", ("owner", "tenant", "agent")),
            name=op.f("ck_goods_pass_applicant_kind"),
        ),
        sa.CheckConstraint(
            one_of("consent", ("phone", "written", "in_person")),
            name=op.f("ck_goods_pass_consent"),
        ),
        sa.CheckConstraint(
            "window_end > window_start", name=op.f("ck_goods_pass_window_end_after_start")
        ),
        sa.CheckConstraint(
            "applicant_kind = 'owner' OR consent IS NOT NULL",
            name=op.f("ck_goods_pass_consent_unless_owner"),
        ),
        sa.CheckConstraint(
            "used_at IS NULL OR cancelled_at IS NULL",
            name=op.f("ck_goods_pass_used_or_cancelled"),
        ),
        _by_key("cancelled"),
        _by_key("issued"),
        _by_key("used"),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_goods_pass_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goods_pass")),
        sa.UniqueConstraint("number", name=op.f("uq_goods_pass_number")),
    )
    with op.batch_alter_table("goods_pass", schema=None) as batch_op:
        batch_op.create_index("ix_goods_pass_issued_at", ["issued_at"], unique=False)
        batch_op.create_index("ix_goods_pass_window_start", ["window_start"], unique=False)
        batch_op.create_index("ix_goods_pass_used_at", ["used_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_goods_pass_room_id"), ["room_id"], unique=False)
        batch_op.create_index(
            "ix_goods_pass_open",
            ["window_end"],
            unique=False,
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_AFTER))


def downgrade() -> None:
    held = sa.text("SELECT 1 FROM issued_document WHERE kind = 'goods_pass'")
    if op.get_bind().execute(held).first():
        raise EnvironmentProblem("文档登记簿中已有物品放行条，不能降级到 0032。")
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_BEFORE))
    with op.batch_alter_table("goods_pass", schema=None) as batch_op:
        batch_op.drop_index("ix_goods_pass_open")
        batch_op.drop_index(batch_op.f("ix_goods_pass_room_id"))
        batch_op.drop_index("ix_goods_pass_used_at")
        batch_op.drop_index("ix_goods_pass_window_start")
        batch_op.drop_index("ix_goods_pass_issued_at")
    op.drop_table("goods_pass")
