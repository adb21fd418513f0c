"""装修 in the GUI: one renovation walked from the application to closing through the
装修登记 tab and its dialogs (the permit refused until the cashier took the bills, the
deposit settled only once refunded); refused applications naming their field; what a
clerk may not do; the daily round and the household file's 装修 tab."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QDialog

from frontdesk.domain import clock
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.renovation import Node, Status, required_nodes
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.navigation import Counter, Place
from frontdesk.gui.screens.renovation import works_tab
from frontdesk.gui.screens.renovation.dialogs import ActionDialog, ApplyDialog, ApproveDialog
from frontdesk.gui.screens.renovation.file_tab import RenovationTab
from frontdesk.gui.screens.renovation.screen import RenovationScreen
from frontdesk.gui.screens.renovation.works_tab import WorksTab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services.fees import refunds
from frontdesk.services.fees.refunds import RefundRequest
from frontdesk.services.households import file as households
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation import site as renovation_site
from frontdesk.services.renovation import views as renovation_views
from frontdesk.services.renovation.applications import ChargeInput
from tests.unit.fee_fixtures import TODAY, Community, make_community
from tests.unit.test_renovations import application, pay_everything

# The applications are dated around the fixture community's day.
pytestmark = pytest.mark.clock(TODAY)


@pytest.fixture
def town(db, admin) -> Community:
    return make_community(db, admin)


def filled_by(fill: Callable[[QDialog], None]) -> Callable[[QDialog], int]:
    """A dialog's exec that fills it in and presses OK (which saves while open)."""

    def run(dialog: QDialog) -> int:
        fill(dialog)
        dialog.accept()
        return dialog.result()

    return run


def fill_application(dialog: ApplyDialog, room: int) -> None:
    ui = dialog.ui
    dialog.room.set_room(room, "1-1-101")
    ui.applicantEdit.setText("张三")
    ui.applicantPhoneEdit.setText("13812345678")
    ui.contractorEdit.setText("金匠装饰工程有限公司")
    ui.licenceEdit.setText("91330100MA2XXXX")
    ui.personEdit.setText("刘工")
    ui.personPhoneEdit.setText("13900001111")
    for name in ("水电改造", "防水", "地面"):
        dialog.scope_checks[name].setChecked(True)
    for name in ("装修方案或图纸", "施工单位营业执照或资质", "业主身份证件"):
        dialog.document_checks[name].setChecked(True)


def works(qtbot, ctx) -> tuple[RenovationScreen, WorksTab]:
    screen = RenovationScreen(ctx)
    qtbot.addWidget(screen)
    screen.works.refresh()
    return screen, screen.works


def approved(db, admin, town) -> int:
    """Applied for (work planned from today), reviewed and approved with its deposit."""
    rid = renovations.apply(db, admin, application(town.occupied, starts_on=TODAY), TODAY)
    renovations.review(db, admin, rid)
    renovations.approve(db, admin, rid, [ChargeInput(town.deposit, "deposit")], today=TODAY)
    return rid


def working(db, admin, town) -> int:
    """Approved, its deposit paid at the counter, the permit issued and work started."""
    rid = approved(db, admin, town)
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, rid, TODAY)
    renovations.start_work(db, admin, rid, TODAY)
    return rid


def test_an_application_is_entered_reviewed_and_approved_from_the_tab(
    qtbot, ctx, db, admin, town, monkeypatch
):
    _, tab = works(qtbot, ctx)
    assert tab.ui.table.rowCount() == 0

    monkeypatch.setattr(
        ApplyDialog, "exec", filled_by(lambda d: fill_application(d, town.occupied))
    )
    tab.ui.newButton.click()
    [row] = renovation_views.list_renovations(db, admin)
    rid = row.id
    assert tab.selected_id() == rid
    assert tab.status_of(rid) == "已提交"
    assert "金匠装饰" in tab.ui.factsLabel.text()
    assert tab.ui.reviewButton.isEnabled() and not tab.ui.approveButton.isEnabled()

    tab.ui.reviewButton.click()
    assert tab.status_of(rid) == "已初审"

    def approve(dialog: ApproveDialog) -> None:
        ticked = [line for line in dialog.lines if line.check.isChecked()]
        assert [line.purpose for line in ticked] == ["deposit"]  # 装修押金 pre-ticked

    monkeypatch.setattr(ApproveDialog, "exec", filled_by(approve))
    tab.ui.approveButton.click()
    assert tab.status_of(rid) == "已批准"
    assert tab.ui.payButton.isEnabled()


