"""The clerk's choices for a sheet (数据导入): a saved mapping used on another sheet,
value pairs typed on the command line, and the value matches the CLI prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.domain.onboarding import Field, ImportKind
from frontdesk.domain.periods import Period
from frontdesk.errors import ValidationError
from frontdesk.services import onboarding
from frontdesk.services.onboarding import reading
from tests import onboarding_books as books

ITEMS = ("物业服务费", "生活垃圾处理费", "装修垃圾清运费", "车位管理费")


def _balances(path: Path) -> Path:
    """An old system's balances file: arrears by month on one sheet, paid-through
    months on another."""
    return books.write_book(
        path,
        {
            "欠费明细": [
                ("房号", "收费项目", "所属月份", "欠费金额"),
                ("3-2-1201", "垃圾清运费", "2026-03", 15),
                ("3-2-1202", "物业管理费", "2026-04", 200),
            ],
            "已缴至": [
                ("房号", "收费项目", "已缴至", "备注"),
                ("3-2-1201", "垃圾清运费", "2026-11", ""),
                ("3-2-1203", "物业管理费", "2026-12", "年缴"),
            ],
        },
    )


def _saved_on_arrears(path: Path) -> str:
    table = reading.read_table(path, "欠费明细")
    setup = reading.setup_with_values(
        reading.suggested_setup(table, fee_items=ITEMS), ["收费项目:垃圾清运费=生活垃圾处理费"]
    )
    return reading.setup_to_json(setup, table)


def test_a_mapping_saved_on_one_sheet_reads_the_other_sheets_columns(tmp_path: Path) -> None:
    path = _balances(tmp_path / "balances.xlsx")
    table = reading.read_table(path, "已缴至")
    setup = reading.setup_from_json(_saved_on_arrears(path), table, ITEMS)
    assert setup.columns == {
        0: Field.ROOM_CODE,
        1: Field.FEE_ITEM,
        2: Field.PAID_THROUGH,
        3: Field.NOTE,
    }
    assert setup.kind is ImportKind.BALANCES and setup.sheet == "已缴至"
    # the saved answer kept, the other value suggested for this sheet
    assert setup.values[Field.FEE_ITEM] == {
        "垃圾清运费": "生活垃圾处理费",
        "物业管理费": "物业服务费",
    }
    result = reading.read_lines(path, setup)
    assert [(line.fee_item, line.period) for line in result.paid_through] == [
        ("生活垃圾处理费", Period(2026, 11)),
        ("物业服务费", Period(2026, 12)),
    ]
    assert not result.refusals


def test_a_column_left_out_stays_out_and_a_saved_choice_wins(tmp_path: Path) -> None:
    path = _balances(tmp_path / "balances.xlsx")
    table = reading.read_table(path, "已缴至")
    chosen = reading.setup_with_map(
        table, reading.suggested_setup(table, fee_items=ITEMS), ["备注=忽略"]
    )
    saved = reading.setup_to_json(
        reading.setup_with_values(chosen, ["收费项目:物业管理费=车位管理费"]), table
    )
    again = reading.setup_from_json(saved, table, ITEMS)
    assert 3 not in again.columns
    assert again.values[Field.FEE_ITEM]["物业管理费"] == "车位管理费"
    assert again.values[Field.FEE_ITEM]["垃圾清运费"] == "生活垃圾处理费"


def test_value_pairs_from_the_command_line(tmp_path: Path) -> None:
    table = reading.read_table(books.rooms_one_code(tmp_path / "rooms.xlsx"))
    setup = reading.suggested_setup(table)
    changed = onboarding.setup_with_values(
        setup,
        [
            "房屋类型:住房=shop",
            "room_type:商铺=车位",
            "收费项目：垃圾清运费=生活垃圾处理费",
            "性别:1=男",
        ],
    )
    assert changed.values[Field.ROOM_TYPE]["住房"] == "shop"
    assert changed.values[Field.ROOM_TYPE]["商铺"] == "parking"
    assert changed.values[Field.FEE_ITEM] == {"垃圾清运费": "生活垃圾处理费"}
    assert changed.values[Field.GENDER] == {"1": "男"}
    assert setup.values.get(Field.GENDER) is None  # the setup given is not changed


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("房屋类型商业=商铺", "「房屋类型商业=商铺」应写成 字段:原值=我们的值"),
        ("房屋类型:商业", "应写成 字段:原值=我们的值"),
        ("房屋类型:=商铺", "应写成 字段:原值=我们的值"),
        ("房屋类型:商业=", "应写成 字段:原值=我们的值"),
        ("楼栋:3=4", "「楼栋」不是可对应取值的字段"),
        ("房屋类型:商业=宫殿", "「宫殿」不是房屋类型的取值（可用：住宅"),
        ("性别:1=M", "「M」不是性别的取值（可用：男、女）"),
    ],
)
def test_a_bad_value_pair_is_named(pair: str, message: str) -> None:
    setup = reading.suggested_setup(
        reading.SheetTable("S", 1, ("房号", "类型"), ((2, ("3-2-1201", "商业")),), ())
    )
    with pytest.raises(ValidationError, match=message) as raised:
        reading.setup_with_values(setup, [pair])
    assert raised.value.field == "值对应"


def test_value_matches_list_each_value_once_with_ours(tmp_path: Path) -> None:
    path = _balances(tmp_path / "balances.xlsx")
    table = reading.read_table(path, "欠费明细")
    setup = reading.suggested_setup(table, fee_items=("物业服务费",))
    assert onboarding.value_matches(table, setup) == [
        (Field.FEE_ITEM, "垃圾清运费", "", 1),
        (Field.FEE_ITEM, "物业管理费", "物业服务费", 1),
    ]
    rooms = reading.read_table(books.rooms_one_code(tmp_path / "rooms.xlsx"))
    matches = reading.value_matches(rooms, reading.suggested_setup(rooms))
    assert (Field.ROOM_TYPE, "住宅", "residence", 4) in matches
