"""Visitors: visits, bookings (预约) and the watchlist.

A visit's personal fields are erased in place when their retention ends; the
partial index on open visits keeps the inside-now board instant.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 18:54:37.325310
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("id_number", sa.String(length=40), nullable=False),
        sa.Column("plate", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=40), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("removed_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_entry")),
    )
    op.create_table(
        "visit_booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("visitor_name", sa.String(length=40), nullable=False),
        sa.Column("visitor_phone", sa.String(length=30), nullable=False),
        sa.Column("party_size", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=False),
        sa.Column("window_start", sa.Time(), nullable=False),
        sa.Column("window_end", sa.Time(), nullable=False),
        sa.Column("booked_by", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_by", sa.String(length=40), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_visit_booking_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_booking")),
    )
    with op.batch_alter_table("visit_booking", schema=None) as batch_op:
        batch_op.create_index("ix_visit_booking_code", ["code"], unique=False)
        batch_op.create_index("ix_visit_booking_expected_on", ["expected_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_booking_room_id"), ["room_id"], unique=False)

    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("visitor_name", sa.String(length=40), nullable=False),
        sa.Column("visitor_phone", sa.String(length=30), nullable=False),
        sa.Column("id_type", sa.String(length=20), nullable=False),
        sa.Column("id_number", sa.String(length=40), nullable=False),
        sa.Column("id_checked", sa.Boolean(), nullable=False),
        sa.Column("party_size", sa.Integer(), nullable=False),
        sa.Column("plate", sa.String(length=12), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("confirmation", sa.String(length=20), nullable=False),
        sa.Column("confirmed_by", sa.String(length=40), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("arrived_at", sa.DateTime(), nullable=False),
        sa.Column("expected_leave_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.Column("registered_by", sa.String(length=40), nullable=False),
        sa.Column("left_by", sa.String(length=40), nullable=False),
        sa.Column("frequent", sa.Boolean(), nullable=False),
        sa.Column("watch_hit", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["visit_booking.id"],
            name=op.f("fk_visit_booking_id_visit_booking"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_visit_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
        sa.UniqueConstraint("number", name=op.f("uq_visit_number")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_arrived_at", ["arrived_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(
            "ix_visit_inside", ["arrived_at"], unique=False, sqlite_where=sa.text("left_at IS NULL")
        )
        batch_op.create_index("ix_visit_phone_at", ["visitor_phone", "arrived_at"], unique=False)
        batch_op.create_index("ix_visit_plate", ["plate"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_room_id"), ["room_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_room_id"))
        batch_op.drop_index("ix_visit_plate")
        batch_op.drop_index("ix_visit_phone_at")
        batch_op.drop_index("ix_visit_inside", sqlite_where=sa.text("left_at IS NULL"))
        batch_op.drop_index(batch_op.f("ix_visit_booking_id"))
        batch_op.drop_index("ix_visit_arrived_at")

    op.drop_table("visit")
    with op.batch_alter_table("visit_booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_booking_room_id"))
        batch_op.drop_index("ix_visit_booking_expected_on")
        batch_op.drop_index("ix_visit_booking_code")

    op.drop_table("visit_booking")
    op.drop_table("watch_entry")
