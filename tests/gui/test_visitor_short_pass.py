"""在场访客: signing out by the last four digits of today's pass (issue 20, section 2);
two passes inside with those digits are listed beside the field, none signed out."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from frontdesk.domain import clock
from frontdesk.gui.screens.visitors.inside_tab import InsideTab
from frontdesk.services.households import structure
from frontdesk.services.visitors import register as visitors
from frontdesk.services.visitors.register import VisitInput


def arrive(ctx, room: int, name: str, days_ago: int = 0) -> str:
    data = VisitInput(
        room_id=room, visitor_name=name, visitor_phone="13912345678", confirmed_by="业主 张三"
    )
    at = clock.utc_now() - timedelta(days=days_ago)
    return visitors.register_visit(ctx.db, ctx.actor, data, now=at).number


def scan(tab: InsideTab, text: str) -> str:
    QTest.keyClicks(tab.ui.signOutEdit, text)
    QTest.keyClick(tab.ui.signOutEdit, Qt.Key.Key_Return)
    return tab.ui.signOutResult.text()


def test_four_digits_sign_out_todays_pass_and_two_matches_are_listed(qtbot, ctx, shown) -> None:
    building = structure.create_building(
        ctx.db, ctx.actor, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    room = structure.room_ids(ctx.db, ctx.actor, structure.RoomFilter(building_id=building.id))[0]
    old = arrive(ctx, room, "赵一", days_ago=1)
    first, second = arrive(ctx, room, "孙三"), arrive(ctx, room, "李四")
    assert (old[-4:], first[-4:], second[-4:]) == ("0001", "0001", "0002")
    tab = InsideTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    assert tab.ui.table.rowCount() == 3
    assert "后 4 位" in tab.ui.signOutEdit.placeholderText()

    assert scan(tab, "0002") == f"已签离 {second} 李四（1-1-101）"
    assert tab.ui.signOutEdit.text() == "" and tab.ui.table.rowCount() == 2

    said = scan(tab, "0001")
    assert said.startswith("尾号 0001 有 2 张访客单未签离：")
    assert f"{first} 孙三（1-1-101）" in said and f"{old} 赵一（1-1-101）" in said
    assert "#b3261e" in tab.ui.signOutResult.styleSheet()
    assert tab.ui.signOutEdit.selectedText() == "0001"  # the next entry replaces it
    assert tab.ui.table.rowCount() == 2 and shown == []

    assert scan(tab, old) == f"已签离 {old} 赵一（1-1-101）"  # the whole number, as scanned
    assert scan(tab, "0001") == f"已签离 {first} 孙三（1-1-101）"
    assert tab.ui.table.rowCount() == 0
