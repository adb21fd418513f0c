"""入伙 in the GUI: a batch on the board, an appointment, one room's checklist done step
by step through its dialogs, completed and moved in; the household file's 入伙 tab."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QDialog

from frontdesk.domain import clock
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.issued import DocKind, Issue, Printout
from frontdesk.domain.movein import Progress, Step
from frontdesk.domain.roles import Role
from frontdesk.domain.rooms import RoomStatus
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.navigation import Counter, Place
from frontdesk.gui.screens.household.file_dialog import FileDialog
from frontdesk.gui.screens.movein import checklist_tab
from frontdesk.gui.screens.movein.batches_tab import AppointmentDialog, BatchDialog, BatchesTab
from frontdesk.gui.screens.movein.checklist_tab import ChecklistTab
from frontdesk.gui.screens.movein.file_tab import MoveInTab
from frontdesk.gui.screens.movein.step_dialogs import CompleteDialog, StepDialog
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.gui.widgets.tables import row_id
from frontdesk.services.fees import payments
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.movein import handover as movein

ALL_BUT_FEES = {
    Step.DOCUMENTS: {"items": ["不动产权证", "业主身份证件"], "note": ""},
    Step.AGREEMENTS: {"items": ["临时管理规约", "前期物业服务协议"]},
    Step.OWNER_FILE: {},
    Step.METERS: {"readings": {"水表": "1.5"}},
    Step.KEYS: {"keys": {"入户门钥匙": 2}},
    Step.HANDBOOK: {"edition": "2026年版"},
}


@pytest.fixture
def building(db, admin) -> structure.BuildingRow:
    return structure.create_building(db, admin, structure.NewBuilding("5", "5栋", 3, 1, 2, "89.50"))


@pytest.fixture
def batch(db, admin, building) -> int:
    today = clock.today()
    return movein.create_batch(
        db, admin, "2026年第一批集中交付", today, today + timedelta(days=10), [building.id]
    )


def first_room(db, admin, batch: int) -> int:
    return movein.batch_board(db, admin, batch).rows[0].room_id


def add_owner(db, admin, room_id: int) -> None:
    households.add_record(
        db,
        admin,
        room_id,
        households.PersonInput(PersonKind.OWNER, "张三", phone="13912345678"),
    )


def take_first_fees(db, admin, room_id: int) -> str:
    """Three months of 物业费 taken as 预存 (the room is not billed before its handover)."""
    request = payments.PaymentRequest(
        room_id, (), (payments.TenderInput(PayMethod.CASH, 80550),), prepaid_fen=80550
    )
    return payments.post_payment(db, admin, request).receipt_no


def room(db, admin, room_id: int) -> structure.RoomRow:
    return structure.room_rows(db, admin, [room_id])[0]


def filled_by(fill: Callable) -> Callable[[QDialog], int]:
    """An exec() that fills the dialog in, presses OK and returns its result."""

    def run(dialog: QDialog) -> int:
        fill(dialog)
        dialog.accept()
        return int(dialog.result())

    return run


def fill_step(dialog: StepDialog) -> None:
    """What the clerk types into each step's dialog."""
    step = dialog.step
    if step == Step.DOCUMENTS:
        dialog.checks["购房合同"].setChecked(True)
        dialog.checks["业主身份证件"].setChecked(True)
        dialog.ui.noteEdit.setText("业主本人办理")
    elif step == Step.AGREEMENTS:
        for box in dialog.checks.values():
            box.setChecked(True)
    elif step == Step.OWNER_FILE:
        assert "张三" in dialog.ui.ownerFileLabel.text()
    elif step == Step.FEES:
        item = dialog.ui.receiptsList.item(0)
        assert item.text().startswith("SJ")
        item.setCheckState(Qt.CheckState.Checked)
    elif step == Step.METERS:
        dialog.meters["水表"].setText("123.45")
        dialog.meters["电表"].setText("2000")
    elif step == Step.KEYS:
        dialog.keys["入户门钥匙"].setValue(3)
        dialog.keys["信报箱钥匙"].setValue(1)
    elif step == Step.CARDS:
        dialog.ui.cardsEdit.setPlainText("00012345\n00012346\n")
    else:
        dialog.ui.editionEdit.setText("2026年版")


def board(qtbot, ctx) -> BatchesTab:
    batches = BatchesTab(ctx)
    qtbot.addWidget(batches)
    batches.refresh()
    return batches


