"""An order's full view (工单详情), read-only: its facts, every step of its history
(who took it — 首问负责 — and each hand-on, with the reason), the callbacks with their
scores, the photos (thumbnails, opened full size), the repeat orders of the same room
or place, a paid repair's charges (state and receipt) and the repair workers' entries
in the visitor register. Opened by Enter or a double-click on an order in the board,
the callback list and the household file's 工单 tab; the steps stay on the board."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QListWidgetItem, QWidget

from frontdesk.domain.clock import local_time
from frontdesk.domain.money import format_yuan
from frontdesk.domain.order_photos import PhotoStage
from frontdesk.domain.service_desk import Kind, Step, step_label
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.service_desk_order_view_dialog_ui import Ui_OrderViewDialog
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.service_desk.common import clock_colour, clock_text, sent_to
from frontdesk.gui.screens.service_desk.photo_strip import PHOTO_FILTER, THUMBNAIL, thumbnail
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services import service_desk
from frontdesk.services.service_desk import ComplaintFacts, EventRow, OrderFacts, PhotoRow

PHOTO_ROLE = Qt.ItemDataRole.UserRole
HISTORY = ("时间", "步骤", "经办人", "交给", "说明")
CALLBACKS = ("时间", "经办人", "结果", "响应速度", "处理质量", "服务态度", "业主意见")
REPEATS = ("工单号", "受理时间", "类型", "类别", "状态", "问题描述")
CHARGES = ("收费时间", "经办人", "人工（元）", "材料（元）", "合计（元）", "状态", "收据号", "明细")
VISITS = ("访客单号", "维修人员", "进入时间", "离开时间")
CALLBACK_STEPS = (Step.CALLBACK, Step.CALLBACK_FAILED)


def _when(at: datetime | None) -> str:
    return local_time(at, seconds=False, empty="—")


def header_html(facts: OrderFacts) -> str:
    """GD-2612-0001　户内报修·水电　紧急　已派单　到场 剩 25 分"""
    r = facts.row
    clock = clock_text(r)
    clock_part = f"　<span style='color: {clock_colour(r)}'>{escape(clock)}</span>" if clock else ""
    return (
        f"<b style='font-size: 14pt'>{escape(r.number)}</b>　{escape(r.kind.label)}·"
        f"{escape(r.category)}　{escape(r.urgency.label)}　<b>{escape(r.status.label)}"
        f"{'·暂停' if r.paused else ''}</b>{clock_part}"
    )


def _minutes(value: int | None) -> str:
    if value is None:
        return "—"
    hours, minutes = divmod(value, 60)
    return (
        f"{hours} 小时 {minutes:02d} 分"
        if hours and minutes
        else (f"{hours} 小时" if hours else f"{minutes} 分钟")
    )


def facts_html(facts: OrderFacts) -> str:
    """The 概况 page: where, who (the phone as the actor may see it), what, when and
    the promises, the work done and the callback's outcome."""
    r = facts.row
    if facts.anonymous:
        caller = "匿名"
    else:
        caller = " ".join(p for p in (facts.caller_name, facts.caller_phone) if p) or "—"
    slot = (
        f"{_when(facts.appointment_from)} 至 {facts.appointment_to.astimezone():%H:%M}"
        if facts.appointment_from and facts.appointment_to
        else "—"
    )
    lines = [
        ("位置", r.where or "—"),
        ("联系人", caller),
        ("来源", r.channel.label),
        ("问题描述", r.description),
        ("受理", f"{_when(r.taken_at)}（首问负责：{r.taken_by}）"),
        ("现由", sent_to(r) or "前台"),
        ("预约上门", slot),
        (
            "时限承诺",
            f"到场 {_minutes(facts.arrive_minutes)}，完工 {_minutes(facts.finish_minutes)}，"
            f"回访 {_minutes(facts.callback_minutes)}",
        ),
        ("到场时间", _when(facts.arrived_at)),
        ("完工时间", _when(facts.finished_at)),
        ("处理结果", facts.work_done or "—"),
        ("使用材料", facts.materials or "—"),
        ("回访时间", _when(facts.called_back_at)),
        ("回访结果", {None: "—", True: "满意", False: "不满意"}[facts.satisfied]),
        ("业主意见", facts.owner_words or "—"),
        ("关闭时间", _when(facts.closed_at)),
    ]
    if facts.complaint is not None:
        lines[6:6] = complaint_lines(facts.complaint)
    if facts.reopened:
        lines.append(("重新打开", f"{facts.reopened} 次"))
    rows = "".join(
        f"<tr><td style='color: #5f6b7a; padding-right: 12px'>{escape(k)}</td>"
        f"<td>{escape(v)}</td></tr>"
        for k, v in lines
    )
    return f"<table cellspacing='4'>{rows}</table>"


