"""Complaint handling (issue 21): the reply, the deadline, the supervisor's handling.

- work_order.replier: who gave a complaint's reply (答复人), a name as said (staff need
  not be program users); the reply itself is work_done and its time finished_at, as
  for every order's result.
- work_order.supervised_at / supervised_by / supervised_by_id: the last time a
  supervisor took up an overdue complaint (督办) and who (the name, and the user's id as
  every `*_by` has); the note, a new person or a new deadline are steps.
- work_order_event.step learns `deadline` (a complaint's deadline set or moved) and
  `supervise` (督办): its CHECK is replaced. SQLite changes a CHECK by copying the
  table, and a dropped table takes its triggers with it: every trigger is set aside
  first and put back as the file had it.

A complaint's deadline is its reply promise (finish_minutes, counted from the clock's
start with pauses left out), so no column holds it twice.

Going down refuses a file whose steps hold a deadline change or a 督办.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import kept_as_defined, one_of, replace_check
from frontdesk.errors import EnvironmentProblem

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

STEPS_BEFORE = (
    "take",
    "dispatch",
    "transfer",
    "return",
    "arrive",
    "pause",
    "resume",
    "finish",
    "callback",
    "callback_failed",
    "close",
    "reopen",
)
NEW_STEPS = ("deadline", "supervise")
STEPS_AFTER = (*STEPS_BEFORE, *NEW_STEPS)


def upgrade() -> None:
    # the foreign key copies the table: its partial index and triggers put back as they were
    with kept_as_defined("work_order"), op.batch_alter_table("work_order") as batch_op:
        batch_op.add_column(
            sa.Column("replier", sa.String(length=40), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("supervised_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("supervised_by", sa.String(length=40), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("supervised_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_work_order_supervised_by_id_app_user"),
            "app_user",
            ["supervised_by_id"],
            ["id"],
            ondelete="RESTRICT",
        )
    replace_check("work_order_event", "ck_work_order_event_step", one_of("step", STEPS_AFTER))


def downgrade() -> None:
    used = op.get_bind().scalar(
        sa.text("SELECT COUNT(*) FROM work_order_event WHERE step IN ('deadline', 'supervise')")
    )
    if used:
        raise EnvironmentProblem(
            f"该文件有 {used} 条投诉改期限或督办记录，无法降级到没有这些步骤的版本。"
        )
    replace_check("work_order_event", "ck_work_order_event_step", one_of("step", STEPS_BEFORE))
    with kept_as_defined("work_order"), op.batch_alter_table("work_order") as batch_op:
        batch_op.drop_constraint(
            op.f("fk_work_order_supervised_by_id_app_user"), type_="foreignkey"
        )
        batch_op.drop_column("supervised_by_id")
        batch_op.drop_column("supervised_by")
        batch_op.drop_column("supervised_at")
        batch_op.drop_column("replier")
