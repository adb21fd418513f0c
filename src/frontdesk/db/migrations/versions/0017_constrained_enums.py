"""Constrained enums and cross-column CHECKs (issue 19 section 3).

Every status, kind, method, role and purpose column gets a CHECK naming the values the
program writes (the domain enums' values, or the fixed sets of the code), and the rules
that join columns become CHECKs: a receipt is for a payment or a refund, never both or
neither; a deposit refund names its bill; no end date lies before its start date; a
bill's open amount is never negative. The stored values do not change.

An existing file holding a row that breaks one of them is refused before anything is
changed, naming the rows: the upgrade runs in one transaction and rolls back.

SQLite adds a CHECK by copying the table (batch mode), and a dropped table takes its
triggers with it: every trigger of the file is set aside first and put back exactly as
the file had it. PostgreSQL adds the constraints in place and keeps its triggers.

The values are written out here, not taken from the domain enums: a migration says
what the schema was at its revision, whatever the enums become later.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 23:10:00
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import one_of, triggers_set_aside
from frontdesk.errors import EnvironmentProblem

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# (table, column, the values it may hold); the constraint is ck_<table>_<column>.
ONE_OF: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("app_user", "role", ("clerk", "cashier", "butler", "supervisor", "admin")),
    (
        "attachment",
        "kind",
        ("产权证", "身份证件", "购房合同", "租赁合同", "验房照片", "装修照片", "其他"),
    ),
    ("care_need", "category", ("alone", "no_family", "disabled", "limited_mobility", "other")),
    ("cash_close", "kind", ("shift", "day")),
    ("data_key", "mode", ("keyring", "passphrase")),
    ("defect", "kind", ("墙面", "地面", "顶棚", "门窗", "水电", "防水", "管道", "设备", "其他")),
    ("defect", "status", ("open", "fixed", "closed")),
    ("fee_item", "collection", ("own", "on_behalf", "maintenance_fund", "deposit", "prepaid")),
    ("fee_item", "meter_kind", ("water", "electricity", "gas", "shared")),
    (
        "fee_item",
        "method",
        ("area_monthly", "fixed_monthly", "parking_monthly", "meter", "one_off", "deposit"),
    ),
    (
        "handover_step",
        "step",
        ("documents", "agreements", "owner_file", "fees", "meters", "keys", "cards", "handbook"),
    ),
    (
        "issued_document",
        "kind",
        (
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
        ),
    ),
    ("issued_document", "output", ("printed", "saved", "exported", "kept", "reprinted")),
    ("notice", "mode", ("lobby", "letter")),
    ("parking_use", "kind", ("owned", "rented")),
    ("person", "kind", ("owner", "resident", "tenant", "emergency")),
    ("price_plan", "room_type", ("residence", "shop", "parking", "storage")),
    ("reduction_rule", "room_status", ("unsold", "handed_over", "occupied", "vacant", "rented")),
    ("refund", "kind", ("prepaid", "deposit")),
    ("refund", "method", ("cash", "wechat", "alipay", "card", "transfer", "prepaid")),
    ("reminder", "channel", ("电话", "上门", "短信", "微信", "张贴", "书面送达", "挂号信")),
    (
        "renovation",
        "status",
        (
            "submitted",
            "reviewed",
            "approved",
            "rejected",
            "permitted",
            "in_progress",
            "stopped",
            "completed",
            "settled",
            "closed",
        ),
    ),
    ("renovation_bill", "purpose", ("deposit", "fee", "pass_fee", "pass_deposit")),
    (
        "renovation_event",
        "kind",
        (
            "submitted",
            "reviewed",
            "approved",
            "rejected",
            "permitted",
            "in_progress",
            "stopped",
            "completed",
            "settled",
            "closed",
            "extended",
            "extension_requested",
            "extension_refused",
            "violation",
            "stop_work",
            "resumed",
        ),
    ),
    ("renovation_inspection", "node", ("plumbing", "waterproof", "midterm", "completion")),
    ("room", "room_type", ("residence", "shop", "parking", "storage")),
    ("room", "status", ("unsold", "handed_over", "occupied", "vacant", "rented")),
    ("tender", "method", ("cash", "wechat", "alipay", "card", "transfer", "prepaid")),
    ("visit", "confirmation", ("phone", "booking", "escorted")),
    (
        "visit",
        "purpose",
        ("family", "delivery", "renovation", "repair", "viewing", "inspection", "other"),
    ),
    (
        "visit_booking",
        "purpose",
        ("family", "delivery", "renovation", "repair", "viewing", "inspection", "other"),
    ),
)

# (table, constraint name without ck_<table>_, condition).
RULES: tuple[tuple[str, str, str], ...] = (
    ("bill", "end_not_before_start", "end_on >= start_on"),
    ("bill_open", "open_not_negative", "open_fen >= 0"),
    ("handover_batch", "ends_not_before_start", "ends_on >= starts_on"),
    ("notice", "event_end_not_before_start", "event_end >= event_start"),
    ("parking_use", "end_not_before_start", "end_on >= start_on"),
    ("person", "lease_end_not_before_start", "lease_end >= lease_start"),
    (
        "receipt",
        "payment_or_refund",
        "(payment_id IS NULL AND refund_id IS NOT NULL) "
        "OR (payment_id IS NOT NULL AND refund_id IS NULL)",
    ),
    ("reduction_rule", "ends_not_before_start", "ends_on >= starts_on"),
    ("refund", "deposit_has_bill", "kind <> 'deposit' OR bill_id IS NOT NULL"),
    ("renovation", "ends_not_before_start", "ends_on >= starts_on"),
    ("visit_booking", "window_end_not_before_start", "window_end >= window_start"),
)

# The column that names a row in a refusal (every other table has its own id).
_ROW_KEY = {"bill_open": "bill_id"}
# Rows named per broken rule; the count says how many more there are.
_NAMED = 5


def _constraints() -> dict[str, list[tuple[str, str]]]:
    """table -> [(full constraint name, condition)]"""
    by_table: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for table, column, values in ONE_OF:
        by_table[table].append((f"ck_{table}_{column}", one_of(column, values)))
    for table, name, condition in RULES:
        by_table[table].append((f"ck_{table}_{name}", condition))
    return by_table


def _refuse_rows_that_break_them(connection: sa.Connection) -> None:
    """A CHECK passes where its condition is true or unknown (NULL): the rows it would
    refuse are those where the condition is false."""
    broken = []
    for table, constraints in _constraints().items():
        key = _ROW_KEY.get(table, "id")
        for name, condition in constraints:
            rows = (
                connection.execute(
                    sa.text(f"SELECT {key} FROM {table} WHERE NOT ({condition}) ORDER BY {key}")
                )
                .scalars()
                .all()
            )
            if rows:
                named = "、".join(str(row) for row in rows[:_NAMED])
                more = f" 等 {len(rows)} 行" if len(rows) > _NAMED else ""
                broken.append(f"表 {table} 的 {key} 为 {named}{more} 不符合 {name}（{condition}）")
    if broken:
        raise EnvironmentProblem(
            "数据库中有不符合数据规则的记录，升级已取消，文件保持原样：\n"
            + "\n".join(broken)
            + "\n请联系技术支持。"
        )


def upgrade() -> None:
    connection = op.get_bind()
    _refuse_rows_that_break_them(connection)
    with triggers_set_aside(connection):
        for table, constraints in sorted(_constraints().items()):
            with op.batch_alter_table(table, schema=None) as batch_op:
                for name, condition in constraints:
                    batch_op.create_check_constraint(op.f(name), condition)


def downgrade() -> None:
    with triggers_set_aside(op.get_bind()):
        for table, constraints in sorted(_constraints().items()):
            with op.batch_alter_table(table, schema=None) as batch_op:
                for name, _condition in constraints:
                    batch_op.drop_constraint(op.f(name), type_="check")
