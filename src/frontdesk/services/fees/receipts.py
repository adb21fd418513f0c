"""Receipts after posting: what one says, its prints (补打), the 发票 issued for it,
spoiled paper forms and the receipt settings (the journal is journal.py, a household's
account account.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Allocation,
    InvoiceRecord,
    OpeningDeposit,
    Payment,
    PrepaidEntry,
    Receipt,
    ReceiptPrint,
    ReceiptVoid,
    Reduction,
    Refund,
    RefundDeduction,
    Renovation,
    RenovationBill,
    RepairCharge,
    Setting,
    SpoiledForm,
    Tender,
    WorkOrder,
)
from frontdesk.db.who import by_columns
from frontdesk.domain.area import format_m2
from frontdesk.domain.fees import (
    RECEIPT_COPIES,
    Collection,
    FeeMethod,
    Paper,
    default_price_unit,
    mask_account_no,
    quantity_unit,
)
from frontdesk.domain.money import format_unit_price, format_yuan
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_code, room_label
from frontdesk.errors import UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.ledger import BillLine, bill_lines
from frontdesk.services.fees.payments import find_receipt, receipt_no
from frontdesk.services.scope import room_of


@dataclass(frozen=True)
class ReceiptItem:
    item: str
    period: str
    quantity: str
    unit_price: str
    amount_fen: int
    note: str
    collection: Collection | None = None  # None: 预存 (not a bill)
    fee_item_id: int | None = None
    terms: str = ""  # a deposit's: 装修 ZX2611-0003 验收合格后凭本收据无息退还


@dataclass(frozen=True)
class RefundedReceipt:
    """A receipt whose money a refund pays back."""

    number: str
    issued_on: date


@dataclass(frozen=True)
class ReceiptView:
    receipt_id: int
    number: str
    is_refund: bool
    issued_at: datetime
    room_id: int
    room: str
    payer: str
    items: list[ReceiptItem]
    total_fen: int
    methods: str
    cashier: str
    voided: str
    invoice: str
    form_number: str
    remark: str
    prints: int
    # 其中：代收代缴 and 押金 apart from the office's income, with the deposit's terms.
    breakdown: str = ""
    # 退款凭证 only: what it pays back and to whom.
    refunded: tuple[RefundedReceipt, ...] = ()
    renovation: str = ""  # the renovation a refunded deposit belonged to
    payee_account: str = ""  # 户名 / 开户行 / 账号 (masked) of a transfer, for the screen
    last_printed_at: datetime | None = None
    # The voucher carries the number whole: finance makes and ticks the transfer by it.
    payee_account_on_paper: str = ""
    opening_deposit: str = ""  # 原系统收取的装修押金（数据导入）: a deposit taken there


def _quantity(line: BillLine) -> str:
    """The quantity with its unit, from the item's price unit (㎡, 户, 吨, 度, 张 …)."""
    unit = quantity_unit(line.unit) or quantity_unit(
        default_price_unit(line.method, line.meter_kind)
    )
    if line.method in (FeeMethod.AREA_MONTHLY, FeeMethod.METER):
        return f"{format_m2(line.quantity_x100)}{unit}"
    if line.method == FeeMethod.FIXED_MONTHLY:
        return f"1{unit}"
    count = line.quantity_x100 // 100 if line.quantity_x100 % 100 == 0 else None
    return f"{count}{unit}" if count is not None else f"{format_m2(line.quantity_x100)}{unit}"


def _note(line: BillLine) -> str:
    notes = [f"{line.carried_label}（原系统结转）"] if line.carried_over else []
    if line.collection in (Collection.ON_BEHALF, Collection.MAINTENANCE_FUND):
        notes.append(line.collection.label)
    if line.method == FeeMethod.DEPOSIT:
        notes.append("押金（可退）")
    if line.rule_reduction_fen:
        notes.append(line.rule_reduction_reason)
    return "；".join(notes)


def deposit_terms(renovation: str) -> str:
    """What a deposit receipt promises: the money comes back after acceptance."""
    works = f"装修编号 {renovation}，" if renovation else ""
    return f"{works}验收合格后凭本收据无息退还"


def _renovations(session: Session, bill_ids: set[int]) -> dict[int, str]:
    """The renovation number of each deposit (or fee) bill a renovation raised."""
    if not bill_ids:
        return {}
    return {
        bill_id: number
        for bill_id, number in session.execute(
            select(RenovationBill.bill_id, Renovation.number)
            .join(Renovation, RenovationBill.renovation_id == Renovation.id)
            .where(RenovationBill.bill_id.in_(bill_ids))
        )
    }


