"""Notices and the document register: every PDF issued (its number, kind, subjects
and stored bytes' hash), notice templates the office edited or added, notices issued
and the buildings they were posted in, and the community's seal image.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 22:10:18.517335
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=30), nullable=False),
        sa.Column("fields_json", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_template")),
        sa.UniqueConstraint("key", name=op.f("uq_notice_template_key")),
    )
    op.create_table(
        "issued_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("output", sa.String(length=12), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=40), nullable=False),
        sa.Column("reprint_of_id", sa.Integer(), nullable=True),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["app_user.id"],
            name=op.f("fk_issued_document_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reprint_of_id"],
            ["issued_document.id"],
            name=op.f("fk_issued_document_reprint_of_id_issued_document"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_document")),
        sa.UniqueConstraint("number", name=op.f("uq_issued_document_number")),
    )
    with op.batch_alter_table("issued_document", schema=None) as batch_op:
        batch_op.create_index("ix_issued_document_issued_at", ["issued_at"], unique=False)
        batch_op.create_index("ix_issued_document_kind_at", ["kind", "issued_at"], unique=False)
        batch_op.create_index("ix_issued_document_reference", ["reference"], unique=False)
        batch_op.create_index("ix_issued_document_sha256", ["sha256"], unique=False)

    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("template_key", sa.String(length=40), nullable=False),
        sa.Column("template_name", sa.String(length=30), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.Column("whole_community", sa.Boolean(), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("event_start", sa.Date(), nullable=True),
        sa.Column("event_end", sa.Date(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["app_user.id"], name=op.f("fk_notice_by_id_app_user"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["issued_document.id"],
            name=op.f("fk_notice_document_id_issued_document"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("number", name=op.f("uq_notice_number")),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index("ix_notice_event", ["event_start", "event_end"], unique=False)
        batch_op.create_index("ix_notice_issued_at", ["issued_at"], unique=False)

    op.create_table(
        "notice_building",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name=op.f("fk_notice_building_building_id_building"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notice.id"],
            name=op.f("fk_notice_building_notice_id_notice"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("notice_id", "building_id", name=op.f("pk_notice_building")),
    )
    with op.batch_alter_table("notice_building", schema=None) as batch_op:
        batch_op.create_index("ix_notice_building_building", ["building_id"], unique=False)

    op.create_table(
        "issued_subject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name=op.f("fk_issued_subject_building_id_building"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["issued_document.id"],
            name=op.f("fk_issued_subject_document_id_issued_document"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_issued_subject_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_subject")),
    )
    with op.batch_alter_table("issued_subject", schema=None) as batch_op:
        batch_op.create_index("ix_issued_subject_building", ["building_id"], unique=False)
        batch_op.create_index("ix_issued_subject_document", ["document_id"], unique=False)
        batch_op.create_index("ix_issued_subject_room", ["room_id"], unique=False)

    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seal_png", sa.LargeBinary(), nullable=True))
    op.bulk_insert(
        sa.table("receipt_series", sa.column("code"), sa.column("name"), sa.column("next_number")),
        [{"code": "TZ", "name": "通知编号", "next_number": 1}],
    )


def downgrade() -> None:
    op.execute("DELETE FROM receipt_series WHERE code = 'TZ'")
    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.drop_column("seal_png")

    with op.batch_alter_table("issued_subject", schema=None) as batch_op:
        batch_op.drop_index("ix_issued_subject_room")
        batch_op.drop_index("ix_issued_subject_document")
        batch_op.drop_index("ix_issued_subject_building")

    op.drop_table("issued_subject")
    with op.batch_alter_table("notice_building", schema=None) as batch_op:
        batch_op.drop_index("ix_notice_building_building")

    op.drop_table("notice_building")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index("ix_notice_issued_at")
        batch_op.drop_index("ix_notice_event")

    op.drop_table("notice")
    with op.batch_alter_table("issued_document", schema=None) as batch_op:
        batch_op.drop_index("ix_issued_document_sha256")
        batch_op.drop_index("ix_issued_document_reference")
        batch_op.drop_index("ix_issued_document_kind_at")
        batch_op.drop_index("ix_issued_document_issued_at")

    op.drop_table("issued_document")
    op.drop_table("notice_template")
