"""Access cards out of JSON; who-did-it as a user id beside the name (issue 19 section 3).

- access_card: the door cards handed over at move-in, one row a card, moved out of
  the cards step's JSON detail (handover_step.detail {"cards": [...]}), where their
  uniqueness was a scan of every room's JSON. A number is unique in the database
  (one database serves one community) among cards not `disputed`.
  An older file may hold a number given to two rooms (typed twice, or written by a
  version that did not check): neither copy is dropped. Every copy of such a number
  is kept with disputed = 1, so both rooms' checklists show "与 … 重复，待核实" and the
  clerk decides which room really holds the card by recording that room's cards
  step again (which then holds the number; the other room's copy stays flagged until
  its own cards are corrected).
- `<verb>_by_id` beside each of the 24 `<verb>_by` name snapshots: the user's id
  (FK app_user, NULL for 系统, the demo and names that match no single account).
  Old rows are filled where the name matches exactly one account's display name
  (data_key.recovery_exported_by holds the user name, matched on that).
  booked_by and confirmed_by name the household member who asked or answered, not
  a user, and get no id.

On SQLite each table is copied (batch mode: a named foreign key needs it) and its
rows filled with the table's triggers set aside (posted money refuses UPDATE); its
triggers and indexes are put back from the file's own definitions, whatever the
migrations before wrote.

Settings kept as JSON (late-fee terms, reminder wording, payment details, handbook
values) keep their rows: db/settings.py reads any older shape (a renamed, missing or
extra field) and every save writes the current one.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 23:10:00
"""

from __future__ import annotations

import json
from collections import Counter

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import kept_as_defined

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# (table, verb): the column `<verb>_by` and its new `<verb>_by_id`.
WHO = (
    ("billing_run", "run"),
    ("meter_reading", "read"),
    ("bill", "created"),
    ("reduction", "granted"),
    ("receipt_print", "printed"),
    ("invoice_record", "recorded"),
    ("spoiled_form", "recorded"),
    ("attachment", "added"),
    ("late_fee_waiver", "granted"),
    ("notice_template", "updated"),
    ("renovation", "created"),
    ("renovation_violation", "recorded"),
    ("handover_batch", "created"),
    ("handover", "completed"),
    ("handover_step", "done"),
    ("defect", "recorded"),
    ("defect", "checked"),
    ("data_key", "recovery_exported"),
    ("visit_booking", "created"),
    ("visit_booking", "cancelled"),
    ("visit", "registered"),
    ("visit", "left"),
    ("watch_entry", "added"),
    ("watch_entry", "removed"),
)
# The snapshot is the user name here, the display name everywhere else.
BY_USERNAME = {("data_key", "recovery_exported")}


def _add_who_columns() -> None:
    """On SQLite a named foreign key needs the table copied (batch mode)."""
    for table, verbs in _by_table().items():
        with kept_as_defined(table), op.batch_alter_table(table) as batch_op:
            for verb in verbs:
                batch_op.add_column(sa.Column(f"{verb}_by_id", sa.Integer(), nullable=True))
                batch_op.create_foreign_key(
                    f"fk_{table}_{verb}_by_id_app_user",
                    "app_user",
                    [f"{verb}_by_id"],
                    ["id"],
                    ondelete="RESTRICT",
                )


def _by_table() -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    for table, verb in WHO:
        tables.setdefault(table, []).append(verb)
    return tables


def _backfill_who() -> None:
    """An old row's id where its name snapshot is exactly one account's name."""
    bind = op.get_bind()
    for table, verb in WHO:
        name = "username" if (table, verb) in BY_USERNAME else "display_name"
        by = f'"{table}"."{verb}_by"'
        statement = (
            f'UPDATE "{table}" SET "{verb}_by_id" = '
            f"(SELECT u.id FROM app_user u WHERE u.{name} = {by}) "
            f"WHERE {by} <> '' AND "
            f"(SELECT count(*) FROM app_user u WHERE u.{name} = {by}) = 1"
        )
        with kept_as_defined(table):
            bind.execute(sa.text(statement))