def _repair_orders(session: Session, bill_ids: set[int]) -> dict[int, str]:
    """The work order (工单) number of each paid repair's bill: the receipt names it."""
    if not bill_ids:
        return {}
    return {
        bill_id: number
        for bill_id, number in session.execute(
            select(RepairCharge.bill_id, WorkOrder.number)
            .join(WorkOrder, RepairCharge.work_order_id == WorkOrder.id)
            .where(RepairCharge.bill_id.in_(bill_ids))
        )
    }


def breakdown_text(items: list[ReceiptItem]) -> str:
    """代收代缴 95.00 元（代收水费 35.00 元，代收电费 60.00 元）；押金 2,000.00 元（装修
    编号 ZX2611-0003，验收合格后凭本收据无息退还） — the money on a receipt that is not
    the office's income, by kind (printed after 其中), a deposit with its terms."""
    parts = []
    for collection, prefix in (
        (Collection.ON_BEHALF, "代收"),
        (Collection.MAINTENANCE_FUND, ""),
        (Collection.DEPOSIT, ""),
    ):
        by_item: dict[str, int] = {}
        terms: dict[str, str] = {}
        for item in items:
            if item.collection == collection and item.amount_fen:
                name = item.item if item.item.startswith(prefix) else prefix + item.item
                by_item[name] = by_item.get(name, 0) + item.amount_fen
                if item.terms:
                    terms[name] = item.terms
        if not by_item:
            continue
        total = sum(by_item.values())
        label = {"on_behalf": "代收代缴", "maintenance_fund": "公共维修资金", "deposit": "押金"}[
            collection.value
        ]
        text = f"{label} {format_yuan(total)} 元"
        detail = [f"{name} {format_yuan(fen)} 元" for name, fen in by_item.items()]
        if collection == Collection.DEPOSIT:
            detail = [
                "，".join(filter(None, [f"{name} {format_yuan(fen)} 元", terms.get(name, "")]))
                for name, fen in by_item.items()
            ]
            text += f"（{'；'.join(detail)}）"
        elif collection == Collection.ON_BEHALF or len(detail) > 1:
            text += f"（{'，'.join(detail)}）"
        parts.append(text)
    return "；".join(parts)


def methods_text(tenders: list[Tender]) -> str:
    """The methods a payment was taken by (with cash handed over and change), as the receipt
    and the journal print them."""
    parts = []
    for tender in tenders:
        text = f"{tender.method.label} {format_yuan(tender.amount_fen)}"
        if tender.change_fen:
            given, change = format_yuan(tender.tendered_fen), format_yuan(tender.change_fen)
            text += f"（实收 {given}，找零 {change}）"
        if tender.reference:
            text += f"（单号 {tender.reference}）"
        parts.append(text)
    return "；".join(parts)


def receipt_view(db: Database, actor: Actor, number: str) -> ReceiptView:
    require(actor, Permission.VIEW_FINANCE)
    with db.read() as session:
        receipt = find_receipt(session, number)
        return _view(session, receipt)


def _view(session: Session, receipt: Receipt) -> ReceiptView:
    room, building, unit = room_of(session, receipt.room_id)
    unit_code = unit.code if unit else None
    place = (
        f"{room_code(building.code, unit_code, room.number)}"
        f"（{room_label(building.code, unit_code, room.number)}）"
    )
    void = session.scalar(select(ReceiptVoid).where(ReceiptVoid.receipt_id == receipt.id))
    invoice = session.scalar(select(InvoiceRecord).where(InvoiceRecord.receipt_id == receipt.id))
    prints, last_printed = session.execute(
        select(func.count(ReceiptPrint.id), func.max(ReceiptPrint.printed_at)).where(
            ReceiptPrint.receipt_id == receipt.id
        )
    ).one()
    refunded: tuple[RefundedReceipt, ...] = ()
    renovation = account = account_on_paper = breakdown = opening = ""
    if receipt.payment_id is not None:
        payer, items, total, methods, cashier, remark = _payment_parts(session, receipt.payment_id)
        breakdown = breakdown_text(items)
    else:
        assert receipt.refund_id is not None
        payer, items, total, methods, cashier, remark = _refund_parts(session, receipt.refund_id)
        refund = session.get(Refund, receipt.refund_id)
        assert refund is not None
        refunded = _refunded_receipts(session, refund)
        if refund.bill_id is not None:
            renovation = _renovations(session, {refund.bill_id}).get(refund.bill_id, "")
        opening = opening_deposit_text(session, refund)
        account = payee_account_text(refund)
        account_on_paper = payee_account_text(refund, whole=True)
    return ReceiptView(
        receipt.id,
        receipt_no(receipt.series, receipt.number),
        receipt.refund_id is not None,
        receipt.issued_at,
        receipt.room_id,
        place,
        payer,
        items,
        total,
        methods,
        cashier,
        f"作废：{void.voided_at.astimezone():%Y-%m-%d %H:%M} {void.by_name}，{void.reason}"
        if void
        else "",
        f"已开发票 No.{invoice.invoice_number}（{invoice.invoice_date:%Y-%m-%d}）"
        if invoice
        else "",
        receipt.form_number or "",
        remark,
        int(prints or 0),
        breakdown,
        refunded,
        renovation,
        account,
        last_printed,
        account_on_paper,
        opening,
    )


