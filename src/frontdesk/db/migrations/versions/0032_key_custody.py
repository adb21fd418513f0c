"""钥匙托管: keys held for flats with the owner's authorisation, their lendings (issue 24).

Two new tables: `held_key` (a flat's key under its tag number, the owner's written
authorisation with its scope and expiry, the scan's hash in the attachments store,
and when it went back to the owner) and `key_lending` (each lending out and return;
a unique partial index lets a key have one open lending only). The document
register's CHECK on `kind` takes key_return (钥匙退还确认单, signed by the owner) and
key_list (托管钥匙清单, the cabinet's check list).

Going down drops both tables and refuses a file whose register already holds a
钥匙退还确认单 or a 托管钥匙清单 (the register keeps what it issued).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import DOCUMENT_KINDS_0027, one_of, replace_check, user_fk
from frontdesk.errors import EnvironmentProblem

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

# The document kinds as 0031 left them; this revision adds key_return and key_list.
KINDS_BEFORE = (*DOCUMENT_KINDS_0027, "parcel_label")
KINDS_AFTER = (*KINDS_BEFORE, "key_return", "key_list")


def upgrade() -> None:
    op.create_table(
        "held_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=8), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("cabinet_slot", sa.String(length=20), nullable=False),
        sa.Column("authorised_by", sa.String(length=40), nullable=False),
        sa.Column("scopes", sa.String(length=20), nullable=False),
        sa.Column("authorised_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("scan_sha256", sa.String(length=64), nullable=False),
        sa.Column("scan_name", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by", sa.String(length=40), nullable=False),
        sa.Column("received_by_id", sa.Integer(), nullable=True),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.Column("released_to", sa.String(length=40), nullable=False),
        sa.Column("released_by", sa.String(length=40), nullable=False),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "expires_on >= authorised_on", name=op.f("ck_held_key_expires_not_before_authorised")
        ),
        user_fk("held_key", "received_by_id"),
        user_fk("held_key", "released_by_id"),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_held_key_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_key")),
        sa.UniqueConstraint("tag", name=op.f("uq_held_key_tag")),
    )
    with op.batch_alter_table("held_key", schema=None) as batch_op:
        batch_op.create_index("ix_held_key_released_at", ["released_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_held_key_room_id"), ["room_id"], unique=False)

    op.create_table(
        "key_lending",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("borrower", sa.String(length=40), nullable=False),
        sa.Column("borrower_phone", sa.String(length=200), nullable=False),
        sa.Column("borrower_company", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("renovation_id", sa.Integer(), nullable=True),
        sa.Column("out_at", sa.DateTime(), nullable=False),
        sa.Column("due_back_at", sa.DateTime(), nullable=False),
        sa.Column("out_by", sa.String(length=40), nullable=False),
        sa.Column("out_by_id", sa.Integer(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("returned_by", sa.String(length=40), nullable=False),
        sa.Column("returned_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("due_back_at > out_at", name=op.f("ck_key_lending_due_after_out")),
        sa.CheckConstraint(
            "returned_at IS NULL OR returned_at >= out_at",
            name=op.f("ck_key_lending_back_after_out"),
        ),
        sa.CheckConstraint(
            "scope IN ('renovation', 'repair', 'viewing', 'emergency')",
            name=op.f("ck_key_lending_scope"),
        ),
        sa.ForeignKeyConstraint(
            ["key_id"],
            ["held_key.id"],
            name=op.f("fk_key_lending_key_id_held_key"),
            ondelete="RESTRICT",
        ),
        user_fk("key_lending", "out_by_id"),
        user_fk("key_lending", "returned_by_id"),
        sa.ForeignKeyConstraint(
            ["renovation_id"],
            ["renovation.id"],
            name=op.f("fk_key_lending_renovation_id_renovation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_key_lending_room_id_room"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_order.id"],
            name=op.f("fk_key_lending_work_order_id_work_order"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_lending")),
    )
    with op.batch_alter_table("key_lending", schema=None) as batch_op:
        batch_op.create_index(
            "ix_key_lending_open",
            ["key_id"],
            unique=True,
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )
        batch_op.create_index("ix_key_lending_out_at", ["out_at"], unique=False)
        batch_op.create_index("ix_key_lending_key_out", ["key_id", "out_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_key_lending_renovation_id"), ["renovation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_key_lending_room_id"), ["room_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_key_lending_work_order_id"), ["work_order_id"], unique=False
        )
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_AFTER))


def downgrade() -> None:
    held = sa.text("SELECT 1 FROM issued_document WHERE kind IN ('key_return', 'key_list')")
    if op.get_bind().execute(held).first():
        raise EnvironmentProblem("文档登记簿中已有钥匙退还确认单或托管钥匙清单，不能降级到 0031。")
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_BEFORE))
    op.drop_table("key_lending")
    op.drop_table("held_key")
