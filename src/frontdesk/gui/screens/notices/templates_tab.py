"""通知模板: supervisors keep the office's notice templates — the shipped ones edited
to the office's wording, or retired, and the office's own. The editor has the
name, the printed title, the body with its {占位符}, and the fields the counter
fills in; beside it, the notice as it will print, filled with sample values."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHeaderView,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTreeWidgetItem,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.notices import (
    LETTER_ONLY,
    STANDARD_PLACEHOLDERS,
    FieldKind,
    NoticeField,
    NoticeMode,
    NoticeTemplate,
    placeholders_in,
)
from frontdesk.domain.rooms import RoomStatus
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.notices_templates_tab_ui import Ui_TemplatesTab
from frontdesk.gui.messages import Unsaved, ask_unsaved, confirm
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.notices.fields_table import DEFAULT, NAME, FieldsTable
from frontdesk.gui.screens.notices.live_preview import LivePreview
from frontdesk.gui.widgets.forms import focus_field
from frontdesk.gui.widgets.placeholder_target import PlaceholderTarget
from frontdesk.gui.widgets.unsaved_editor import UnsavedEditor
from frontdesk.services.households import structure
from frontdesk.services.households.structure import RoomFilter
from frontdesk.services.notices import templates as notice_templates
from frontdesk.services.notices.posting import NoticeRequest
from frontdesk.services.notices.templates import TemplateRow

SHIPPED_MARK, EDITED_MARK, OWN_MARK, RETIRED_MARK = "系统自带", "已修改", "自建", "已停用"
UNSAVED_NAME = "新模板（未保存）"
COPY_SUFFIX = "（副本）"
MUTED, DIRTY_COLOUR, RETIRED_COLOUR = "#5f6b7a", "#9a6700", "#8a8f98"
KEY_ROLE = Qt.ItemDataRole.UserRole
SAMPLE_DAYS = 3  # sample dates: a few days ahead
_FIELD_NAMED = re.compile(r"字段“(.*)”")
_UNKNOWN_NAMED = re.compile(r"未知的占位符 \{([^{}]*)\}")
BLANK = NoticeTemplate("", "", "", (), "")


def sample_value(field: NoticeField, today: date | None = None) -> str:
    """What the preview fills a field with: its default, else a date a few days
    ahead or （字段名）."""
    if field.default:
        return field.default
    day = (today or clock.today()) + timedelta(days=SAMPLE_DAYS)
    if field.kind is FieldKind.DATE:
        return day.isoformat()
    if field.kind is FieldKind.DATETIME:
        return f"{datetime.combine(day, time(9, 0)):%Y-%m-%d %H:%M}"
    if field.kind is FieldKind.PERIOD:
        start, end = datetime.combine(day, time(8, 0)), datetime.combine(day, time(18, 0))
        return f"{start:%Y-%m-%d %H:%M}/{end:%Y-%m-%d %H:%M}"
    return f"（{field.name}）"


def status_text(row: TemplateRow) -> str:
    mark = (EDITED_MARK if row.edited else SHIPPED_MARK) if row.shipped else OWN_MARK
    return f"{mark}、{RETIRED_MARK}" if row.retired else mark


class TemplatesTab(UnsavedEditor):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[TemplateRow] = []
        self.key: str | None = None  # the template in the editor; "" a new one not saved
        self.loaded = BLANK  # as stored, to tell unsaved edits
        self._sample_room: int | None = None
        self._filling = False
        self.ui = ui = Ui_TemplatesTab()
        ui.setupUi(self)
        self.target = PlaceholderTarget(ui.bodyEdit, ui.titleEdit)
        self.placeholder_menu = QMenu(self)
        self.placeholder_menu.aboutToShow.connect(self._fill_placeholder_menu)
        ui.placeholderButton.setMenu(self.placeholder_menu)
        self.fields_table = fields = FieldsTable(ui.fieldsTable, self)
        tree = ui.templateTree
        tree.header().setStretchLastSection(False)
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        ui.splitter.setStretchFactor(0, 0)
        ui.splitter.setStretchFactor(1, 1)
        ui.splitter.setStretchFactor(2, 1)
        ui.splitter.setSizes([210, 540, 390])
        self.live = LivePreview(ctx, self, ui.previewView, ui.errorLabel, self.request)
        tree.currentItemChanged.connect(self._row_changed)
        for edit in (ui.nameEdit, ui.titleEdit):
            edit.textChanged.connect(self._edited)
        ui.bodyEdit.textChanged.connect(self._edited)
        fields.edited.connect(self._edited)
        ui.fieldsTable.itemSelectionChanged.connect(self._update_buttons)
        ui.addFieldButton.clicked.connect(fields.add_field)
        ui.removeFieldButton.clicked.connect(fields.remove_field)
        ui.upButton.clicked.connect(lambda: fields.move_field(-1))
        ui.downButton.clicked.connect(lambda: fields.move_field(1))
        ui.saveButton.clicked.connect(self.save_template)
        ui.newButton.clicked.connect(self.new_template)
        ui.copyButton.clicked.connect(self.copy_template)
        ui.resetButton.clicked.connect(self.reset_template)
        ui.retireButton.clicked.connect(self.toggle_retired)

    # loading -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list; unsaved edits stay in the editor."""
        # Here, not on the worker: the editor's unsaved text is compared right after.
        read, db = list[list[TemplateRow]](), self.ctx.db
        Op(
            self,
            self.ctx.tasks,
            lambda: notice_templates.list_templates(db, with_retired=True),
            title="通知模板",
        ).success(read.append).now()
        if not read:
            return
        self.rows = read[0]
        keys = [r.template.key for r in self.rows]
        if self.key is None or (self.key and self.key not in keys):
            self.load(keys[0] if keys else "")
        elif self.dirty():
            self._fill_list()
            self.live.schedule()
        else:
            self.load(self.key)

    def row(self, key: str | None) -> TemplateRow | None:
        return next((r for r in self.rows if r.template.key == key), None)

    def load(self, key: str, draft: NoticeTemplate | None = None) -> None:
        """Show a template in the editor; key "" starts a new one (from `draft`)."""
        row = self.row(key)
        self.key = key if row is not None else ""
        self.loaded = row.template if row is not None else BLANK
        shown = row.template if row is not None else (draft or BLANK)
        ui = self.ui
        self._filling = True
        ui.nameEdit.setText(shown.name)
        ui.titleEdit.setText(shown.title)
        ui.bodyEdit.setPlainText(shown.body)
        self.fields_table.fill(shown.fields)
        self._filling = False
        ui.savedLabel.clear()
        self._fill_list()
        self.live.schedule()

    def _fill_list(self) -> None:
        tree = self.ui.templateTree
        tree.blockSignals(True)
        tree.clear()
        current: QTreeWidgetItem | None = None
        for row in self.rows:
            item = QTreeWidgetItem([row.template.name, status_text(row)])
            item.setData(0, KEY_ROLE, row.template.key)
            if row.retired:
                for column in (0, 1):
                    item.setForeground(column, QBrush(QColor(RETIRED_COLOUR)))
            elif row.edited or not row.shipped:
                item.setForeground(1, QBrush(QColor(DIRTY_COLOUR if row.edited else MUTED)))
            else:
                item.setForeground(1, QBrush(QColor(MUTED)))
            tree.addTopLevelItem(item)
            if row.template.key == self.key:
                current = item
        if self.key == "":
            current = QTreeWidgetItem([UNSAVED_NAME, ""])
            current.setData(0, KEY_ROLE, "")
            font = QFont(current.font(0))
            font.setItalic(True)
            current.setFont(0, font)
            current.setForeground(0, QBrush(QColor(DIRTY_COLOUR)))
            tree.addTopLevelItem(current)
        if current is not None:
            tree.setCurrentItem(current)
        tree.blockSignals(False)
        self._update_buttons()

    # editing ---------------------------------------------------------------------------

    def edited(self) -> NoticeTemplate:
        ui = self.ui
        return NoticeTemplate(
            self.key or "",
            ui.nameEdit.text(),
            ui.titleEdit.text(),
            self.fields_table.fields(),
            ui.bodyEdit.toPlainText(),
        )

    def dirty(self) -> bool:
        if self.key is None:
            return False
        if self.key == "":
            return True
        mine, stored = self.edited(), self.loaded
        return (mine.name.strip(), mine.title.strip(), mine.body.strip(), mine.fields) != (
            stored.name.strip(),
            stored.title.strip(),
            stored.body.strip(),
            stored.fields,
        )

    def _edited(self) -> None:
        if self._filling:
            return
        self.live.schedule()
        self.show_dirty(self.ui.savedLabel)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ui, row = self.ui, self.row(self.key)
        dirty = self.dirty()
        ui.saveButton.setEnabled(dirty)
        ui.resetButton.setVisible(row is not None and row.shipped)  # shipped ones only
        ui.resetButton.setEnabled(row is not None and row.shipped and (row.edited or dirty))
        ui.retireButton.setEnabled(row is not None)
        ui.retireButton.setText("启用(&R)" if row is not None and row.retired else "停用(&R)")
        ui.retireButton.setToolTip(
            "重新列入“发布通知”的模板中"
            if row is not None and row.retired
            else "不再列入“发布通知”的模板中；已发布的通知不受影响"
        )
        selected = self.fields_table.selected()
        count = ui.fieldsTable.rowCount()
        ui.removeFieldButton.setEnabled(selected >= 0)
        ui.upButton.setEnabled(selected > 0)
        ui.downButton.setEnabled(0 <= selected < count - 1)

    def _fill_placeholder_menu(self) -> None:
        menu = self.placeholder_menu
        menu.clear()
        fields = [f for f in self.fields_table.fields() if f.name.strip()]
        heading = menu.addAction("本模板的字段（前台填写）")
        heading.setEnabled(False)
        for field in fields:
            self._placeholder_action(menu, field.name, field.kind.label)
        if not fields:
            none = menu.addAction("（还没有字段）")
            none.setEnabled(False)
        menu.addSeparator()
        heading = menu.addAction("系统自动填写")
        heading.setEnabled(False)
        for name, description in STANDARD_PLACEHOLDERS.items():
            self._placeholder_action(menu, name, description)

    def _placeholder_action(self, menu: QMenu, name: str, description: str) -> None:
        action = QAction(f"{{{name}}}　{description}", menu)
        action.triggered.connect(lambda _checked=False, n=name: self.insert_placeholder(n))
        menu.addAction(action)

    def insert_placeholder(self, name: str) -> None:
        self.target.insert(name)

    def request(self) -> NoticeRequest | None:
        """The edited template as a notice, with sample values: a lobby notice, or a
        letter to one household when it uses {房号}/{业主}."""
        if self.key is None:
            return None
        draft = self.edited()
        values = {f.name: sample_value(f) for f in draft.fields if f.name.strip()}
        used = set(placeholders_in(draft.title)) | set(placeholders_in(draft.body))
        letter = bool(used & LETTER_ONLY)
        self.ui.previewGroup.setTitle(
            "预览（业户信函，示例内容）" if letter else "预览（张贴通知，示例内容）"
        )
        if not letter:
            return NoticeRequest(draft.key, values, NoticeMode.LOBBY, draft=draft)
        room = self._a_household()
        rooms = (room,) if room is not None else ()
        return NoticeRequest(draft.key, values, NoticeMode.LETTER, room_ids=rooms, draft=draft)

    def _a_household(self) -> int | None:
        if self._sample_room is None:
            for status in (RoomStatus.OCCUPIED, None):
                found = structure.room_ids(self.ctx.db, self.ctx.actor, RoomFilter(status=status))
                if found:
                    self._sample_room = found[0]
                    break
        return self._sample_room

    # switching -------------------------------------------------------------------------

    def _row_changed(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        target = str(item.data(0, KEY_ROLE)) if item is not None else ""
        if item is None or target == self.key:
            return
        if not self.leave_ok():
            self._fill_list()  # back to the template being edited
            return
        self.load(target)

    def ask_about_edits(self) -> Unsaved:
        return ask_unsaved(self, f"模板「{self.ui.nameEdit.text().strip() or '新模板'}」")

    def save_edits(self) -> bool:
        return self.save_template()

    def new_template(self) -> None:
        if not self.leave_ok():
            return
        self.load("", BLANK)
        self.ui.nameEdit.setFocus()

    def copy_template(self) -> None:
        """A new template from what the editor shows; the original is left as saved
        (or saved first, if asked)."""
        shown = self.edited()
        if not self.leave_ok():
            return
        name = f"{shown.name.strip()}{COPY_SUFFIX}"
        self.load("", NoticeTemplate("", name, shown.title, shown.fields, shown.body))
        self.ui.nameEdit.setFocus()
        self.ui.nameEdit.selectAll()
        self._edited()

    # saving ----------------------------------------------------------------------------

    def save_template(self) -> bool:
        ctx = self.ctx

        def save(template: NoticeTemplate) -> tuple[NoticeTemplate, list[TemplateRow]]:
            saved = notice_templates.save_template(ctx.db, ctx.actor, template)
            return saved, notice_templates.list_templates(ctx.db, with_retired=True)

        # Here: leaving the editor waits for the answer.
        return (
            Op(self, ctx.tasks, save, given=self.edited, title="模板未保存")
            .failure(self._point_at)
            .success(lambda done: self._saved(*done))
            .now()
        )

    def _saved(self, saved: NoticeTemplate, rows: list[TemplateRow]) -> None:
        self.rows = rows
        self.key, self.loaded = saved.key, saved
        self._fill_list()
        self.ui.savedLabel.setText(f"已保存「{saved.name}」")
        self.ui.savedLabel.setStyleSheet(f"color: {MUTED};")

    def _point_at(self, exc: BaseException) -> None:
        """The cursor on what was refused: an edit, the unknown placeholder, a field's cell."""
        if not isinstance(exc, ValidationError):
            return
        ui = self.ui
        edits: dict[str, QLineEdit | QPlainTextEdit] = {
            "模板名称": ui.nameEdit,
            "通知标题": ui.titleEdit,
            "通知正文": ui.bodyEdit,
        }
        edit = edits.get(exc.field)
        if edit is not None:
            focus_field(edit)
            named = _UNKNOWN_NAMED.search(exc.problem)
            if named is not None:
                wanted = f"{{{named.group(1)}}}"
                if isinstance(edit, QLineEdit):
                    start = edit.text().find(wanted)
                    if start >= 0:
                        edit.setSelection(start, len(wanted))
                else:
                    edit.moveCursor(edit.textCursor().MoveOperation.Start)
                    edit.find(wanted)
            return
        table = ui.fieldsTable
        quoted = _FIELD_NAMED.fullmatch(exc.field)
        if quoted is not None or exc.field == "字段名":
            r = self.fields_table.row_named(quoted.group(1) if quoted else "")
            column = NAME
        else:  # a default that is no value of its kind
            r, column = self.fields_table.row_named(exc.field), DEFAULT
        table.setFocus()
        if r >= 0:
            table.setCurrentCell(r, column)
            if column == NAME:
                table.editItem(self.fields_table.cell(r, NAME))

    def reset_template(self) -> None:
        row = self.row(self.key)
        if row is None or not row.shipped:
            return
        question = (
            f"把「{row.template.name}」恢复为软件自带的内容？\n已保存和未保存的修改都将丢失。"
        )
        if not confirm(self, "恢复默认", question):
            return
        ctx, key = self.ctx, row.template.key

        def reset() -> list[TemplateRow]:
            notice_templates.reset_template(ctx.db, ctx.actor, key)
            return notice_templates.list_templates(ctx.db, with_retired=True)

        Op(self, ctx.tasks, reset, title="通知模板").success(
            lambda rows: self._reset(key, rows)
        ).run()

    def _reset(self, key: str, rows: list[TemplateRow]) -> None:
        self.rows = rows
        self.load(key)
        self.ui.savedLabel.setText("已恢复默认内容")
        self.ui.savedLabel.setStyleSheet(f"color: {MUTED};")

    def toggle_retired(self) -> None:
        row = self.row(self.key)
        if row is None:
            return
        retire, ctx, key = not row.retired, self.ctx, row.template.key

        def switch() -> list[TemplateRow]:
            notice_templates.set_retired(ctx.db, ctx.actor, key, retire)
            return notice_templates.list_templates(ctx.db, with_retired=True)

        Op(self, ctx.tasks, switch, title="通知模板").success(
            lambda rows: self._switched(row.template.name, retire, rows)
        ).run()

    def _switched(self, name: str, retire: bool, rows: list[TemplateRow]) -> None:
        self.rows = rows
        self._fill_list()
        self.ui.savedLabel.setText(
            f"已停用「{name}」：发布通知时不再列出" if retire else f"已启用「{name}」"
        )
        self.ui.savedLabel.setStyleSheet(f"color: {MUTED};")
