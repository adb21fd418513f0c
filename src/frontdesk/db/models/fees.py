"""Fee items, price plans, bills, payments, receipts, voids, refunds and closes.

Money columns are integer fen. Posted money rows (payment, tender, allocation,
receipt, void, refund, prepaid entry) are only ever inserted: a void or refund is
a new row, and negative allocation/prepaid rows reverse the originals exactly, so
every balance is a plain SUM.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, ByUser, UTCDateTime, enum_column, one_of, utcnow
from frontdesk.db.models.households import RoomRecord
from frontdesk.domain.fees import MONEY_SERIES, Collection, FeeMethod, MeterKind, PayMethod
from frontdesk.domain.money import format_yuan
from frontdesk.domain.rooms import RoomStatus, RoomType

# A refund pays back the prepaid balance, or a deposit (less deductions).
REFUND_KINDS = ("prepaid", "deposit")
# 交班 of a shift, 日结 of a day.
CLOSE_KINDS = ("shift", "day")


class FeeItem(Base):
    __tablename__ = "fee_item"
    __audit_label__ = "收费项目"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    category: Mapped[str] = mapped_column(String(40))  # 物业服务费/停车费/水电费/…
    method: Mapped[FeeMethod] = mapped_column(enum_column(FeeMethod, "method"))
    collection: Mapped[Collection] = mapped_column(enum_column(Collection, "collection"))
    meter_kind: Mapped[MeterKind | None] = mapped_column(enum_column(MeterKind, "meter_kind"))
    # 计量单位 of the price (元/㎡/月, 元/吨, 元/张 …): receipts and the handbook print it.
    unit: Mapped[str] = mapped_column(String(12), server_default="元/次")
    sort_key: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def audit_title(self) -> str:
        return self.name


class PricePlan(Base):
    """A unit price for an item, from a date, for all rooms or one building / room type.
    The most specific plan in force on a period's first day applies."""

    __tablename__ = "price_plan"
    __table_args__ = (CheckConstraint("unit_price >= 0", name="price_not_negative"),)
    __audit_label__ = "收费标准"

    id: Mapped[int] = mapped_column(primary_key=True)
    fee_item_id: Mapped[int] = mapped_column(ForeignKey("fee_item.id", ondelete="RESTRICT"))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id", ondelete="RESTRICT"))
    # None = every type
    room_type: Mapped[RoomType | None] = mapped_column(enum_column(RoomType, "room_type"))
    unit_price: Mapped[int] = mapped_column(Integer)  # yuan × 10,000
    multiplier: Mapped[int] = mapped_column(Integer, default=1)  # meters: 倍率
    starts_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")

    def audit_title(self) -> str:
        return f"{self.fee_item_id} 自 {self.starts_on}"


class ReductionRule(Base):
    """A standing reduction, e.g. 空置房物业费按 70% 收取, with its reason."""

    __tablename__ = "reduction_rule"
    __table_args__ = (
        CheckConstraint("percent_off BETWEEN 1 AND 100", name="percent_range"),
        CheckConstraint("ends_on >= starts_on", name="ends_not_before_start"),
    )
    __audit_label__ = "减免规则"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    fee_item_id: Mapped[int] = mapped_column(ForeignKey("fee_item.id", ondelete="RESTRICT"))
    room_status: Mapped[RoomStatus] = mapped_column(enum_column(RoomStatus, "room_status"))
    percent_off: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    def audit_title(self) -> str:
        return self.name


class BillingRun(Base):
    __tablename__ = "billing_run"
    __append_only__ = True
    __audit_label__ = "账单生成"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7))
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    run_by: Mapped[str] = mapped_column(String(40))
    run_by_id: Mapped[ByUser]
    bills: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(Integer)

    def audit_title(self) -> str:
        return f"{self.period}：{self.bills} 笔"


