"""The service desk (issue 21): work orders (工单) of five kinds, every step of each,
the staff they are sent to, and the categories with their promises.

- service_category: 水电, 土建 … with the team usually sent and, per urgency, the
  minutes promised to arrive, to finish and to call back (domain.service_desk);
  filled with the default categories at the plan's promises.
- service_staff: the people orders go to (name, team, phone, on duty), not
  necessarily program users.
- work_order: one 工单 (GD2612-0001), its promises copied from its category, its
  clock (started_at, paused_at, paused_seconds) and the due time of the promise now
  running (due_at, read by the board through the partial index ix_work_order_open_due).
- work_order_event: each step, who and when, to whom, and why.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# name, team: the default categories of domain.service_desk.DEFAULT_CATEGORIES as they
# stood when this revision was written (a migration does not follow later code).
CATEGORIES = (
    ("水电", "engineering"),
    ("土建", "engineering"),
    ("门窗", "engineering"),
    ("电梯", "engineering"),
    ("公区照明", "engineering"),
    ("绿化", "greening"),
    ("保洁", "cleaning"),
    ("秩序", "order"),
    ("噪音", "order"),
    ("停车", "order"),
    ("宠物", "order"),
    ("装修扰民", "order"),
    ("服务态度", "service"),
    ("其他", "service"),
)
# urgent: on site in 30 min, done in 4 h, called back in 24 h; ordinary: 2 h, 24 h, 48 h
PROMISES = {
    "urgent_arrive_minutes": 30,
    "urgent_finish_minutes": 240,
    "urgent_callback_minutes": 1440,
    "arrive_minutes": 120,
    "finish_minutes": 1440,
    "callback_minutes": 2880,
}


def upgrade() -> None:
    op.create_table(
        "service_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column(
            "team",
            sa.String(length=20),
            nullable=False,
        ),
        sa.Column("urgent_arrive_minutes", sa.Integer(), nullable=False),
        sa.Column("urgent_finish_minutes", sa.Integer(), nullable=False),
        sa.Column("urgent_callback_minutes", sa.Integer(), nullable=False),
        sa.Column("arrive_minutes", sa.Integer(), nullable=False),
        sa.Column("finish_minutes", sa.Integer(), nullable=False),
        sa.Column("callback_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "team IN ('engineering', 'cleaning', 'order', 'greening', 'service')",
            name=op.f("ck_service_category_team"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_category")),
        sa.UniqueConstraint("name", name=op.f("uq_service_category_name")),
    )
    op.create_table(
        "service_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column(
            "team",
            sa.String(length=20),
            nullable=False,
        ),
        sa.Column("phone", sa.String(length=200), nullable=False),
        sa.Column("on_duty", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_service_staff_user_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            "team IN ('engineering', 'cleaning', 'order', 'greening', 'service')",
            name=op.f("ck_service_staff_team"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_staff")),
    )
    op.create_table(
        "work_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column(
            "kind",
            sa.String(length=20),
            nullable=False,
        ),
        sa.Column(
            "channel",
            sa.String(length=20),
            nullable=False,
        ),
        sa.Column(
            "urgency",
            sa.String(length=20),
            nullable=False,
        ),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.String(length=20),
            nullable=False,
        ),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("place_building_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=60), nullable=False),
        sa.Column("caller_name", sa.String(length=40), nullable=False),
        sa.Column("caller_phone", sa.String(length=200), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("appointment_from", sa.DateTime(), nullable=True),
        sa.Column("appointment_to", sa.DateTime(), nullable=True),
        sa.Column("arrive_minutes", sa.Integer(), nullable=True),
        sa.Column("finish_minutes", sa.Integer(), nullable=False),
        sa.Column("callback_minutes", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("paused_at", sa.DateTime(), nullable=True),
        sa.Column("paused_seconds", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column(
            "due_stage",
            sa.String(length=20),
            nullable=True,
        ),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("taken_by", sa.String(length=40), nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column(
            "team",
            sa.String(length=20),
            nullable=True,
        ),
        sa.Column("arrived_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("work_done", sa.String(length=500), nullable=False),
        sa.Column("materials", sa.String(length=500), nullable=False),
        sa.Column("failed_callbacks", sa.Integer(), nullable=False),
        sa.Column("called_back_at", sa.DateTime(), nullable=True),
        sa.Column("score_speed", sa.Integer(), nullable=True),
        sa.Column("score_quality", sa.Integer(), nullable=True),
        sa.Column("score_attitude", sa.Integer(), nullable=True),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("owner_words", sa.String(length=500), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.CheckConstraint("failed_callbacks >= 0", name=op.f("ck_work_order_failed_callbacks")),
        sa.CheckConstraint("paused_seconds >= 0", name=op.f("ck_work_order_paused_seconds")),
        sa.CheckConstraint(
            "score_attitude IS NULL OR score_attitude BETWEEN 1 AND 5",
            name=op.f("ck_work_order_score_attitude"),
        ),
        sa.CheckConstraint(
            "score_quality IS NULL OR score_quality BETWEEN 1 AND 5",
            name=op.f("ck_work_order_score_quality"),
        ),
        sa.CheckConstraint(
            "score_speed IS NULL OR score_speed BETWEEN 1 AND 5",
            name=op.f("ck_work_order_score_speed"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["service_category.id"],
            name=op.f("fk_work_order_category_id_service_category"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["place_building_id"],
            ["building.id"],
            name=op.f("fk_work_order_place_building_id_building"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_work_order_room_id_room"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["service_staff.id"],
            name=op.f("fk_work_order_staff_id_service_staff"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"],
            ["app_user.id"],
            name=op.f("fk_work_order_taken_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            "kind IN ("
            "'repair_home', 'repair_public', 'complaint', 'enquiry', 'suggestion', 'praise')",
            name=op.f("ck_work_order_kind"),
        ),
        sa.CheckConstraint(
            "channel IN ('phone', 'visit', 'butler', 'group', 'patrol')",
            name=op.f("ck_work_order_channel"),
        ),
        sa.CheckConstraint(
            "urgency IN ('urgent', 'normal')",
            name=op.f("ck_work_order_urgency"),
        ),
        sa.CheckConstraint(
            "status IN ('accepted', 'dispatched', 'arrived', 'finished', 'called_back', 'closed')",
            name=op.f("ck_work_order_status"),
        ),
        sa.CheckConstraint(
            "due_stage IN ('arrive', 'finish', 'callback')",
            name=op.f("ck_work_order_due_stage"),
        ),
        sa.CheckConstraint(
            "team IN ('engineering', 'cleaning', 'order', 'greening', 'service')",
            name=op.f("ck_work_order_team"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order")),
        sa.UniqueConstraint("number", name=op.f("uq_work_order_number")),
    )
    with op.batch_alter_table("work_order", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_work_order_category_id"), ["category_id"], unique=False
        )
        batch_op.create_index(
            "ix_work_order_open_due",
            ["due_at"],
            unique=False,
            sqlite_where=sa.text("status != 'closed'"),
            postgresql_where=sa.text("status != 'closed'"),
        )
        batch_op.create_index(
            "ix_work_order_place", ["place_building_id", "category_id", "taken_at"], unique=False
        )
        batch_op.create_index("ix_work_order_room_taken", ["room_id", "taken_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_order_staff_id"), ["staff_id"], unique=False)
        batch_op.create_index("ix_work_order_taken_at", ["taken_at"], unique=False)

    op.create_table(
        "work_order_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column(
            "step",
            sa.String(length=20),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("done_by", sa.String(length=40), nullable=False),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column(
            "team",
            sa.String(length=20),
            nullable=True,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("score_speed", sa.Integer(), nullable=True),
        sa.Column("score_quality", sa.Integer(), nullable=True),
        sa.Column("score_attitude", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "score_attitude IS NULL OR score_attitude BETWEEN 1 AND 5",
            name=op.f("ck_work_order_event_score_attitude"),
        ),
        sa.CheckConstraint(
            "score_quality IS NULL OR score_quality BETWEEN 1 AND 5",
            name=op.f("ck_work_order_event_score_quality"),
        ),
        sa.CheckConstraint(
            "score_speed IS NULL OR score_speed BETWEEN 1 AND 5",
            name=op.f("ck_work_order_event_score_speed"),
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"],
            ["app_user.id"],
            name=op.f("fk_work_order_event_done_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_work_order_event_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["service_staff.id"],
            name=op.f("fk_work_order_event_staff_id_service_staff"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_order.id"],
            name=op.f("fk_work_order_event_work_order_id_work_order"),
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            "step IN ("
            "'take', 'dispatch', 'transfer', 'return', 'arrive', 'pause', 'resume', 'finish', "
            "'callback', 'callback_failed', 'close', 'reopen')",
            name=op.f("ck_work_order_event_step"),
        ),
        sa.CheckConstraint(
            "team IN ('engineering', 'cleaning', 'order', 'greening', 'service')",
            name=op.f("ck_work_order_event_team"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_event")),
    )
    with op.batch_alter_table("work_order_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_work_order_event_work_order_id"), ["work_order_id"], unique=False
        )

    category = sa.table(
        "service_category",
        sa.column("name", sa.String),
        sa.column("team", sa.String),
        sa.column("active", sa.Boolean),
        sa.column("sort_order", sa.Integer),
        *(sa.column(name, sa.Integer) for name in PROMISES),
    )
    op.bulk_insert(
        category,
        [
            {"name": name, "team": team, "active": True, "sort_order": order, **PROMISES}
            for order, (name, team) in enumerate(CATEGORIES, start=1)
        ],
    )


def downgrade() -> None:
    for table in ("work_order_event", "work_order", "service_staff", "service_category"):
        op.drop_table(table)