def open_checklist(qtbot, ctx, room_id: int) -> ChecklistTab:
    checklist = ChecklistTab(ctx)
    qtbot.addWidget(checklist)
    checklist.open_room(room_id)
    return checklist


def every_step_done(db, admin, room_id: int) -> str:
    """The owner registered, the first fees paid and all eight steps recorded at the
    counter; returns the fees' receipt number."""
    add_owner(db, admin, room_id)
    receipt_no = take_first_fees(db, admin, room_id)
    done = {
        **ALL_BUT_FEES,
        Step.FEES: {"receipts": [receipt_no]},
        Step.CARDS: {"cards": ["00012345"]},
    }
    for step in Step:
        movein.record_step(db, admin, room_id, step, done[step])
    return receipt_no


def test_a_new_batch_is_made_from_its_dialog_and_shown_on_the_board(
    qtbot, ctx, building, monkeypatch
):
    batches = board(qtbot, ctx)
    assert "还没有交付批次" in batches.ui.boardTitle.text()

    def new_batch(dialog: BatchDialog) -> None:
        dialog.ui.nameEdit.setText("2026年第一批集中交付")
        dialog.check_building(building.id)

    monkeypatch.setattr(BatchDialog, "exec", filled_by(new_batch))
    batches.ui.newBatchButton.click()
    assert batches.ui.batchTable.rowCount() == 1
    assert batches.ui.batchTable.item(0, 2).text() == "已交房 0 / 6 户"
    table = batches.ui.roomsTable
    assert table.rowCount() == 6
    assert batches.ui.countsTable.item(0, 0).text() == "5栋"
    assert batches.ui.countsTable.item(0, 1).text() == "6"  # 未预约
    assert row_id(table, 0) is not None and table.item(0, 0).text() == "5-1-101"


def test_an_appointment_is_booked_from_the_board(qtbot, ctx, db, admin, batch, monkeypatch):
    batches = board(qtbot, ctx)
    table = batches.ui.roomsTable
    room_id = row_id(table, 0)
    assert room_id == first_room(db, admin, batch)
    tomorrow = QDate(clock.today()).addDays(1)

    def book(dialog: AppointmentDialog) -> None:
        dialog.ui.atEdit.setDateTime(QDateTime(tomorrow, QTime(10, 0)))

    monkeypatch.setattr(AppointmentDialog, "exec", filled_by(book))
    batches.select_room(room_id)
    batches.ui.appointmentButton.click()
    assert table.item(0, 3).text() == "已预约"
    assert table.item(0, 2).text() == f"{tomorrow.toString('yyyy-MM-dd')} 10:00"
    assert batches.ui.countsTable.item(0, 2).text() == "1"  # 已预约


def test_办理入伙_opens_the_rooms_checklist_with_its_batch_and_time(qtbot, ctx, db, admin, batch):
    room_id = first_room(db, admin, batch)
    tomorrow = clock.today() + timedelta(days=1)
    movein.set_appointment(db, admin, room_id, datetime.combine(tomorrow, time(10, 0)).astimezone())
    batches = board(qtbot, ctx)
    checklist = ChecklistTab(ctx)
    qtbot.addWidget(checklist)
    batches.open_room_requested.connect(checklist.open_room)
    batches.select_room(room_id)
    with qtbot.waitSignal(batches.open_room_requested) as opened:
        batches.ui.openButton.click()
    assert opened.args == [room_id]
    assert checklist.ui.codeLabel.text() == "5-1-101"
    assert "2026年第一批集中交付" in checklist.ui.factsLabel.text()
    assert "10:00" in checklist.ui.factsLabel.text()
    assert checklist.picker.room_id == room_id


def test_each_step_is_recorded_through_its_dialog(qtbot, ctx, db, admin, batch, monkeypatch):
    room_id = first_room(db, admin, batch)
    checklist = open_checklist(qtbot, ctx, room_id)
    # the owner is registered in the file and the first fees are paid at 收费
    add_owner(db, admin, room_id)
    receipt_no = take_first_fees(db, admin, room_id)
    checklist.refresh()
    assert checklist.ui.ownersLabel.text() == "业主：张三"

    monkeypatch.setattr(StepDialog, "exec", filled_by(fill_step))
    for step in Step:
        checklist.lines[step].button.click()
        assert "已办" in checklist.lines[step].state.text(), step
    sheet = movein.checklist(db, admin, room_id)
    assert sheet.missing == []
    assert sheet.row(Step.FEES).detail == {"receipts": [receipt_no]}
    assert sheet.row(Step.KEYS).detail == {"keys": {"入户门钥匙": 3, "信报箱钥匙": 1}}
    assert sheet.row(Step.METERS).detail == {"readings": {"水表": "123.45", "电表": "2000.00"}}
    assert sheet.row(Step.CARDS).detail == {"cards": ["00012345", "00012346"]}
    assert sheet.row(Step.DOCUMENTS).detail["note"] == "业主本人办理"
    assert "入户门钥匙 3" in checklist.lines[Step.KEYS].state.text()
    assert checklist.lines[Step.KEYS].button.text().startswith("修改")
    assert "可以“完成入伙”" in checklist.ui.missingLabel.text()


