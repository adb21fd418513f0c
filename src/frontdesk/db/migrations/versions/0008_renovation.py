"""Renovations: applications and their workflow, node inspections, violations,
the bills they put on the room's account, workers and their passes, photos.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 20:58:46.575574
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "renovation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("applicant", sa.String(length=40), nullable=False),
        sa.Column("applicant_is_tenant", sa.Boolean(), nullable=False),
        sa.Column("applicant_phone", sa.String(length=30), nullable=False),
        sa.Column("contractor", sa.String(length=100), nullable=False),
        sa.Column("contractor_person", sa.String(length=40), nullable=False),
        sa.Column("contractor_phone", sa.String(length=30), nullable=False),
        sa.Column("licence_no", sa.String(length=40), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("documents", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("permit_no", sa.String(length=20), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_renovation_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renovation")),
        sa.UniqueConstraint("number", name=op.f("uq_renovation_number")),
    )
    with op.batch_alter_table("renovation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_renovation_room_id"), ["room_id"], unique=False)
        batch_op.create_index("ix_renovation_status", ["status"], unique=False)

    op.create_table(
        "renovation_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("renovation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["renovation_id"],
            ["renovation.id"],
            name=op.f("fk_renovation_event_renovation_id_renovation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_renovation_event_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renovation_event")),
    )
    with op.batch_alter_table("renovation_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_renovation_event_renovation_id"), ["renovation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_renovation_event_room_id"), ["room_id"], unique=False)

    op.create_table(
        "renovation_inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("renovation_id", sa.Integer(), nullable=False),
        sa.Column("node", sa.String(length=20), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("inspector", sa.String(length=40), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["renovation_id"],
            ["renovation.id"],
            name=op.f("fk_renovation_inspection_renovation_id_renovation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_renovation_inspection_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renovation_inspection")),
    )
    with op.batch_alter_table("renovation_inspection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_renovation_inspection_renovation_id"), ["renovation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_renovation_inspection_room_id"), ["room_id"], unique=False
        )

    op.create_table(
        "renovation_violation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("renovation_id", sa.Integer(), nullable=False),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("stop_work", sa.Boolean(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["renovation_id"],
            ["renovation.id"],
            name=op.f("fk_renovation_violation_renovation_id_renovation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_renovation_violation_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renovation_violation")),
    )
    with op.batch_alter_table("renovation_violation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_renovation_violation_renovation_id"), ["renovation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_renovation_violation_room_id"), ["room_id"], unique=False
        )

    op.create_table(
        "renovation_worker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("renovation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("trade", sa.String(length=20), nullable=False),
        sa.Column("id_number", sa.String(length=40), nullable=False),
        sa.Column("pass_no", sa.String(length=20), nullable=False),
        sa.Column("lost_on", sa.Date(), nullable=True),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["renovation_id"],
            ["renovation.id"],
            name=op.f("fk_renovation_worker_renovation_id_renovation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_renovation_worker_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renovation_worker")),
        sa.UniqueConstraint("pass_no", name=op.f("uq_renovation_worker_pass_no")),
    )
    with op.batch_alter_table("renovation_worker", schema=None) as batch_op:
        batch_op.create_index("ix_renovation_worker_phone", ["phone"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_renovation_worker_renovation_id"), ["renovation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_renovation_worker_room_id"), ["room_id"], unique=False)

    op.create_table(
        "renovation_bill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("renovation_id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bill_id"],
            ["bill.id"],
            name=op.f("fk_renovation_bill_bill_id_bill"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["renovation_id"],
            ["renovation.id"],
            name=op.f("fk_renovation_bill_renovation_id_renovation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_renovation_bill_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["renovation_worker.id"],
            name=op.f("fk_renovation_bill_worker_id_renovation_worker"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renovation_bill")),
        sa.UniqueConstraint("bill_id", name=op.f("uq_renovation_bill_bill_id")),
    )
    with op.batch_alter_table("renovation_bill", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_renovation_bill_renovation_id"), ["renovation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_renovation_bill_room_id"), ["room_id"], unique=False)

    op.create_table(
        "renovation_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("renovation_id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=True),
        sa.Column("violation_id", sa.Integer(), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f("fk_renovation_photo_attachment_id_attachment"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["renovation_inspection.id"],
            name=op.f("fk_renovation_photo_inspection_id_renovation_inspection"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["renovation_id"],
            ["renovation.id"],
            name=op.f("fk_renovation_photo_renovation_id_renovation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_renovation_photo_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["violation_id"],
            ["renovation_violation.id"],
            name=op.f("fk_renovation_photo_violation_id_renovation_violation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renovation_photo")),
    )
    with op.batch_alter_table("renovation_photo", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_renovation_photo_renovation_id"), ["renovation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_renovation_photo_room_id"), ["room_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("renovation_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_renovation_photo_room_id"))
        batch_op.drop_index(batch_op.f("ix_renovation_photo_renovation_id"))

    op.drop_table("renovation_photo")
    with op.batch_alter_table("renovation_bill", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_renovation_bill_room_id"))
        batch_op.drop_index(batch_op.f("ix_renovation_bill_renovation_id"))

    op.drop_table("renovation_bill")
    with op.batch_alter_table("renovation_worker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_renovation_worker_room_id"))
        batch_op.drop_index(batch_op.f("ix_renovation_worker_renovation_id"))
        batch_op.drop_index("ix_renovation_worker_phone")

    op.drop_table("renovation_worker")
    with op.batch_alter_table("renovation_violation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_renovation_violation_room_id"))
        batch_op.drop_index(batch_op.f("ix_renovation_violation_renovation_id"))

    op.drop_table("renovation_violation")
    with op.batch_alter_table("renovation_inspection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_renovation_inspection_room_id"))
        batch_op.drop_index(batch_op.f("ix_renovation_inspection_renovation_id"))

    op.drop_table("renovation_inspection")
    with op.batch_alter_table("renovation_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_renovation_event_room_id"))
        batch_op.drop_index(batch_op.f("ix_renovation_event_renovation_id"))

    op.drop_table("renovation_event")
    with op.batch_alter_table("renovation", schema=None) as batch_op:
        batch_op.drop_index("ix_renovation_status")
        batch_op.drop_index(batch_op.f("ix_renovation_room_id"))

    op.drop_table("renovation")