class MeterReading(RoomRecord):
    __tablename__ = "meter_reading"
    __table_args__ = (UniqueConstraint("room_id", "fee_item_id", "period"),)
    __audit_label__ = "抄表"

    id: Mapped[int] = mapped_column(primary_key=True)
    fee_item_id: Mapped[int] = mapped_column(ForeignKey("fee_item.id", ondelete="RESTRICT"))
    period: Mapped[str] = mapped_column(String(7))
    previous_x100: Mapped[int] = mapped_column(Integer)
    current_x100: Mapped[int] = mapped_column(Integer)
    read_on: Mapped[date] = mapped_column(Date)
    read_by: Mapped[str] = mapped_column(String(40))
    read_by_id: Mapped[ByUser]
    # 数据导入: the old system's last reading, the first month's previous one.
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )

    def audit_title(self) -> str:
        return f"{self.period}"


class Bill(RoomRecord):
    """What a room owes for one item and period (period None for one-off charges)."""

    __tablename__ = "bill"
    __append_only__ = True
    # An import undone before anything touched it takes its carried-over bills away.
    __undoable_import__ = True
    __table_args__ = (
        Index(
            "uq_bill_room_item_period",
            "room_id",
            "fee_item_id",
            "period",
            unique=True,
            sqlite_where=text("period IS NOT NULL"),
            postgresql_where=text("period IS NOT NULL"),
        ),
        Index("ix_bill_period", "period"),
        CheckConstraint(
            "due_fen = amount_fen - reduction_fen", name="due_is_amount_less_reduction"
        ),
        CheckConstraint(
            "reduction_fen >= 0 AND reduction_fen <= amount_fen", name="reduction_range"
        ),
        CheckConstraint("end_on >= start_on", name="end_not_before_start"),
    )
    __audit_label__ = "账单"

    id: Mapped[int] = mapped_column(primary_key=True)
    fee_item_id: Mapped[int] = mapped_column(ForeignKey("fee_item.id", ondelete="RESTRICT"))
    period: Mapped[str | None] = mapped_column(String(7))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    quantity_x100: Mapped[int] = mapped_column(Integer)  # m², 吨, 度, spaces, months × 100
    unit_price: Mapped[int] = mapped_column(Integer)  # yuan × 10,000
    amount_fen: Mapped[int] = mapped_column(Integer)
    reduction_fen: Mapped[int] = mapped_column(Integer, default=0)
    reduction_reason: Mapped[str] = mapped_column(String(200), default="")
    due_fen: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(40))
    created_by_id: Mapped[ByUser]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("billing_run.id", ondelete="RESTRICT"))
    # 期初欠费 carried over from the old system by this import (None: billed here).
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )

    def audit_title(self) -> str:
        return f"{self.period or ''} {self.description}".strip()


