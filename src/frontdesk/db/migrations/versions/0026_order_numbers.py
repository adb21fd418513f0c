"""Work-order numbers GD-YYMM-NNNN (issue 21): GD2612-0001 becomes GD-2612-0001; and
the document register learns the kind service_report (客服月报).

The issue writes an order's number with a hyphen after GD; the program now gives new
numbers that way. Going up rewrites each stored number of the old form
(GD + YYMM + '-' + count) in `work_order.number`, and the document register's
reference and title of the work-order papers (派工单/维修回执/处理回执, kind
work_order, whose reference and title begin with the order's number): the register
finds a paper's original by its reference when it is printed again, and a search by
the order's number should find its papers. The PDFs already issued and the audit log
(append-only) keep what they said, as do the notes of posted bills (维修 GD2612-0001：…),
which are money records.

The month's service report is now registered like the other reports: the register's
CHECK on `kind` takes service_report (rebuilt in a batch on SQLite, triggers set aside
while the table is copied, as 0023 did).

Going down writes the numbers back without the hyphen after GD, and refuses a file
whose register already holds a service report (the register keeps what it issued).

Plain SQL (substr, ||, LIKE) that SQLite and PostgreSQL both run; `_` in LIKE is any
one character, so 'GD____-%' is the old form and 'GD-____-%' the new.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import one_of, replace_check
from frontdesk.errors import EnvironmentProblem

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

# The document kinds as 0023 left them; this revision adds service_report.
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
)
KINDS_AFTER = (*KINDS_BEFORE, "service_report")
OLD = "GD____-%"  # GD2612-0001
NEW = "GD-____-%"  # GD-2612-0001


def _rewrite(pattern: str, add: str, cut: int) -> None:
    """Each value matching `pattern`: `add` after the letters GD, `cut` characters
    from position 3 on left out (SQL counts from 1)."""
    for table, column, only in (
        ("work_order", "number", ""),
        ("issued_document", "reference", " AND kind = 'work_order'"),
        ("issued_document", "title", " AND kind = 'work_order'"),
    ):
        op.execute(
            f"UPDATE {table} SET {column} = 'GD{add}' || substr({column}, {3 + cut}) "
            f"WHERE {column} LIKE '{pattern}'{only}"
        )


def upgrade() -> None:
    _rewrite(OLD, "-", 0)
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_AFTER))


def downgrade() -> None:
    if (
        op.get_bind()
        .execute(sa.text("SELECT 1 FROM issued_document WHERE kind = 'service_report'"))
        .first()
    ):
        raise EnvironmentProblem("文档登记簿中已有客服月报，不能降级到 0025。")
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_BEFORE))
    _rewrite(NEW, "", 1)
