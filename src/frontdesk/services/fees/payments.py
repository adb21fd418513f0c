"""Taking money at the counter: what a room owes, then a payment posted with its receipt
(voids are voids.py, refunds refunds.py).

Posting is one transaction under the write lock: the bills' balances are read
again inside it (another counter may have just taken the same bill), the receipt
number is taken from its series only then, and the payment, its methods, its
allocations, reductions, 预存 entries and receipt are inserted together.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Allocation,
    Bill,
    CashClose,
    Payment,
    Person,
    PrepaidEntry,
    Receipt,
    Reduction,
    SpoiledForm,
    Tender,
)
from frontdesk.db.turns import locked_series, room_in_turn
from frontdesk.db.who import by_columns
from frontdesk.domain import clock
from frontdesk.domain.billing import BillDraft
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.money import check_amount, format_yuan
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_code
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, PermissionDenied, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.billing import bill_values, room_drafts
from frontdesk.services.fees.carried import old_system_paid_through
from frontdesk.services.fees.items import RECEIPT_SERIES
from frontdesk.services.fees.ledger import BillLine, bill_lines, prepaid_balance
from frontdesk.services.scope import room_of

# One posting above this is almost certainly a typing slip (an extra zero or two).
MAX_PAYMENT_FEN = 100_000_000  # 1,000,000.00 元
MAX_ADVANCE_MONTHS = 36
# Change given from the drawer for one payment. A payer hands over a few notes more than
# is due, never a thousand yuan more: above this the cash handed over was mistyped (an
# extra zero), and the receipt and the day's cash report would show an absurd change.
MAX_CHANGE_FEN = 100_000  # 1,000.00 元


@dataclass(frozen=True)
class TenderInput:
    method: PayMethod
    amount_fen: int
    tendered_fen: int | None = None  # cash handed over; None = exactly the amount
    reference: str = ""


@dataclass(frozen=True)
class ReductionInput:
    bill_id: int
    amount_fen: int
    reason: str


@dataclass(frozen=True)
class PaymentRequest:
    room_id: int
    allocations: tuple[tuple[int, int], ...]  # (bill_id, fen)
    tenders: tuple[TenderInput, ...]
    reductions: tuple[ReductionInput, ...] = ()
    advance_months: int = 0  # pay this many future months of the monthly items
    advance_total_fen: int = 0  # what the cashier was shown for them
    prepaid_fen: int = 0  # put into 预存
    payer: str = ""
    note: str = ""
    form_number: str = ""  # pre-printed paper form, when the office uses them

    @property
    def charged_fen(self) -> int:
        return sum(a for _, a in self.allocations) + self.advance_total_fen + self.prepaid_fen


@dataclass(frozen=True)
class PostedPayment:
    payment_id: int
    receipt_id: int
    receipt_no: str
    total_fen: int
    change_fen: int


def receipt_no(series: str, number: int) -> str:
    return f"{series}{number:08d}"


def split_receipt_no(text: str) -> tuple[str, int]:
    """'SJ00000012' / 'sj12' -> ('SJ', 12)."""
    cleaned = text.strip().upper()
    series = cleaned.rstrip("0123456789")
    digits = cleaned[len(series) :]
    if not series or not digits:
        raise ValidationError("收据号", f"“{text}”不是收据号（例如 SJ00000012）")
    return series, int(digits)


@dataclass(frozen=True)
class CounterView:
    """What the cashier sees on opening a room: open bills oldest first, 预存, next period."""

    room_id: int
    room_code: str
    open_bills: list[BillLine]
    prepaid_fen: int
    paid_through: Period | None
    next_period: Period
    owners: tuple[str, ...]


def counter_view(
    db: Database, actor: Actor, room_id: int, today: date | None = None
) -> CounterView:
    require(actor, Permission.VIEW_FINANCE)
    today = today or clock.today()
    with db.read() as session:
        room, building, unit = room_of(session, room_id)
        code = room_code(building.code, unit.code if unit else None, room.number)
        lines = bill_lines(session, room_id=room_id)
        balance = prepaid_balance(session, room_id)
        old_system = old_system_paid_through(session, room_id)
        owners = tuple(
            session.scalars(
                select(Person.name)
                .where(Person.room_id == room_id, Person.kind == PersonKind.OWNER)
                .where(Person.left_on.is_(None))
                .order_by(Person.id)
            )
        )
    current = str(Period.of(today))
    open_bills = [
        line
        for line in lines
        if line.outstanding_fen > 0 and (line.period is None or line.period <= current)
    ]
    through = paid_through(lines, old_system)
    next_period = through.shifted(1) if through else Period.of(today)
    return CounterView(room_id, code, open_bills, balance, through, next_period, owners)


def paid_through(lines: list[BillLine], old_system: str | None = None) -> Period | None:
    """The last month whose monthly bills are all settled with none open before it;
    at least the month the old system had every item paid through (已缴至, 数据导入)
    when no bill of it or before is open."""
    monthly = sorted(
        (line for line in lines if line.method.monthly and line.period),
        key=lambda b: b.period or "",
    )
    through: str | None = None
    for line in monthly:
        if line.outstanding_fen > 0:
            break
        through = line.period
    if old_system and not any(
        line.outstanding_fen > 0 and (line.period or "") <= old_system for line in monthly
    ):
        through = max(through or old_system, old_system)
    return Period.parse(through) if through else None


@dataclass(frozen=True)
class AdvanceLine:
    """One item of one month paid ahead: an unpaid bill already there (a voided 预交
    leaves its bills behind), or a bill the posting creates from `draft`."""

    period: Period
    fee_item_id: int
    due_fen: int
    bill_id: int | None
    draft: BillDraft | None


def advance_quote(
    db: Database, actor: Actor, room_id: int, months: int, today: date | None = None
) -> list[AdvanceLine]:
    """The monthly items of the next `months` months not yet paid, oldest first."""
    require(actor, Permission.VIEW_FINANCE)
    with db.read() as session:
        return _advance_lines(session, room_id, months, today or clock.today())


def _advance_lines(session: Session, room_id: int, months: int, today: date) -> list[AdvanceLine]:
    """Months after the open ones: this month if it is not billed yet, then each later
    month that still has something to pay (months paid ahead already are skipped)."""
    if not 0 <= months <= MAX_ADVANCE_MONTHS:
        raise ValidationError("预交月数", f"应为 0 到 {MAX_ADVANCE_MONTHS} 个月")
    current = Period.of(today)
    billed: dict[str, list[BillLine]] = {}
    for line in bill_lines(session, room_id=room_id):
        if line.method.monthly and line.period is not None:
            billed.setdefault(line.period, []).append(line)
    found: list[AdvanceLine] = []
    counted, period = 0, current
    for _ in range(months + MAX_ADVANCE_MONTHS if months else 0):
        if counted == months:
            break
        existing = billed.get(str(period), [])
        if period == current and existing:
            period = period.shifted(1)
            continue  # this month's bills are among the open ones
        month = [
            AdvanceLine(period, line.fee_item_id, line.outstanding_fen, line.bill_id, None)
            for line in existing
            if line.outstanding_fen > 0
        ]
        month += [
            AdvanceLine(period, draft.fee_item_id, draft.due_fen, None, draft)
            for draft in room_drafts(session, room_id, period)
        ]
        if month:
            found += month
            counted += 1
        period = period.shifted(1)
    return found


def require_person(actor: Actor) -> None:
    """Money is taken, voided and refunded by a signed-in person whose drawer it is."""
    if actor.user_id is None:
        raise PermissionDenied("收款、作废和退款须由登录的收费员办理，系统账户不能办理。")


def post_payment(
    db: Database, actor: Actor, request: PaymentRequest, today: date | None = None
) -> PostedPayment:
    require(actor, Permission.TAKE_PAYMENTS)
    require_person(actor)
    today = today or clock.today()
    request = _cleaned(request)
    change = _check_request(actor, request)
    with db.write(actor) as session:
        room_in_turn(session, request.room_id)
        refuse_after_day_close(session, actor, today)
        room_of(session, request.room_id)
        _check_bills(session, request)
        advance = _advance_lines(session, request.room_id, request.advance_months, today)
        if sum(line.due_fen for line in advance) != request.advance_total_fen:
            raise UserError("预交金额已变化（收费标准或账单刚被修改），请重新计算后再收款。")
        picked = {b for b, _ in request.allocations} | {r.bill_id for r in request.reductions}
        if picked & {line.bill_id for line in advance}:
            raise ValidationError("预交", "所选账单已包含在预交月份中，不能重复收取")
        _check_prepaid_draw(session, request)
        # The months paid ahead are billed first: a payment only settles bills that
        # exist when it is posted (`frontdesk check` holds every payment to that).
        ahead = _bill_advance(session, actor, advance)
        payment = Payment(
            room_id=request.room_id,
            day=today,
            cashier_id=actor.user_id,
            cashier_name=actor.display_name,
            payer=request.payer.strip(),
            total_fen=sum(t.amount_fen for t in request.tenders),
            note=request.note.strip(),
        )
        session.add(payment)
        session.flush()
        _add_tenders(session, payment.id, request.tenders)
        allocations = list(request.allocations) + ahead
        session.add_all(
            Allocation(payment_id=payment.id, bill_id=bill_id, amount_fen=amount)
            for bill_id, amount in allocations
        )
        session.add_all(
            Reduction(
                payment_id=payment.id,
                bill_id=r.bill_id,
                amount_fen=r.amount_fen,
                reason=r.reason.strip(),
                **by_columns("granted", actor),
            )
            for r in request.reductions
        )
        _prepaid_entries(session, payment.id, request)
        receipt = issue_receipt(
            session, RECEIPT_SERIES, request.room_id, request.form_number, payment_id=payment.id
        )
        return PostedPayment(
            payment.id,
            receipt.id,
            receipt_no(receipt.series, receipt.number),
            payment.total_fen,
            change,
        )


def _cleaned(request: PaymentRequest) -> PaymentRequest:
    """The request's text normalised and limited, every amount within the limit."""
    for _, amount in request.allocations:
        check_amount(amount, "本次收款", allow_negative=True)  # sign checked below
    for tender in request.tenders:
        check_amount(tender.amount_fen, f"{tender.method.label}金额", allow_negative=True)
        if tender.tendered_fen is not None:
            check_amount(tender.tendered_fen, "实收现金", allow_negative=True)
    for reduction in request.reductions:
        check_amount(reduction.amount_fen, "减免金额", allow_negative=True)
    check_amount(request.advance_total_fen, "预交金额")
    check_amount(request.prepaid_fen, "预存金额", allow_negative=True)
    return replace(
        request,
        payer=clean_name(request.payer, "交款人", 60),
        note=clean_text(request.note, "备注", 200),
        form_number=clean_name(request.form_number, "票据号", 30),
        tenders=tuple(
            replace(t, reference=clean_name(t.reference, f"{t.method.label}交易单号", 60))
            for t in request.tenders
        ),
        reductions=tuple(
            replace(r, reason=clean_text(r.reason, "减免原因", 200)) for r in request.reductions
        ),
    )