class CollectionTally(Base):
    """收缴率's sums per billing period, building and fee item — billed, reduced on the
    bill, reduced later, collected (net of voids) — kept by triggers as each bill,
    allocation and reduction is inserted, in its own transaction, as `bill_open` is.
    The twelve months' 收缴率 and the monthly report read these few rows instead of a
    year of bills and allocations; `frontdesk check` compares them with the money rows."""

    __tablename__ = "collection_tally"
    __audit_label__ = "收缴汇总"
    __triggers__: ClassVar[dict[str, str]] = {
        "collection_tally_on_bill": (
            "AFTER INSERT ON bill WHEN NEW.period IS NOT NULL BEGIN "
            "INSERT INTO collection_tally (period, building_id, fee_item_id, billed_fen, "
            "reduced_at_billing_fen, reduced_later_fen, collected_fen) "
            "SELECT NEW.period, room.building_id, NEW.fee_item_id, NEW.amount_fen, "
            "NEW.reduction_fen, 0, 0 FROM room WHERE room.id = NEW.room_id "
            "ON CONFLICT (period, building_id, fee_item_id) DO UPDATE SET "
            "billed_fen = billed_fen + excluded.billed_fen, "
            "reduced_at_billing_fen = reduced_at_billing_fen + excluded.reduced_at_billing_fen; "
            "END"
        ),
        "collection_tally_on_allocation": (
            "AFTER INSERT ON allocation BEGIN "
            "UPDATE collection_tally SET collected_fen = collected_fen + NEW.amount_fen "
            "WHERE (period, building_id, fee_item_id) = (SELECT bill.period, "
            "room.building_id, bill.fee_item_id FROM bill JOIN room ON room.id = bill.room_id "
            "WHERE bill.id = NEW.bill_id); END"
        ),
        "collection_tally_on_reduction": (
            "AFTER INSERT ON reduction BEGIN "
            "UPDATE collection_tally SET reduced_later_fen = reduced_later_fen + NEW.amount_fen "
            "WHERE (period, building_id, fee_item_id) = (SELECT bill.period, "
            "room.building_id, bill.fee_item_id FROM bill JOIN room ON room.id = bill.room_id "
            "WHERE bill.id = NEW.bill_id); END"
        ),
        # an undone import's carried-over bills leave the sums they entered
        "collection_tally_off_bill": (
            "AFTER DELETE ON bill WHEN OLD.period IS NOT NULL BEGIN "
            "UPDATE collection_tally SET billed_fen = billed_fen - OLD.amount_fen, "
            "reduced_at_billing_fen = reduced_at_billing_fen - OLD.reduction_fen "
            "WHERE (period, building_id, fee_item_id) = (SELECT OLD.period, "
            "room.building_id, OLD.fee_item_id FROM room WHERE room.id = OLD.room_id); END"
        ),
    }
    __postgresql_triggers__: ClassVar[dict[str, tuple[str, str]]] = {
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
        "collection_tally_off_bill": (
            "AFTER DELETE ON bill FOR EACH ROW WHEN (OLD.period IS NOT NULL)",
            "UPDATE collection_tally SET billed_fen = billed_fen - OLD.amount_fen, "
            "reduced_at_billing_fen = reduced_at_billing_fen - OLD.reduction_fen "
            "WHERE (period, building_id, fee_item_id) = (SELECT OLD.period, "
            "room.building_id, OLD.fee_item_id FROM room WHERE room.id = OLD.room_id); "
            "RETURN NULL;",
        ),
    }

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    building_id: Mapped[int] = mapped_column(
        ForeignKey("building.id", ondelete="RESTRICT"), primary_key=True
    )
    fee_item_id: Mapped[int] = mapped_column(
        ForeignKey("fee_item.id", ondelete="RESTRICT"), primary_key=True
    )
    billed_fen: Mapped[int] = mapped_column(Integer)
    reduced_at_billing_fen: Mapped[int] = mapped_column(Integer)
    reduced_later_fen: Mapped[int] = mapped_column(Integer)
    collected_fen: Mapped[int] = mapped_column(Integer)


class Payment(RoomRecord):
    """Money taken for a room in one posting; `total_fen` is what the counter received."""

    __tablename__ = "payment"
    __append_only__ = True
    __table_args__ = (Index("ix_payment_cashier_day", "cashier_id", "day"),)
    __audit_label__ = "收款"

    id: Mapped[int] = mapped_column(primary_key=True)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    day: Mapped[date] = mapped_column(Date)  # local business day
    cashier_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    cashier_name: Mapped[str] = mapped_column(String(40))
    payer: Mapped[str] = mapped_column(String(60), default="")
    total_fen: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")

    def audit_title(self) -> str:
        return f"{format_yuan(self.total_fen)} 元"


class Tender(Base):
    """One method of a payment; cash records what was handed over and the change."""

    __tablename__ = "tender"
    __append_only__ = True
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("change_fen >= 0", name="change_not_negative"),
    )
    __audit_label__ = "收款方式"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payment.id", ondelete="RESTRICT"), index=True
    )
    method: Mapped[PayMethod] = mapped_column(enum_column(PayMethod, "method"))
    amount_fen: Mapped[int] = mapped_column(Integer)
    tendered_fen: Mapped[int] = mapped_column(Integer)
    change_fen: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str] = mapped_column(String(60), default="")  # 交易单号

    def audit_title(self) -> str:
        return PayMethod(self.method).label


class ReceiptVoid(Base):
    __tablename__ = "receipt_void"
    __append_only__ = True
    __audit_label__ = "作废收据"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(
        ForeignKey("receipt.id", ondelete="RESTRICT"), unique=True
    )
    voided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    day: Mapped[date] = mapped_column(Date)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    by_name: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(200))

    def audit_title(self) -> str:
        return self.reason


