"""快递代收 in 前台登记: a parcel taken in and handed over with the keyboard alone, its
label printed; a second hand-over refused beside the field, nothing changed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from frontdesk.domain.household import PersonKind
from frontdesk.domain.parcels import IdentityCheck
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.counter.parcels_tab import ParcelsTab
from frontdesk.gui.screens.counter.screen import CounterScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.parcels import find_parcel, waiting_parcels


@pytest.fixture
def rooms(db, admin) -> list[int]:
    """1栋: 1-1-101, 1-1-102, 1-1-201, 1-1-202; 1-1-101 with its owner and a tenant."""
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    ids = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))
    for kind, name, phone in (
        (PersonKind.OWNER, "张三", "13800001111"),
        (PersonKind.TENANT, "李四", "13900002222"),
    ):
        households.add_record(db, admin, ids[0], households.PersonInput(kind, name, phone=phone))
    return ids


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    seen: list[tuple[str, bytes]] = []

    def fake_exec(dialog: PdfPreviewDialog) -> int:
        seen.append((dialog.windowTitle(), dialog.pdf))
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", fake_exec)
    return seen


def _shown(qtbot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1200, 640)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


@pytest.fixture
def tab(qtbot, ctx, rooms) -> ParcelsTab:
    widget = ParcelsTab(ctx)
    _shown(qtbot, widget)
    return widget


def _enter(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)


def test_take_in_and_hand_over_by_keyboard_alone(db, admin, rooms, tab, previews, shown) -> None:
    ui = tab.ui
    assert tab.focusWidget() is ui.trackingEdit
    QTest.keyClicks(ui.trackingEdit, "sf1234567890123")  # a scanner types, then Enter
    _enter(ui.trackingEdit)
    assert ui.courierCombo.currentText() == "顺丰"  # the prefix named the courier
    assert tab.focusWidget() is tab.room
    QTest.keyClicks(tab.room, "1-1-101")
    _enter(tab.room)
    assert tab.room.room_id == rooms[0]
    assert tab.focusWidget() is ui.recipientCombo
    assert ui.recipientCombo.currentText() == "张三（业主）　138****1111"
    assert "139****2222" in ui.recipientCombo.itemText(1)
    QTest.keyClick(ui.recipientCombo, Qt.Key.Key_Down)  # the tenant's parcel
    _enter(ui.recipientCombo)
    assert tab.focusWidget() is ui.shelfEdit
    QTest.keyClicks(ui.shelfEdit, "a3")
    _enter(ui.shelfEdit)

    assert shown == []
    waiting = waiting_parcels(db, admin)
    assert [(r.room_id, r.recipient, r.courier, r.tracking, r.shelf) for r in waiting] == [
        (rooms[0], "李四", "顺丰", "SF1234567890123", "A3")
    ]
    code = waiting[0].code
    assert f"取件码 <b>{code}</b>" in ui.intakeResult.text()
    assert previews and previews[0][0] == f"打印预览 — 快递代收标签 {waiting[0].number}"
    assert (ui.trackingEdit.text(), tab.room.room_id, ui.shelfEdit.text()) == ("", None, "A3")
    assert tab.focusWidget() is ui.trackingEdit
    assert ui.table.rowCount() == 1 and ui.table.item(0, 0).text() == code

    ui.pickupEdit.setFocus()
    QTest.keyClicks(ui.pickupEdit, code)
    _enter(ui.pickupEdit)  # finds it
    assert "1-1-101　李四" in ui.pickupParcel.text()
    assert ui.checkCombo.currentData() == IdentityCheck.CODE.value
    _enter(ui.pickupEdit)  # hands it over
    collected = find_parcel(db, admin, waiting[0].number)
    assert collected.collected_text == "本人 李四（取件码）"
    assert ui.pickupResult.text().startswith("已取件 1-1-101 货架 A3")
    assert ui.table.rowCount() == 0
    assert tab.focusWidget() is ui.pickupEdit

    # The same code again: nothing waits under it any more; said beside the field.
    QTest.keyClicks(ui.pickupEdit, code)
    _enter(ui.pickupEdit)
    assert f"没有取件码或快递单号为 {code}" in ui.pickupResult.text()
    # By the tracking number: found, and shown as collected already.
    ui.pickupEdit.setText("SF1234567890123")
    _enter(ui.pickupEdit)
    assert ui.pickupResult.text().startswith("该快递已于 ") and tab.found is None
    assert shown == []


def test_a_missing_shelf_focuses_the_field_and_saves_nothing(db, admin, rooms, tab) -> None:
    ui = tab.ui
    ui.trackingEdit.setText("YT0000000001")
    ui.courierCombo.setCurrentText("圆通")
    tab.room.set_room(rooms[1], "1-1-102")
    ui.recipientCombo.setEditText("王五")
    _enter(ui.noteEdit)
    assert "货架位置" in ui.intakeResult.text()
    assert tab.focusWidget() is ui.shelfEdit
    assert waiting_parcels(db, admin) == []


def test_the_counter_shows_the_tab_to_a_clerk_not_to_a_cashier(
    qtbot, db, admin, rooms, make_user
) -> None:
    clerk = CounterScreen(AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True)))
    qtbot.addWidget(clerk)
    assert clerk.ui.tabs.tabText(0) == "快递代收"
    cashier = CounterScreen(AppContext(db, make_user(Role.CASHIER), TaskRunner(wait=True)))
    qtbot.addWidget(cashier)
    assert cashier.parcels is None


def test_the_settings_dialog_saves_and_names_a_bad_field(qtbot, ctx, db) -> None:
    from frontdesk.gui.screens.counter.parcel_settings import ParcelSettingsDialog
    from frontdesk.services.parcels import parcel_settings

    dialog = ParcelSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.ui.couriersEdit.toPlainText().splitlines()[0] == "顺丰"
    dialog.ui.couriersEdit.setPlainText("")
    dialog.save()
    assert "至少列出一家快递公司" in dialog.ui.errorLabel.text()
    dialog.ui.couriersEdit.setPlainText("顺丰\n菜鸟驿站")
    dialog.ui.overdueSpin.setValue(2)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = parcel_settings(db)
    assert (saved.couriers, saved.overdue_days) == (("顺丰", "菜鸟驿站"), 2)


def test_a_parcel_taken_in_with_a_photo_chosen(
    db, admin, rooms, tab, previews, monkeypatch, tmp_path
) -> None:
    from PySide6.QtWidgets import QDialog, QFileDialog

    from frontdesk.gui.widgets import photo_view
    from tests.unit.photos import png

    photo = png(tmp_path / "面单.png")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_a, **_k: (str(photo), ""))
    )
    ui = tab.ui
    ui.printCheck.setChecked(False)
    ui.photoButton.click()
    assert ui.photoLabel.text() == "面单.png"
    ui.trackingEdit.setText("YT0000000001")
    ui.courierCombo.setCurrentText("圆通")
    tab.room.set_room(rooms[1], "1-1-102")
    ui.recipientCombo.setEditText("王五")
    ui.shelfEdit.setText("B1")
    _enter(ui.shelfEdit)
    (row,) = waiting_parcels(db, admin)
    assert row.has_photo and ui.photoLabel.text() == "（可不拍）" and tab.photo.path is None

    seen: list[tuple[str, bytes]] = []

    def fake_dialog(parent: QWidget, title: str, data: bytes) -> QDialog:
        seen.append((title, data))
        dialog = QDialog(parent)
        monkeypatch.setattr(dialog, "exec", lambda: 0)
        return dialog

    monkeypatch.setattr(photo_view, "photo_dialog", fake_dialog)
    ui.table.selectRow(0)
    ui.photoViewButton.click()
    assert seen == [(f"快递照片 {row.number}", photo.read_bytes())]
