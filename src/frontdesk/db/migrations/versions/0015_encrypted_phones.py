"""Phone numbers encrypted at rest, with keyed look-up values (issue 18 section 2).

The phone columns widen for the sealed form (`e1:<lookup>:<nonce+ciphertext>`);
the person's `phone_reversed` (a clear copy of the phone, reversed for tail search)
goes, with its index; `phone_lookup` takes its place: keyed tokens of each digit
tail of the searchable phones (residents, visitors).

The numbers themselves are encrypted, and their look-ups filled, on first open with
the key (services/data_key._seal): a migration has no key. Downgrading cannot
decrypt either: phones sealed since stay sealed in their wide columns, and
`phone_reversed` comes back empty (the old tail search finds nothing).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 20:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_PHONES = {
    "person": ("phone",),
    "visit": ("visitor_phone",),
    "visit_booking": ("visitor_phone",),
    "watch_entry": ("phone",),
    "renovation": ("applicant_phone", "contractor_phone"),
    "renovation_worker": ("phone",),
}


def upgrade() -> None:
    op.create_table(
        "phone_lookup",
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("token", sa.String(length=24), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "token", "row_id", name=op.f("pk_phone_lookup")),
    )
    with op.batch_alter_table("phone_lookup", schema=None) as batch_op:
        batch_op.create_index("ix_phone_lookup_row", ["entity", "row_id"], unique=False)
    for table, columns in _PHONES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == "person":
                batch_op.drop_index("ix_person_phone_reversed")
                batch_op.drop_column("phone_reversed")
            for column in columns:
                batch_op.alter_column(
                    column,
                    existing_type=sa.VARCHAR(length=30),
                    type_=sa.String(length=200),
                    existing_nullable=False,
                )
            if table == "person":
                batch_op.create_index("ix_person_phone", ["phone"], unique=False)


def downgrade() -> None:
    # The columns stay wide: sealed phones (no key here to open them) must still fit.
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_phone")
        batch_op.add_column(
            sa.Column("phone_reversed", sa.String(length=30), nullable=False, server_default="")
        )
        batch_op.create_index("ix_person_phone_reversed", ["phone_reversed"], unique=False)
    with op.batch_alter_table("phone_lookup", schema=None) as batch_op:
        batch_op.drop_index("ix_phone_lookup_row")
    op.drop_table("phone_lookup")