def complaint_lines(c: ComplaintFacts) -> list[tuple[str, str]]:
    """A complaint's handling: who answers for it, by when, the reply and the 督办."""
    replied = f"{c.reply}（{c.replied_by}，{_when(c.replied_at)}）" if c.reply else "未答复"
    supervised = f"{c.supervised_by}，{_when(c.supervised_at)}" if c.supervised_at else "—"
    return [
        ("责任部门", c.department.label if c.department is not None else "—"),
        ("责任人", c.handler or "—"),
        ("处理期限", _when(c.deadline)),
        ("答复", replied),
        ("主管督办", supervised),
    ]


def owner_html(events: Sequence[EventRow]) -> str:
    """首问负责: who took the order, and each hand-on after it."""
    taken = next((e for e in events if e.step == Step.TAKE), None)
    if taken is None:
        return ""
    hands = [
        f"{e.step.label}给 {escape(_to(e))}"
        for e in events
        if e.step in (Step.DISPATCH, Step.TRANSFER, Step.RETURN)
        and (_to(e) or e.step == Step.RETURN)
    ]
    text = f"首问负责：<b>{escape(taken.done_by)}</b>（{_when(taken.at)} 受理）"
    return text + (f"；移交：{'，'.join(hands)}" if hands else "；未移交")


def _to(event: EventRow) -> str:
    if event.step == Step.RETURN:
        return "前台"
    team = event.team.label if event.team is not None else ""
    if event.staff:
        return f"{event.staff}（{team}）" if team else event.staff
    return f"{team}班组" if team else ""


def history_cells(events: Sequence[EventRow], kind: Kind) -> list[list[str]]:
    return [[_when(e.at), step_label(e.step, kind), e.done_by, _to(e), e.note] for e in events]


def callback_cells(events: Sequence[EventRow]) -> list[list[str]]:
    cells = []
    for e in events:
        if e.step not in CALLBACK_STEPS:
            continue
        scores = [str(s) for s in e.scores] if e.scores else ["", "", ""]
        result = "未接通" if e.step == Step.CALLBACK_FAILED else "已回访"
        cells.append([_when(e.at), e.done_by, result, *scores, e.note])
    return cells