def test_the_permit_waits_for_the_cashier_then_work_starts(
    qtbot, ctx, db, admin, town, monkeypatch
):
    rid = approved(db, admin, town)
    _screen, tab = works(qtbot, ctx)
    tab.select(rid)
    # the permit waits for the cashier; 去收款 goes there
    prompts: list[str] = []
    monkeypatch.setattr(
        works_tab, "payment_prompt", lambda _p, _t, text: prompts.append(text) or True
    )
    asked: list[Place] = []
    ctx.navigator.connect(lambda place: asked.append(place) is None)
    tab.ui.permitButton.click()
    assert asked == [Counter(town.occupied)]
    assert "装修押金" in prompts[0]
    assert tab.status_of(rid) == "已批准"

    pay_everything(db, admin, town.occupied)
    tab.refresh()
    monkeypatch.setattr(works_tab.QMessageBox, "information", lambda *a: None)
    tab.ui.permitButton.click()
    assert tab.status_of(rid) == "已发许可证"
    assert not tab.ui.payButton.isEnabled()

    tab.ui.startButton.click()  # the planned start is today
    assert tab.status_of(rid) == "施工中"


def test_each_inspection_takes_the_next_node_due_then_the_work_is_completed(
    qtbot, ctx, db, admin, town, monkeypatch
):
    rid = working(db, admin, town)
    _, tab = works(qtbot, ctx)
    tab.select(rid)
    [row] = renovation_views.list_renovations(db, admin)
    nodes = [n for n in required_nodes(row.scope) if n != Node.COMPLETION]
    assert nodes == [Node.PLUMBING, Node.WATERPROOF, Node.MIDTERM]
    for node in nodes:

        def inspect(dialog: ActionDialog, node: Node = node) -> None:
            assert dialog.ui.nodeCombo.currentData() == node.value  # the next one due
            dialog.ui.noteEdit.setPlainText("合格")

        monkeypatch.setattr(ActionDialog, "exec", filled_by(inspect))
        tab.ui.inspectButton.click()
    assert tab.selected().nodes_due == ()

    monkeypatch.setattr(
        ActionDialog, "exec", filled_by(lambda d: d.ui.noteEdit.setPlainText("验收合格"))
    )
    tab.ui.completeButton.click()
    assert tab.status_of(rid) == "已竣工验收"


def test_the_deposit_is_settled_only_once_refunded_then_the_renovation_closed(
    qtbot, ctx, db, admin, town, monkeypatch, shown
):
    rid = working(db, admin, town)
    for node in (Node.PLUMBING, Node.WATERPROOF, Node.MIDTERM):
        renovation_site.record_inspection(db, admin, rid, node, TODAY, True, today=TODAY)
    renovations.complete(db, admin, rid, TODAY, today=TODAY)
    _, tab = works(qtbot, ctx)
    tab.select(rid)
    tab.ui.settleButton.click()
    assert [(kind, title) for kind, title, _text in shown] == [("warning", "押金结算")]
    assert "押金尚未退还" in shown[0][2]
    assert tab.status_of(rid) == "已竣工验收"

    deposit = renovation_views.bill_ids(db, rid, "deposit")[0]
    refunds.post_refund(
        db,
        admin,
        RefundRequest(
            town.occupied, PayMethod.CASH, "装修押金退还", "张三", deposit_bill_id=deposit
        ),
    )
    tab.ui.settleButton.click()
    assert tab.status_of(rid) == "押金已结算"

    monkeypatch.setattr(works_tab, "confirm", lambda *a: True)
    tab.ui.closeButton.click()
    assert tab.status_of(rid) == "已关闭"
    assert not any(
        b.isEnabled() for b in (tab.ui.reviewButton, tab.ui.permitButton, tab.ui.closeButton)
    )
    kinds = [e.label for e in renovation_views.history(db, admin, rid)]
    assert kinds[0] == "已提交" and kinds[-1] == "已关闭"
    assert tab.ui.historyTable.rowCount() == len(kinds)

    # the filters
    tab.ui.statusCombo.setCurrentText("施工中")
    assert tab.ui.table.rowCount() == 0
    tab.ui.statusCombo.setCurrentText("已结束")
    assert tab.ui.table.rowCount() == 1


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        (lambda d: d.scope_checks["承重墙拆改"].setChecked(True), "scope", "物业不能审批"),
        (
            lambda d: d.ui.endEdit.setDate(d.ui.startEdit.date().addDays(-1)),
            "end",
            "计划完工日期",
        ),
        (lambda d: d.ui.applicantEdit.setText(""), "applicant", "申请人"),
    ],
)
def test_a_refused_application_names_the_field(qtbot, ctx, db, admin, town, change, field, text):
    dialog = ApplyDialog(ctx)
    qtbot.addWidget(dialog)
    fill_application(dialog, town.occupied)
    change(dialog)
    dialog.accept()
    assert text in dialog.ui.errorLabel.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    expected = {
        "scope": next(iter(dialog.scope_checks.values())),
        "end": dialog.ui.endEdit,
        "applicant": dialog.ui.applicantEdit,
    }[field]
    assert dialog.focusWidget() is expected
    assert renovation_views.list_renovations(db, admin) == []


