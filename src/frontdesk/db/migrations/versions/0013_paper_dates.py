"""Dates and numbers the renovation, move-in and notice papers need.

- renovation.permit_issued_on: the 装修许可证's 发证日期, kept when the permit is
  issued (the paper printed the print date); filled from the "permitted" step of
  the renovation's history.
- renovation_violation.notice_no: each 整改通知 its own number (ZG2612-0001, by the
  month it was found), not the renovation's; filled in the order found.
- handover.notice_on: the day the 入伙通知书 was issued; filled with the earliest of
  the batch's creation, the first checklist step and the appointment.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 17:30:00
"""

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _local_day(value: Any) -> date | None:
    """A stored UTC time (naive, or text on SQLite) as the counter's local date."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone().date()
    return value if isinstance(value, date) else None


def _day(value: Any) -> date | None:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def upgrade() -> None:
    with op.batch_alter_table("renovation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("permit_issued_on", sa.Date(), nullable=True))
    with op.batch_alter_table("renovation_violation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notice_no", sa.String(length=20), nullable=False, server_default="")
        )
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice_on", sa.Date(), nullable=True))

    bind = op.get_bind()
    renovation = sa.table("renovation", sa.column("id"), sa.column("permit_issued_on", sa.Date))
    permitted = bind.execute(
        sa.text(
            "SELECT renovation_id, min(at) FROM renovation_event "
            "WHERE kind = 'permitted' GROUP BY renovation_id"
        )
    ).all()
    for renovation_id, at in permitted:
        bind.execute(
            renovation.update()
            .where(renovation.c.id == renovation_id)
            .values(permit_issued_on=_local_day(at))
        )

    violation = sa.table("renovation_violation", sa.column("id"), sa.column("notice_no"))
    counts: dict[str, int] = defaultdict(int)
    for violation_id, found_on in bind.execute(
        sa.text("SELECT id, found_on FROM renovation_violation ORDER BY found_on, id")
    ).all():
        prefix = f"ZG{_day(found_on):%y%m}-"
        counts[prefix] += 1
        bind.execute(
            violation.update()
            .where(violation.c.id == violation_id)
            .values(notice_no=f"{prefix}{counts[prefix]:04d}")
        )

    handover = sa.table("handover", sa.column("id"), sa.column("notice_on", sa.Date))
    rows = bind.execute(
        sa.text(
            "SELECT h.id, b.created_at, h.appointment_at, "
            "(SELECT min(s.done_at) FROM handover_step s WHERE s.handover_id = h.id) "
            "FROM handover h LEFT JOIN handover_batch b ON b.id = h.batch_id"
        )
    ).all()
    for handover_id, batch_at, appointment_at, first_step_at in rows:
        days = [
            day
            for day in (_local_day(batch_at), _local_day(appointment_at), _local_day(first_step_at))
            if day is not None
        ]
        if days:
            bind.execute(
                handover.update().where(handover.c.id == handover_id).values(notice_on=min(days))
            )

    with op.batch_alter_table("renovation_violation", schema=None) as batch_op:
        batch_op.alter_column("notice_no", server_default=None)
        batch_op.create_index("ux_renovation_violation_notice_no", ["notice_no"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.drop_column("notice_on")
    with op.batch_alter_table("renovation_violation", schema=None) as batch_op:
        batch_op.drop_index("ux_renovation_violation_notice_no")
        batch_op.drop_column("notice_no")
    with op.batch_alter_table("renovation", schema=None) as batch_op:
        batch_op.drop_column("permit_issued_on")