def opening_deposit_text(session: Session, refund: Refund) -> str:
    """A refund of a deposit the old system took says so, with the day it was taken."""
    if refund.opening_deposit_id is None:
        return ""
    deposit = session.get_one(OpeningDeposit, refund.opening_deposit_id)
    when = deposit.received_on
    taken = f"，{when.year}年{when.month}月{when.day}日收取" if when else ""
    return f"原系统收取的{deposit.kind}（数据导入{taken}）"


def payee_account_text(refund: Refund, *, whole: bool = False) -> str:
    """户名 / 开户行 / 账号 of a transfer, the number masked (it is personal data) but
    on the voucher itself."""
    if not refund.payee_account_no:
        return ""
    number = refund.payee_account_no if whole else mask_account_no(refund.payee_account_no)
    return f"户名：{refund.payee_account_name}　开户行：{refund.payee_bank}　账号：{number}"


def _refunded_receipts(session: Session, refund: Refund) -> tuple[RefundedReceipt, ...]:
    """The receipts whose money the refund pays back: a deposit's own receipt(s); for
    预存, the latest receipts that put money into it before the refund, enough to cover it."""
    payment_ids: list[int] = []
    if refund.opening_deposit_id is not None:
        return ()  # the old system took it: no receipt here (see `opening_deposit_text`)
    if refund.bill_id is not None:
        payment_ids = list(
            session.scalars(
                select(Allocation.payment_id)
                .where(
                    Allocation.bill_id == refund.bill_id,
                    Allocation.amount_fen > 0,
                    Allocation.void_id.is_(None),
                )
                .distinct()
            )
        )
    else:
        mine = session.scalar(
            select(func.min(PrepaidEntry.id)).where(PrepaidEntry.refund_id == refund.id)
        )
        covered = 0
        for payment_id, amount in session.execute(
            select(PrepaidEntry.payment_id, PrepaidEntry.amount_fen)
            .where(
                PrepaidEntry.room_id == refund.room_id,
                PrepaidEntry.payment_id.is_not(None),
                PrepaidEntry.amount_fen > 0,
                PrepaidEntry.void_id.is_(None),
                PrepaidEntry.id < (mine if mine is not None else 2**62),
            )
            .order_by(PrepaidEntry.id.desc())
        ):
            if payment_id is not None and payment_id not in payment_ids:
                payment_ids.append(payment_id)
            covered += amount
            if covered >= refund.gross_fen:
                break
    found = session.execute(
        select(Receipt.series, Receipt.number, Receipt.issued_at)
        .where(Receipt.payment_id.in_(payment_ids))
        .order_by(Receipt.issued_at, Receipt.id)
    ).all()
    return tuple(
        RefundedReceipt(receipt_no(series, number), issued.astimezone().date())
        for series, number, issued in found
    )


