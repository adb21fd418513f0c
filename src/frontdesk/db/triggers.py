"""The triggers that protect the evidence, as the migrations create them: one place
that `frontdesk check` compares the file's own definitions with, so a trigger replaced
by a no-op of the same name is named, not only a dropped one.

(Migrations 0002, 0004, 0005 and 0014 wrote these statements; old migrations keep
their own copies, as migrations must, and a test proves a new file matches this.)
"""

from __future__ import annotations

# Posted money rows refuse UPDATE and DELETE (migration 0004).
APPEND_ONLY_MONEY = (
    "bill",
    "payment",
    "tender",
    "allocation",
    "reduction",
    "prepaid_entry",
    "receipt",
    "receipt_void",
    "receipt_print",
    "invoice_record",
    "spoiled_form",
    "refund",
    "refund_deduction",
    "cash_close",
    "billing_run",
)

# bill_open follows every money row that changes what a bill owes (migration 0005).
BILL_OPEN = {
    "bill_open_on_bill": (
        "AFTER INSERT ON bill BEGIN "
        "INSERT INTO bill_open (bill_id, room_id, open_fen) "
        "VALUES (NEW.id, NEW.room_id, NEW.due_fen); END"
    ),
    "bill_open_on_allocation": (
        "AFTER INSERT ON allocation BEGIN "
        "UPDATE bill_open SET open_fen = open_fen - NEW.amount_fen "
        "WHERE bill_id = NEW.bill_id; END"
    ),
    "bill_open_on_reduction": (
        "AFTER INSERT ON reduction BEGIN "
        "UPDATE bill_open SET open_fen = open_fen - NEW.amount_fen "
        "WHERE bill_id = NEW.bill_id; END"
    ),
}

# The audit log's head counter only moves forward and is never removed (migration 0014).
AUDIT_HEAD = {
    "audit_head_no_rewind": (
        "BEFORE UPDATE ON audit_head "
        "WHEN NEW.entries < OLD.entries OR NEW.last_id < OLD.last_id "
        "BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END"
    ),
    "audit_head_no_delete": (
        "BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'audit_head is kept'); END"
    ),
}


def _append_only(table: str, verb: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    )


def expected_triggers() -> dict[str, tuple[str, str]]:
    """name -> (table it protects, its CREATE TRIGGER statement)."""
    expected: dict[str, tuple[str, str]] = {}
    for table in ("audit_log", *APPEND_ONLY_MONEY):
        for verb in ("UPDATE", "DELETE"):
            expected[f"{table}_no_{verb.lower()}"] = (table, _append_only(table, verb))
    for name, body in BILL_OPEN.items():
        expected[name] = ("bill_open", f"CREATE TRIGGER {name} {body}")
    for name, body in AUDIT_HEAD.items():
        expected[name] = ("audit_head", f"CREATE TRIGGER {name} {body}")
    return expected


def normalised(sql: str) -> str:
    """A definition with its spacing, case and final semicolon set aside."""
    return " ".join(sql.replace(";", " ; ").split()).rstrip(" ;").lower()
