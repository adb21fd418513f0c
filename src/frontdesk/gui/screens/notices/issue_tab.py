"""发布通知: what the counter uses to post a 停水通知 in two minutes — pick a template,
fill in its few fields, tick the buildings (or send letters to households), check
the preview beside the form, then 发布并打印: the notice is numbered, kept and
registered before its print preview opens."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QListWidgetItem, QWidget

from frontdesk.domain.notices import NoticeMode, NoticeTemplate, check_mode, check_values
from frontdesk.domain.rooms import RoomStatus
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.notices_issue_tab_ui import Ui_IssueTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.screens.notices.field_inputs import FieldInput, caption, input_for
from frontdesk.gui.screens.notices.live_preview import PREVIEW_COPIES, LivePreview
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.printouts import notices as notice_printouts
from frontdesk.printouts.notices import IssuedNotice
from frontdesk.services.households import structure
from frontdesk.services.households.structure import BuildingRow, BuildingSummary, RoomRow
from frontdesk.services.notices import templates as notice_templates
from frontdesk.services.notices.posting import NoticeRequest
from frontdesk.services.notices.templates import TemplateRow
from frontdesk.services.progress import Progress

MAX_FORM_HEIGHT = 330  # px: the fields above the 发布对象, before they scroll
MUTED, DONE_COLOUR, REFUSED_COLOUR = "#5f6b7a", "#1e7b34", "#b3261e"
KEY_ROLE = Qt.ItemDataRole.UserRole
SCOPE_FIELD = "发布对象"  # as a refused scope is named here
TARGET_FIELDS = {SCOPE_FIELD, "发送对象"}


class IssueTab(QWidget):
    """Signals: issued(number) once a notice is numbered and kept."""

    issued = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_IssueTab()
        ui.setupUi(self)
        self.templates: list[NoticeTemplate] = []
        self.template: NoticeTemplate | None = None
        self.inputs: dict[str, FieldInput] = {}
        self.labels: dict[str, QLabel] = {}
        self.buildings: list[BuildingRow] = []
        self.households: dict[int, int] = {}  # building id: households letters reach
        self.extra_rooms: dict[int, tuple[str, str, bool]] = {}  # id: (text, building, sold)
        self.last_issued: IssuedNotice | None = None
        self._issuing = False
        self.room_picker = RoomPicker(ctx, ui.roomHost)
        self.room_picker.setPlaceholderText("房号、业主姓名或电话尾号，回车加入")
        ui.roomLayout.addWidget(self.room_picker)
        ui.roomCaption.setBuddy(self.room_picker)
        self.setTabOrder(ui.buildingList, self.room_picker)
        self.setTabOrder(self.room_picker, ui.removeRoomButton)
        self.live = LivePreview(ctx, self, ui.previewView, ui.errorLabel, self.request)
        self.live.rendered.connect(self._mark_refused)
        ui.splitter.setStretchFactor(0, 0)
        ui.splitter.setStretchFactor(1, 1)
        ui.splitter.setStretchFactor(2, 1)
        ui.splitter.setSizes([170, 480, 470])
        ui.letterPane.setVisible(False)
        ui.templateList.currentRowChanged.connect(self._template_picked)
        ui.lobbyRadio.toggled.connect(self._mode_changed)
        ui.wholeCheck.toggled.connect(self._whole_toggled)
        ui.buildingList.itemChanged.connect(self._building_ticked)
        self.room_picker.room_chosen.connect(self.add_room)
        ui.removeRoomButton.clicked.connect(self.remove_room)
        ui.issueButton.clicked.connect(self.issue)
        # A cancelled or failed issue calls no on_done: the button comes back when idle.
        ctx.tasks.idle.connect(self._tasks_idle)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.issue)
        self._mode_changed()

    # loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the templates and buildings; what was typed stays (a template edited
        meanwhile keeps the values of the fields it still has)."""
        ctx = self.ctx
        # Here, not on the worker: what was typed is matched to the templates at once.
        Op(
            self,
            ctx.tasks,
            lambda: (
                notice_templates.list_templates(ctx.db),
                structure.list_buildings(ctx.db, ctx.actor),
                structure.summary(ctx.db, ctx.actor),
            ),
            title="发布通知",
        ).success(lambda read: self._loaded(*read)).now()

    def _loaded(
        self,
        rows: list[TemplateRow],
        buildings: list[BuildingRow],
        summary: list[BuildingSummary],
    ) -> None:
        self.templates = [row.template for row in rows]
        self.households = {
            b.id: s.rooms - s.by_status.get(RoomStatus.UNSOLD, 0)
            for b, s in zip(buildings, summary, strict=False)
        }
        self._fill_buildings(buildings)
        self._fill_templates()

    def _fill_templates(self) -> None:
        listing = self.ui.templateList
        current = self.template.key if self.template else None
        listing.blockSignals(True)
        listing.clear()
        for template in self.templates:
            item = QListWidgetItem(template.name)
            item.setData(KEY_ROLE, template.key)
            listing.addItem(item)
        keys = [t.key for t in self.templates]
        row = keys.index(current) if current in keys else 0 if keys else -1
        listing.setCurrentRow(row)
        listing.blockSignals(False)
        if row < 0:
            self.ui.fieldsGroup.setTitle("填写内容")
            self._build_form(None)
            self.ui.statusLabel.setText("没有可用的通知模板：请主管在“通知模板”中启用或新建。")
            return
        chosen = self.templates[row]
        if chosen != self.template:
            self._build_form(chosen, self.values() if chosen.key == current else {})
        else:
            self.live.schedule()

    def _fill_buildings(self, buildings: list[BuildingRow]) -> None:
        listing = self.ui.buildingList
        ticked = set(self.ticked_buildings())
        self.buildings = buildings
        listing.blockSignals(True)
        listing.clear()
        for building in buildings:
            item = QListWidgetItem(building.name)
            item.setData(KEY_ROLE, building.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            checked = building.id in ticked
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            item.setToolTip(
                f"{building.name}：{self.households.get(building.id, 0)} 户（未售除外）"
            )
            listing.addItem(item)
        metrics = listing.fontMetrics()
        widest = max((metrics.horizontalAdvance(b.name) for b in buildings), default=40)
        listing.setGridSize(QSize(widest + 40, metrics.height() + 8))
        listing.blockSignals(False)
        self._update_count()

    # the form --------------------------------------------------------------------------

    def _template_picked(self, row: int) -> None:
        if 0 <= row < len(self.templates):
            self._build_form(self.templates[row])

    def _build_form(
        self, template: NoticeTemplate | None, carry: dict[str, str] | None = None
    ) -> None:
        """One input per field of the template; values in `carry` kept by field name."""
        ui = self.ui
        form = ui.fieldsForm
        while form.rowCount():
            form.removeRow(0)
        for old in self.inputs.values():
            old.deleteLater()
        self.inputs, self.labels = {}, {}
        self.template = template
        if template is None:
            self.live.clear()
            return
        ui.fieldsGroup.setTitle(f"填写《{template.name}》（带 * 的必填）")
        for field in template.fields:
            field_input = input_for(field, ui.fieldsHost)
            kept = (carry or {}).get(field.name)
            if kept is not None:
                field_input.set_text(kept)
            label = QLabel(caption(field), ui.fieldsHost)
            self.labels[field.name] = label
            label.setBuddy(field_input.widget)
            if field.hint:
                label.setToolTip(field.hint)
            form.addRow(label, field_input.widget)
            label.show()  # now, not when the layout gets to it: the height below counts it
            field_input.widget.show()
            field_input.changed.connect(self.changed)
            self.inputs[field.name] = field_input
        if not template.fields:
            note = QLabel("这个模板没有需要填写的内容，选好发布对象即可发布。", ui.fieldsHost)
            note.setStyleSheet(f"color: {MUTED};")
            form.addRow(note)
        # As tall as the fields need, up to MAX_FORM_HEIGHT (then it scrolls).
        height = ui.fieldsHost.sizeHint().height() + 4
        ui.fieldsScroll.setMinimumHeight(min(height, MAX_FORM_HEIGHT))
        ui.statusLabel.clear()
        self.changed()

    def _mark_refused(self) -> None:
        """The label of the field the preview's refusal names, in red."""
        error = self.live.error
        named = error.field if isinstance(error, ValidationError) else None
        for name, label in self.labels.items():
            label.setStyleSheet(f"color: {REFUSED_COLOUR};" if name == named else "")

    def values(self) -> dict[str, str]:
        """What was filled in, by field name, as the service reads it."""
        return {name: field_input.text() for name, field_input in self.inputs.items()}

    def set_values(self, values: dict[str, str]) -> None:
        for name, text in values.items():
            self.inputs[name].set_text(text)

    def changed(self) -> None:
        self.ui.statusLabel.clear()
        self.live.schedule()

    # who ---------------------------------------------------------------------------------

    @property
    def mode(self) -> NoticeMode:
        return NoticeMode.LETTER if self.ui.letterRadio.isChecked() else NoticeMode.LOBBY

    def _mode_changed(self) -> None:
        letter = self.mode is NoticeMode.LETTER
        self.ui.letterPane.setVisible(letter)
        self.ui.scopeHint.setText(
            "或勾选楼栋：发给其中每一户（未售的除外），也可另加住户"
            if letter
            else "或勾选楼栋：每栋一份，各贴在本栋"
        )
        self.ui.previewGroup.setTitle("预览（前 3 户）" if letter else "预览")
        self._update_count()
        self.changed()

    def ticked_buildings(self) -> list[int]:
        listing = self.ui.buildingList
        return [
            int(listing.item(i).data(KEY_ROLE))
            for i in range(listing.count())
            if listing.item(i).checkState() == Qt.CheckState.Checked
        ]

    def tick_buildings(self, names: list[str]) -> None:
        """Tick these buildings (by name, 3栋) and only these."""
        listing = self.ui.buildingList
        for i in range(listing.count()):
            item = listing.item(i)
            state = Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked
            item.setCheckState(state)

    def _whole_toggled(self, whole: bool) -> None:
        if whole:
            listing = self.ui.buildingList
            listing.blockSignals(True)
            for i in range(listing.count()):
                listing.item(i).setCheckState(Qt.CheckState.Unchecked)
            listing.blockSignals(False)
        self._update_count()
        self.changed()

    def _building_ticked(self, _item: QListWidgetItem) -> None:
        if self.ticked_buildings() and self.ui.wholeCheck.isChecked():
            self.ui.wholeCheck.blockSignals(True)
            self.ui.wholeCheck.setChecked(False)
            self.ui.wholeCheck.blockSignals(False)
        self._update_count()
        self.changed()

    def add_room(self, room_id: int) -> None:
        """A household besides the buildings ticked (letters only)."""
        text, ctx, read = self.room_picker.text(), self.ctx, list[list[RoomRow]]()
        Op(
            self,
            ctx.tasks,
            lambda: structure.room_rows(ctx.db, ctx.actor, [room_id]),
            title="另加住户",
        ).success(read.append).now()
        if not read or len(read[0]) != 1:
            return
        [row] = read[0]
        self.room_picker.clear_room()
        if room_id in self.extra_rooms:
            return
        self.extra_rooms[room_id] = (text, row.building, row.status is not RoomStatus.UNSOLD)
        item = QListWidgetItem(row.code)
        item.setData(KEY_ROLE, room_id)
        item.setToolTip(text)
        self.ui.roomList.addItem(item)
        self._update_count()
        self.changed()

    def remove_room(self) -> None:
        listing = self.ui.roomList
        item = listing.currentItem()
        if item is None:
            return
        self.extra_rooms.pop(int(item.data(KEY_ROLE)), None)
        listing.takeItem(listing.row(item))
        self._update_count()
        self.changed()

    def _target_buildings(self) -> list[BuildingRow]:
        if self.ui.wholeCheck.isChecked():
            return list(self.buildings)
        ticked = set(self.ticked_buildings())
        return [b for b in self.buildings if b.id in ticked]

    def copies(self) -> int:
        """Lobby notices (one each building, or one) or letters (one each household)."""
        if self.mode is NoticeMode.LOBBY:
            return 1 if self.ui.wholeCheck.isChecked() else len(self.ticked_buildings())
        targets = self._target_buildings()
        names = {b.name for b in targets}
        extra = sum(
            1
            for _text, building, sold in self.extra_rooms.values()
            if not (building in names and sold)
        )
        return sum(self.households.get(b.id, 0) for b in targets) + extra

    def scope_text(self) -> str:
        """全小区 / 3栋、5栋 / 3栋及另加 2 户, as the confirmation names it."""
        if self.ui.wholeCheck.isChecked():
            parts = "全小区"
        else:
            parts = "、".join(b.name for b in self._target_buildings())
        if self.mode is NoticeMode.LETTER and self.extra_rooms:
            extra = f"另加 {len(self.extra_rooms)} 户"
            return f"{parts}及{extra}" if parts else extra
        return parts

    def _update_count(self) -> None:
        count = self.copies()
        if self.mode is NoticeMode.LOBBY:
            text = f"将生成 {count} 份"
            note = f"预览最多显示前 {PREVIEW_COPIES} 份；发布时才编号。"
        else:
            text = f"共 {count} 户"
            note = f"预览显示前 {PREVIEW_COPIES} 户的信函；发布时才编号。"
        self.ui.countLabel.setText(f"<b>{text}</b>")
        self.ui.previewNote.setText(note)

    # issuing -----------------------------------------------------------------------------

    def request(self) -> NoticeRequest | None:
        """What the form asks for; a scope left empty is refused here."""
        if self.template is None:
            return None
        ui = self.ui
        whole, ticked = ui.wholeCheck.isChecked(), tuple(self.ticked_buildings())
        if self.mode is NoticeMode.LOBBY:
            if not whole and not ticked:
                raise ValidationError(SCOPE_FIELD, "请勾选要张贴的楼栋，或勾选“全小区”")
            return NoticeRequest(self.template.key, self.values(), NoticeMode.LOBBY, ticked)
        buildings = tuple(b.id for b in self.buildings) if whole else ticked
        return NoticeRequest(
            self.template.key,
            self.values(),
            NoticeMode.LETTER,
            buildings,
            tuple(self.extra_rooms),
        )

    def _point_at(self, exc: ValidationError) -> None:
        """The cursor into the field a refusal names."""
        field_input = self.inputs.get(exc.field)
        if field_input is not None:
            self.ui.fieldsScroll.ensureWidgetVisible(field_input.widget)
            field_input.focus()
        elif exc.field in TARGET_FIELDS:
            self.ui.buildingList.setFocus()

    def issue(self) -> None:
        """Confirm, then number, keep and register the notice and open its PDF."""
        template = self.template
        if template is None or self._issuing:
            return
        try:
            request = self.request()
            if request is None:
                return
            check_mode(template, request.mode)
            check_values(template, request.values)
        except ValidationError as exc:
            report_error(self, exc, "通知未发布")
            self._point_at(exc)
            return
        count = self.copies()
        if count == 0:
            nobody = ValidationError("发送对象", "所选楼栋中没有可发信函的住户")
            report_error(self, nobody, "通知未发布")
            self._point_at(nobody)
            return
        what = (
            f"《{template.name}》"
            if request.mode is NoticeMode.LOBBY
            else f"《{template.name}》业户信函"
        )
        unit = "份" if request.mode is NoticeMode.LOBBY else "户"
        question = f"发布{what}：{self.scope_text()}，共 {count} {unit}。发布后编号存档，不能撤回。"
        if not confirm(self, "发布通知", question):
            return
        ctx = self.ctx
        self._issuing = True
        self.ui.issueButton.setEnabled(False)

        def work(progress: Progress) -> IssuedNotice:
            return notice_printouts.issue_notice(
                ctx.db, ctx.actor, request, on_progress=progress.step
            )

        letters = request.mode is NoticeMode.LETTER
        label = f"正在生成 {count} 份{template.name}…" if letters else f"正在发布{template.name}…"
        Op(self, ctx.tasks, work, progress=label, cancellable=letters, title="通知未发布").failure(
            self._not_issued
        ).success(self._issued).run()

    def _tasks_idle(self) -> None:
        if self._issuing:
            self._issuing = False
            self.ui.issueButton.setEnabled(True)

    def _not_issued(self, error: BaseException) -> None:
        self._issuing = False
        self.ui.issueButton.setEnabled(True)
        if isinstance(error, ValidationError):
            self._point_at(error)

    def _issued(self, result: IssuedNotice) -> None:
        self._issuing = False
        self.ui.issueButton.setEnabled(True)
        self.last_issued = result
        self.ui.statusLabel.setText(
            f'<span style="color: {DONE_COLOUR};">已发布 {escape(result.number)}，'
            f"发文登记 {escape(result.register_number)}</span>"
        )
        self.issued.emit(result.number)
        show_printout(self.ctx, result.printout, self, kept=True)
