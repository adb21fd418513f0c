"""快递代收: parcels taken in for households, their labels and hand-overs (issue 24).

`parcel` holds one row per parcel: its register number, the pick-up code printed on
its shelf label (unique among the parcels still waiting, by a partial unique index,
so two counters can never give one code twice), courier, tracking number, recipient,
shelf, an optional photo (`sha256` in the attachments store, '' for none, with its
file name), and who collected it with which identity check. A CHECK keeps a hand-over
whole: collected with its check, or neither. Partial indexes keep the shelf list and
the code look-up fast with years of collected parcels behind them.

The document register learns the kind `parcel_label` (快递代收标签): its CHECK on
`kind` is rebuilt with it.

Going down drops the table and narrows the register's CHECK again (refused while a
label is registered).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import DOCUMENT_KINDS_0027, one_of, replace_check
from frontdesk.errors import EnvironmentProblem

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

WAITING = sa.text("collected_at IS NULL")
# The document kinds as 0027 left them; this revision adds parcel_label.
KINDS_BEFORE = DOCUMENT_KINDS_0027
KINDS_AFTER = (*KINDS_BEFORE, "parcel_label")


def _by(verb: str) -> list[sa.Column[Any] | sa.ForeignKeyConstraint]:
    return [
        sa.Column(f"{verb}_by", sa.String(40), nullable=False),
        sa.Column(f"{verb}_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            [f"{verb}_by_id"],
            ["app_user.id"],
            name=op.f(f"fk_parcel_{verb}_by_id_app_user"),
            ondelete="RESTRICT",
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "parcel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(16), nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("courier", sa.String(20), nullable=False),
        sa.Column("tracking", sa.String(40), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(40), nullable=False),
        sa.Column("shelf", sa.String(12), nullable=False),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("photo_name", sa.String(200), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        *_by("received"),
        sa.Column("collected_at", sa.DateTime(), nullable=True),
        sa.Column("collector", sa.String(40), nullable=False),
        sa.Column("by_proxy", sa.Boolean(), nullable=False),
        sa.Column(
            "identity_check",
            sa.Enum(
                "code",
                "id_card",
                "known_face",
                "phone",
                name="identity_check",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        *_by("handed"),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(collected_at IS NULL AND identity_check IS NULL)"
            " OR (collected_at IS NOT NULL AND identity_check IS NOT NULL)",
            name=op.f("ck_parcel_collected_with_check"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_parcel_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_parcel_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parcel")),
        sa.UniqueConstraint("number", name=op.f("uq_parcel_number")),
    )
    with op.batch_alter_table("parcel") as batch_op:
        batch_op.create_index(
            "ux_parcel_waiting_code",
            ["code"],
            unique=True,
            sqlite_where=WAITING,
            postgresql_where=WAITING,
        )
        batch_op.create_index(
            "ix_parcel_waiting", ["received_at"], sqlite_where=WAITING, postgresql_where=WAITING
        )
        batch_op.create_index("ix_parcel_received_at", ["received_at"])
        batch_op.create_index("ix_parcel_tracking", ["tracking"])
        batch_op.create_index("ix_parcel_recipient", ["recipient", "received_at"])
        batch_op.create_index(batch_op.f("ix_parcel_person_id"), ["person_id"])
        batch_op.create_index(batch_op.f("ix_parcel_room_id"), ["room_id"])
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_AFTER))


def downgrade() -> None:
    labels = sa.text("SELECT 1 FROM issued_document WHERE kind = 'parcel_label'")
    if op.get_bind().execute(labels).first():
        raise EnvironmentProblem("文档登记簿中已有快递代收标签，不能降级到 0030。")
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_BEFORE))
    op.drop_table("parcel")