def _check_request(actor: Actor, request: PaymentRequest) -> int:
    """Checks that need no database; returns the change due in cash."""
    if not request.tenders and not request.reductions:
        raise ValidationError("收款方式", "请至少输入一种收款方式和金额")
    for _, amount in request.allocations:
        if amount <= 0:
            raise ValidationError("本次收款", "每笔账单的收款金额须大于零")
    bill_ids = [b for b, _ in request.allocations] + [r.bill_id for r in request.reductions]
    if len(set(b for b, _ in request.allocations)) != len(request.allocations):
        raise ValidationError("账单", "同一笔账单不能重复收款")
    if len({r.bill_id for r in request.reductions}) != len(request.reductions):
        raise ValidationError("减免", "同一笔账单只能填写一项减免")
    if request.prepaid_fen < 0:
        raise ValidationError("预存金额", "不能为负数")
    if request.reductions:
        require(actor, Permission.GRANT_REDUCTIONS)
    for reduction in request.reductions:
        if reduction.amount_fen <= 0:
            raise ValidationError("减免金额", "须大于零")
        if not reduction.reason.strip():
            raise ValidationError("减免原因", "减免必须写明原因")
    methods = Counter(t.method for t in request.tenders)
    if any(count > 1 for count in methods.values()):
        raise ValidationError("收款方式", "同一种收款方式只能填一行")
    change = 0
    for tender in request.tenders:
        label = tender.method.label
        if tender.amount_fen <= 0:
            raise ValidationError(f"{label}金额", "须大于零")
        tendered = tender.tendered_fen if tender.tendered_fen is not None else tender.amount_fen
        if tender.method == PayMethod.CASH:
            if tendered < tender.amount_fen:
                raise ValidationError("实收现金", "少于应收现金")
            change = tendered - tender.amount_fen
            if change > MAX_CHANGE_FEN:
                raise ValidationError(
                    "实收现金",
                    f"找零 {format_yuan(change)} 元，超过 {format_yuan(MAX_CHANGE_FEN)} 元，"
                    "请核对实收金额",
                )
        elif tendered != tender.amount_fen:
            raise ValidationError(f"{label}金额", "只有现金可以找零")
    if PayMethod.PREPAID in methods and request.prepaid_fen:
        raise ValidationError("预存金额", "用预存抵扣时不能同时存入预存")
    received = sum(t.amount_fen for t in request.tenders)
    if received > MAX_PAYMENT_FEN:
        raise ValidationError("收款金额", f"超过单笔上限 {format_yuan(MAX_PAYMENT_FEN)} 元，请核对")
    if received != request.charged_fen:
        raise ValidationError(
            "收款金额",
            f"各收款方式合计 {format_yuan(received)} 元，"
            f"与应收 {format_yuan(request.charged_fen)} 元不符",
        )
    if not bill_ids and not request.advance_months and not request.prepaid_fen:
        raise ValidationError("账单", "请选择要收的账单、预交月份或预存金额")
    return change


