"""装修登记: every renovation with where it stands, filtered by stage or room; the
selected one's facts, its history and workers, and the step its status allows next —
from the application through approval, the permit, the work and its inspections to
the deposit's settlement and closing. Money is taken and refunded at the cashier."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.money import format_yuan
from frontdesk.domain.renovation import ACTIVE, Status
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError, UserError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.renovation_works_tab_ui import Ui_WorksTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.navigation import Counter
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.screens.renovation.dialogs import (
    ActionDialog,
    ApplyDialog,
    ApproveDialog,
    WorkerDialog,
)
from frontdesk.gui.widgets import colours
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.status import RENOVATION_COLOURS, days_text, paint_status, period
from frontdesk.gui.widgets.tables import fill_rows, fill_sortable, row_id, select_row, set_headers
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation import site as renovation_site
from frontdesk.services.renovation import views as renovation_views
from frontdesk.services.renovation.site import WorkerRow
from frontdesk.services.renovation.views import EventRow, RenovationRow

COLUMNS = ("编号", "房号", "施工单位", "工期", "状态", "剩余", "待验收", "违规", "未缴")
STATUS, DAYS_LEFT, NODES, VIOLATIONS, UNPAID = 4, 5, 6, 7, 8
HISTORY_COLUMNS = ("时间", "事项", "经办", "说明")
WORKER_COLUMNS = ("出入证号", "姓名", "工种", "电话", "身份证号", "状态")
RED = QColor(colours.RED)
CONTRACTOR_WIDTH = 120  # px; the full name is in the tooltip
IN_HAND = frozenset({Status.SUBMITTED, Status.REVIEWED, Status.APPROVED})
FINISHED = frozenset({Status.COMPLETED, Status.SETTLED, Status.CLOSED, Status.REJECTED})
FILTERS: dict[str, Callable[[RenovationRow], bool]] = {
    "全部": lambda r: True,
    "办理中": lambda r: r.status in IN_HAND,
    "施工中": lambda r: r.status in ACTIVE,
    "逾期": lambda r: r.overdue,
    "已结束": lambda r: r.status in FINISHED,
}
NO_RIGHT = "您没有办理装修手续的权限"
NO_APPROVAL = "审批装修须由主管办理"


def row_cells(row: RenovationRow) -> list[str | tuple[str, object]]:
    return [
        row.number,
        row.room_code,
        row.contractor,
        (period(row), row.starts_on.isoformat()),
        (row.status.label, list(Status).index(row.status)),
        (days_text(row), row.days_left if row.status in ACTIVE else 10**6),
        (f"{len(row.nodes_due)} 项" if row.status in ACTIVE else "", len(row.nodes_due)),
        (f"{row.open_violations} 起" if row.open_violations else "", row.open_violations),
        (format_yuan(row.unpaid_fen) if row.unpaid_fen else "", row.unpaid_fen),
    ]


def status_chip(status: Status) -> str:
    return (
        f"<span style='color: white; background: {RENOVATION_COLOURS[status]};'>"
        f"&nbsp;{status.label}&nbsp;</span>"
    )


def payment_prompt(parent: QWidget, title: str, text: str) -> bool:
    """The cashier has not taken the bills: say so, and offer 去收款 (True when chosen)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    pay = box.addButton("去收款", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is pay


class WorksTab(QWidget):
    """去收款 takes the clerk to the cashier's counter on the room (ctx.navigator)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: dict[int, RenovationRow] = {}
        self.workers: list[WorkerRow] = []
        self.manage = ctx.can(Permission.MANAGE_RENOVATIONS)
        self.approve = ctx.can(Permission.APPROVE_RENOVATIONS)
        self.ui = ui = Ui_WorksTab()
        ui.setupUi(self)
        self.room = RoomPicker(ctx, ui.roomHost)
        self.room.setPlaceholderText("房号 / 业主姓名，回车筛选")
        ui.roomLayout.addWidget(self.room)
        ui.roomCaption.setBuddy(self.room)
        ui.splitter.setStretchFactor(0, 3)
        ui.splitter.setStretchFactor(1, 2)
        ui.splitter.setSizes([720, 480])
        set_headers(ui.table, COLUMNS)
        ui.table.setSortingEnabled(True)
        ui.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        set_headers(ui.historyTable, HISTORY_COLUMNS)
        set_headers(ui.workersTable, WORKER_COLUMNS)
        for name in FILTERS:
            ui.statusCombo.addItem(name)
        ui.newButton.setVisible(self.manage)
        ui.statusCombo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.room.room_chosen.connect(lambda _r: self.refresh())
        self.room.cleared.connect(self.refresh)
        ui.clearRoomButton.clicked.connect(self.clear_room)
        ui.table.itemSelectionChanged.connect(self._show_detail)
        ui.workersTable.itemSelectionChanged.connect(self._update_buttons)
        ui.newButton.clicked.connect(self.new_application)
        simple = {
            ui.reviewButton: self.review,
            ui.approveButton: self.approve_selected,
            ui.rejectButton: lambda: self._action("reject"),
            ui.permitButton: self.issue_permit,
            ui.startButton: self.start_work,
            ui.inspectButton: lambda: self._action("inspect"),
            ui.violationButton: lambda: self._action("violation"),
            ui.resolveButton: self.resolve_violation,
            ui.extendButton: lambda: self._action("extend"),
            ui.completeButton: lambda: self._action("complete"),
            ui.settleButton: self.settle,
            ui.closeButton: self.close_renovation,
            ui.payButton: self.go_pay,
            ui.addWorkerButton: self.add_worker,
            ui.lostButton: self.report_lost,
            ui.returnButton: self.return_pass,
            ui.photoButton: self.add_photo,
            ui.printApplicationButton: lambda: self.print_paper("application", "装修申请表"),
            ui.printPermitButton: lambda: self.print_paper("permit", "装修许可证"),
            ui.printPassesButton: lambda: self.print_paper("passes", "装修出入证"),
            ui.printAcceptanceButton: lambda: self.print_paper("acceptance", "竣工验收单"),
        }
        for button, handler in simple.items():
            button.clicked.connect(lambda _checked=False, h=handler: h())
        self._show_detail()

    # loading -------------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        """Reload the list (off the GUI thread), then select `select` or the one selected."""
        keep = select if select is not None else self.selected_id()
        ctx, room_id = self.ctx, self.room.room_id
        Op(
            self,
            ctx.tasks,
            lambda: renovation_views.list_renovations(ctx.db, ctx.actor, room_id=room_id),
            title="装修登记",
        ).success(lambda found: self._show(found, keep)).run()

    def _show(self, found: list[RenovationRow], keep: int | None) -> None:
        wanted = FILTERS[self.ui.statusCombo.currentText() or "全部"]
        rows = [r for r in found if wanted(r)]
        self.rows = {r.id: r for r in rows}
        table = self.ui.table
        table.blockSignals(True)
        fill_sortable(
            table, [row_cells(r) for r in rows], {VIOLATIONS, UNPAID}, [r.id for r in rows]
        )
        for index in range(table.rowCount()):
            row = self.rows[row_id(table, index) or 0]
            paint_status(table, index, row.status, STATUS)
            if row.overdue:
                cell(table, index, DAYS_LEFT).setForeground(QBrush(RED))
            if row.open_violations:
                cell(table, index, VIOLATIONS).setForeground(QBrush(RED))
            cell(table, index, 2).setToolTip(f"{row.contractor}（{row.contractor_person}）")
            cell(table, index, NODES).setToolTip("、".join(row.nodes_due))
        table.setColumnWidth(2, min(table.columnWidth(2), CONTRACTOR_WIDTH))
        table.blockSignals(False)
        overdue = sum(1 for r in rows if r.overdue)
        text = f"共 {len(rows)} 户"
        self.ui.countLabel.setText(text + (f"，逾期 {overdue} 户" if overdue else ""))
        if keep is not None and keep in self.rows:
            self.select(keep)
        else:
            self._show_detail()

    def clear_room(self) -> None:
        self.room.clear_room()
        self.refresh()

    def select(self, renovation_id: int) -> None:
        table = self.ui.table
        for index in range(table.rowCount()):
            if row_id(table, index) == renovation_id:
                if table.currentRow() == index and table.selectionModel().hasSelection():
                    self._show_detail()
                else:
                    select_row(table, index)
                return

    def open_renovation(self, renovation_id: int) -> None:
        """Show one renovation whatever the filters (from the daily round)."""
        self.ui.statusCombo.setCurrentIndex(0)
        self.room.clear_room()
        self.refresh(select=renovation_id)

    def selected_id(self) -> int | None:
        table = self.ui.table
        if not table.selectionModel().hasSelection():
            return None
        return row_id(table, table.currentRow())

    def selected(self) -> RenovationRow | None:
        rid = self.selected_id()
        return None if rid is None else self.rows.get(rid)

    def status_of(self, renovation_id: int) -> str:
        """The status the table shows for a renovation ('' when not listed)."""
        table = self.ui.table
        for index in range(table.rowCount()):
            if row_id(table, index) == renovation_id:
                return cell(table, index, STATUS).text()
        return ""

    # the detail ----------------------------------------------------------------------

    def _show_detail(self) -> None:
        ui = self.ui
        row = self.selected()
        self.workers = []
        if row is None:
            ui.titleLabel.setText("在左侧选择一户装修" if self.rows else "没有装修登记")
            ui.factsLabel.setText("")
            ui.historyTable.setRowCount(0)
            ui.workersTable.setRowCount(0)
            self._update_buttons()
            return
        db, actor, rid = self.ctx.db, self.ctx.actor, row.id
        read: list[tuple[list[EventRow], list[WorkerRow]]] = []
        Op(
            self,
            self.ctx.tasks,
            lambda: (
                renovation_views.history(db, actor, rid),
                renovation_site.list_workers(db, actor, rid),
            ),
            title="装修登记",
        ).success(read.append).now()
        events, self.workers = read[0] if read else ([], [])
        ui.titleLabel.setText(
            f"{escape(row.room_code)}　{escape(row.number)}　{status_chip(row.status)}"
        )
        ui.factsLabel.setText(self.facts(row))
        fill_rows(
            ui.historyTable,
            [(local_time(e.at, seconds=False), e.label, e.by, e.note) for e in events],
        )
        fill_rows(
            ui.workersTable,
            [
                (
                    w.pass_no,
                    w.name,
                    w.trade,
                    w.phone,
                    w.id_number,
                    "有效"
                    if w.valid
                    else (f"{w.lost_on:%Y-%m-%d} 挂失" if w.lost_on else "已交回"),
                )
                for w in self.workers
            ],
        )
        ui.detailTabs.setTabText(1, f"工人与出入证（{len(self.workers)}）")
        self._update_buttons()

    def facts(self, row: RenovationRow) -> str:
        grey = "color: #5f6b7a;"
        lines = [
            f"{escape(row.place)}　申请人 {escape(row.applicant)}",
            f"施工单位 {escape(row.contractor)}　负责人 {escape(row.contractor_person)} "
            f"{escape(row.contractor_phone)}",
            f"工期 {row.starts_on:%Y-%m-%d} 至 {row.ends_on:%Y-%m-%d}"
            + (f"　<b style='color: {RED.name()}'>{days_text(row)}</b>" if row.overdue else "")
            + (f"　许可证 {escape(row.permit_no)}" if row.permit_no else ""),
            f"<span style='{grey}'>装修项目：{escape('、'.join(row.scope))}</span>",
        ]
        red = RED.name()
        if row.documents_missing and row.status in IN_HAND:
            lines.append(
                f"<span style='color: {red}'>缺资料：{escape('、'.join(row.documents_missing))}"
                "</span>"
            )
        if row.status in ACTIVE and row.nodes_due:
            lines.append(f"待验收节点：{escape('、'.join(row.nodes_due))}")
        if row.open_violations:
            lines.append(f"<span style='color: {red}'>未整改违规 {row.open_violations} 起</span>")
        if row.unpaid_fen:
            lines.append(
                f"<span style='color: {red}'>押金和费用未缴 {format_yuan(row.unpaid_fen)} 元"
                "（请到收费页收取）</span>"
            )
        return "<br>".join(lines)

    def _update_buttons(self) -> None:
        ui = self.ui
        row = self.selected()
        status = row.status if row is not None else None
        manage, approve = self.manage, self.approve
        active = status in ACTIVE
        rules: dict[QPushButton, tuple[bool, bool]] = {  # (status allows, role may)
            ui.reviewButton: (status == Status.SUBMITTED, manage),
            ui.approveButton: (status == Status.REVIEWED, approve),
            ui.rejectButton: (status in (Status.SUBMITTED, Status.REVIEWED), approve),
            ui.permitButton: (status == Status.APPROVED, manage),
            ui.startButton: (status == Status.PERMITTED, manage),
            ui.inspectButton: (active, manage),
            ui.violationButton: (active, manage),
            ui.resolveButton: (
                row is not None and row.open_violations > 0,
                manage,
            ),
            ui.extendButton: (active, manage),  # a clerk files a request, a supervisor decides
            ui.completeButton: (status == Status.IN_PROGRESS, approve),
            ui.settleButton: (status == Status.COMPLETED, manage),
            ui.closeButton: (status == Status.SETTLED, manage),
            ui.payButton: (row is not None and row.unpaid_fen > 0, True),
            ui.addWorkerButton: (active, manage),
        }
        worker = self.selected_worker()
        rules[ui.lostButton] = (worker is not None and worker.valid, manage)
        rules[ui.returnButton] = (worker is not None and worker.valid, manage)
        rules[ui.photoButton] = (row is not None and row.status in ACTIVE, manage)
        for button, (allowed, may) in rules.items():
            button.setEnabled(allowed and may)
            if not may:
                needs_approval = button in (
                    ui.approveButton,
                    ui.rejectButton,
                    ui.extendButton,
                    ui.completeButton,
                )
                button.setToolTip(NO_APPROVAL if needs_approval else NO_RIGHT)
        ui.printApplicationButton.setEnabled(row is not None)
        ui.printPermitButton.setEnabled(row is not None and bool(row.permit_no))
        ui.printPassesButton.setEnabled(bool(self.workers))
        ui.printAcceptanceButton.setEnabled(
            status in (Status.COMPLETED, Status.SETTLED, Status.CLOSED)
        )

    def selected_worker(self) -> WorkerRow | None:
        table = self.ui.workersTable
        index = table.currentRow()
        if not table.selectionModel().hasSelection() or not 0 <= index < len(self.workers):
            return None
        return self.workers[index]

    # actions -------------------------------------------------------------------------

    def new_application(self) -> None:
        dialog = ApplyDialog(self.ctx, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.renovation_id is None:
            return
        self.open_renovation(dialog.renovation_id)

    def _step(self, title: str, call: Callable[[int], object]) -> bool:
        row = self.selected()
        if row is None:
            return False
        rid = row.id
        Op(self, self.ctx.tasks, lambda: call(rid), title=title).success(
            lambda _: self.refresh()
        ).failure(lambda _: self.refresh()).run()
        return True

    def review(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor
        self._step("初审", lambda rid: renovations.review(db, actor, rid))

    def approve_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ApproveDialog(self.ctx, row, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def _action(self, kind: str) -> None:
        row = self.selected()
        if row is None:
            return
        if ActionDialog(self.ctx, row, kind, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def issue_permit(self) -> None:
        row = self.selected()
        if row is None:
            return
        db, actor, rid, unpaid = self.ctx.db, self.ctx.actor, row.id, row.unpaid_fen

        def issue() -> str | UserError:
            try:
                return renovations.issue_permit(db, actor, rid)
            except UserError as exc:
                if unpaid:  # refused for the unpaid fees: offer to take them
                    return exc
                raise

        Op(self, self.ctx.tasks, issue, title="发许可证").success(
            lambda issued: self._permit_issued(row, issued)
        ).failure(lambda _: self.refresh()).run()

    def _permit_issued(self, row: RenovationRow, issued: str | UserError) -> None:
        self.refresh()
        if isinstance(issued, UserError):
            if payment_prompt(self, "发许可证", issued.message):
                self.ctx.navigator.go(Counter(row.room_id))
            return
        QMessageBox.information(
            self,
            "发许可证",
            f"已发装修许可证 {issued}。可按“打印 › 许可证”打印交施工单位张贴。",
        )

    def start_work(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor
        self._step("开工", lambda rid: renovations.start_work(db, actor, rid))

    def settle(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor
        self._step("押金结算", lambda rid: renovations.settle(db, actor, rid))

    def close_renovation(self) -> None:
        row = self.selected()
        if row is None or not confirm(
            self, "关闭", f"确认关闭 {row.room_code} 的装修登记 {row.number}？关闭后不能再办理。"
        ):
            return
        db, actor = self.ctx.db, self.ctx.actor
        self._step("关闭", lambda rid: renovations.close(db, actor, rid))

    def go_pay(self) -> None:
        row = self.selected()
        if row is not None:
            self.ctx.navigator.go(Counter(row.room_id))

    def latest_open_violation(self, row: RenovationRow) -> tuple[int, str, date] | None:
        violations = renovation_site.list_violations(self.ctx.db, self.ctx.actor, row.id)
        found = [v for v in violations if v.resolved_on is None]
        if not found:
            return None
        latest = found[-1]
        return latest.id, latest.description, latest.found_on

    def resolve_violation(self) -> None:
        row = self.selected()
        if row is None:
            return
        Op(self, self.ctx.tasks, lambda: self.latest_open_violation(row), title="整改完毕").success(
            lambda violation: self._resolve(row, violation)
        ).run()

    def _resolve(self, row: RenovationRow, violation: tuple[int, str, date] | None) -> None:
        if violation is None:
            QMessageBox.information(self, "整改完毕", "找不到未整改的违规记录。")
            return
        dialog = ActionDialog(self.ctx, row, "resolve", self, violation)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def add_worker(self) -> None:
        row = self.selected()
        if row is None:
            return
        if WorkerDialog(self.ctx, row, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.ui.detailTabs.setCurrentIndex(1)

    def report_lost(self) -> None:
        worker = self.selected_worker()
        if worker is None or not confirm(
            self,
            "挂失出入证",
            f"确认挂失 {worker.name} 的出入证 {worker.pass_no}？挂失后立即失效，押金不退。",
        ):
            return
        db, actor, worker_id, today = self.ctx.db, self.ctx.actor, worker.id, clock.today()
        Op(
            self,
            self.ctx.tasks,
            lambda: renovation_site.report_lost(db, actor, worker_id, today),
            title="挂失出入证",
        ).success(lambda _: self.refresh()).failure(lambda _: self.refresh()).run()

    def return_pass(self) -> None:
        """The pass handed back: its deposit is then refunded at the cashier."""
        worker = self.selected_worker()
        if worker is None:
            return
        db, actor, worker_id, today = self.ctx.db, self.ctx.actor, worker.id, clock.today()
        Op(
            self,
            self.ctx.tasks,
            lambda: renovation_site.return_pass(db, actor, worker_id, today),
            title="交回出入证",
        ).success(lambda _: self.refresh()).failure(lambda _: self.refresh()).run()

    def add_photo(self) -> None:
        """A photo of the site (a node inspection, a violation) kept with the file."""
        row = self.selected()
        if row is None:
            return
        name, _filter = QFileDialog.getOpenFileName(
            self, "添加现场照片", "", "图片 (*.jpg *.jpeg *.png)"
        )
        if not name:
            return
        try:
            subject = self._photo_subject(row.id)
        except FrontDeskError as exc:
            report_error(self, exc, "添加现场照片")
            return
        if subject is None:
            return
        (inspection, violation), db, actor, rid = subject, self.ctx.db, self.ctx.actor, row.id
        Op(
            self,
            self.ctx.tasks,
            lambda: renovation_site.add_photo(
                db, actor, rid, Path(name), inspection_id=inspection, violation_id=violation
            ),
            title="添加现场照片",
        ).success(lambda _: self.refresh()).run()

    def _photo_subject(self, renovation_id: int) -> tuple[int | None, int | None] | None:
        """What the photo shows: a node inspection, a violation, or the site in general."""
        db, actor = self.ctx.db, self.ctx.actor
        choices: list[tuple[str, tuple[int | None, int | None]]] = [
            ("现场（不指定）", (None, None))
        ]
        for i in reversed(renovation_site.list_inspections(db, actor, renovation_id)):
            result = "合格" if i.passed else "不合格"
            choices.append((f"{i.node.label} {i.inspected_on:%m-%d} {result}", (i.id, None)))
        for v in renovation_site.list_violations(db, actor, renovation_id):
            choices.append((f"违规 {v.found_on:%m-%d}：{v.description[:20]}", (None, v.id)))
        if len(choices) == 1:
            return choices[0][1]
        label, ok = QInputDialog.getItem(
            self, "照片拍的是", "照片拍的是：", [c[0] for c in choices], 0, False
        )
        return dict(choices)[label] if ok else None

    def print_paper(self, name: str, title: str) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            from frontdesk.printouts import renovation as printouts
        except ImportError:
            QMessageBox.information(self, title, "装修打印件尚未安装，暂不能打印。")
            return
        make, db, actor, rid = getattr(printouts, name), self.ctx.db, self.ctx.actor, row.id
        Op(self, self.ctx.tasks, lambda: make(db, actor, rid), title=f"打印{title}").labelled(
            f"正在生成{title}…"
        ).success(lambda printout: show_printout(self.ctx, printout, self)).run()