class Allocation(Base):
    """Part of a payment applied to a bill; a void adds the same row negated."""

    __tablename__ = "allocation"
    __append_only__ = True
    __audit_label__ = "收款分配"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payment.id", ondelete="RESTRICT"), index=True
    )
    bill_id: Mapped[int] = mapped_column(ForeignKey("bill.id", ondelete="RESTRICT"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    void_id: Mapped[int | None] = mapped_column(ForeignKey("receipt_void.id", ondelete="RESTRICT"))

    def audit_title(self) -> str:
        return f"账单 {self.bill_id}"


class Reduction(Base):
    """A reduction (减免) of a bill with its reason: granted at a payment, or on its own
    by a supervisor (a bill raised in error is reduced to nothing, never deleted)."""

    __tablename__ = "reduction"
    __append_only__ = True
    __audit_label__ = "减免"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment.id", ondelete="RESTRICT"), index=True
    )
    bill_id: Mapped[int] = mapped_column(ForeignKey("bill.id", ondelete="RESTRICT"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_by: Mapped[str] = mapped_column(String(40))
    granted_by_id: Mapped[ByUser]
    void_id: Mapped[int | None] = mapped_column(ForeignKey("receipt_void.id", ondelete="RESTRICT"))

    def audit_title(self) -> str:
        return self.reason


class PrepaidEntry(RoomRecord):
    """The household's 预存 ledger: money in (+) and drawn or refunded (−)."""

    __tablename__ = "prepaid_entry"
    __append_only__ = True
    __undoable_import__ = True
    __audit_label__ = "预存"

    id: Mapped[int] = mapped_column(primary_key=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id", ondelete="RESTRICT"))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refund.id", ondelete="RESTRICT"))
    void_id: Mapped[int | None] = mapped_column(ForeignKey("receipt_void.id", ondelete="RESTRICT"))
    note: Mapped[str] = mapped_column(String(100), default="")
    # 期初预存 carried over from the old system by this import (None: money taken here).
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )

    def audit_title(self) -> str:
        return f"{format_yuan(self.amount_fen)} 元"


class ReceiptSeries(Base):
    """A numbering series; `next_number` is taken and bumped inside the posting.
    Receipts and refund vouchers are numbered here, and so are notices."""

    __tablename__ = "receipt_series"
    __audit_label__ = "收据号段"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    next_number: Mapped[int] = mapped_column(Integer, default=1)

    def audit_label(self) -> str:
        return self.__audit_label__ if self.code in MONEY_SERIES else "通知编号段"

    def audit_title(self) -> str:
        return self.name


class Receipt(RoomRecord):
    __tablename__ = "receipt"
    __append_only__ = True
    __table_args__ = (
        UniqueConstraint("series", "number"),
        # a receipt is for a payment (收款收据) or for a refund (退款凭证), never both
        CheckConstraint(
            "(payment_id IS NULL AND refund_id IS NOT NULL) "
            "OR (payment_id IS NOT NULL AND refund_id IS NULL)",
            name="payment_or_refund",
        ),
    )
    __audit_label__ = "收据"

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(ForeignKey("receipt_series.code", ondelete="RESTRICT"))
    number: Mapped[int] = mapped_column(Integer)
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment.id", ondelete="RESTRICT"), unique=True
    )
    refund_id: Mapped[int | None] = mapped_column(
        ForeignKey("refund.id", ondelete="RESTRICT"), unique=True
    )
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    form_number: Mapped[str | None] = mapped_column(String(30), unique=True)  # 预印票据号

    def audit_title(self) -> str:
        return f"{self.series}{self.number:08d}"


class ReceiptPrint(Base):
    """Each time a receipt was printed; every print after the first says 补打."""

    __tablename__ = "receipt_print"
    __append_only__ = True
    __audit_label__ = "打印收据"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(
        ForeignKey("receipt.id", ondelete="RESTRICT"), index=True
    )
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    printed_by: Mapped[str] = mapped_column(String(40))
    printed_by_id: Mapped[ByUser]
    paper: Mapped[str] = mapped_column(String(20))

    def audit_title(self) -> str:
        return f"收据 {self.receipt_id}"


