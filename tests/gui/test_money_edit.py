"""The money fields every screen types amounts into: fen out, the field named when
the text is not money."""

from __future__ import annotations

import pytest

from frontdesk.errors import ValidationError
from frontdesk.gui.widgets.money_edit import MoneyEdit, PriceEdit


@pytest.fixture
def edit(qtbot) -> MoneyEdit:
    field = MoneyEdit(field="实点现金")
    qtbot.addWidget(field)
    return field


@pytest.mark.parametrize(
    ("typed", "fen"), [("", 0), ("  ", 0), ("1,234.5", 123450), ("¥12", 1200), ("0.07元", 7)]
)
def test_an_amount_is_read_as_fen(edit: MoneyEdit, typed: str, fen: int) -> None:
    edit.setText(typed)
    assert edit.fen() == fen


@pytest.mark.parametrize(
    ("typed", "message"),
    [("12.345", "实点现金：“12.345”不是有效金额（最多两位小数）"), ("-5", "实点现金：不能为负数")],
)
def test_a_bad_amount_names_the_field(edit: MoneyEdit, typed: str, message: str) -> None:
    edit.setText(typed)
    with pytest.raises(ValidationError) as bad:
        edit.fen()
    assert bad.value.field == "实点现金" and bad.value.message == message
    assert edit.text() == typed  # left as typed, to be corrected


def test_a_field_may_word_a_bad_amount_its_own_way(edit: MoneyEdit) -> None:
    edit.problem = "请输入金额，如 500 或 500.00"
    edit.setText("五百")
    with pytest.raises(ValidationError) as bad:
        edit.fen()
    assert bad.value.message == "实点现金：请输入金额，如 500 或 500.00"
    edit.setText("-1")
    with pytest.raises(ValidationError) as negative:
        edit.fen()
    assert negative.value.message == "实点现金：不能为负数"


def test_an_amount_is_shown_as_a_clerk_types_it(edit: MoneyEdit) -> None:
    edit.set_fen(123450)
    assert edit.text() == "1234.50" and edit.fen() == 123450
    edit.set_fen(None)
    assert edit.text() == ""


def test_a_unit_price_keeps_four_decimals_and_is_required(qtbot) -> None:
    price = PriceEdit()
    qtbot.addWidget(price)
    price.setText("0.5283")
    assert price.price() == 5283
    for typed, message in (
        ("", "单价：请填写单价"),
        ("1.23456", "单价：“1.23456”不是有效单价，请填写以元为单位的数字，最多四位小数，如 2.20"),
    ):
        price.setText(typed)
        with pytest.raises(ValidationError) as bad:
            price.price()
        assert bad.value.message == message
