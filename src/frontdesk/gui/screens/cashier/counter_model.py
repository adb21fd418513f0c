"""The payment being put together at the counter, without Qt: which open bills are
paid and how much of each, reductions, months paid ahead, money put into 预存, and
how the customer pays. The counter tab draws it and forwards every edit here; the
draft works out what is due, the cash part, the change, and the service's
PaymentRequest.

Bills are chosen one by one (a tick, Space), as a range (Shift: from the last bill
ticked or unticked) or by month (收至某月: every bill up to and including that month).
A room opened after a payment starts neutral: nothing ticked, so nothing is due
until the cashier chooses again.

The cash part fills itself with whatever the other methods leave; the draft knows
whether the cashier typed it (in 现金, or the money handed over in 实收现金), and a
cash amount nobody typed is one the counter asks about before posting.

Amounts are kept as the clerk typed them and read as integer fen when needed, so a
slip stays on screen to be corrected and its ValidationError names the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from frontdesk.domain.fees import PayMethod
from frontdesk.domain.money import MoneyFormatError, format_yuan, parse_yuan, typed_fen
from frontdesk.domain.periods import Period
from frontdesk.errors import ValidationError
from frontdesk.services.fees.ledger import BillLine
from frontdesk.services.fees.payments import (
    AdvanceLine,
    CounterView,
    PaymentRequest,
    ReductionInput,
    TenderInput,
)

# The money fields by the label a ValidationError names.
PREPAID_IN = "存入预存"
CASH = PayMethod.CASH.label
TENDERED = "实收现金"
OTHER_METHODS = (
    PayMethod.WECHAT,
    PayMethod.ALIPAY,
    PayMethod.CARD,
    PayMethod.TRANSFER,
    PayMethod.PREPAID,
)
AMOUNT_FIELDS = (PREPAID_IN, CASH, TENDERED, *(method.label for method in OTHER_METHODS))


@dataclass(frozen=True)
class Reduction:
    amount_fen: int
    reason: str

    def text(self) -> str:
        return f"{format_yuan(self.amount_fen)}（{self.reason}）"


@dataclass
class DraftBill:
    """An open bill on the counter: ticked or not, and 本次收 as typed."""

    bill: BillLine
    chosen: bool
    pay_text: str

    @property
    def field(self) -> str:
        return f"{self.bill.period_label}{self.bill.fee_item}本次收"

    @property
    def month(self) -> Period:
        """The month the bill is for (a one-off charge: the month it was charged)."""
        period = self.bill.period
        return Period.parse(period) if period else Period.of(self.bill.start_on)

    @property
    def shown_pay_text(self) -> str:
        """本次收 as the table shows it: blank while the bill is not ticked."""
        return self.pay_text if self.chosen else ""

    def pay_fen(self) -> int:
        """本次收 in fen (blank is zero); a bad amount names the bill."""
        return typed_fen(self.pay_text, self.field, allow_negative=True)


class CounterDraft:
    """One room's payment as it is being typed; `view` is None until a room is opened."""

    def __init__(self) -> None:
        self.view: CounterView | None = None
        self.bills: list[DraftBill] = []
        self.reductions: dict[int, Reduction] = {}  # by bill id, in the order granted
        self.amounts: dict[str, str] = dict.fromkeys(AMOUNT_FIELDS, "")
        self.advance_months = 0
        self.advance_lines: tuple[AdvanceLine, ...] = ()
        self.anchor: int | None = None  # the bill last ticked or unticked by itself
        # 现金 and 实收现金 as the cashier last typed them (fen; None: not typed).
        self.typed_cash: dict[str, int | None] = {CASH: None, TENDERED: None}

    def open(self, view: CounterView, *, choose_all: bool = True) -> None:
        """A room's open bills paid in full, all ticked (the cashier chose the room) or
        none (neutral: the room shown again after a payment); every amount cleared."""
        self.view = view
        self.bills = [
            DraftBill(bill, choose_all, format_yuan(bill.outstanding_fen, grouping=False))
            for bill in view.open_bills
        ]
        self.reductions.clear()
        self.amounts = dict.fromkeys(AMOUNT_FIELDS, "")
        self.typed_cash = dict.fromkeys(self.typed_cash)
        self.anchor = None
        self.set_advance(0)

    # edits -----------------------------------------------------------------------

    def type_amount(self, field: str, text: str, *, by_hand: bool = False) -> None:
        """An amount field's text; `by_hand` when the cashier typed it (not the program)."""
        if field not in self.amounts:
            raise KeyError(field)
        self.amounts[field] = text
        if by_hand and field in self.typed_cash:
            try:
                self.typed_cash[field] = typed_fen(text, field) or None
            except ValidationError:
                self.typed_cash[field] = None

    def set_pay_text(self, index: int, text: str) -> None:
        """本次收 as typed; typing an amount ticks the bill."""
        line = self.bills[index]
        line.pay_text = text
        if text.strip():
            line.chosen = True

    def set_chosen(self, index: int, chosen: bool) -> None:
        """Tick or untick a bill (it becomes the anchor of a Shift range). Unticking drops
        its reduction and pays it in full again; ticking a bill left blank pays it in full."""
        line = self.bills[index]
        line.chosen = chosen
        self.anchor = index
        dropped = not chosen and self.reductions.pop(line.bill.bill_id, None) is not None
        if dropped or (chosen and not line.pay_text.strip()):
            line.pay_text = format_yuan(line.bill.outstanding_fen, grouping=False)

    def toggle(self, index: int) -> None:
        """Space on a bill: tick it if it was not, untick it if it was."""
        self.set_chosen(index, not self.bills[index].chosen)

    def set_range(self, index: int) -> None:
        """Shift on a bill: every bill from the anchor to it takes the anchor's state
        (ticked when there is no anchor yet: from the first bill); the anchor stays."""
        anchor = self.anchor if self.anchor is not None else 0
        chosen = self.bills[anchor].chosen if self.anchor is not None else True
        low, high = sorted((anchor, index))
        for row in range(low, high + 1):
            self.set_chosen(row, chosen)
        self.anchor = anchor

    def months(self) -> list[Period]:
        """The months of the open bills, oldest first: what 收至某月 offers."""
        return sorted({line.month for line in self.bills})

    def pay_through(self, month: Period) -> None:
        """收至某月: tick every bill up to and including `month`, untick the later ones."""
        for index, line in enumerate(self.bills):
            self.set_chosen(index, line.month <= month)
        self.anchor = None

    def through_month(self) -> Period | None:
        """The month the ticks are 收至 (every bill up to it ticked, none after it);
        None when nothing is ticked or the ticks are not a run of months."""
        ticked = [line.month for line in self.bills if line.chosen]
        if not ticked:
            return None
        last = max(ticked)
        if all(line.chosen == (line.month <= last) for line in self.bills):
            return last
        return None

    def through_text(self, month: Period) -> str:
        """A 收至某月 choice: the month, how many bills up to it and what they come to."""
        lines = [line for line in self.bills if line.month <= month]
        total = sum(line.bill.outstanding_fen for line in lines)
        return f"{month.label}（{len(lines)} 笔 ¥{format_yuan(total)}）"

    def set_reduction(self, index: int, amount: str, reason: str) -> None:
        """Reduce a bill (ticking it): 本次收 becomes what is left to pay."""
        try:
            fen = parse_yuan(amount)
        except MoneyFormatError as exc:
            raise ValidationError("减免金额", f"“{amount[:20]}”{exc.problem}") from None
        if not reason.strip():
            raise ValidationError("减免原因", "减免必须写明原因")
        line = self.bills[index]
        line.chosen = True
        self.reductions[line.bill.bill_id] = Reduction(fen, reason.strip())
        line.pay_text = format_yuan(max(line.bill.outstanding_fen - fen, 0), grouping=False)

    def reduction_text(self, index: int) -> str:
        reduction = self.reductions.get(self.bills[index].bill.bill_id)
        return reduction.text() if reduction is not None else ""

    def set_advance(self, months: int, lines: Sequence[AdvanceLine] = ()) -> None:
        """Months paid ahead and the bills the service quoted for them."""
        self.advance_months = months
        self.advance_lines = tuple(lines)

    # sums ------------------------------------------------------------------------

    @property
    def advance_fen(self) -> int:
        return sum(line.due_fen for line in self.advance_lines)

    def advance_text(self) -> str:
        if not self.advance_lines:
            return "没有可预交的月度费用"
        first, last = self.advance_lines[0].period, self.advance_lines[-1].period
        return (
            f"{first.label}至{last.label}，{len(self.advance_lines)} 笔，"
            f"¥{format_yuan(self.advance_fen)}"
        )

    def fen(self, field: str) -> int:
        """An amount field in fen; ValidationError naming it when it is not money."""
        return typed_fen(self.amounts[field], field)

    def allocations(self) -> list[tuple[int, int]]:
        """(bill_id, fen) of the ticked bills with something typed in 本次收."""
        found = []
        for line in self.bills:
            if line.chosen:
                fen = line.pay_fen()
                if fen > 0:
                    found.append((line.bill.bill_id, fen))
        return found

    def due_fen(self) -> int:
        """应收合计: the ticked bills as typed, the months ahead and 存入预存."""
        return sum(fen for _, fen in self.allocations()) + self.advance_fen + self.fen(PREPAID_IN)

    def others_fen(self) -> int:
        """What the methods other than cash cover."""
        return sum(self.fen(method.label) for method in OTHER_METHODS)

    def recalculate(self) -> str:
        """Cash takes whatever the other methods leave of the amount due; the line to
        show under the bills (应收合计, or what is wrong with an amount)."""
        try:
            due = self.due_fen()
            cash = max(due - self.others_fen(), 0)
        except ValidationError as exc:
            return exc.message
        self.amounts[CASH] = format_yuan(cash, grouping=False) if cash else ""
        return f"应收合计 ¥{format_yuan(due)}"

    def change_fen(self) -> int | None:
        """Cash handed over less the cash part (negative: still short); None when no
        cash was handed over or an amount is not money."""
        try:
            cash, tendered = self.fen(CASH), self.fen(TENDERED)
        except ValidationError:
            return None
        return tendered - cash if tendered else None

    def change_text(self) -> str:
        change = self.change_fen()
        if change is None:
            return ""
        if change >= 0:
            return f"找零 ¥{format_yuan(change)}"
        return f"还差 ¥{format_yuan(-change)}"

    def cash_confirmed(self) -> bool:
        """The cashier typed the cash part: the money handed over in 实收现金, or the
        amount in 现金 itself (and the program has not put another amount there since)."""
        try:
            cash, tendered = self.fen(CASH), self.fen(TENDERED)
        except ValidationError:
            return False
        typed = self.typed_cash
        return bool(tendered and typed[TENDERED] == tendered) or typed[CASH] == cash

    def unconfirmed_cash_fen(self) -> int:
        """Cash the program worked out that the cashier never typed (0: none): a post
        that would take it asks first."""
        try:
            cash = self.fen(CASH)
        except ValidationError:
            return 0
        return 0 if not cash or self.cash_confirmed() else cash

    # the service's input -----------------------------------------------------------

    def to_request(
        self, *, payer: str = "", note: str = "", form_number: str = "", reference: str = ""
    ) -> PaymentRequest:
        """The payment for payments.post_payment; ValidationError for a bad amount."""
        if self.view is None:
            raise ValidationError("房号", "请先打开要收款的房屋")
        allocations = tuple(self.allocations())
        if not (allocations or self.reductions or self.advance_months or self.fen(PREPAID_IN)):
            raise ValidationError("账单", "没有要收的款项：请勾选账单（空格），或选择收至某月")
        cash = self.fen(CASH)
        tendered = self.fen(TENDERED) or None
        tenders = []
        if cash:
            tenders.append(TenderInput(PayMethod.CASH, cash, tendered))
        elif tendered:
            raise ValidationError(TENDERED, "没有现金应收，不需要填写实收现金")
        for method in OTHER_METHODS:
            fen = self.fen(method.label)
            if fen:
                tenders.append(TenderInput(method, fen, None, reference))
        return PaymentRequest(
            room_id=self.view.room_id,
            allocations=allocations,
            tenders=tuple(tenders),
            reductions=tuple(
                ReductionInput(bill_id, r.amount_fen, r.reason)
                for bill_id, r in self.reductions.items()
            ),
            advance_months=self.advance_months,
            advance_total_fen=self.advance_fen,
            prepaid_fen=self.fen(PREPAID_IN),
            payer=payer,
            note=note,
            form_number=form_number,
        )
