"""A household's account (the file's 账单 tab): what each bill still owes, the deposits held
and the 预存 balance, as plain sums over the append-only money rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from frontdesk.db.engine import Database
from frontdesk.domain import clock
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services.access import require
from frontdesk.services.fees.carried import (
    HistoryLine,
    OpeningDepositHeld,
    opening_deposits,
    payment_history,
)
from frontdesk.services.fees.journal import JournalRow, journal_rows
from frontdesk.services.fees.ledger import BillLine, bill_lines, deposit_held, prepaid_balance


@dataclass(frozen=True)
class DepositHeld:
    bill_id: int
    fee_item: str
    held_fen: int


@dataclass(frozen=True)
class HouseholdAccount:
    """The 账单 tab: every bill with its state, receipts, 预存 and deposits held; and
    what an import brought from the old system (its payment lines, deposits it held)."""

    bills: list[BillLine]
    receipts: list[JournalRow]
    prepaid_fen: int
    deposits: list[DepositHeld]

    current_period: str  # bills of later months (billed ahead) are not owed yet
    history: list[HistoryLine] = field(default_factory=list)  # newest first
    opening_deposits: list[OpeningDepositHeld] = field(default_factory=list)  # still held

    @property
    def outstanding_fen(self) -> int:
        return sum(
            line.outstanding_fen
            for line in self.bills
            if line.method != FeeMethod.DEPOSIT
            and (line.period is None or line.period <= self.current_period)
        )


def household_account(db: Database, actor: Actor, room_id: int) -> HouseholdAccount:
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        bills = bill_lines(session, room_id=room_id)
        balance = prepaid_balance(session, room_id)
        receipts = journal_rows(session, room_id=room_id)
        deposits = [
            DepositHeld(line.bill_id, line.fee_item, held)
            for line in bills
            if line.method == FeeMethod.DEPOSIT
            and (held := deposit_held(session, line.bill_id)) > 0
        ]
        history = payment_history(session, room_id)
        opening = [d for d in opening_deposits(session, room_id) if d.held_fen > 0]
    current = str(Period.of(clock.today()))
    return HouseholdAccount(
        list(reversed(bills)), receipts, balance, deposits, current, history, opening
    )