def _payment_parts(
    session: Session, payment_id: int
) -> tuple[str, list[ReceiptItem], int, str, str, str]:
    payment = session.get(Payment, payment_id)
    assert payment is not None
    paid: dict[int, int] = {}
    for bill_id, amount in session.execute(
        select(Allocation.bill_id, Allocation.amount_fen).where(
            Allocation.payment_id == payment_id, Allocation.void_id.is_(None)
        )
    ):
        paid[bill_id] = paid.get(bill_id, 0) + amount
    reduced = {
        bill_id: (amount, reason)
        for bill_id, amount, reason in session.execute(
            select(Reduction.bill_id, Reduction.amount_fen, Reduction.reason).where(
                Reduction.payment_id == payment_id, Reduction.void_id.is_(None)
            )
        )
    }
    lines = bill_lines(session, bill_ids=set(paid) | set(reduced))
    renovations = _renovations(
        session, {line.bill_id for line in lines if line.method == FeeMethod.DEPOSIT}
    )
    repairs = _repair_orders(
        session, {line.bill_id for line in lines if line.method == FeeMethod.ONE_OFF}
    )
    items = []
    for line in lines:
        note = _note(line)
        if line.bill_id in repairs:
            note = "；".join(filter(None, [note, f"维修工单 {repairs[line.bill_id]}"]))
        if line.bill_id in reduced:
            amount, reason = reduced[line.bill_id]
            note = "；".join(filter(None, [note, f"减免 {format_yuan(amount)}：{reason}"]))
        # A carried-over bill is an amount the old system owed: no quantity or price
        # of ours; 期初欠费 is said in its note, the period column keeps its month.
        priced = not line.carried_over
        items.append(
            ReceiptItem(
                line.fee_item,
                line.month_label,
                _quantity(line) if priced else "",
                format_unit_price(line.unit_price) if line.unit_price and priced else "",
                paid.get(line.bill_id, 0),
                note,
                line.collection,
                line.fee_item_id,
                deposit_terms(renovations.get(line.bill_id, ""))
                if line.method == FeeMethod.DEPOSIT
                else "",
            )
        )
    deposit = session.scalar(
        select(func.sum(PrepaidEntry.amount_fen)).where(
            PrepaidEntry.payment_id == payment_id,
            PrepaidEntry.amount_fen > 0,
            PrepaidEntry.void_id.is_(None),
        )
    )
    if deposit:
        items.append(ReceiptItem("预存款", "", "", "", int(deposit), "可抵扣以后各期费用"))
    tenders = list(session.scalars(select(Tender).where(Tender.payment_id == payment_id)))
    balance = _balance_after(session, payment)
    remark = "；".join(
        filter(
            None,
            [payment.note, f"预存余额 {format_yuan(balance)} 元" if balance is not None else ""],
        )
    )
    return (
        payment.payer,
        items,
        payment.total_fen,
        methods_text(tenders),
        payment.cashier_name,
        remark,
    )


def _balance_after(session: Session, payment: Payment) -> int | None:
    """The room's 预存 right after a payment that moved it (a reprint says the same);
    None when the payment did not touch 预存."""
    last = session.scalar(
        select(func.max(PrepaidEntry.id)).where(
            PrepaidEntry.payment_id == payment.id, PrepaidEntry.void_id.is_(None)
        )
    )
    if last is None:
        return None
    total = session.scalar(
        select(func.sum(PrepaidEntry.amount_fen)).where(
            PrepaidEntry.room_id == payment.room_id, PrepaidEntry.id <= last
        )
    )
    return int(total or 0)


def _refund_parts(
    session: Session, refund_id: int
) -> tuple[str, list[ReceiptItem], int, str, str, str]:
    refund = session.get(Refund, refund_id)
    assert refund is not None
    what = "退预存款" if refund.kind == "prepaid" else "退押金"
    if refund.bill_id is not None:
        line = bill_lines(session, bill_ids=[refund.bill_id])[0]
        what = f"退{line.fee_item}"
    elif refund.opening_deposit_id is not None:
        what = f"退{session.get_one(OpeningDeposit, refund.opening_deposit_id).kind}"
    items = [ReceiptItem(what, "", "", "", refund.gross_fen, refund.reason)]
    items += [
        ReceiptItem("扣款", "", "", "", -amount, reason)
        for amount, reason in session.execute(
            select(RefundDeduction.amount_fen, RefundDeduction.reason).where(
                RefundDeduction.refund_id == refund_id
            )
        )
    ]
    methods = f"{refund.method.label}退付 {format_yuan(refund.amount_fen)}"
    return refund.payee, items, refund.amount_fen, methods, refund.cashier_name, ""


