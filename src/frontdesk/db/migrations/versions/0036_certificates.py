"""证明开具: certificates issued at the counter, with their verification codes (issue 24).

`certificate` keeps each 物业费结清证明, 居住证明 and 装修押金已退证明: its number
(ZM2612070001), the verification code a bank or school reads back, for whom and what
it certified as printed, who issued it and its entry in the document register, and
when revoked, by whom and why (a CHECK keeps a revocation from lacking its reason).
Rows are listed by day (`issued_at`) and by room.

The document register learns the kind `certificate` (its CHECK is replaced). Going
down drops the table and that kind again, refused while the register holds a
certificate.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from frontdesk.db.migrations.rebuild import DOCUMENT_KINDS_0027, one_of, replace_check
from frontdesk.errors import EnvironmentProblem

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None

# The document kinds as 0035 left them (0027's and those 0031-0035 added); this
# revision adds certificate.
KINDS_BEFORE = (
    *DOCUMENT_KINDS_0027,
    "parcel_label",
    "key_return",
    "key_list",
    "goods_pass",
    "lost_claim",
)
KINDS_AFTER = (*KINDS_BEFORE, "certificate")


def upgrade() -> None:
    op.create_table(
        "certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "paid_up",
                "residence",
                "deposit_refunded",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("purpose", sa.String(length=60), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=40), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(length=40), nullable=False),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoke_reason", sa.String(length=200), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(revoked_at IS NULL AND revoke_reason = '') "
            "OR (revoked_at IS NOT NULL AND revoke_reason <> '')",
            name=op.f("ck_certificate_revoked_with_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["issued_document.id"],
            name=op.f("fk_certificate_document_id_issued_document"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["app_user.id"],
            name=op.f("fk_certificate_issued_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["app_user.id"],
            name=op.f("fk_certificate_revoked_by_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_certificate_room_id_room"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
        sa.UniqueConstraint("number", name=op.f("uq_certificate_number")),
    )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index("ix_certificate_issued_at", ["issued_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificate_room_id"), ["room_id"], unique=False)
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_AFTER))


def downgrade() -> None:
    held = sa.text("SELECT 1 FROM issued_document WHERE kind = 'certificate'")
    if op.get_bind().execute(held).first():
        raise EnvironmentProblem("文档登记簿中已有开具的证明，不能降级到 0035。")
    replace_check("issued_document", "ck_issued_document_kind", one_of("kind", KINDS_BEFORE))
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_room_id"))
        batch_op.drop_index("ix_certificate_issued_at")
    op.drop_table("certificate")