class InvoiceRecord(Base):
    """The 发票 the finance office issued for a receipt; one per receipt."""

    __tablename__ = "invoice_record"
    __append_only__ = True
    __audit_label__ = "开票登记"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(
        ForeignKey("receipt.id", ondelete="RESTRICT"), unique=True
    )
    invoice_number: Mapped[str] = mapped_column(String(40), unique=True)
    invoice_date: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.invoice_number


class SpoiledForm(Base):
    """A pre-numbered paper form spoiled in the printer (作废空白票据)."""

    __tablename__ = "spoiled_form"
    __append_only__ = True
    __audit_label__ = "废票登记"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_number: Mapped[str] = mapped_column(String(30), unique=True)
    reason: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.form_number


class Refund(RoomRecord):
    """Money paid back: from the prepaid balance, or a deposit less deductions."""

    __tablename__ = "refund"
    __append_only__ = True
    # Zero when the whole deposit is kept for damage: the document still records it.
    __table_args__ = (
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        CheckConstraint(one_of("kind", REFUND_KINDS), name="kind"),
        # a deposit taken here (its bill) or one the old system held (数据导入)
        CheckConstraint(
            "kind <> 'deposit' OR bill_id IS NOT NULL OR opening_deposit_id IS NOT NULL",
            name="deposit_has_bill",
        ),
    )
    __audit_label__ = "退款"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # REFUND_KINDS
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bill.id", ondelete="RESTRICT"))
    opening_deposit_id: Mapped[int | None] = mapped_column(
        ForeignKey("opening_deposit.id", ondelete="RESTRICT"), index=True
    )
    gross_fen: Mapped[int] = mapped_column(Integer)
    deductions_fen: Mapped[int] = mapped_column(Integer, default=0)
    amount_fen: Mapped[int] = mapped_column(Integer)
    method: Mapped[PayMethod] = mapped_column(enum_column(PayMethod, "method"))
    payee: Mapped[str] = mapped_column(String(60), default="")  # 领款人
    # The account a transfer went to (all three required for 转账; '' otherwise).
    # The number is personal data: masked on screen and in the audit log.
    payee_account_name: Mapped[str] = mapped_column(String(60), server_default="")
    payee_bank: Mapped[str] = mapped_column(String(60), server_default="")
    payee_account_no: Mapped[str] = mapped_column(String(40), server_default="")
    reason: Mapped[str] = mapped_column(String(200))
    refunded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    day: Mapped[date] = mapped_column(Date)
    cashier_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    cashier_name: Mapped[str] = mapped_column(String(40))

    def audit_title(self) -> str:
        return f"{format_yuan(self.amount_fen)} 元"


class RefundDeduction(Base):
    __tablename__ = "refund_deduction"
    __append_only__ = True
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)
    __audit_label__ = "押金扣款"

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_id: Mapped[int] = mapped_column(ForeignKey("refund.id", ondelete="RESTRICT"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))

    def audit_title(self) -> str:
        return self.reason


class CashClose(Base):
    """交班 (shift) or 日结 (day) of one cashier: what the system expected, what was counted."""

    __tablename__ = "cash_close"
    __append_only__ = True
    __table_args__ = (
        Index("ix_cash_close_cashier_day", "cashier_id", "day"),
        CheckConstraint(one_of("kind", CLOSE_KINDS), name="kind"),
    )
    __audit_label__ = "交班日结"

    id: Mapped[int] = mapped_column(primary_key=True)
    cashier_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    cashier_name: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))  # CLOSE_KINDS
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cash_expected_fen: Mapped[int] = mapped_column(Integer)
    cash_counted_fen: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)  # JSON of totals by method, receipt range
    note: Mapped[str] = mapped_column(String(200), default="")

    def audit_title(self) -> str:
        return f"{self.cashier_name} {self.day}"