def refuse_after_day_close(session: Session, actor: Actor, today: date) -> None:
    closed = session.scalar(
        select(CashClose.id).where(
            CashClose.cashier_id == actor.user_id,
            CashClose.day == today,
            CashClose.kind == "day",
        )
    )
    if closed is not None and actor.user_id is not None:
        raise UserError("您今天已经日结，不能再收款或作废；如需继续收款，请由其他收费员办理。")


def _check_bills(session: Session, request: PaymentRequest) -> None:
    wanted: dict[int, int] = {}
    for bill_id, amount in request.allocations:
        wanted[bill_id] = wanted.get(bill_id, 0) + amount
    for reduction in request.reductions:
        wanted[reduction.bill_id] = wanted.get(reduction.bill_id, 0) + reduction.amount_fen
    reduced = {r.bill_id for r in request.reductions}
    lines = {line.bill_id: line for line in bill_lines(session, bill_ids=wanted)}
    for bill_id, amount in wanted.items():
        line = lines.get(bill_id)
        if line is None or session.get(Bill, bill_id).room_id != request.room_id:  # type: ignore[union-attr]
            raise NotFound("所选账单不属于该房屋或已不存在，请刷新后重试。")
        if amount > line.outstanding_fen:
            what = f"{line.period_label}{line.fee_item}"
            if line.outstanding_fen == 0:
                raise UserError(f"{what}已经结清（可能刚由其他收费窗口收取），本次未收款。")
            raise ValidationError(
                f"{what}{'收款和减免金额' if bill_id in reduced else '收款金额'}",
                f"超过尚欠的 {format_yuan(line.outstanding_fen)} 元",
            )


