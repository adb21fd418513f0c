"""Refunds (退款): 预存 paid back, or a deposit returned less itemised deductions (all
of it may be kept). Each is its own numbered 退款凭证 in the TK series."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Bill,
    PrepaidEntry,
    Refund,
    RefundDeduction,
    RenovationBill,
    RenovationWorker,
)
from frontdesk.db.turns import room_in_turn
from frontdesk.domain import clock
from frontdesk.domain.fees import FeeMethod, PayMethod, normalize_account_no
from frontdesk.domain.money import check_amount
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.carried import opening_deposits
from frontdesk.services.fees.items import REFUND_SERIES
from frontdesk.services.fees.ledger import bill_lines, deposit_held, prepaid_balance
from frontdesk.services.fees.payments import (
    issue_receipt,
    receipt_no,
    refuse_after_day_close,
    require_person,
)
from frontdesk.services.scope import room_of


@dataclass(frozen=True)
class DeductionInput:
    amount_fen: int
    reason: str


@dataclass(frozen=True)
class RefundRequest:
    room_id: int
    method: PayMethod
    reason: str
    payee: str = ""
    amount_fen: int = 0  # prepaid refunds: how much
    deposit_bill_id: int | None = None  # deposit refunds: which deposit
    # …or which deposit the old system held (数据导入: OpeningDeposit)
    opening_deposit_id: int | None = None
    deductions: tuple[DeductionInput, ...] = field(default=())
    # 转账 only: the account the money goes to (all three required).
    account_name: str = ""  # 户名
    bank: str = ""  # 开户行
    account_no: str = ""  # 账号


@dataclass(frozen=True)
class PostedRefund:
    refund_id: int
    receipt_id: int
    receipt_no: str
    amount_fen: int


def post_refund(
    db: Database, actor: Actor, request: RefundRequest, today: date | None = None
) -> PostedRefund:
    """退款: from 预存, or a deposit less itemised deductions; a numbered 退款凭证."""
    require(actor, Permission.ISSUE_REFUNDS)
    require_person(actor)
    today = today or clock.today()
    request = _cleaned(request)
    if request.method == PayMethod.PREPAID:
        raise ValidationError("退款方式", "请选择现金、微信、支付宝、银行卡或转账")
    payee = request.payee
    if not payee:
        raise ValidationError("领款人", "请填写领取退款的人（业主本人或其委托人）")
    account_name, bank, account_no = _account(request)
    deposit = request.deposit_bill_id is not None or request.opening_deposit_id is not None
    if request.deposit_bill_id is not None and request.opening_deposit_id is not None:
        raise ValidationError("押金", "一次只能退一笔押金")
    if not deposit and request.deductions:
        raise ValidationError("扣款金额", "退预存款不能扣款；扣款只用于退押金")
    for deduction in request.deductions:
        if deduction.amount_fen <= 0:
            raise ValidationError("扣款金额", "须大于零")
        if not deduction.reason.strip():
            raise ValidationError("扣款原因", "每项扣款都要写明原因")
    with db.write(actor) as session:
        room_in_turn(session, request.room_id)
        refuse_after_day_close(session, actor, today)
        room_of(session, request.room_id)
        if not deposit:
            kind, gross = "prepaid", request.amount_fen
            if gross <= 0:
                raise ValidationError("退款金额", "须大于零")
            if gross > prepaid_balance(session, request.room_id):
                raise ValidationError("退款金额", "超过该户预存余额")
        elif request.opening_deposit_id is not None:
            kind, gross = "deposit", _opening_deposit_gross(session, request)
        else:
            kind, gross = "deposit", _deposit_gross(session, request)
        deducted = sum(d.amount_fen for d in request.deductions)
        if deducted > gross:
            raise ValidationError("扣款金额", "扣款合计超过押金金额")
        refund = Refund(
            room_id=request.room_id,
            kind=kind,
            bill_id=request.deposit_bill_id,
            opening_deposit_id=request.opening_deposit_id,
            gross_fen=gross,
            deductions_fen=deducted,
            amount_fen=gross - deducted,
            method=request.method,
            payee=payee,
            payee_account_name=account_name,
            payee_bank=bank,
            payee_account_no=account_no,
            reason=request.reason,
            day=today,
            cashier_id=actor.user_id,
            cashier_name=actor.display_name,
        )
        session.add(refund)
        session.flush()
        session.add_all(
            RefundDeduction(refund_id=refund.id, amount_fen=d.amount_fen, reason=d.reason)
            for d in request.deductions
        )
        if kind == "prepaid":
            session.add(
                PrepaidEntry(
                    room_id=request.room_id, amount_fen=-gross, refund_id=refund.id, note="退预存"
                )
            )
        receipt = issue_receipt(session, REFUND_SERIES, request.room_id, "", refund_id=refund.id)
        return PostedRefund(
            refund.id, receipt.id, receipt_no(receipt.series, receipt.number), refund.amount_fen
        )


def _cleaned(request: RefundRequest) -> RefundRequest:
    """Text normalised and limited, every amount within the limit."""
    check_amount(request.amount_fen, "退款金额", allow_negative=True)  # sign checked later
    for deduction in request.deductions:
        check_amount(deduction.amount_fen, "扣款金额", allow_negative=True)
    return replace(
        request,
        reason=clean_text(request.reason, "退款原因", 200, required=True),
        payee=clean_name(request.payee, "领款人", 60),
        deductions=tuple(
            replace(d, reason=clean_text(d.reason, "扣款原因", 200)) for d in request.deductions
        ),
    )


def _account(request: RefundRequest) -> tuple[str, str, str]:
    """户名, 开户行, 账号 of a refund by transfer (each required, naming the field);
    other methods keep none."""
    if request.method != PayMethod.TRANSFER:
        return "", "", ""
    name = clean_name(request.account_name, "户名", 60)
    bank = clean_name(request.bank, "开户行", 60)
    if not name:
        raise ValidationError("户名", "转账退款须填写收款账户的户名")
    if not bank:
        raise ValidationError("开户行", "转账退款须填写开户行")
    if len(name) > 60 or len(bank) > 60:
        raise ValidationError("户名" if len(name) > 60 else "开户行", "不能超过 60 个字")
    return name, bank, normalize_account_no(request.account_no)


def _deposit_gross(session: Session, request: RefundRequest) -> int:
    bill = session.get(Bill, request.deposit_bill_id)
    if bill is None or bill.room_id != request.room_id:
        raise NotFound("找不到该户的这笔押金。")
    line = bill_lines(session, bill_ids=[bill.id])[0]
    if line.method != FeeMethod.DEPOSIT:
        raise ValidationError("押金", f"{line.fee_item}不是押金，不能按押金退还")
    lost = session.scalar(
        select(RenovationWorker.pass_no)
        .join(RenovationBill, RenovationBill.worker_id == RenovationWorker.id)
        .where(RenovationBill.bill_id == bill.id, RenovationWorker.lost_on.is_not(None))
    )
    if lost:
        raise UserError(f"出入证 {lost} 已挂失，其押金按规定不予退还。")
    held = deposit_held(session, bill.id)
    if held <= 0:
        raise UserError(f"{line.fee_item}没有可退的金额（未交或已退）。")
    return held


def _opening_deposit_gross(session: Session, request: RefundRequest) -> int:
    """What is still held of a deposit the old system took (数据导入)."""
    assert request.opening_deposit_id is not None
    found = opening_deposits(session, request.room_id, request.opening_deposit_id)
    if not found:
        raise NotFound("找不到该户的这笔押金。")
    (deposit,) = found
    if deposit.held_fen <= 0:
        raise UserError(f"{deposit.label}没有可退的金额（已退）。")
    return deposit.held_fen
