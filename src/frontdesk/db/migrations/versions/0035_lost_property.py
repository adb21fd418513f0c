"""失物招领: found items, claims and disposals (issue 24).

- lost_item: one item found in the community, numbered SW-yymmddnnn by the day it was
  recorded; where and when it was found, by whom, its photo (in the attachments store by
  SHA-256), where it is kept; then either its claim (who, the identity check, whether
  the claimant signed the 认领单, who handed it over) or its disposal (to the police,
  donated, discarded; with a note), never both (CHECK). Items still held are found by
  a partial index on both engines.
- The document register learns the kind lost_claim (失物认领单, the paper signed).

Going down drops the table and refuses a file whose register already holds a claim
form (the register keeps what it issued).

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import DOCUMENT_KINDS_0027, one_of, replace_check
from frontdesk.errors import EnvironmentProblem

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

# The document kinds as 0034 left them (0027's, 0031's parcel_label, 0032's key kinds,
# 0033's goods_pass).
KINDS_BEFORE = (*DOCUMENT_KINDS_0027, "parcel_label", "key_return", "key_list", "goods_pass")
KINDS_AFTER = (*KINDS_BEFORE, "lost_claim")
HELD = "claimed_at IS NULL AND disposed_at IS NULL"
CATEGORIES = ("documents", "keys", "electronics", "wallet", "clothing", "umbrella", "other")


def _user_key(verb: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [f"{verb}_by_id"],
        ["app_user.id"],
        name=op.f(f"fk_lost_item_{verb}_by_id_app_user"),
        ondelete="RESTRICT",
    )


def upgrade() -> None:
    op.create_table(
        "lost_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("found_place", sa.String(length=100), nullable=False),
        sa.Column("finder_name", sa.String(length=40), nullable=False),
        sa.Column("finder_phone", sa.String(length=200), nullable=False),
        sa.Column("kept_place", sa.String(length=60), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("photo_name", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("claimant_name", sa.String(length=40), nullable=False),
        sa.Column("claimant_phone", sa.String(length=200), nullable=False),
        sa.Column("claimant_id_number", sa.String(length=200), nullable=False),
        sa.Column("id_check", sa.String(length=20), nullable=True),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("handed_by", sa.String(length=40), nullable=False),
        sa.Column("handed_by_id", sa.Integer(), nullable=True),
        sa.Column("disposed_at", sa.DateTime(), nullable=True),
        sa.Column("disposal", sa.String(length=20), nullable=True),
        sa.Column("disposal_note", sa.String(length=200), nullable=False),
        sa.Column("disposed_by", sa.String(length=40), nullable=False),
        sa.Column("disposed_by_id", sa.Integer(), nullable=True),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(one_of("category", CATEGORIES), name=op.f("ck_lost_item_category")),
        sa.CheckConstraint(
            one_of("id_check", ("id_card", "description", "known")),
            name=op.f("ck_lost_item_id_check"),
        ),
        sa.CheckConstraint(
            one_of("disposal", ("police", "donated", "discarded")),
            name=op.f("ck_lost_item_disposal"),
        ),
        sa.CheckConstraint(
            "claimed_at IS NULL OR disposed_at IS NULL",
            name=op.f("ck_lost_item_claimed_or_disposed"),
        ),
        sa.CheckConstraint(
            "claimed_at IS NULL OR id_check IS NOT NULL", name=op.f("ck_lost_item_claim_checked")
        ),
        sa.CheckConstraint(
            "disposed_at IS NULL OR disposal IS NOT NULL",
            name=op.f("ck_lost_item_disposal_named"),
        ),
        _user_key("disposed"),
        _user_key("handed"),
        _user_key("recorded"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lost_item")),
        sa.UniqueConstraint("number", name=op.f("uq_lost_item_number")),
    )
    with op.batch_alter_table("lost_item", schema=None) as batch_op:
        batch_op.create_index("ix_lost_item_found_at", ["found_at"], unique=False)
        batch_op.create_index("ix_lost_item_claimed_at", ["claimed_at"], unique=False)
        batch_op.create_index("ix_lost_item_disposed_at", ["disposed_at"], unique=False)
        batch_op.create_index(
            "ix_lost_item_held",
            ["found_at"],
            unique=False,
            sqlite_where=sa.text(HELD),
            postgresql_where=sa.text(HELD),
        )
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_AFTER))


def downgrade() -> None:
    held = sa.text("SELECT 1 FROM issued_document WHERE kind = 'lost_claim'")
    if op.get_bind().execute(held).first():
        raise EnvironmentProblem("文档登记簿中已有失物认领单，不能降级到 0034。")
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_BEFORE))
    with op.batch_alter_table("lost_item", schema=None) as batch_op:
        batch_op.drop_index("ix_lost_item_held")
        batch_op.drop_index("ix_lost_item_disposed_at")
        batch_op.drop_index("ix_lost_item_claimed_at")
        batch_op.drop_index("ix_lost_item_found_at")
    op.drop_table("lost_item")
