"""证明开具: the certificates the counter issues, their numbers and verification codes,
and the words each one says; no database.

A certificate is numbered ZM + the day (YYMMDD) + four digits and carries an
eight-character verification code drawn at random. A bank, a school or a lawyer who
calls reads both out (or scans the QR code, which holds them as text); the office
checks them against its register.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from frontdesk.domain.money import format_yuan, to_words

NUMBER_PREFIX = "ZM"
# No 0/O, 1/I/L: a code read out on the telephone is not misheard.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
PAID_UP_VALID_DAYS = 30  # arrears may accrue again: a 结清证明 is good for a month

_NUMBER = re.compile(rf"{NUMBER_PREFIX}\d{{10}}")
_CODE = re.compile(rf"[{CODE_ALPHABET}]{{4}}-?[{CODE_ALPHABET}]{{4}}")


class CertificateKind(StrEnum):
    PAID_UP = "paid_up"
    RESIDENCE = "residence"
    DEPOSIT_REFUNDED = "deposit_refunded"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def command_name(self) -> str:
        """paid-up, residence, deposit-refunded: how the command line names it."""
        return self.value.replace("_", "-")


KIND_LABELS = {
    CertificateKind.PAID_UP: "物业费结清证明",
    CertificateKind.RESIDENCE: "居住证明",
    CertificateKind.DEPOSIT_REFUNDED: "装修押金已退证明",
}


class Standing(StrEnum):
    """What the register says of a number and code."""

    VALID = "valid"
    REVOKED = "revoked"
    WRONG_CODE = "wrong_code"
    NOT_FOUND = "not_found"

    @property
    def label(self) -> str:
        return {
            "valid": "有效",
            "revoked": "已作废",
            "wrong_code": "核验码不符",
            "not_found": "查无此证明",
        }[self]


def certificate_number(day: date, sequence: int) -> str:
    """ZM2612070001: the fourth certificate of 7 December 2026 is ZM2612070004."""
    return f"{NUMBER_PREFIX}{day:%y%m%d}{sequence:04d}"


def day_prefix(day: date) -> str:
    return f"{NUMBER_PREFIX}{day:%y%m%d}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def shown_code(code: str) -> str:
    """K7QM3XPA -> K7QM-3XPA, as printed and read out."""
    return f"{code[:4]}-{code[4:]}"


def clean_code(text: str) -> str:
    """What was typed or read out, as stored: upper case, no dash or spaces."""
    return re.sub(r"[\s\-－—]", "", text).upper()


def clean_number(text: str) -> str:
    return re.sub(r"\s", "", text).upper()


def read_scan(text: str) -> tuple[str, str] | None:
    """The number and code from the QR code's text as a scanner types it, or None."""
    upper = text.upper()
    number = _NUMBER.search(upper)
    code = _CODE.search(upper[number.end() :] if number else "")
    if number is None or code is None:
        return None
    return number.group(), clean_code(code.group())


def qr_text(number: str, code: str, issuer: str, phone: str) -> str:
    """What the QR code holds: readable by any phone, checkable only at the office."""
    lines = [f"{issuer} 证明编号：{number}", f"核验码：{shown_code(code)}"]
    if phone:
        lines.append(f"核验电话：{phone}")
    return "\n".join(lines)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# the words ---------------------------------------------------------------------


@dataclass(frozen=True)
class OwedLine:
    """A bill still open, shown instead of a 结清证明."""

    fee_item: str
    period: str  # 2026年10月, or the day of a one-off charge
    open_fen: int


def owed_message(lines: tuple[OwedLine, ...]) -> str:
    """What is owed, by fee item (a year of arrears is two lines, not twenty-four)."""
    by_item: dict[str, list[OwedLine]] = {}
    for line in lines:
        by_item.setdefault(line.fee_item, []).append(line)
    parts = []
    for item, owed in by_item.items():
        fen = format_yuan(sum(line.open_fen for line in owed))
        when = (
            owed[0].period
            if len(owed) == 1
            else f"{owed[0].period}至{owed[-1].period}共{len(owed)}笔"
        )
        parts.append(f"{item} {when} {fen} 元")
    total = format_yuan(sum(line.open_fen for line in lines))
    return (
        f"该户尚有未缴费用，不能开具物业费结清证明：{'；'.join(parts)}；"
        f"合计 {total} 元。请先到收费处结清。"
    )


def paid_up_text(
    place: str, owners: str, area: str, paid_through: str, as_of: date, prepaid_fen: int
) -> tuple[str, ...]:
    first = (
        f"兹证明，本小区{place}（建筑面积{area}平方米），产权人{owners}。"
        f"经核查本服务中心收费记录，截至{chinese_date(as_of)}，该房屋物业服务费已缴纳至"
        f"{paid_through}，各项物业费用均已结清，无拖欠。"
    )
    if prepaid_fen > 0:
        first += f"另有预存物业费余额人民币{format_yuan(prepaid_fen)}元。"
    return (first, f"本证明自开具之日起{PAID_UP_VALID_DAYS}日内有效。")


@dataclass(frozen=True)
class Resident:
    name: str
    standing: str  # 产权人 / 产权人之配偶 / 租户
    id_number: str  # masked, as the household card prints it
    since: date


def residence_text(place: str) -> tuple[str, ...]:
    return (f"兹证明，下列人员居住于本小区{place}，情况属实：",)


def residence_after() -> tuple[str, ...]:
    return ("以上情况依据本服务中心住户档案登记出具。",)


def residence_holder(residents: tuple[Resident, ...]) -> str:
    return "、".join(r.name for r in residents)


@dataclass(frozen=True)
class DepositFacts:
    renovation: str  # ZX2611-0003
    applicant: str
    starts_on: date
    ends_on: date
    completed_on: date | None
    paid_fen: int
    kept_fen: int
    kept_reasons: str
    refunded_fen: int
    refunded_on: date


def deposit_text(place: str, facts: DepositFacts) -> tuple[str, ...]:
    work = (
        f"兹证明，本小区{place}装修申请人为{facts.applicant}，于{chinese_date(facts.starts_on)}"
        f"至{chinese_date(facts.ends_on)}进行装修（装修编号{facts.renovation}），"
        f"已交纳装修押金{_amount(facts.paid_fen)}。"
    )
    if facts.completed_on is not None:
        work += f"该装修已于{chinese_date(facts.completed_on)}竣工验收。"
    when = chinese_date(facts.refunded_on)
    if facts.kept_fen:
        # No brackets around the reasons: a bracketed phrase goes down to the next
        # line whole, and left the line before it half empty.
        kept = format_yuan(facts.kept_fen, grouping=False)
        refund = (
            f"上述押金已于{when}办理退还：扣除{facts.kept_reasons}费用{kept}元后，"
            f"退还{_amount(facts.refunded_fen)}。"
        )
    else:
        refund = f"上述押金已于{when}全额退还，退还金额{_amount(facts.refunded_fen)}。"
    refund += "该装修押金已结清，无未退押金。"
    return (work, refund)


def _amount(fen: int) -> str:
    """人民币3000.00元（大写：叁仟元整）, as a paper that money is argued over states it."""
    words = to_words(fen).removeprefix("人民币")
    return f"人民币{format_yuan(fen, grouping=False)}元（大写：{words}）"


def purpose_line(purpose: str) -> str:
    return f"本证明仅用于{purpose}，他用无效。" if purpose else ""
