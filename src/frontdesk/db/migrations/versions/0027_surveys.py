"""Satisfaction surveys (issue 22): a survey, its dimensions, the households drawn
for it, the calls made and the scores given; the document register learns the kinds
survey_forms (满意度调查问卷, the paper forms printed for the sample) and work_report
(物业工作月报, the month's or the year's report).

Five new tables (survey, survey_dimension, survey_household, survey_call,
survey_score); the register's CHECK on `kind` takes both kinds (rebuilt in a batch
on SQLite with the triggers set aside, as 0023 and 0026 did).

Going down drops the tables and refuses a file whose register already holds survey
forms or a work report (the register keeps what it issued).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 05:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import one_of, replace_check
from frontdesk.errors import EnvironmentProblem

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

# The document kinds as 0026 left them; this revision adds survey_forms and work_report.
KINDS_BEFORE = (
    "receipt",
    "refund",
    "daily_report",
    "collection_report",
    "room_summary",
    "household_card",
    "reminder",
    "visitor_pass",
    "roll_call",
    "move_in",
    "handbook",
    "renovation_application",
    "renovation_permit",
    "worker_passes",
    "rectification",
    "renovation_acceptance",
    "renovation_guide",
    "notice",
    "letter",
    "work_order",
    "service_report",
)
KINDS_AFTER = (*KINDS_BEFORE, "survey_forms", "work_report")
DIMENSIONS = (
    "reception",
    "repairs",
    "security",
    "cleaning",
    "greening",
    "disclosure",
    "activities",
    "parking",
    "overall",
)


def upgrade() -> None:
    op.create_table(
        "survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=30), nullable=False),
        sa.Column("question", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("sampled_at", sa.DateTime(), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "population IS NULL OR population >= 0", name=op.f("ck_survey_population")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["app_user.id"],
            name=op.f("fk_survey_created_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey")),
        sa.UniqueConstraint("name", name=op.f("uq_survey_name")),
    )
    op.create_table(
        "survey_dimension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_dimension_survey_id_survey"),
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            one_of("dimension", DIMENSIONS),
            name=op.f("ck_survey_dimension_dimension"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_dimension")),
        sa.UniqueConstraint(
            "survey_id", "dimension", name=op.f("uq_survey_dimension_survey_id_dimension")
        ),
    )
    op.create_table(
        "survey_household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("paper", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_by", sa.String(length=40), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("open_answer", sa.String(length=500), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("attempts BETWEEN 0 AND 3", name=op.f("ck_survey_household_attempts")),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["app_user.id"],
            name=op.f("fk_survey_household_answered_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name=op.f("fk_survey_household_building_id_building"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_survey_household_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_household_survey_id_survey"),
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'answered', 'unreached', 'refused')",
            name=op.f("ck_survey_household_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_household")),
        sa.UniqueConstraint(
            "survey_id", "room_id", name=op.f("uq_survey_household_survey_id_room_id")
        ),
        sa.UniqueConstraint(
            "survey_id", "serial", name=op.f("uq_survey_household_survey_id_serial")
        ),
    )
    with op.batch_alter_table("survey_household", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_household_room_answered", ["room_id", "answered_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_survey_household_room_id"), ["room_id"], unique=False)

    op.create_table(
        "survey_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_household_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("called_by", sa.String(length=40), nullable=False),
        sa.Column("called_by_id", sa.Integer(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["called_by_id"],
            ["app_user.id"],
            name=op.f("fk_survey_call_called_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_survey_call_room_id_room"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["survey_household_id"],
            ["survey_household.id"],
            name=op.f("fk_survey_call_survey_household_id_survey_household"),
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            "outcome IN ('reached', 'no_answer', 'refused')", name=op.f("ck_survey_call_outcome")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_call")),
    )
    with op.batch_alter_table("survey_call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_call_room_id"), ["room_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_survey_call_survey_household_id"), ["survey_household_id"], unique=False
        )

    op.create_table(
        "survey_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_household_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_survey_score_score")),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_survey_score_room_id_room"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["survey_household_id"],
            ["survey_household.id"],
            name=op.f("fk_survey_score_survey_household_id_survey_household"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_order.id"],
            name=op.f("fk_survey_score_work_order_id_work_order"),
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            one_of("dimension", DIMENSIONS),
            name=op.f("ck_survey_score_dimension"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_score")),
        sa.UniqueConstraint(
            "survey_household_id",
            "dimension",
            name=op.f("uq_survey_score_survey_household_id_dimension"),
        ),
    )
    with op.batch_alter_table("survey_score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_score_room_id"), ["room_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_survey_score_survey_household_id"), ["survey_household_id"], unique=False
        )
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_AFTER))


def downgrade() -> None:
    if (
        op.get_bind()
        .execute(
            sa.text("SELECT 1 FROM issued_document WHERE kind IN ('survey_forms', 'work_report')")
        )
        .first()
    ):
        raise EnvironmentProblem("文档登记簿中已有满意度调查问卷或工作月报，不能降级到 0026。")
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_BEFORE))
    with op.batch_alter_table("survey_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_score_survey_household_id"))
        batch_op.drop_index(batch_op.f("ix_survey_score_room_id"))

    op.drop_table("survey_score")
    with op.batch_alter_table("survey_call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_call_survey_household_id"))
        batch_op.drop_index(batch_op.f("ix_survey_call_room_id"))

    op.drop_table("survey_call")
    with op.batch_alter_table("survey_household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_household_room_id"))
        batch_op.drop_index("ix_survey_household_room_answered")

    op.drop_table("survey_household")
    op.drop_table("survey_dimension")
    op.drop_table("survey")
