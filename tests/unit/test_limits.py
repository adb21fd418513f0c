"""Limits and normalisation of what is typed (issue 18, section 4): every amount has a
ceiling and every text a length, both refused with a Chinese message naming the field;
names are Unicode NFC and invisible characters are refused, so a zero-width space or a
decomposed accent cannot slip a second copy of a person past the duplicate rule."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from frontdesk.domain.fees import FeeMethod, PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.money import (
    MAX_AMOUNT_FEN,
    MoneyFormatError,
    MoneyTooLarge,
    check_amount,
    format_yuan,
    parse_yuan,
)
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import ValidationError
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.database import Database
from frontdesk.services.fees import (
    billing,
    cash_close,
    charges,
    journal,
    payments,
    receipts,
    refunds,
)
from frontdesk.services.fees import items as fees
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.households import roster, structure
from frontdesk.services.households.structure import NewBuilding
from tests.unit.fee_fixtures import TODAY, Community, make_community

INVISIBLE = [
    "\u200b",  # zero width space
    "\u200c",  # zero width non-joiner
    "\u200d",  # zero width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u00ad",  # soft hyphen
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # left-to-right embedding
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2069",  # pop directional isolate
    "\u061c",  # Arabic letter mark
    "\x00",
    "\x1b",
]


# -- the normaliser -------------------------------------------------------------------


@given(st.text(max_size=60))
def test_clean_text_gives_nfc_without_invisible_characters_or_refuses(text: str) -> None:
    try:
        cleaned = clean_text(text, "备注", 60)
    except ValidationError as exc:
        assert exc.field == "备注"
        assert exc.problem  # says what is wrong, in Chinese
        return
    assert cleaned == unicodedata.normalize("NFC", cleaned) == cleaned.strip()
    assert len(cleaned) <= 60
    assert all(unicodedata.category(c)[0] != "C" or c in "\n\r\t" for c in cleaned), (
        "an invisible character was kept"
    )


@given(st.text(max_size=60))
def test_a_name_is_one_line_nfc_and_the_same_however_it_was_composed(text: str) -> None:
    try:
        cleaned = clean_name(text, "姓名")
    except ValidationError as exc:
        assert exc.field == "姓名"
        return
    assert "\n" not in cleaned and "\t" not in cleaned and "  " not in cleaned
    assert cleaned == unicodedata.normalize("NFC", cleaned)
    # Decomposed or composed, the same name comes out (NFD of an accepted name is
    # accepted too: it holds only combining marks, never invisible characters).
    assert clean_name(unicodedata.normalize("NFD", text), "姓名") == cleaned


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_are_refused_naming_the_field(char: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_name(f"张{char}三", "姓名")
    assert caught.value.field == "姓名"
    assert f"U+{ord(char):04X}" in caught.value.problem
    with pytest.raises(ValidationError, match="备注"):
        clean_text(f"第一行{char}\n第二行", "备注", 200)


def test_free_text_keeps_its_lines_and_a_name_its_single_spaces() -> None:
    assert clean_text(" 第一行\n第二行\t完 ", "备注", 200) == "第一行\n第二行\t完"
    assert clean_name("  Mary   Ann\u3000Li ", "姓名") == "Mary Ann Li"
    assert clean_name("Zoe\u0301", "姓名") == "Zo\u00e9"  # composed


def test_length_is_counted_after_normalising_and_the_message_names_the_field() -> None:
    assert clean_name("e\u0301" * 40, "姓名", 40) == "\u00e9" * 40
    with pytest.raises(ValidationError, match="姓名：不能超过 40 个字（现有 41 个字）"):
        clean_name("张" * 41, "姓名", 40)


# -- the money parser -----------------------------------------------------------------


@given(st.integers(-MAX_AMOUNT_FEN, MAX_AMOUNT_FEN))
def test_every_amount_up_to_the_ceiling_reads_back(fen: int) -> None:
    assert parse_yuan(format_yuan(fen)) == fen
    assert check_amount(fen, "金额", allow_negative=True) == fen


@given(st.integers(MAX_AMOUNT_FEN + 1, 10**40), st.booleans())
def test_every_amount_above_the_ceiling_is_refused_with_a_message(fen: int, negative: bool) -> None:
    fen = -fen if negative else fen
    with pytest.raises(MoneyTooLarge) as caught:
        parse_yuan(format_yuan(fen, grouping=False))
    assert "10,000,000.00" in caught.value.problem
    with pytest.raises(ValidationError, match=r"实收现金：超过单项金额上限 10,000,000\.00 元"):
        check_amount(fen, "实收现金", allow_negative=True)


def test_the_ceiling_is_ten_million_yuan() -> None:
    assert parse_yuan("10,000,000.00") == MAX_AMOUNT_FEN == 1_000_000_000
    with pytest.raises(MoneyFormatError):
        parse_yuan("10000000.01")


# -- at the counter ---------------------------------------------------------------------


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    community = make_community(db, admin)
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    return community


def cash_for_everything(
    db: Database, actor: Actor, room: int, handed: int | None, **kw
) -> PaymentRequest:
    view = payments.counter_view(db, actor, room, TODAY)
    bills = tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills)
    due = sum(fen for _, fen in bills)
    return PaymentRequest(room, bills, (TenderInput(PayMethod.CASH, due, handed),), **kw)


def nothing_posted(db: Database, actor: Actor) -> bool:
    return journal.receipt_journal(db, actor, day=TODAY) == []


@pytest.mark.parametrize(
    ("handed", "message"),
    [
        (10**19, r"实收现金：超过单项金额上限 10,000,000\.00 元"),  # was a raw OverflowError
        (9 * 10**18, r"实收现金：超过单项金额上限 10,000,000\.00 元"),  # was posted
        (MAX_AMOUNT_FEN, "实收现金：找零"),  # within the ceiling, but absurd change
    ],
)
def test_absurd_cash_handed_over_is_refused_with_a_message(
    db: Database, make_user, town: Community, handed: int, message: str
) -> None:
    cashier = make_user(Role.CASHIER)
    request = cash_for_everything(db, cashier, town.occupied, handed)
    with pytest.raises(ValidationError, match=message):
        payments.post_payment(db, cashier, request, TODAY)
    assert nothing_posted(db, cashier)


def test_change_up_to_a_thousand_yuan_is_given(db: Database, make_user, town: Community) -> None:
    cashier = make_user(Role.CASHIER)
    request = cash_for_everything(db, cashier, town.occupied, None)
    due = request.tenders[0].amount_fen
    handed = due + payments.MAX_CHANGE_FEN
    request = cash_for_everything(db, cashier, town.occupied, handed)
    assert payments.post_payment(db, cashier, request, TODAY).change_fen == 100_000


def test_a_ten_thousand_character_payer_is_refused(
    db: Database, make_user, town: Community
) -> None:
    cashier = make_user(Role.CASHIER)
    request = cash_for_everything(db, cashier, town.occupied, None, payer="张" * 10_000)
    with pytest.raises(ValidationError, match="交款人：不能超过 60 个字"):
        payments.post_payment(db, cashier, request, TODAY)
    assert nothing_posted(db, cashier)
    hidden = cash_for_everything(db, cashier, town.occupied, None, payer="张\u202e三")
    with pytest.raises(ValidationError, match="交款人：含有不可见的格式字符"):
        payments.post_payment(db, cashier, hidden, TODAY)
    fine = cash_for_everything(db, cashier, town.occupied, None, payer=" 张  三 ")
    posted = payments.post_payment(db, cashier, fine, TODAY)
    assert receipts.receipt_view(db, cashier, posted.receipt_no).payer == "张 三"


def test_a_refund_of_an_absurd_amount_or_payee_is_refused(
    db: Database, admin: Actor, town: Community
) -> None:
    huge = refunds.RefundRequest(town.vacant, PayMethod.CASH, "退款", "张三", amount_fen=10**19)
    with pytest.raises(ValidationError, match="退款金额：超过单项金额上限"):
        refunds.post_refund(db, admin, huge, TODAY)
    long_payee = refunds.RefundRequest(
        town.vacant, PayMethod.CASH, "退款", "张" * 61, amount_fen=100
    )
    with pytest.raises(ValidationError, match="领款人：不能超过 60 个字"):
        refunds.post_refund(db, admin, long_payee, TODAY)


# -- the duplicate rule -------------------------------------------------------------------


@pytest.fixture
def room(db: Database, admin: Actor) -> int:
    structure.create_building(db, admin, NewBuilding("3", "", 12, 2, 2, "89.5"))
    return structure.find_room_id(db, admin, "3-2-1201")


def test_a_name_with_a_zero_width_space_is_refused_in_the_file(
    db: Database, admin: Actor, room: int
) -> None:
    person = households.PersonInput(PersonKind.OWNER, "张\u200b三", phone="13800000000")
    with pytest.raises(ValidationError, match="姓名：含有不可见的格式字符（U\\+200B）"):
        households.add_record(db, admin, room, person)
    assert households.open_file(db, admin, room).people == ()


def roster_book(path: Path, names: list[str]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(roster.COLUMNS)
    for name in names:
        cells = {"房号": "3-2-1201", "类别": "产权人", "姓名": name, "电话": "13800000000"}
        sheet.append([cells.get(column) for column in roster.COLUMNS])
    book.save(path)
    return path


def test_names_that_differ_only_in_composition_are_one_person(
    db: Database, admin: Actor, room: int, tmp_path: Path
) -> None:
    composed, decomposed = "Zo\u00e9", "Zoe\u0301"
    households.add_record(
        db, admin, room, households.PersonInput(PersonKind.OWNER, decomposed, phone="13800000000")
    )
    [stored] = households.open_file(db, admin, room).people
    assert stored.name == composed  # stored in NFC
    report = roster.import_roster(
        db, admin, roster_book(tmp_path / "r.xlsx", [composed, decomposed, "张\u200b三"])
    )
    assert report.added == 0
    reasons = [r.reason for r in report.rejected]
    assert reasons[0].startswith("该人员已在档案中") and reasons[1].startswith("该人员已在档案中")
    assert "不可见的格式字符" in reasons[2]


def test_other_amounts_at_the_counter_have_the_same_ceiling(
    db: Database, admin: Actor, make_user, town: Community
) -> None:
    cashier = make_user(Role.CASHIER)
    with pytest.raises(ValidationError, match="实点现金：超过单项金额上限"):
        cash_close.close_cash(db, cashier, "shift", 10**19, today=TODAY)
    card = fees.add_fee_item(db, admin, "门禁卡工本费", "其他", FeeMethod.ONE_OFF)
    with pytest.raises(ValidationError, match="金额：超过单项金额上限"):
        charges.add_charge(db, cashier, town.occupied, card, amount_fen=9 * 10**18, today=TODAY)
    with pytest.raises(ValidationError, match="说明：不能超过 200 个字"):
        charges.add_charge(
            db, cashier, town.occupied, card, amount_fen=2000, note="卡" * 201, today=TODAY
        )
    with pytest.raises(ValidationError, match="最少欠费：超过单项金额上限"):
        arrears.arrears_report(db, admin, arrears.ArrearsFilter(min_fen=10**19), today=TODAY)