def test_完成入伙_hands_the_room_over_and_the_board_shows_it(
    qtbot, ctx, db, admin, batch, shown, monkeypatch
):
    room_id = first_room(db, admin, batch)
    every_step_done(db, admin, room_id)
    checklist = open_checklist(qtbot, ctx, room_id)
    monkeypatch.setattr(CompleteDialog, "exec", filled_by(lambda _d: None))
    checklist.ui.completeButton.click()
    assert shown[-1][:2] == ("information", "入伙已完成")
    after = room(db, admin, room_id)
    assert after.status == RoomStatus.HANDED_OVER
    assert after.handover_on == clock.today()
    assert households.open_file(db, admin, room_id).profile.move_in_on == clock.today()
    assert checklist.ui.progressChip.text() == "已交房"
    assert not checklist.ui.completeButton.isEnabled()
    assert not checklist.lines[Step.DOCUMENTS].button.isEnabled()
    assert checklist.ui.movedInButton.isEnabled()

    batches = board(qtbot, ctx)
    table = batches.ui.roomsTable
    batches.select_room(room_id)
    assert row_id(table, 0) == room_id
    assert batches.ui.batchTable.item(0, 2).text() == "已交房 1 / 6 户"
    assert table.item(0, 3).text() == "已交房"
    assert table.item(0, 4).text() == "8 / 8"
    assert batches.ui.countsTable.item(0, 4).text() == "1"  # 已交房
    assert not batches.ui.appointmentButton.isEnabled()


def test_已入住_is_marked_from_the_checklist_and_the_board_shows_it(
    qtbot, ctx, db, admin, batch, monkeypatch
):
    room_id = first_room(db, admin, batch)
    every_step_done(db, admin, room_id)
    movein.complete_handover(db, admin, room_id, clock.today())
    checklist = open_checklist(qtbot, ctx, room_id)
    monkeypatch.setattr(checklist_tab, "confirm", lambda *_args: True)
    checklist.ui.movedInButton.click()
    assert room(db, admin, room_id).status == RoomStatus.OCCUPIED
    assert checklist.ui.progressChip.text() == "已入住"
    batches = board(qtbot, ctx)
    assert row_id(batches.ui.roomsTable, 0) == room_id
    assert batches.ui.roomsTable.item(0, 3).text() == "已入住"


def test_the_household_files_入伙_tab_shows_the_checklist_done(qtbot, ctx, db, admin, batch):
    room_id = first_room(db, admin, batch)
    receipt_no = every_step_done(db, admin, room_id)
    movein.complete_handover(db, admin, room_id, clock.today())
    movein.mark_moved_in(db, admin, room_id)
    tab = MoveInTab(ctx)
    qtbot.addWidget(tab)
    tab.open_room(room_id, households.open_file(db, admin, room_id))
    summary = tab.ui.summaryLabel.text()
    assert "已入住" in summary and "2026年第一批集中交付" in summary
    assert f"交房日期：{clock.today():%Y-%m-%d}" in summary
    assert "没有验房问题记录" in summary
    assert tab.ui.stepsTable.rowCount() == len(Step)
    assert tab.ui.stepsTable.item(3, 1).text() == "已办"
    assert receipt_no in tab.ui.stepsTable.item(3, 3).text()


