"""Household files: people, vehicles, parking, pets, care needs, attachments,
butler contacts; the building's butler; audit entries filed under their room.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=40), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_attachment_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_room_id"), ["room_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachment_sha256"), ["sha256"], unique=False)

    op.create_table(
        "butler_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_butler_contact_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_butler_contact_user_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_butler_contact")),
    )
    with op.batch_alter_table("butler_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_butler_contact_room_id"), ["room_id"], unique=False)
        batch_op.create_index(
            "ix_butler_contact_user_on", ["user_id", "contacted_on"], unique=False
        )

    op.create_table(
        "care_need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_name", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("visit_every_days", sa.Integer(), nullable=False),
        sa.Column("last_visit_on", sa.Date(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_care_need_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_need")),
    )
    with op.batch_alter_table("care_need", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_care_need_room_id"), ["room_id"], unique=False)

    op.create_table(
        "household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("move_in_on", sa.Date(), nullable=True),
        sa.Column("contact_preference", sa.String(length=20), nullable=False),
        sa.Column("tags", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_household_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
        sa.UniqueConstraint("room_id", name=op.f("uq_household_room_id")),
    )
    op.create_table(
        "parking_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_parking_use_room_id_room"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["room.id"],
            name=op.f("fk_parking_use_space_id_room"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_use")),
    )
    with op.batch_alter_table("parking_use", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parking_use_room_id"), ["room_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_use_space_id"), ["space_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_pinyin", sa.String(length=120), nullable=False),
        sa.Column("name_initials", sa.String(length=40), nullable=False),
        sa.Column("gender", sa.String(length=4), nullable=False),
        sa.Column("id_type", sa.String(length=20), nullable=False),
        sa.Column("id_number", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("phone_reversed", sa.String(length=30), nullable=False),
        sa.Column("share", sa.String(length=20), nullable=False),
        sa.Column("lease_start", sa.Date(), nullable=True),
        sa.Column("lease_end", sa.Date(), nullable=True),
        sa.Column("lives_here", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_person_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_name", ["name"], unique=False)
        batch_op.create_index("ix_person_name_initials", ["name_initials"], unique=False)
        batch_op.create_index("ix_person_name_pinyin", ["name_pinyin"], unique=False)
        batch_op.create_index("ix_person_phone_reversed", ["phone_reversed"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_room_id"), ["room_id"], unique=False)

    op.create_table(
        "pet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("species", sa.String(length=20), nullable=False),
        sa.Column("breed", sa.String(length=40), nullable=False),
        sa.Column("licence_no", sa.String(length=40), nullable=False),
        sa.Column("vaccinated_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_pet_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pet")),
    )
    with op.batch_alter_table("pet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pet_room_id"), ["room_id"], unique=False)

    op.create_table(
        "vehicle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plate", sa.String(length=12), nullable=False),
        sa.Column("model", sa.String(length=40), nullable=False),
        sa.Column("colour", sa.String(length=20), nullable=False),
        sa.Column("parking_space", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_vehicle_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle")),
    )
    with op.batch_alter_table("vehicle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vehicle_plate"), ["plate"], unique=False)
        batch_op.create_index(batch_op.f("ix_vehicle_room_id"), ["room_id"], unique=False)

    # Plain ADD COLUMN / CREATE INDEX: the append-only log is never copied, so its
    # triggers stay in place.
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("room_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_audit_log_room_id", ["room_id"], unique=False)

    with op.batch_alter_table("building", schema=None) as batch_op:
        batch_op.add_column(sa.Column("butler_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_building_butler_id_app_user"),
            "app_user",
            ["butler_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("building", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_building_butler_id_app_user"), type_="foreignkey")
        batch_op.drop_column("butler_id")

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_room_id")
        batch_op.drop_column("room_id")

    with op.batch_alter_table("vehicle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vehicle_room_id"))
        batch_op.drop_index(batch_op.f("ix_vehicle_plate"))

    op.drop_table("vehicle")
    with op.batch_alter_table("pet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pet_room_id"))

    op.drop_table("pet")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_room_id"))
        batch_op.drop_index("ix_person_phone_reversed")
        batch_op.drop_index("ix_person_name_pinyin")
        batch_op.drop_index("ix_person_name_initials")
        batch_op.drop_index("ix_person_name")

    op.drop_table("person")
    with op.batch_alter_table("parking_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parking_use_space_id"))
        batch_op.drop_index(batch_op.f("ix_parking_use_room_id"))

    op.drop_table("parking_use")
    op.drop_table("household")
    with op.batch_alter_table("care_need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_need_room_id"))

    op.drop_table("care_need")
    with op.batch_alter_table("butler_contact", schema=None) as batch_op:
        batch_op.drop_index("ix_butler_contact_user_on")
        batch_op.drop_index(batch_op.f("ix_butler_contact_room_id"))

    op.drop_table("butler_contact")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_sha256"))
        batch_op.drop_index(batch_op.f("ix_attachment_room_id"))

    op.drop_table("attachment")