def record_print(db: Database, actor: Actor, number: str, paper: Paper) -> None:
    """Log that the receipt went to paper or to a file; every later print says 补打."""
    require(actor, Permission.VIEW_FINANCE)
    with db.write(actor) as session:
        receipt = find_receipt(session, number)
        session.add(
            ReceiptPrint(receipt_id=receipt.id, paper=paper.value, **by_columns("printed", actor))
        )


def record_invoice(
    db: Database, actor: Actor, number: str, invoice_number: str, invoice_date: date
) -> None:
    """The finance office issued a 发票 for the receipt; a second one for it is refused."""
    require(actor, Permission.TAKE_PAYMENTS)
    invoice_number = invoice_number.strip()
    if not invoice_number:
        raise ValidationError("发票号码", "不能为空")
    with db.write(actor) as session:
        receipt = find_receipt(session, number)
        if receipt.payment_id is None:
            raise UserError(f"{number} 是退款凭证，不能登记发票。")
        earlier = session.scalar(
            select(InvoiceRecord).where(InvoiceRecord.receipt_id == receipt.id)
        )
        if earlier is not None:
            raise UserError(
                f"收据 {number} 已于 {earlier.invoice_date:%Y-%m-%d} 开具发票 "
                f"No.{earlier.invoice_number}，不能重复开票。"
            )
        if session.scalar(
            select(InvoiceRecord.id).where(InvoiceRecord.invoice_number == invoice_number)
        ):
            raise ValidationError("发票号码", f"{invoice_number} 已登记在另一张收据上")
        if session.scalar(select(ReceiptVoid.id).where(ReceiptVoid.receipt_id == receipt.id)):
            raise UserError(f"收据 {number} 已作废，不能开票。")
        session.add(
            InvoiceRecord(
                receipt_id=receipt.id,
                invoice_number=invoice_number,
                invoice_date=invoice_date,
                **by_columns("recorded", actor),
            )
        )


def record_spoiled_form(db: Database, actor: Actor, form_number: str, reason: str) -> None:
    require(actor, Permission.TAKE_PAYMENTS)
    form_number = form_number.strip()
    if not form_number:
        raise ValidationError("票据号", "不能为空")
    if not reason.strip():
        raise ValidationError("作废原因", "不能为空")
    with db.write(actor) as session:
        if session.scalar(select(Receipt.id).where(Receipt.form_number == form_number)):
            raise ValidationError("票据号", f"{form_number} 已用于一张收据，请作废那张收据")
        if session.scalar(select(SpoiledForm.id).where(SpoiledForm.form_number == form_number)):
            raise ValidationError("票据号", f"{form_number} 已登记为废票")
        session.add(
            SpoiledForm(
                form_number=form_number, reason=reason.strip(), **by_columns("recorded", actor)
            )
        )


PAPER_KEY = "receipt_paper"
COPIES_KEY = "receipt_copies"
CARBONLESS_KEY = "receipt_carbonless"


@dataclass(frozen=True)
class ReceiptSettings:
    paper: Paper
    copies: tuple[str, ...]
    # 多联无碳复写纸: one impression per receipt, no 联 label (the plies are the copies).
    carbonless: bool = False


def receipt_settings(db: Database) -> ReceiptSettings:
    with db.read() as session:
        paper = session.get(Setting, PAPER_KEY)
        copies = session.get(Setting, COPIES_KEY)
        carbonless = session.get(Setting, CARBONLESS_KEY)
        return ReceiptSettings(
            Paper(paper.value) if paper else Paper.A5,
            tuple(c for c in copies.value.split(",") if c) if copies else ("客户联", "记账联"),
            carbonless is not None and carbonless.value == "1",
        )


def set_receipt_settings(db: Database, actor: Actor, settings: ReceiptSettings) -> None:
    require(actor, Permission.EDIT_COMMUNITY)
    unknown = [c for c in settings.copies if c not in RECEIPT_COPIES]
    if unknown or not settings.copies:
        raise ValidationError("收据联次", f"请从{'、'.join(RECEIPT_COPIES)}中至少选择一联")
    ordered = [c for c in RECEIPT_COPIES if c in settings.copies]
    with db.write(actor) as session:
        for key, value in (
            (PAPER_KEY, settings.paper.value),
            (COPIES_KEY, ",".join(ordered)),
            (CARBONLESS_KEY, "1" if settings.carbonless else "0"),
        ):
            setting = session.get(Setting, key)
            if setting is None:
                session.add(Setting(key=key, value=value))
            else:
                setting.value = value