def _create_access_card() -> None:
    op.create_table(
        "access_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("disputed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["room.id"],
            name=op.f("fk_access_card_room_id_room"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["handover_step.id"],
            name=op.f("fk_access_card_step_id_handover_step"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_card")),
    )
    op.create_index(op.f("ix_access_card_room_id"), "access_card", ["room_id"])
    op.create_index(op.f("ix_access_card_step_id"), "access_card", ["step_id"])
    op.create_index(
        "uq_access_card_number",
        "access_card",
        ["number"],
        unique=True,
        sqlite_where=sa.text("NOT disputed"),
        postgresql_where=sa.text("NOT disputed"),
    )


def _cards_of(detail: str | None) -> tuple[list[str], dict[str, object]]:
    """The card numbers of a cards step's detail, and what else it held."""
    try:
        parsed = json.loads(detail or "{}")
    except ValueError:
        return [], {}
    if not isinstance(parsed, dict):
        return [], {}
    cards = parsed.pop("cards", [])
    if not isinstance(cards, list):
        cards = [cards]
    return [str(c).strip() for c in cards if str(c).strip()], parsed


def _move_cards_out_of_json() -> None:
    bind = op.get_bind()
    steps = bind.execute(
        sa.text(
            "SELECT id, room_id, detail FROM handover_step "
            "WHERE step = 'cards' ORDER BY done_at, id"
        )
    ).fetchall()
    found = [(step_id, room_id, *_cards_of(detail)) for step_id, room_id, detail in steps]
    copies = Counter(number for *_ids, cards, _rest in found for number in cards)
    for step_id, room_id, cards, rest in found:
        for number in cards:
            bind.execute(
                sa.text(
                    "INSERT INTO access_card (room_id, step_id, number, disputed) "
                    "VALUES (:room, :step, :number, :disputed)"
                ),
                {
                    "room": room_id,
                    "step": step_id,
                    "number": number,
                    "disputed": copies[number] > 1,
                },
            )
        bind.execute(
            sa.text("UPDATE handover_step SET detail = :detail WHERE id = :id"),
            {"detail": json.dumps(rest, ensure_ascii=False), "id": step_id},
        )


def upgrade() -> None:
    _create_access_card()
    _move_cards_out_of_json()
    _add_who_columns()
    _backfill_who()


def _move_cards_back_into_json() -> None:
    bind = op.get_bind()
    cards: dict[int, list[str]] = {}
    for step_id, number in bind.execute(
        sa.text("SELECT step_id, number FROM access_card ORDER BY id")
    ):
        cards.setdefault(step_id, []).append(number)
    for step_id, detail in bind.execute(
        sa.text("SELECT id, detail FROM handover_step WHERE step = 'cards'")
    ).fetchall():
        parsed = json.loads(detail or "{}")
        bind.execute(
            sa.text("UPDATE handover_step SET detail = :detail WHERE id = :id"),
            {
                "detail": json.dumps(
                    {"cards": cards.get(step_id, []), **parsed}, ensure_ascii=False
                ),
                "id": step_id,
            },
        )


def downgrade() -> None:
    for table, verbs in _by_table().items():
        with kept_as_defined(table), op.batch_alter_table(table) as batch_op:
            for verb in verbs:
                batch_op.drop_constraint(f"fk_{table}_{verb}_by_id_app_user", type_="foreignkey")
                batch_op.drop_column(f"{verb}_by_id")
    _move_cards_back_into_json()
    op.drop_index("uq_access_card_number", table_name="access_card")
    op.drop_index(op.f("ix_access_card_step_id"), table_name="access_card")
    op.drop_index(op.f("ix_access_card_room_id"), table_name="access_card")
    op.drop_table("access_card")
