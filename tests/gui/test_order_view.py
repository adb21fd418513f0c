"""An order's full view (工单详情): opened by Enter on the board and the callback list
and by a double-click in the household file's 工单 tab (through the main window), it
shows who took the order and each hand-on, the callbacks with their scores, the
photos as thumbnails, the repeat orders and the workers' visits, the phone masked
for a clerk. The intake's photo strip: added, refused, removed, saved with the order."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from frontdesk.domain.order_photos import PhotoStage
from frontdesk.domain.roles import Role
from frontdesk.domain.service_desk import Channel, Kind, Team, Urgency
from frontdesk.domain.visitors import Purpose
from frontdesk.gui.context import AppContext
from frontdesk.gui.navigation import WorkOrderView
from frontdesk.gui.screens.household.orders_tab import OrdersTab
from frontdesk.gui.screens.service_desk.board_tab import BoardTab, CallbacksTab
from frontdesk.gui.screens.service_desk.intake_dialog import IntakeDialog
from frontdesk.gui.screens.service_desk.order_view import OrderViewDialog
from frontdesk.gui.screens.service_desk.photo_strip import PhotoStrip
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services import service_desk as desk
from frontdesk.services import visitors
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.service_desk import CallbackInput, OrderInput, StaffInput


@pytest.fixture
def rooms(db, admin) -> list[int]:
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))


@pytest.fixture
def picture(tmp_path: Path):
    """A real PNG (or JPEG) the thumbnails can read."""

    def make(name: str = "tap.png", colour: str = "#3366aa") -> Path:
        image = QImage(320, 240, QImage.Format.Format_RGB32)
        image.fill(QColor(colour))
        path = tmp_path / name
        assert image.save(str(path))
        return path

    return make


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[OrderViewDialog]:
    """The full views opened (shown without blocking the test)."""
    seen: list[OrderViewDialog] = []
    monkeypatch.setattr(OrderViewDialog, "exec", lambda self: seen.append(self) or 0)
    return seen


def leak(db, room: int, *photos: Path, what: str = "厨房水龙头漏水") -> OrderInput:
    return OrderInput(
        kind=Kind.REPAIR_HOME,
        channel=Channel.PHONE,
        category_id=desk.category_id(db, "水电"),
        description=what,
        urgency=Urgency.URGENT,
        room_id=room,
        caller_name="张三",
        caller_phone="13812345678",
        photos=photos,
    )


def worked_order(db, admin, room: int, picture) -> int:
    """Taken with a photo, dispatched, transferred, the worker signed in at the gate."""
    order = desk.take_order(db, admin, leak(db, room, picture())).order_id
    wang = desk.save_staff(db, admin, StaffInput("王师傅", Team.ENGINEERING))
    zhao = desk.save_staff(db, admin, StaffInput("赵师傅", Team.ENGINEERING))
    desk.dispatch(db, admin, order, staff_id=wang)
    desk.transfer(db, admin, order, "王师傅请假", staff_id=zhao)
    visitors.register_visit(
        db,
        admin,
        visitors.VisitInput(
            room_id=room,
            visitor_name="赵师傅",
            visitor_phone="13900003333",
            purpose=Purpose.REPAIR,
            confirmed_by="业主 张三",
            work_order_id=order,
        ),
    )
    return order


def test_enter_on_the_board_opens_the_orders_full_view(
    qtbot, ctx: AppContext, db, admin, rooms, picture, opened
) -> None:
    earlier = desk.take_order(db, admin, leak(db, rooms[0], what="上周也漏")).order_id
    order = worked_order(db, admin, rooms[0], picture)
    board = BoardTab(ctx)
    qtbot.addWidget(board)
    board.refresh()
    assert board.select_order(order)
    QTest.keyClick(board.table, Qt.Key.Key_Return)
    (view,) = opened
    assert view.order_id == order
    ui = view.ui
    assert "首问负责：<b>管理员</b>" in ui.ownerLabel.text()
    assert "派单给 王师傅（工程）" in ui.ownerLabel.text()
    assert "转单给 赵师傅（工程）" in ui.ownerLabel.text()
    steps = [ui.historyTable.item(r, 1).text() for r in range(ui.historyTable.rowCount())]
    assert steps == ["受理", "派单", "转单"]
    assert ui.historyTable.item(2, 4).text() == "王师傅请假"
    assert ui.photoList.count() == 1 and not ui.photoList.item(0).icon().isNull()
    assert ui.photoList.item(0).text() == f"{PhotoStage.INTAKE.label} tap.png"
    assert ui.repeatsTable.rowCount() == 1
    assert ui.repeatsTable.item(0, 5).text() == "上周也漏"
    assert ui.visitsTable.item(0, 1).text() == "赵师傅"
    titles = [ui.tabs.tabText(i) for i in range(ui.tabs.count())]
    assert titles == [
        "概况",
        "处理记录（3）",
        "回访（0）",
        "照片（1）",
        "重复工单（1）",
        "维修费（0）",
        "维修人员登记（1）",
    ]
    assert "13812345678" in ui.factsText.toPlainText()  # the administrator sees it whole
    ui.repeatsTable.setCurrentCell(0, 0)
    QTest.keyClick(ui.repeatsTable, Qt.Key.Key_Return)  # an earlier order, in its own view
    assert [v.order_id for v in opened] == [order, earlier]


def test_the_callback_lists_enter_shows_the_scores(
    qtbot, ctx: AppContext, db, admin, rooms, picture, opened
) -> None:
    order = desk.take_order(db, admin, leak(db, rooms[0])).order_id
    desk.dispatch(db, admin, order, team=Team.ENGINEERING)
    desk.arrive(db, admin, order)
    desk.finish(db, admin, order, "更换阀芯")
    desk.callback_failed(db, admin, order, "无人接听")
    desk.callback(db, admin, order, CallbackInput(4, 2, 4, "还在滴水"))  # reopens
    desk.dispatch(db, admin, order, team=Team.ENGINEERING)
    desk.arrive(db, admin, order)
    desk.finish(db, admin, order, "更换软管")
    callbacks = CallbacksTab(ctx)
    qtbot.addWidget(callbacks)
    callbacks.refresh()
    assert callbacks.select_order(order)
    QTest.keyClick(callbacks.table, Qt.Key.Key_Return)
    table = opened[0].ui.callbacksTable
    rows = [[table.item(r, c).text() for c in range(2, 7)] for r in range(table.rowCount())]
    assert rows == [["未接通", "", "", "", "无人接听"], ["已回访", "4", "2", "4", "还在滴水"]]


def test_a_clerk_sees_the_callers_phone_masked(qtbot, db, admin, make_user, rooms, picture) -> None:
    order = desk.take_order(db, admin, leak(db, rooms[0])).order_id
    clerk = make_user(Role.CLERK)
    view = OrderViewDialog(AppContext(db, clerk, TaskRunner(wait=True)), order)
    qtbot.addWidget(view)
    text = view.ui.factsText.toPlainText()
    assert "138****5678" in text and "13812345678" not in text


def test_a_double_click_in_the_household_tab_opens_the_full_view(
    qtbot, ctx: AppContext, db, admin, rooms, picture, opened
) -> None:
    from frontdesk.gui.main_window import MainWindow

    order = worked_order(db, admin, rooms[0], picture)
    window = MainWindow(ctx)  # the navigator goes through the main window
    qtbot.addWidget(window)
    tab = OrdersTab(ctx)
    qtbot.addWidget(tab)
    tab.open_room(rooms[0], households.open_file(db, admin, rooms[0]))
    tab.show()
    rect = tab.table.visualItemRect(tab.table.item(0, 0))
    QTest.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    (view,) = opened
    assert view.order_id == order and view.parent() is tab
    assert view.windowTitle().startswith("工单详情 — ")


def test_the_household_tab_says_why_without_a_main_window(
    qtbot, ctx: AppContext, db, admin, rooms, picture
) -> None:
    asked: list[object] = []
    ctx.navigator.connect(lambda place: asked.append(place) or False)
    order = desk.take_order(db, admin, leak(db, rooms[0])).order_id
    tab = OrdersTab(ctx)
    qtbot.addWidget(tab)
    tab.open_room(rooms[0], households.open_file(db, admin, rooms[0]))
    tab.table.setCurrentCell(0, 0)
    QTest.keyClick(tab.table, Qt.Key.Key_Return)
    assert asked == [WorkOrderView(order, tab)]
    assert "无法打开工单详情" in tab.summary.text()


def test_the_photo_strip_adds_refuses_and_removes(qtbot, picture, tmp_path: Path) -> None:
    strip = PhotoStrip()
    qtbot.addWidget(strip)
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    problems = strip.add_files([picture("a.png"), text, picture("b.jpg", "#aa3333")])
    assert problems == ["「notes.png」不是可以打开的 JPG 或 PNG 图片"]
    assert [p.name for p in strip.paths()] == ["a.png", "b.jpg"]
    assert not strip.list.item(0).icon().isNull()
    assert not strip.remove_button.isEnabled()
    strip.list.setCurrentRow(0)
    QTest.keyClick(strip.list, Qt.Key.Key_Delete)
    assert [p.name for p in strip.paths()] == ["b.jpg"]
    many = [picture(f"p{i}.png") for i in range(9)]
    assert strip.add_files(many)[-1] == "一张工单最多 9 张照片"
    assert len(strip.paths()) == 9 and not strip.add_button.isEnabled()


def test_photos_added_at_intake_are_saved_with_the_order(
    qtbot, ctx: AppContext, db, admin, rooms, picture, monkeypatch
) -> None:
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information", lambda *a, **k: 0)
    dialog = IntakeDialog(ctx, room_id=rooms[0])
    qtbot.addWidget(dialog)
    dialog.photo_strip.add_files([picture("leak.png"), picture("wall.png", "#777777")])
    dialog.description_edit.setText("卫生间漏水")
    dialog.phone_edit.setText("13812345678")
    dialog.save()
    assert dialog.taken is not None
    saved = desk.list_photos(db, admin, dialog.taken.order_id)
    assert [(p.filename, p.stage) for p in saved] == [
        ("leak.png", PhotoStage.INTAKE),
        ("wall.png", PhotoStage.INTAKE),
    ]


def test_a_missing_photo_at_intake_saves_nothing(
    qtbot, ctx: AppContext, db, admin, rooms, picture
) -> None:
    dialog = IntakeDialog(ctx, room_id=rooms[0])
    qtbot.addWidget(dialog)
    gone = picture("gone.png")
    dialog.photo_strip.add_files([picture("kept.png"), gone])
    gone.unlink()  # the card was pulled out before saving
    dialog.description_edit.setText("卫生间漏水")
    dialog.save()
    assert dialog.taken is None
    assert "找不到文件 gone.png" in dialog.error_label.text()
    assert desk.list_orders(db, admin) == []


def test_photos_brought_back_after_the_work_are_added_from_the_full_view(
    qtbot, ctx: AppContext, db, admin, rooms, picture
) -> None:
    order = desk.take_order(db, admin, leak(db, rooms[0], picture())).order_id
    view = OrderViewDialog(ctx, order)
    qtbot.addWidget(view)
    assert view.ui.addPhotoButton.isEnabled()
    view.add_photos([picture("after.png", "#22aa44")])
    assert view.ui.photoList.count() == 2
    assert view.ui.photoList.item(1).text() == f"{PhotoStage.WORK.label} after.png"
    assert view.ui.tabs.tabText(3) == "照片（2）"
    stages = [p.stage for p in desk.list_photos(db, admin, order)]
    assert stages == [PhotoStage.INTAKE, PhotoStage.WORK]