def test_completing_with_a_step_missing_names_it_and_changes_nothing(
    qtbot, ctx, db, admin, batch, shown, monkeypatch
):
    room_id = first_room(db, admin, batch)
    add_owner(db, admin, room_id)
    for step, detail in ALL_BUT_FEES.items():
        movein.record_step(db, admin, room_id, step, detail)
    checklist = ChecklistTab(ctx)
    qtbot.addWidget(checklist)
    checklist.open_room(room_id)
    assert "缴纳首期物业费等费用" in checklist.ui.missingLabel.text()
    opened = []
    monkeypatch.setattr(CompleteDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    checklist.ui.completeButton.click()
    assert opened == []
    kind, title, text = shown[-1]
    assert (kind, title) == ("warning", "还不能完成入伙")
    assert "4. 缴纳首期物业费等费用" in text and "移交钥匙" not in text

    # the service refuses as well when the dialog is reached some other way
    dialog = CompleteDialog(ctx, checklist.sheet, checklist)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert shown[-1][2] == "缴纳首期物业费等费用：尚未办理，不能完成入伙"
    unchanged = room(db, admin, room_id)
    assert unchanged.status == RoomStatus.UNSOLD and unchanged.handover_on is None
    assert movein.checklist(db, admin, room_id).completed_on is None


def test_a_key_count_below_zero_is_refused(qtbot, ctx, db, admin, batch):
    room_id = first_room(db, admin, batch)
    sheet = movein.checklist(db, admin, room_id)
    dialog = StepDialog(ctx, sheet, Step.KEYS)
    qtbot.addWidget(dialog)
    door = dialog.keys["入户门钥匙"]
    door.setValue(-1)
    assert door.value() == 0  # the spin box stops at zero
    dialog.accept()
    assert dialog.ui.errorLabel.text() == "入户门钥匙数量：请填写移交的钥匙数量"
    assert dialog.focusWidget() is door

    # a negative count reaching the service is refused, named, and nothing is recorded
    mailbox = dialog.keys["信报箱钥匙"]
    dialog.detail = lambda: {"keys": {"入户门钥匙": 2, "信报箱钥匙": -1}}  # type: ignore[method-assign]
    dialog.accept()
    assert dialog.ui.errorLabel.text() == "信报箱钥匙数量：不能小于 0"
    assert dialog.focusWidget() is mailbox
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not movein.checklist(db, admin, room_id).row(Step.KEYS).done
    with pytest.raises(ValidationError, match="不能小于 0"):
        movein.record_step(db, admin, room_id, Step.KEYS, {"keys": {"入户门钥匙": -3}})


def test_a_refused_step_names_the_field_and_keeps_the_dialog_open(qtbot, ctx, db, admin, batch):
    room_id = first_room(db, admin, batch)
    sheet = movein.checklist(db, admin, room_id)
    documents = StepDialog(ctx, sheet, Step.DOCUMENTS)
    qtbot.addWidget(documents)
    documents.checks["业主身份证件"].setChecked(True)
    documents.accept()
    assert documents.ui.errorLabel.text().startswith("购房合同或不动产权证")
    assert documents.focusWidget() is documents.checks["购房合同"]
    owner_file = StepDialog(ctx, sheet, Step.OWNER_FILE)
    qtbot.addWidget(owner_file)
    assert "尚未登记产权人" in owner_file.ui.ownerFileLabel.text()
    owner_file.accept()
    assert "请先在户档案中登记产权人及其电话" in owner_file.ui.errorLabel.text()
    assert owner_file.result() != QDialog.DialogCode.Accepted
    fees = StepDialog(ctx, sheet, Step.FEES)
    qtbot.addWidget(fees)
    assert fees.ui.receiptsList.item(0).text() == "本户还没有收款收据"
    fees.accept()
    assert "请先在收费页收取首期费用" in fees.ui.errorLabel.text()
    assert not any(s.done for s in movein.checklist(db, admin, room_id).steps)


def test_the_owner_file_step_opens_the_household_file(qtbot, ctx, db, admin, batch, monkeypatch):
    room_id = first_room(db, admin, batch)
    sheet = movein.checklist(db, admin, room_id)
    window = MainWindow(ctx)  # opens the file the checklist asks for
    qtbot.addWidget(window)
    dialog = StepDialog(ctx, sheet, Step.OWNER_FILE)
    qtbot.addWidget(dialog)

    def register_owner(file_dialog: FileDialog) -> int:
        assert file_dialog.view.file is not None
        assert file_dialog.view.file.room.id == room_id
        add_owner(db, admin, room_id)  # as the clerk would in the 成员 tab
        return 0

    monkeypatch.setattr(FileDialog, "exec", register_owner)
    dialog.ui.openFileButton.click()
    assert "张三" in dialog.ui.ownerFileLabel.text()
    assert "139****5678" in dialog.ui.ownerFileLabel.text()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (
        movein.checklist(db, admin, room_id).row(Step.OWNER_FILE).summary.startswith("产权人 1 人")
    )


def test_a_room_is_found_by_typing_its_number(qtbot, ctx, db, admin, batch):
    checklist = ChecklistTab(ctx)
    qtbot.addWidget(checklist)
    assert checklist.ui.pages.currentWidget() is checklist.ui.emptyPage
    qtbot.keyClicks(checklist.picker, "5-1-202")
    qtbot.keyClick(checklist.picker, Qt.Key.Key_Return)
    assert checklist.ui.pages.currentWidget() is checklist.ui.roomPage
    assert checklist.ui.codeLabel.text() == "5-1-202"
    assert checklist.ui.progressChip.text() == "未预约"


def test_go_pay_asks_for_the_cashier_or_says_where_to_go(
    qtbot, ctx, db, admin, batch, shown, monkeypatch
):
    room_id = first_room(db, admin, batch)
    checklist = ChecklistTab(ctx)
    qtbot.addWidget(checklist)
    checklist.open_room(room_id)

    def press_pay(dialog: StepDialog) -> int:
        dialog.ui.payButton.click()
        return int(dialog.result())

    monkeypatch.setattr(StepDialog, "exec", press_pay)
    checklist.lines[Step.FEES].button.click()
    assert shown[-1][1] == "去收款" and "3 个月" in shown[-1][2]
    asked: list[Place] = []
    ctx.navigator.connect(lambda place: asked.append(place) is None)
    checklist.lines[Step.FEES].button.click()
    assert asked == [Counter(room_id)]
    assert len(shown) == 1


def test_printing_the_move_in_papers_previews_the_set(
    qtbot, ctx, db, admin, batch, shown, monkeypatch
):
    room_id = first_room(db, admin, batch)
    calls: list[int] = []
    fake = types.ModuleType("frontdesk.printouts.movein")
    papers = Printout(b"%PDF-1.4\n%%EOF\n", Issue(DocKind.MOVE_IN, "入伙资料 5-1-101", "5-1-101"))
    fake.movein_set = lambda _db, _actor, rid: calls.append(rid) or papers  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "frontdesk.printouts.movein", fake)
    previews: list[str] = []
    monkeypatch.setattr(
        PdfPreviewDialog, "exec", lambda dialog: previews.append(dialog.filename) or 0
    )
    checklist = ChecklistTab(ctx)
    qtbot.addWidget(checklist)
    checklist.open_room(room_id)
    checklist.ui.printButton.click()
    assert calls == [room_id]
    assert previews == ["入伙资料-5-1-101.pdf"]
    assert shown == []


