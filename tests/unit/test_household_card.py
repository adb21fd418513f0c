"""户档案卡: one page, masked as the printing user sees the file."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from frontdesk import printouts
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.roles import Role
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.households.file import PersonInput, PetInput, ProfileInput, VehicleInput
from frontdesk.services.households.structure import NewBuilding
from frontdesk.services.protection import audit

NOON = datetime(2026, 11, 25, 12, 0)
ID = "11010519491231002X"


def text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


@pytest.fixture
def room(db, admin) -> int:
    structure.create_building(db, admin, NewBuilding("3", "", 12, 2, 2, "89.5"))
    room_id = structure.find_room_id(db, admin, "3栋2单元1201")
    households.add_record(
        db,
        admin,
        room_id,
        PersonInput(
            PersonKind.OWNER,
            "张三",
            Relation.SELF,
            "男",
            IdType.RESIDENT,
            ID,
            "13812345678",
            "100%",
        ),
    )
    households.add_record(db, admin, room_id, VehicleInput("浙AD12345", "比亚迪汉", "白色"))
    households.add_record(
        db, admin, room_id, PetInput("犬", "豆豆", "柯基", "宁犬001", date(2026, 3, 1))
    )
    households.update_profile(
        db, admin, room_id, ProfileInput(date(2020, 5, 1), "微信", "VIP", "早上联系")
    )
    return room_id


def test_the_card_shows_the_whole_file_for_someone_who_may_unmask(db, admin, room) -> None:
    pages, content = text(printouts.household_card(db, admin, room, NOON).pdf)
    assert pages == 1
    for expected in (
        "户档案卡 3-2-1201",
        "3栋2单元1201室",
        "建筑面积：89.50 ㎡",
        "张三",
        "110***********002X",  # even unmasked: the kept copy must not undo encryption at rest
        "13812345678",
        "浙AD12345",
        "宁犬001",
        "入住日期：2020-05-01",
        "标签：VIP",
        "备注：早上联系",
        "打印人：管理员",
        "本页含完整电话",
    ):
        assert expected in content, expected
    assert ID not in content
    assert audit.room_history(db, admin, room)[0].action == "reveal"


def test_a_cashier_prints_a_masked_card(db, admin, make_user, room) -> None:
    _pages, content = text(printouts.household_card(db, make_user(Role.CASHIER), room, NOON).pdf)
    assert "110***********002X" in content and "138****5678" in content
    assert ID not in content and "13812345678" not in content
    assert "已按打印人权限遮盖" in content


def test_a_crowded_household_still_fits_one_page(db, admin, room) -> None:
    for n in range(20):
        households.add_record(
            db, admin, room, PersonInput(PersonKind.RESIDENT, f"住户{n}", phone=f"1390000{n:04d}")
        )
    pages, content = text(printouts.household_card(db, admin, room, NOON).pdf)
    assert pages == 1
    assert "人员（21）" in content and "另有 13 条未列出" in content


def test_room_codes_for_printing(db, admin, room) -> None:
    assert structure.find_room_id(db, admin, "3-2-1201") == room
    with pytest.raises(NotFound, match="找不到房屋「3-9-1201」"):
        structure.find_room_id(db, admin, "3-9-1201")
    with pytest.raises(ValidationError, match="房号："):
        structure.find_room_id(db, admin, "3栋")
