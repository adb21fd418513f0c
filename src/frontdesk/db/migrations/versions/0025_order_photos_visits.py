"""Work-order photos and the visitor register's link to an order (issue 21).

- work_order_photo: a photo of an order, at intake (受理) or after the work (完工).
  The file is kept in the attachments store under its SHA-256; the row belongs to
  the order (a public-area order has no room), with the room of an in-home order
  copied for the audit log's household view.
- visit.work_order_id: the order a repair worker's visit serves (nullable). On
  SQLite a named foreign key needs the table copied (batch mode): the table's
  triggers and indexes (the partial ix_visit_inside too) are put back as the file
  defined them.

Going down drops both; the stored photo files stay in the store (a backup of the
file may still name them).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import kept_as_defined

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_order_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=40), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("stage IN ('intake', 'work')", name=op.f("ck_work_order_photo_stage")),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["app_user.id"],
            name=op.f("fk_work_order_photo_added_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_work_order_photo_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_order.id"],
            name=op.f("fk_work_order_photo_work_order_id_work_order"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_photo")),
    )
    with op.batch_alter_table("work_order_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_order_photo_sha256"), ["sha256"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_work_order_photo_work_order_id"), ["work_order_id"], unique=False
        )
    with kept_as_defined("visit"), op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("work_order_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_visit_work_order_id_work_order"),
            "work_order",
            ["work_order_id"],
            ["id"],
            ondelete="RESTRICT",
        )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_work_order_id"), ["work_order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_work_order_id"))
    with kept_as_defined("visit"), op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_visit_work_order_id_work_order"), type_="foreignkey"
        )
        batch_op.drop_column("work_order_id")
    with op.batch_alter_table("work_order_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_order_photo_work_order_id"))
        batch_op.drop_index(batch_op.f("ix_work_order_photo_sha256"))
    op.drop_table("work_order_photo")