def test_a_cashier_sees_the_checklist_but_cannot_do_it(qtbot, db, admin, batch, make_user):
    room_id = first_room(db, admin, batch)
    ctx = AppContext(db, make_user(Role.CASHIER), TaskRunner(wait=True))
    checklist = ChecklistTab(ctx)
    qtbot.addWidget(checklist)
    checklist.open_room(room_id)
    assert checklist.ui.codeLabel.text() == "5-1-101"
    assert not checklist.lines[Step.DOCUMENTS].button.isEnabled()
    assert checklist.ui.completeButton.isHidden()
    batches = BatchesTab(ctx)
    qtbot.addWidget(batches)
    batches.refresh()
    assert batches.ui.roomsTable.rowCount() == 6
    assert batches.ui.newBatchButton.isHidden() and batches.ui.appointmentButton.isHidden()


def test_the_file_tab_says_when_a_room_has_no_move_in(qtbot, ctx, db, admin, building):
    room_id = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]
    tab = MoveInTab(ctx)
    qtbot.addWidget(tab)
    tab.open_room(room_id, households.open_file(db, admin, room_id))
    assert "无入伙办理记录" in tab.ui.summaryLabel.text()
    assert "尚未列入交付批次" in tab.ui.noteLabel.text()
    assert tab.ui.stepsTable.item(0, 1).text() == "未办"


def test_progress_sorts_in_its_own_order(qtbot, ctx, db, admin, batch):
    rows = movein.batch_board(db, admin, batch).rows
    at = clock.now() + timedelta(days=2)
    movein.set_appointment(db, admin, rows[3].room_id, at)
    movein.record_step(db, admin, rows[5].room_id, Step.KEYS, {"keys": {"入户门钥匙": 1}})
    batches = BatchesTab(ctx)
    qtbot.addWidget(batches)
    batches.refresh()
    table = batches.ui.roomsTable
    table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert [table.item(r, 3).text() for r in range(2)] == ["办理中", "已预约"]
    batches.ui.progressCombo.setCurrentIndex(list(Progress).index(Progress.BOOKED) + 1)
    assert table.rowCount() == 1 and row_id(table, 0) == rows[3].room_id
