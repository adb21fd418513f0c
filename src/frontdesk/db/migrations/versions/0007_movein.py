"""Move-in: handover batches, each room's handover and checklist steps, defects
found at the inspection and their photos.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 19:37:44.448944
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handover_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_batch")),
    )
    op.create_table(
        "defect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("responsible", sa.String(length=40), nullable=False),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.Column("fixed_on", sa.Date(), nullable=True),
        sa.Column("fix_note", sa.String(length=200), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("checked_by", sa.String(length=40), nullable=False),
        sa.Column("check_note", sa.String(length=200), nullable=False),
        sa.Column("rechecks", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_defect_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defect")),
    )
    with op.batch_alter_table("defect", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_defect_room_id"), ["room_id"], unique=False)
        batch_op.create_index("ix_defect_status_deadline", ["status", "deadline"], unique=False)

    op.create_table(
        "handover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("appointment_at", sa.DateTime(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("completed_by", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["handover_batch.id"],
            name=op.f("fk_handover_batch_id_handover_batch"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_handover_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover")),
        sa.UniqueConstraint("room_id", name=op.f("uq_handover_room_id")),
    )
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handover_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_handover_room_id"), ["room_id"], unique=False)

    op.create_table(
        "defect_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("defect_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f("fk_defect_photo_attachment_id_attachment"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["defect_id"],
            ["defect.id"],
            name=op.f("fk_defect_photo_defect_id_defect"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_defect_photo_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defect_photo")),
    )
    with op.batch_alter_table("defect_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_defect_photo_defect_id"), ["defect_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_defect_photo_room_id"), ["room_id"], unique=False)

    op.create_table(
        "handover_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=False),
        sa.Column("done_by", sa.String(length=40), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["handover_id"],
            ["handover.id"],
            name=op.f("fk_handover_step_handover_id_handover"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_handover_step_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_step")),
        sa.UniqueConstraint("handover_id", "step", name=op.f("uq_handover_step_handover_id_step")),
    )
    with op.batch_alter_table("handover_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handover_step_room_id"), ["room_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handover_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_step_room_id"))

    op.drop_table("handover_step")
    with op.batch_alter_table("defect_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_defect_photo_room_id"))
        batch_op.drop_index(batch_op.f("ix_defect_photo_defect_id"))

    op.drop_table("defect_photo")
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_room_id"))
        batch_op.drop_index(batch_op.f("ix_handover_batch_id"))

    op.drop_table("handover")
    with op.batch_alter_table("defect", schema=None) as batch_op:
        batch_op.drop_index("ix_defect_status_deadline")
        batch_op.drop_index(batch_op.f("ix_defect_room_id"))

    op.drop_table("defect")
    op.drop_table("handover_batch")