def test_a_clerk_applies_and_reviews_but_cannot_approve(qtbot, db, admin, town, make_user):
    clerk = AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True))
    rid = renovations.apply(db, admin, application(town.occupied, starts_on=clock.today()))
    tab = works_tab.WorksTab(clerk)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.select(rid)
    assert tab.ui.newButton.isVisibleTo(tab)
    assert tab.ui.reviewButton.isEnabled()
    tab.ui.reviewButton.click()
    assert tab.status_of(rid) == "已初审"
    assert not tab.ui.approveButton.isEnabled()
    assert not tab.ui.rejectButton.isEnabled()
    assert "主管" in tab.ui.approveButton.toolTip()


def under_way(db, admin, town) -> int:
    from frontdesk.services.renovation.applications import ChargeInput

    rid = renovations.apply(db, admin, application(town.occupied, starts_on=clock.today()))
    renovations.review(db, admin, rid)
    renovations.approve(db, admin, rid, [ChargeInput(town.deposit, "deposit")])
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, rid)
    renovations.start_work(db, admin, rid)
    return rid


def test_violations_workers_and_the_round(qtbot, ctx, db, admin, town, monkeypatch):
    rid = under_way(db, admin, town)
    screen = RenovationScreen(ctx)
    qtbot.addWidget(screen)
    tab = screen.works
    tab.refresh()
    tab.select(rid)

    def violation(dialog: ActionDialog) -> None:
        dialog.ui.noteEdit.setPlainText("午休时间电锤施工")
        dialog.ui.stopCheck.setChecked(True)

    monkeypatch.setattr(ActionDialog, "exec", filled_by(violation))
    tab.ui.violationButton.click()
    assert tab.status_of(rid) == "停工整改"
    assert tab.selected().open_violations == 1
    assert tab.ui.resolveButton.isEnabled()
    assert not tab.ui.completeButton.isEnabled()

    def resolved(dialog: ActionDialog) -> None:
        dialog.ui.noteEdit.setPlainText("已改在工作时间施工，并向邻居致歉")

    monkeypatch.setattr(ActionDialog, "exec", filled_by(resolved))
    tab.ui.resolveButton.click()
    assert tab.status_of(rid) == "施工中"
    assert tab.selected().open_violations == 0

    from frontdesk.gui.screens.renovation.dialogs import WorkerDialog

    def worker(dialog: WorkerDialog) -> None:
        dialog.ui.nameEdit.setText("王师傅")
        dialog.ui.phoneEdit.setText("13700002222")
        dialog.ui.tradeCombo.setCurrentText("水电工")

    monkeypatch.setattr(WorkerDialog, "exec", filled_by(worker))
    tab.ui.addWorkerButton.click()
    assert tab.ui.workersTable.rowCount() == 1
    assert renovation_site.list_workers(db, admin, rid)[0].name == "王师傅"

    screen.ui.tabs.setCurrentWidget(screen.round)
    table = screen.round.ui.table
    assert table.rowCount() == 1
    assert table.item(0, 1).text() == "1-1-101"
    assert table.item(0, 6).text() == ""  # the violation was put right above
    assert "施工期内 1 户" in screen.round.ui.countLabel.text()
    table.cellDoubleClicked.emit(0, 0)
    assert screen.ui.tabs.currentWidget() is screen.works
    assert tab.selected_id() == rid