def _check_prepaid_draw(session: Session, request: PaymentRequest) -> None:
    draw = sum(t.amount_fen for t in request.tenders if t.method == PayMethod.PREPAID)
    if draw and draw > prepaid_balance(session, request.room_id):
        raise ValidationError("预存抵扣", "超过该户预存余额")


def _add_tenders(session: Session, payment_id: int, tenders: tuple[TenderInput, ...]) -> None:
    for tender in tenders:
        tendered = tender.tendered_fen if tender.tendered_fen is not None else tender.amount_fen
        session.add(
            Tender(
                payment_id=payment_id,
                method=tender.method,
                amount_fen=tender.amount_fen,
                tendered_fen=tendered,
                change_fen=tendered - tender.amount_fen,
                reference=tender.reference.strip(),
            )
        )


def _bill_advance(
    session: Session, actor: Actor, lines: list[AdvanceLine]
) -> list[tuple[int, int]]:
    """Allocations paying the months ahead in full; missing bills are created now."""
    paid = [(line.bill_id, line.due_fen) for line in lines if line.bill_id is not None]
    for draft in (line.draft for line in lines if line.draft is not None):
        bill = Bill(**bill_values(draft, by_columns("created", actor)))
        session.add(bill)
        session.flush()
        if draft.due_fen:
            paid.append((bill.id, draft.due_fen))
    return paid


def _prepaid_entries(session: Session, payment_id: int, request: PaymentRequest) -> None:
    draw = sum(t.amount_fen for t in request.tenders if t.method == PayMethod.PREPAID)
    if draw:
        session.add(
            PrepaidEntry(
                room_id=request.room_id, amount_fen=-draw, payment_id=payment_id, note="预存抵扣"
            )
        )
    if request.prepaid_fen:
        session.add(
            PrepaidEntry(
                room_id=request.room_id,
                amount_fen=request.prepaid_fen,
                payment_id=payment_id,
                note="预存款",
            )
        )


def issue_receipt(
    session: Session,
    series_code: str,
    room_id: int,
    form_number: str,
    *,
    payment_id: int | None = None,
    refund_id: int | None = None,
) -> Receipt:
    """Take the next number of the series; only ever inside the posting transaction."""
    series = locked_series(session, series_code)
    if series is None:
        raise NotFound(f"收据号段 {series_code} 不存在。")
    number = series.next_number
    series.next_number = number + 1
    form = form_number.strip() or None
    if form and session.scalar(select(Receipt.id).where(Receipt.form_number == form)):
        raise ValidationError("票据号", f"{form} 已用于另一张收据")
    if form and session.scalar(select(SpoiledForm.id).where(SpoiledForm.form_number == form)):
        raise ValidationError("票据号", f"{form} 已登记为废票，不能再用")
    receipt = Receipt(
        series=series_code,
        number=number,
        room_id=room_id,
        form_number=form,
        payment_id=payment_id,
        refund_id=refund_id,
    )
    session.add(receipt)
    session.flush()
    return receipt


def find_receipt(session: Session, text: str) -> Receipt:
    series, number = split_receipt_no(text)
    receipt = session.scalar(
        select(Receipt).where(Receipt.series == series, Receipt.number == number)
    )
    if receipt is None:
        raise NotFound(f"找不到收据 {receipt_no(series, number)}。")
    return receipt
