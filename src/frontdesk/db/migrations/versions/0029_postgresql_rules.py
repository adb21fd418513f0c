"""PostgreSQL's own rules (issue 23): a server database protects the evidence as a
SQLite file does. Nothing changes on SQLite, whose rules revisions 0002-0028 made.

On PostgreSQL, each trigger runs a plpgsql function of its own name:
- the append-only tables (posted money rows, the audit log) refuse UPDATE and DELETE
  ('<table> is append-only'), and TRUNCATE, which skips row triggers;
- audit_head only moves forward and is kept (0014's rules);
- bill_open (0005) and collection_tally (0028) are kept by triggers on the inserts of
  bills, allocations and reductions; both are first computed again from the money rows,
  which no trigger kept on PostgreSQL before this revision;
- uq_bill_room_item_period and ix_visit_inside, partial only on SQLite until now, are
  partial on PostgreSQL too.
Refusals are raised as restrict_violation, an integrity error as SQLite's are.

Going down drops the triggers and their functions and makes the two indexes whole
again, as they were.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

# The rules as this revision defines them (a migration keeps its own copy).
APPEND_ONLY = (
    "allocation",
    "audit_log",
    "bill",
    "billing_run",
    "cash_close",
    "invoice_record",
    "payment",
    "prepaid_entry",
    "receipt",
    "receipt_print",
    "receipt_void",
    "reduction",
    "refund",
    "refund_deduction",
    "repair_charge",
    "repair_charge_line",
    "spoiled_form",
    "tender",
)
_REFUSE = "RAISE EXCEPTION '{}' USING ERRCODE = 'restrict_violation';"
# name -> (what follows CREATE TRIGGER <name> up to EXECUTE FUNCTION, its function's body)
TRIGGERS: dict[str, tuple[str, str]] = {
    **{
        f"{table}_no_{verb.lower()}": (
            f"BEFORE {verb} ON {table} FOR EACH {'STATEMENT' if verb == 'TRUNCATE' else 'ROW'}",
            _REFUSE.format(f"{table} is append-only"),
        )
        for table in APPEND_ONLY
        for verb in ("UPDATE", "DELETE", "TRUNCATE")
    },
    "audit_head_no_rewind": (
        "BEFORE UPDATE ON audit_head FOR EACH ROW "
        "WHEN (NEW.entries < OLD.entries OR NEW.last_id < OLD.last_id)",
        _REFUSE.format("audit_head only moves forward"),
    ),
    "audit_head_no_delete": (
        "BEFORE DELETE ON audit_head FOR EACH ROW",
        _REFUSE.format("audit_head is kept"),
    ),
    "audit_head_no_truncate": (
        "BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT",
        _REFUSE.format("audit_head is kept"),
    ),
    "bill_open_on_bill": (
        "AFTER INSERT ON bill FOR EACH ROW",
        "INSERT INTO bill_open (bill_id, room_id, open_fen) "
        "VALUES (NEW.id, NEW.room_id, NEW.due_fen); RETURN NULL;",
    ),
    "bill_open_on_allocation": (
        "AFTER INSERT ON allocation FOR EACH ROW",
        "UPDATE bill_open SET open_fen = open_fen - NEW.amount_fen "
        "WHERE bill_id = NEW.bill_id; RETURN NULL;",
    ),
    "bill_open_on_reduction": (
        "AFTER INSERT ON reduction FOR EACH ROW",
        "UPDATE bill_open SET open_fen = open_fen - NEW.amount_fen "
        "WHERE bill_id = NEW.bill_id; RETURN NULL;",
    ),
    "collection_tally_on_bill": (
        "AFTER INSERT ON bill FOR EACH ROW WHEN (NEW.period IS NOT NULL)",
        "INSERT INTO collection_tally (period, building_id, fee_item_id, billed_fen, "
        "reduced_at_billing_fen, reduced_later_fen, collected_fen) "
        "SELECT NEW.period, room.building_id, NEW.fee_item_id, NEW.amount_fen, "
        "NEW.reduction_fen, 0, 0 FROM room WHERE room.id = NEW.room_id "
        "ON CONFLICT (period, building_id, fee_item_id) DO UPDATE SET "
        "billed_fen = collection_tally.billed_fen + excluded.billed_fen, "
        "reduced_at_billing_fen = "
        "collection_tally.reduced_at_billing_fen + excluded.reduced_at_billing_fen; "
        "RETURN NULL;",
    ),
    "collection_tally_on_allocation": (
        "AFTER INSERT ON allocation FOR EACH ROW",
        "UPDATE collection_tally SET collected_fen = collected_fen + NEW.amount_fen "
        "WHERE (period, building_id, fee_item_id) = (SELECT bill.period, "
        "room.building_id, bill.fee_item_id FROM bill JOIN room ON room.id = bill.room_id "
        "WHERE bill.id = NEW.bill_id); RETURN NULL;",
    ),
    "collection_tally_on_reduction": (
        "AFTER INSERT ON reduction FOR EACH ROW",
        "UPDATE collection_tally SET reduced_later_fen = reduced_later_fen + NEW.amount_fen "
        "WHERE (period, building_id, fee_item_id) = (SELECT bill.period, "
        "room.building_id, bill.fee_item_id FROM bill JOIN room ON room.id = bill.room_id "
        "WHERE bill.id = NEW.bill_id); RETURN NULL;",
    ),
}
# The kept tables computed again from the money rows (as db/kept_totals.py does).
REFILL = (
    "DELETE FROM bill_open",
    "INSERT INTO bill_open (bill_id, room_id, open_fen) "
    "SELECT b.id, b.room_id, b.due_fen "
    "- COALESCE((SELECT SUM(a.amount_fen) FROM allocation a WHERE a.bill_id = b.id), 0) "
    "- COALESCE((SELECT SUM(r.amount_fen) FROM reduction r WHERE r.bill_id = b.id), 0) "
    "FROM bill b",
    "DELETE FROM collection_tally",
    "INSERT INTO collection_tally (period, building_id, fee_item_id, billed_fen, "
    "reduced_at_billing_fen, reduced_later_fen, collected_fen) "
    "SELECT b.period, room.building_id, b.fee_item_id, SUM(b.amount_fen), "
    "SUM(b.reduction_fen), "
    "COALESCE(SUM((SELECT SUM(r.amount_fen) FROM reduction r WHERE r.bill_id = b.id)), 0), "
    "COALESCE(SUM((SELECT SUM(a.amount_fen) FROM allocation a WHERE a.bill_id = b.id)), 0) "
    "FROM bill b JOIN room ON room.id = b.room_id WHERE b.period IS NOT NULL "
    "GROUP BY b.period, room.building_id, b.fee_item_id",
)
# index -> (table, columns, unique, the condition it is partial on)
PARTIAL = {
    "uq_bill_room_item_period": (
        "bill",
        ["room_id", "fee_item_id", "period"],
        True,
        "period IS NOT NULL",
    ),
    "ix_visit_inside": ("visit", ["arrived_at"], False, "left_at IS NULL"),
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for name, (table, columns, unique, condition) in PARTIAL.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, unique=unique, postgresql_where=sa.text(condition))
    for statement in REFILL:
        bind.exec_driver_sql(statement)
    for name, (on, body) in TRIGGERS.items():
        bind.exec_driver_sql(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN {body} END$$"
        )
        bind.exec_driver_sql(f"CREATE TRIGGER {name} {on} EXECUTE FUNCTION {name}()")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for name, (on, _body) in TRIGGERS.items():
        table = on.split(" ON ")[1].split()[0]
        bind.exec_driver_sql(f"DROP TRIGGER {name} ON {table}")
        bind.exec_driver_sql(f"DROP FUNCTION {name}()")
    for name, (table, columns, unique, _condition) in PARTIAL.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, unique=unique)