def test_the_household_file_tab(qtbot, ctx, db, admin, town):
    tab = RenovationTab(ctx)
    qtbot.addWidget(tab)
    file = households.open_file(db, admin, town.occupied)
    tab.open_room(town.occupied, file)
    assert "没有装修登记" in tab.ui.summaryLabel.text()
    rid = under_way(db, admin, town)
    tab.open_room(town.occupied, file)
    assert tab.ui.renovationsTable.rowCount() == 1
    assert tab.ui.renovationsTable.item(0, 3).text() == Status.IN_PROGRESS.label
    assert tab.ui.historyTable.rowCount() == len(renovation_views.history(db, admin, rid))


@pytest.mark.parametrize(
    ("button", "title"),
    [
        ("printApplicationButton", "装修申请表"),
        ("printPermitButton", "装修许可证"),
        ("printPassesButton", "装修出入证"),
    ],
)
def test_print_buttons_open_the_preview(qtbot, ctx, db, admin, town, monkeypatch, button, title):
    pytest.importorskip("frontdesk.printouts.renovation")
    rid = under_way(db, admin, town)
    renovation_site.add_worker(
        db, admin, rid, renovation_site.WorkerInput("王师傅", "13700002222", "水电工")
    )
    opened: list[str] = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda self: opened.append(self.windowTitle()))
    tab = works_tab.WorksTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.select(rid)
    getattr(tab.ui, button).click()
    assert opened and title in opened[0]


def test_the_guide_and_the_settings_tabs(qtbot, ctx, db, admin) -> None:
    from frontdesk.gui.screens.renovation.screen import RenovationScreen
    from frontdesk.services.renovation import applications as renovations

    screen = RenovationScreen(ctx)
    qtbot.addWidget(screen)
    screen.ui.tabs.setCurrentWidget(screen.settings)
    screen.settings.ui.maxDaysSpin.setValue(45)
    screen.settings.ui.hoursEdit.setText("工作日 9:00–12:00、14:00–17:30")
    assert screen.settings.save()
    assert renovations.renovation_settings(db).max_days == 45
    screen.ui.tabs.setCurrentWidget(screen.guide)
    titles = [screen.guide.ui.sectionList.item(i).text() for i in range(3)]
    assert titles[0].startswith("一、办理流程")
    assert screen.guide.values["最长工期"] == "45"
    assert screen.guide.ui.printButton.text().startswith("打印装修指南")


def test_the_guide_has_no_empty_handbook_box(qtbot, ctx) -> None:
    """The handbook's details (手册信息) are not the guide's: no empty box with only a
    save button, the print button stands alone and says where the details are kept."""
    from frontdesk.gui.screens.renovation.screen import RenovationScreen

    screen = RenovationScreen(ctx)  # a supervisor's: may edit the guide
    qtbot.addWidget(screen)
    screen.resize(1366, 728)
    screen.show()
    screen.ui.tabs.setCurrentWidget(screen.guide)
    guide = screen.guide
    assert guide.can_edit
    assert not guide.ui.valuesGroup.isVisible()
    assert not guide.ui.saveValuesButton.isVisible()
    assert guide.ui.printButton.isVisible()
    assert "装修设置" in guide.guide_note.text()


def test_a_clerk_asks_for_an_extension_and_the_supervisor_approves_it(
    qtbot, db, admin, town, make_user, monkeypatch
) -> None:
    from frontdesk.gui.screens.renovation.dialogs import ActionDialog
    from frontdesk.services.renovation.applications import ChargeInput
    from tests.unit.test_renovations import pay_everything

    rid = renovations.apply(db, admin, application(town.occupied, starts_on=clock.today()))
    renovations.review(db, admin, rid)
    renovations.approve(db, admin, rid, [ChargeInput(town.deposit, "deposit")])
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, rid)
    ends = renovation_views.list_renovations(db, admin)[0].ends_on
    clerk = AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True))
    tab = works_tab.WorksTab(clerk)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.select(rid)
    assert tab.ui.extendButton.isEnabled()

    def ask(dialog: ActionDialog) -> None:
        assert dialog.windowTitle().startswith("申请延期")
        dialog.ui.noteEdit.setPlainText("定制橱柜延迟到货")

    monkeypatch.setattr(ActionDialog, "exec", filled_by(ask))
    tab.ui.extendButton.click()
    [row] = renovation_views.list_renovations(db, admin)
    assert row.ends_on == ends and row.pending_end == ends + timedelta(days=30)
    boss = works_tab.WorksTab(ctx_of(db, admin))
    qtbot.addWidget(boss)
    boss.refresh()
    boss.select(rid)

    def approve(dialog: ActionDialog) -> None:
        assert dialog.windowTitle().startswith("批准延期")
        assert dialog.ui.noteEdit.toPlainText() == "定制橱柜延迟到货"

    monkeypatch.setattr(ActionDialog, "exec", filled_by(approve))
    boss.ui.extendButton.click()
    [row] = renovation_views.list_renovations(db, admin)
    assert row.ends_on == ends + timedelta(days=30) and row.pending_end is None
    labels = [e.label for e in renovation_views.history(db, admin, rid)]
    assert labels[-2:] == ["申请延期", "延期"]


