"""The book editor of 入伙 › 业主手册 and 装修 › 装修指南 (a widget both screens share).

业主手册: the supervisor edits the handbook's sections — placeholders such as
{收费标准} are filled from the community's records when it prints, and the preview
beside the editor shows the section as it will print. Others read and print it."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.handbook import PLACEHOLDERS, fill
from frontdesk.domain.roles import Permission
from frontdesk.domain.text import numbered_title
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.movein_handbook_tab_ui import Ui_HandbookTab
from frontdesk.gui.messages import Unsaved, ask_unsaved, confirm
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.forms import focus_field
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.placeholder_target import PlaceholderTarget
from frontdesk.gui.widgets.unsaved_editor import UnsavedEditor
from frontdesk.services.movein import handbook
from frontdesk.services.movein import steps as movein_steps
from frontdesk.services.movein.handbook import Book, HandbookValues, SectionRow

EDITED_MARK, ADDED_MARK = "（已修改）", "（新增）"
UNSAVED_TITLE = "新章节（未保存）"
ACCENT, MUTED = "#2f6f62", "#5f6b7a"
FILLED_BACKGROUND = "#d3ebe2"
UNKNOWN_COLOUR = "#b3261e"
DIRTY_COLOUR = "#9a6700"
# Around each filled-in value while the section is laid out; replaced by a tinted span.
_FILLED_START, _FILLED_END = "\ue000", "\ue001"
_BLANK_LINE = re.compile(r"\n\s*\n")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_UNKNOWN_NAMED = re.compile(r"未知的占位符 \{([^{}]*)\}")
PREVIEW_CSS = f"""
h2 {{ color: {ACCENT}; font-size: 15pt; margin-bottom: 6px; }}
p {{ margin-top: 0px; margin-bottom: 8px; line-height: 165%; }}
li {{ margin-bottom: 3px; line-height: 150%; }}
"""


def _marked(value: str) -> str:
    """The value with each line marked as filled in; a bullet's "- " stays outside,
    so the filled lines are still laid out as list items."""
    lines = []
    for line in value.split("\n"):
        text = line.strip()
        if text.startswith("- "):
            lines.append(f"- {_FILLED_START}{text[2:]}{_FILLED_END}")
        elif text:
            lines.append(f"{_FILLED_START}{text}{_FILLED_END}")
        else:
            lines.append(line)
    return "\n".join(lines)


def _inline(text: str) -> str:
    """Escaped text; filled values tinted, placeholders left unfilled in red."""
    out = _PLACEHOLDER.sub(
        lambda m: f'<span style="color: {UNKNOWN_COLOUR}; font-weight: bold;">{m.group(0)}</span>',
        escape(text, quote=False),
    )
    out = out.replace(_FILLED_START, f'<span style="background-color: {FILLED_BACKGROUND};">')
    return out.replace(_FILLED_END, "</span>")


def body_html(body: str, indent: int = 28) -> str:
    """Paragraphs and bulleted lists the way documents.handbook lays the body out:
    blank lines part paragraphs (first line indented `indent` px, two characters),
    "- " starts an item, other line breaks are kept."""
    parts: list[str] = []
    for block in _BLANK_LINE.split(body.strip()):
        runs: list[tuple[bool, list[str]]] = []  # (bullets?, lines), consecutive alike
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            bullet = line.startswith("- ")
            text = _inline(line[2:].strip() if bullet else line)
            if runs and runs[-1][0] == bullet:
                runs[-1][1].append(text)
            else:
                runs.append((bullet, [text]))
        for bullet, lines in runs:
            if bullet:
                parts.append("<ul>" + "".join(f"<li>{i}</li>" for i in lines) + "</ul>")
            else:
                parts.append(f'<p style="text-indent: {indent}px;">' + "<br>".join(lines) + "</p>")
    return "".join(parts)


def preview_html(
    number: int, title: str, body: str, values: dict[str, str], indent: int = 28
) -> str:
    """The section filled in with `values`, as it prints."""
    # An empty value stays empty: its line is left out of the preview as of the paper.
    marked = {name: _marked(value) if value else "" for name, value in values.items()}
    heading = _inline(numbered_title(number, fill(title.strip(), marked) or "（无标题）"))
    text = fill(body, marked)
    return f"<h2>{heading}</h2>" + (
        body_html(text, indent) if text.strip() else f'<p style="color: {MUTED};">（正文为空）</p>'
    )


class HandbookTab(UnsavedEditor):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, book: Book = handbook.HANDBOOK
    ) -> None:
        """`book`: the owner handbook, or the 装修指南 kept the same way."""
        super().__init__(parent)
        self.ctx = ctx
        self.book = book
        self.can_edit = ctx.can(Permission.EDIT_HANDBOOK)
        self.rows: list[SectionRow] = []
        self.key: str | None = None  # the section in the editor; "" a new one not yet saved
        self.loaded = ("", "")  # its title and body as stored, to tell unsaved edits
        self.values: dict[str, str] = {}
        self.edition = ""
        self.ui = ui = Ui_HandbookTab()
        ui.setupUi(self)
        if book != handbook.HANDBOOK:
            self._as_guide()
        self.target = PlaceholderTarget(ui.bodyEdit, ui.titleEdit)
        self.fields: dict[str, QWidget] = {
            "章节标题": ui.titleEdit,
            "章节正文": ui.bodyEdit,
            "服务时间": ui.hoursEdit,
            "值班电话": ui.dutyEdit,
            "版本": ui.editionEdit,
            "燃气抢修电话": ui.gasEdit,
            "供水抢修电话": ui.waterEdit,
            "电梯困人救援电话": ui.liftEdit,
        }
        for name, description in PLACEHOLDERS.items():
            ui.placeholderCombo.addItem(f"{{{name}}}　{description}", name)
        ui.placeholderCombo.setPlaceholderText("选一项，插入到光标处")
        ui.placeholderCombo.setCurrentIndex(-1)
        ui.previewBrowser.document().setDefaultStyleSheet(PREVIEW_CSS)
        ui.splitter.setStretchFactor(0, 0)
        ui.splitter.setStretchFactor(1, 1)
        ui.splitter.setStretchFactor(2, 1)
        ui.splitter.setSizes([240, 470, 470])
        ui.legendLabel.setText(
            f'<span style="background-color: {FILLED_BACKGROUND};">'
            "&nbsp;&nbsp;底色&nbsp;&nbsp;</span>"
            f'<span style="color: {MUTED};"> 打印时自动填入的内容　</span>'
            f'<span style="color: {UNKNOWN_COLOUR}; font-weight: bold;">{{红色}}</span>'
            f'<span style="color: {MUTED};"> 无法识别的占位符，不能保存</span>'
        )
        ui.editionEdit.setPlaceholderText(f"空则为 {clock.today().year}年版")
        ui.sectionList.currentRowChanged.connect(self._row_changed)
        ui.titleEdit.textChanged.connect(self._edited)
        ui.bodyEdit.textChanged.connect(self._edited)
        ui.placeholderCombo.activated.connect(self.insert_placeholder)
        ui.saveButton.clicked.connect(self.save_section)
        ui.resetButton.clicked.connect(self.reset_section)
        ui.newButton.clicked.connect(self.new_section)
        ui.saveValuesButton.clicked.connect(self.save_values)
        ui.printButton.clicked.connect(self.print_handbook)
        self._set_editable()

    def _as_guide(self) -> None:
        """The 装修指南: its own wording; the details it fills in are kept with the
        handbook (服务时间, 电话) and the renovation settings (施工时间, 工期)."""
        ui = self.ui
        ui.headingLabel.setText(
            "<b>装修指南</b>　办理装修时发给业主和施工单位。占位符（如 {允许施工时间}、{最长工期}）"
            "打印时按装修设置和小区资料自动填入。"
        )
        ui.readOnlyLabel.setText("只有主管可以修改装修指南；您可以查看各章节并打印。")
        ui.printButton.setText("打印装修指南(&P)…")
        # The handbook's own details are not the guide's: their box is not there, the
        # print button stands alone with where the guide's details are kept.
        ui.valuesGroup.setVisible(False)
        ui.hotlinesLayout.removeWidget(ui.printButton)
        self.guide_note = QLabel(
            "施工时间、最长工期在“装修设置”中修改；服务时间、电话取自业主手册和小区资料。"
        )
        self.guide_note.setStyleSheet(f"color: {MUTED};")
        row = QHBoxLayout()
        row.addWidget(self.guide_note, 1)
        row.addWidget(ui.printButton)
        ui.mainLayout.addLayout(row)

    def _set_editable(self) -> None:
        ui, can = self.ui, self.can_edit
        ui.readOnlyLabel.setVisible(not can)
        for edit in (ui.titleEdit, ui.hoursEdit, ui.dutyEdit, ui.editionEdit):
            edit.setReadOnly(not can)
        ui.bodyEdit.setReadOnly(not can)
        ui.monthsSpin.setReadOnly(not can or not self.ctx.can(Permission.MANAGE_FEES))
        for widget in (
            ui.placeholderCaption,
            ui.placeholderCombo,
            ui.formatLabel,
            ui.saveButton,
            ui.resetButton,
            ui.savedLabel,
            ui.newButton,
            ui.saveValuesButton,
            ui.valuesSavedLabel,
        ):
            widget.setVisible(can)
        ui.editorGroup.setTitle("编辑章节" if can else "章节内容")
        if not can:
            ui.dutyEdit.setPlaceholderText("")
            ui.editionEdit.setPlaceholderText("")

    # loading -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the sections and the values; unsaved edits stay in the editor."""
        # Here, not on the worker: the editor's unsaved text is compared right after.
        if not Op(self, self.ctx.tasks, self._read_values, title=self.book.title).now():
            return
        keys = [r.key for r in self.rows]
        if self.key is None or (self.key and self.key not in keys):
            self.load(keys[0] if keys else "")
        elif self.dirty():
            self._fill_list()
            self.render_preview()
        else:
            self.load(self.key)

    def _read_values(self) -> None:
        self.rows = handbook.sections(self.ctx.db, self.book)
        self._load_values()

    def _load_values(self) -> None:
        db = self.ctx.db
        self.values = handbook.values_for(db, clock.today())
        stored = handbook.handbook_values(db)
        self.edition = stored.edition or f"{clock.today().year}年版"
        ui = self.ui
        ui.hoursEdit.setText(stored.service_hours)
        ui.dutyEdit.setText(stored.duty_phone)
        ui.editionEdit.setText(stored.edition)
        ui.gasEdit.setText(stored.gas_phone)
        ui.waterEdit.setText(stored.water_phone)
        ui.liftEdit.setText(stored.lift_phone)
        ui.monthsSpin.setValue(movein_steps.fee_months(db))
        ui.hoursEdit.setCursorPosition(0)

    def row(self, key: str | None) -> SectionRow | None:
        return next((r for r in self.rows if r.key == key), None)

    def load(self, key: str) -> None:
        """Show a section in the editor ("" starts a new one)."""
        row = self.row(key)
        self.key = key if row is not None else ""
        self.loaded = (row.title, row.body) if row is not None else ("", "")
        ui = self.ui
        for edit in (ui.titleEdit, ui.bodyEdit):
            edit.blockSignals(True)
        ui.titleEdit.setText(self.loaded[0])
        ui.titleEdit.setPlaceholderText("" if row is not None else "新章节的标题，如 装修押金退还")
        ui.bodyEdit.setPlainText(self.loaded[1])
        for edit in (ui.titleEdit, ui.bodyEdit):
            edit.blockSignals(False)
        ui.savedLabel.clear()
        self._fill_list()
        self.render_preview()

    def _fill_list(self) -> None:
        section_list = self.ui.sectionList
        section_list.blockSignals(True)
        section_list.clear()
        current = -1
        for number, row in enumerate(self.rows, 1):
            mark = ADDED_MARK if not row.shipped else EDITED_MARK if row.edited else ""
            item = QListWidgetItem(numbered_title(number, fill(row.title, self.values)) + mark)
            section_list.addItem(item)
            if row.key == self.key:
                current = number - 1
        if self.key == "":
            item = QListWidgetItem(UNSAVED_TITLE)
            font = QFont(item.font())
            font.setItalic(True)
            item.setFont(font)
            item.setForeground(QBrush(QColor(DIRTY_COLOUR)))
            section_list.addItem(item)
            current = len(self.rows)
        section_list.setCurrentRow(current)
        section_list.blockSignals(False)
        self._update_buttons()

    # editing -----------------------------------------------------------------------

    def edited_text(self) -> tuple[str, str]:
        return self.ui.titleEdit.text(), self.ui.bodyEdit.toPlainText()

    def dirty(self) -> bool:
        if not self.can_edit or self.key is None:
            return False
        title, body = self.edited_text()
        return (title.strip(), body.strip()) != (self.loaded[0].strip(), self.loaded[1].strip())

    def _edited(self) -> None:
        self.render_preview()
        self.show_dirty(self.ui.savedLabel)
        self._update_buttons()

    def render_preview(self) -> None:
        keys = [r.key for r in self.rows]
        number = keys.index(self.key) + 1 if self.key in keys else len(keys) + 1
        title, body = self.edited_text()
        browser = self.ui.previewBrowser
        scroll = browser.verticalScrollBar().value()
        indent = browser.fontMetrics().horizontalAdvance("中") * 2
        browser.setHtml(preview_html(number, title, body, self.values, indent))
        browser.verticalScrollBar().setValue(scroll)

    def _update_buttons(self) -> None:
        ui, row = self.ui, self.row(self.key)
        dirty = self.dirty()
        ui.saveButton.setEnabled(dirty)
        if row is not None and row.shipped:
            ui.resetButton.setText("恢复默认(&D)")
            ui.resetButton.setEnabled(row.edited or dirty)
            ui.resetButton.setToolTip("换回软件自带的本章内容")
        else:
            ui.resetButton.setText("删除章节(&D)")
            ui.resetButton.setEnabled(self.key is not None)
            ui.resetButton.setToolTip("删除这个新增的章节")

    def insert_placeholder(self, index: int) -> None:
        name = self.ui.placeholderCombo.itemData(index)
        self.ui.placeholderCombo.setCurrentIndex(-1)
        if not name or not self.can_edit:
            return
        self.target.insert(name)

    def _row_changed(self, index: int) -> None:
        target = self.rows[index].key if 0 <= index < len(self.rows) else ""
        if target == self.key:
            return
        if not self.leave_ok():
            self._fill_list()  # back to the section being edited
            return
        self.load(target)

    def ask_about_edits(self) -> Unsaved:
        return ask_unsaved(self, f"章节「{self.ui.titleEdit.text().strip() or '新章节'}」")

    def save_edits(self) -> bool:
        return self.save_section()

    def save_section(self) -> bool:
        title, body = self.edited_text()
        ctx, key, book = self.ctx, self.key or "", self.book

        def save() -> tuple[str, list[SectionRow]]:
            saved = handbook.save_section(ctx.db, ctx.actor, key, title, body, book)
            return saved, handbook.sections(ctx.db, book)

        # Here: leaving the editor or printing waits for the answer.
        return (
            Op(self, ctx.tasks, save, title="章节未保存")
            .failure(self._point_at)
            .success(lambda saved: self._section_saved(*saved, title, body))
            .now()
        )

    def _section_saved(self, key: str, rows: list[SectionRow], title: str, body: str) -> None:
        self.rows = rows
        row = self.row(key)
        self.key = key
        self.loaded = (row.title, row.body) if row is not None else (title, body)
        self._fill_list()
        self.ui.savedLabel.setText(f"已保存「{self.loaded[0]}」")
        self.ui.savedLabel.setStyleSheet(f"color: {MUTED};")

    def _point_at(self, exc: BaseException) -> None:
        """The cursor on the refused field — on the unknown placeholder when one is named."""
        if not isinstance(exc, ValidationError):
            return
        field = self.fields.get(exc.field)
        if field is None:
            return
        focus_field(field)
        named = _UNKNOWN_NAMED.search(exc.problem)
        if named is None:
            return
        wanted = f"{{{named.group(1)}}}"
        if isinstance(field, QLineEdit):
            start = field.text().find(wanted)
            if start >= 0:
                field.setSelection(start, len(wanted))
        elif isinstance(field, QPlainTextEdit):
            field.moveCursor(field.textCursor().MoveOperation.Start)
            field.find(wanted)

    def reset_section(self) -> None:
        row = self.row(self.key)
        if row is None:  # a new section never saved: drop it
            if self.dirty() and not confirm(self, "放弃新章节", "放弃这个还没有保存的新章节？"):
                return
            self.load(self.rows[0].key if self.rows else "")
            return
        if row.shipped:
            question = (
                f"把「{row.title}」恢复为软件自带的内容？\n本章已保存和未保存的修改都将丢失。"
            )
            if not confirm(self, "恢复默认", question):
                return
        elif not confirm(self, "删除章节", f"删除章节「{row.title}」？删除后不能恢复。"):
            return
        position, ctx, book = self.rows.index(row), self.ctx, self.book

        def reset() -> list[SectionRow]:
            if row.edited:
                handbook.reset_section(ctx.db, ctx.actor, row.key, book)
            return handbook.sections(ctx.db, book)

        Op(self, ctx.tasks, reset, title=book.title).success(
            lambda rows: self._section_reset(row, position, rows)
        ).run()

    def _section_reset(self, row: SectionRow, position: int, rows: list[SectionRow]) -> None:
        self.rows = rows
        keys = [r.key for r in self.rows]
        self.load(row.key if row.key in keys else keys[min(position, len(keys) - 1)])
        self.ui.savedLabel.setText("已恢复默认内容" if row.shipped else "已删除章节")
        self.ui.savedLabel.setStyleSheet(f"color: {MUTED};")

    def new_section(self) -> None:
        if not self.leave_ok():
            return
        self.load("")
        self.ui.titleEdit.setFocus()

    # values and printing ---------------------------------------------------------------

    def save_values(self) -> bool:
        ui = self.ui
        values = HandbookValues(
            ui.hoursEdit.text(),
            ui.dutyEdit.text(),
            ui.editionEdit.text(),
            ui.gasEdit.text(),
            ui.waterEdit.text(),
            ui.liftEdit.text(),
        )
        ctx, months = self.ctx, ui.monthsSpin.value()

        def save() -> None:
            handbook.set_handbook_values(ctx.db, ctx.actor, values)
            if months != movein_steps.fee_months(ctx.db):
                movein_steps.set_fee_months(ctx.db, ctx.actor, months)

        return (
            Op(self, ctx.tasks, save, title="手册信息未保存")
            .fields(self.fields)
            .success(lambda _: self._values_saved())
            .now()
        )

    def _values_saved(self) -> None:
        self._load_values()
        self.ui.valuesSavedLabel.setText("已保存")
        self._fill_list()
        self.render_preview()

    def print_handbook(self) -> None:
        if self.dirty():
            answer = self.ask_about_edits()
            if answer is Unsaved.CANCEL or (answer is Unsaved.SAVE and not self.save_section()):
                return
            if answer is Unsaved.DISCARD:
                self.load(self.key or (self.rows[0].key if self.rows else ""))
        from frontdesk.printouts import movein as movein_printouts
        from frontdesk.printouts import renovation as renovation_printouts

        title, ctx = self.book.title, self.ctx
        make = (
            renovation_printouts.guide
            if self.book == handbook.GUIDE
            else movein_printouts.owner_handbook
        )
        Op(self, ctx.tasks, lambda: make(ctx.db, ctx.actor), title=f"打印{title}").labelled(
            f"正在生成{title}…"
        ).success(lambda printout: show_printout(ctx, printout, self)).run()