class OrderViewDialog(QDialog):
    def __init__(self, ctx: AppContext, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.order_id = order_id
        self.facts: OrderFacts | None = None
        self.ui = ui = Ui_OrderViewDialog()
        ui.setupUi(self)
        for table, headers in (
            (ui.historyTable, HISTORY),
            (ui.callbacksTable, CALLBACKS),
            (ui.repeatsTable, REPEATS),
            (ui.chargesTable, CHARGES),
            (ui.visitsTable, VISITS),
        ):
            set_headers(table, headers, stretch=len(headers) - 1)
            table.verticalHeader().hide()
        ui.photoList.setIconSize(THUMBNAIL)
        ui.photoList.setGridSize(QSize(THUMBNAIL.width() + 24, THUMBNAIL.height() + 48))
        ui.photoList.itemDoubleClicked.connect(lambda _item: self.open_photo())
        ui.photoList.itemSelectionChanged.connect(self._enable)
        ui.openPhotoButton.clicked.connect(self.open_photo)
        ui.addPhotoButton.clicked.connect(self.ask_add_photos)
        ui.repeatsTable.activated.connect(self.open_repeat)
        ui.closeButton.clicked.connect(self.accept)
        self.load()

    def load(self) -> None:
        ctx, order_id, read = self.ctx, self.order_id, list[OrderFacts]()
        Op(
            self,
            ctx.tasks,
            lambda: service_desk.order_facts(ctx.db, ctx.actor, order_id),
            title="工单详情",
        ).success(read.append).now()
        if read:
            self.show_facts(read[0])

    def show_facts(self, facts: OrderFacts) -> None:
        self.facts, ui = facts, self.ui
        self.setWindowTitle(f"工单详情 — {facts.row.number}")
        ui.headerLabel.setText(header_html(facts))
        ui.factsText.setHtml(facts_html(facts))
        ui.ownerLabel.setText(owner_html(facts.events))
        fill_rows(ui.historyTable, history_cells(facts.events, facts.row.kind))
        callbacks = callback_cells(facts.events)
        fill_rows(ui.callbacksTable, callbacks)
        fill_rows(
            ui.repeatsTable,
            [
                [
                    r.number,
                    _when(r.taken_at),
                    r.kind.label,
                    r.category,
                    r.status.label,
                    r.description,
                ]
                for r in facts.repeats
            ],
        )
        ui.repeatsLabel.setText(
            f"30 天内同一房屋或同一公区位置、同类别的其他工单 {len(facts.repeats)} 张（双击查看）"
            if facts.repeats
            else "30 天内没有同一房屋或同一位置的其他工单。"
        )
        fill_rows(
            ui.chargesTable,
            [
                [
                    _when(c.charged_at),
                    c.charged_by,
                    format_yuan(c.labour_fen),
                    format_yuan(c.materials_fen),
                    format_yuan(c.total_fen),
                    c.state.label,
                    c.receipt_number or "—",
                    "、".join(line.name for line in c.lines)
                    + (f"（作废原因：{c.void_reason}）" if c.void_reason else ""),
                ]
                for c in facts.charges
            ],
        )
        fill_rows(
            ui.visitsTable,
            [
                [v.number, v.name or "（已清除）", _when(v.arrived_at), _when(v.left_at)]
                for v in facts.visits
            ],
        )
        self._show_photos(facts.photos)
        counts = (
            ("概况", None),
            ("处理记录", len(facts.events)),
            ("回访", len(callbacks)),
            ("照片", len(facts.photos)),
            ("重复工单", len(facts.repeats)),
            ("维修费", len(facts.charges)),
            ("维修人员登记", len(facts.visits)),
        )
        for index, (title, count) in enumerate(counts):
            ui.tabs.setTabText(index, title if count is None else f"{title}（{count}）")

    def _show_photos(self, photos: Sequence[PhotoRow]) -> None:
        photo_list = self.ui.photoList
        photo_list.clear()
        for photo in photos:
            item = QListWidgetItem(f"{photo.stage.label} {photo.filename}")
            item.setData(PHOTO_ROLE, photo.id)
            item.setToolTip(
                f"{photo.stage.label}照片 {photo.filename}\n"
                f"{_when(photo.added_at)} {photo.added_by}\n双击查看原图"
            )
            icon = thumbnail(photo.stored(self.ctx.db))
            if icon is None:
                item.setText(f"{photo.filename}\n（文件缺失）")
            else:
                item.setIcon(icon)
            photo_list.addItem(item)
        self.ui.photoCountLabel.setText(
            f"共 {len(photos)} 张（受理时和完工后）" if photos else "这张工单没有照片"
        )
        self._enable()

    def _enable(self) -> None:
        self.ui.openPhotoButton.setEnabled(bool(self.ui.photoList.selectedItems()))

    def open_photo(self) -> None:
        """Open a copy under the photo's own name in the system viewer (the stored file
        is named by its hash and must never be changed by a viewer)."""
        items = self.ui.photoList.selectedItems()
        if not items or self.facts is None:
            return
        photo_id = items[0].data(PHOTO_ROLE)
        photo = next((p for p in self.facts.photos if p.id == photo_id), None)
        if photo is None:
            return
        ctx, filename = self.ctx, photo.filename

        def copy() -> Path:
            stored = service_desk.open_photo(ctx.db, ctx.actor, photo_id)
            target = Path(tempfile.mkdtemp(prefix="frontdesk-")) / filename
            shutil.copyfile(stored, target)
            return target

        Op(self, ctx.tasks, copy, title="无法打开照片").success(
            lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        ).run()

    def ask_add_photos(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "添加照片", "", PHOTO_FILTER)
        if names:
            self.add_photos([Path(name) for name in names])

    def add_photos(self, paths: Sequence[Path]) -> None:
        """The photos brought back after the work, each checked and stored (one refused
        photo stops the rest, with its reason); the view then reads the order again."""
        ctx, order_id = self.ctx, self.order_id

        def attach() -> None:
            for path in paths:
                service_desk.attach_photo(ctx.db, ctx.actor, order_id, path, PhotoStage.WORK)

        Op(self, ctx.tasks, attach, title="无法添加照片").success(
            lambda _none: self.load()
        ).failure(lambda _error: self.load()).run()

    def open_repeat(self, index: QModelIndex) -> None:
        if self.facts is None or not 0 <= index.row() < len(self.facts.repeats):
            return
        OrderViewDialog(self.ctx, self.facts.repeats[index.row()].order_id, self).exec()


def show_order(ctx: AppContext, order_id: int | None, parent: QWidget) -> None:
    """The order's full view over `parent` (nothing when no order is chosen)."""
    if order_id is not None:
        OrderViewDialog(ctx, order_id, parent).exec()