def ctx_of(db, actor) -> AppContext:
    return AppContext(db, actor, TaskRunner(wait=True))


def test_a_pass_is_handed_back_and_a_site_photo_kept(
    qtbot, db, admin, town, monkeypatch, tmp_path
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from frontdesk.services.renovation.applications import ChargeInput
    from tests.unit.test_renovations import pay_everything

    rid = renovations.apply(db, admin, application(town.occupied, starts_on=clock.today()))
    renovations.review(db, admin, rid)
    renovations.approve(db, admin, rid, [ChargeInput(town.deposit, "deposit")])
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, rid)
    renovation_site.add_worker(
        db, admin, rid, renovation_site.WorkerInput("王师傅", "13700002222", "水电工")
    )
    tab = works_tab.WorksTab(ctx_of(db, admin))
    qtbot.addWidget(tab)
    tab.refresh()
    tab.select(rid)
    select_row(tab.ui.workersTable, 0)
    assert tab.ui.returnButton.isEnabled()
    tab.ui.returnButton.click()
    assert not renovation_site.list_workers(db, admin, rid)[0].valid
    photo = tmp_path / "现场.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 32)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_a, **_k: (str(photo), ""))
    )
    tab.select(rid)
    tab.ui.photoButton.click()
    assert [p.filename for p in renovation_site.list_photos(db, admin, rid)] == ["现场.png"]
    renovations.start_work(db, admin, rid)
    renovation_site.record_inspection(
        db, admin, rid, Node.PLUMBING, clock.today(), False, "强弱电同管", clock.today()
    )
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(
        QInputDialog, "getItem", staticmethod(lambda _p, _t, _l, items, *_a: (items[1], True))
    )
    tab.refresh()
    tab.select(rid)
    tab.ui.photoButton.click()
    titles = [p.title for p in renovation_site.list_photos(db, admin, rid)]
    assert titles[-1].endswith("水电隐蔽工程验收")


def test_the_worker_dialog_bills_the_pass_fee_and_deposit(qtbot, db, admin, town) -> None:
    from frontdesk.domain.fees import FeeMethod
    from frontdesk.gui.screens.renovation.dialogs import WorkerDialog
    from frontdesk.services.fees import items as fees
    from frontdesk.services.renovation.applications import ChargeInput
    from tests.unit.test_renovations import pay_everything

    fee = fees.add_fee_item(db, admin, "出入证工本费", "装修", FeeMethod.ONE_OFF)
    fees.add_price_plan(db, admin, fee, 100_000, date(2020, 1, 1))
    deposit = fees.add_fee_item(db, admin, "出入证押金", "装修", FeeMethod.DEPOSIT)
    fees.add_price_plan(db, admin, deposit, 500_000, date(2020, 1, 1))
    rid = renovations.apply(db, admin, application(town.occupied, starts_on=clock.today()))
    renovations.review(db, admin, rid)
    renovations.approve(db, admin, rid, [ChargeInput(town.deposit, "deposit")])
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, rid)
    [row] = renovation_views.list_renovations(db, admin)
    dialog = WorkerDialog(ctx_of(db, admin), row)
    qtbot.addWidget(dialog)
    assert dialog.ui.feeCombo.currentText() == "出入证工本费"
    assert dialog.ui.depositCombo.currentText() == "出入证押金"
    dialog.ui.nameEdit.setText("王师傅")
    dialog.ui.phoneEdit.setText("13700002222")
    dialog.accept()
    assert renovation_views.list_renovations(db, admin)[0].unpaid_fen == 1000 + 5000
    assert len(renovation_views.bill_ids(db, rid, "pass_deposit")) == 1
