"""The inputs a notice template's fields get on the 发布通知 form, one kind each:
a line, a few lines, a date, a date and time, or a period from one to another.

Each gives its value as the text the service reads (2026-11-28, 2026-11-28 08:00,
2026-11-28 08:00/2026-11-28 18:00; "" when an optional one is left empty) and
takes such text back, so a form is filled and read the same way whatever the kind.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.notices import (
    FieldKind,
    NoticeField,
    parse_date,
    parse_datetime,
    parse_period,
)
from frontdesk.errors import ValidationError
from frontdesk.gui.qtvalues import qdate

DATE_FORMAT = "yyyy-MM-dd"
DATETIME_FORMAT = "yyyy-MM-dd HH:mm"
LONG_TEXT_LINES = 4
BLANK_TEXT = "（不填）"  # an optional date left empty
# Before any real notice: an optional date at this value is "not filled in".
_BLANK_DATE = QDate(2000, 1, 1)
PERIOD_START, PERIOD_END = time(8, 0), time(18, 0)
DEFAULT_TIME = time(9, 0)


def tomorrow() -> date:
    return clock.today() + timedelta(days=1)


def _qdatetime(moment: datetime) -> QDateTime:
    return QDateTime(
        QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
    )


def _py(moment: QDateTime) -> datetime:
    d, t = moment.date(), moment.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class FieldInput(QObject):
    """One field's input. `widget` goes into the form; `changed` fires on every edit."""

    changed = Signal()

    def __init__(self, field: NoticeField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.widget: QWidget  # set by each kind

    def text(self) -> str:
        raise NotImplementedError

    def set_text(self, text: str) -> None:
        raise NotImplementedError

    def focus(self) -> None:
        """The cursor into the input (a refused value names this field)."""
        self.widget.setFocus()

    def _explain(self, widget: QWidget) -> None:
        """A date input has no room for a hint: it shows as the tooltip."""
        if self.field.hint:
            widget.setToolTip(f"例如：{self.field.hint}")


class TextInput(FieldInput):
    def __init__(self, field: NoticeField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit(parent)
        self.edit.setMaxLength(200)
        self.edit.setPlaceholderText(field.hint)
        self.edit.setToolTip(field.hint)
        self.edit.setText(field.default)
        self.edit.setCursorPosition(0)
        self.edit.textChanged.connect(self.changed)
        self.widget = self.edit

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self.edit.setCursorPosition(0)

    def focus(self) -> None:
        self.edit.setFocus()
        self.edit.selectAll()


class LongTextInput(FieldInput):
    def __init__(self, field: NoticeField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QPlainTextEdit(parent)
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(field.hint)
        self.edit.setToolTip(field.hint)
        self.edit.setPlainText(field.default)
        lines = self.edit.fontMetrics().lineSpacing() * LONG_TEXT_LINES
        margins = self.edit.contentsMargins()
        height = lines + 2 * int(self.edit.document().documentMargin())
        self.edit.setFixedHeight(height + margins.top() + margins.bottom() + 4)
        self.edit.textChanged.connect(self.changed)
        self.widget = self.edit

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)

    def focus(self) -> None:
        self.edit.setFocus()


def _date_edit(edit: QDateTimeEdit, display: str, optional: bool) -> None:
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(display)
    edit.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("2026-11-28 08:00") + 48)
    if optional:
        edit.setMinimumDate(_BLANK_DATE)
        edit.setSpecialValueText(BLANK_TEXT)
        # Blank, the calendar would open on January 2000: show this month instead.
        edit.calendarWidget().installEventFilter(_TodayPage(edit))
    edit.calendarWidget().setGridVisible(True)


def is_blank(edit: QDateTimeEdit) -> bool:
    """An optional date left empty (it shows 不填)."""
    return bool(edit.specialValueText()) and edit.date() == edit.minimumDate()


class _TodayPage(QObject):
    def __init__(self, edit: QDateTimeEdit) -> None:
        super().__init__(edit)
        self.edit = edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and is_blank(self.edit):
            today = qdate(clock.today())
            self.edit.calendarWidget().setCurrentPage(today.year(), today.month())
        return False


class DateInput(FieldInput):
    def __init__(self, field: NoticeField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QDateEdit(parent)
        _date_edit(self.edit, DATE_FORMAT, not field.required)
        self._explain(self.edit)
        self.set_text(field.default)
        if not field.default and field.required:
            self.set_date(tomorrow())
        self.edit.dateChanged.connect(self.changed)
        self.widget = self.edit

    def set_date(self, day: date | None) -> None:
        self.edit.setDate(QDate(day.year, day.month, day.day) if day else self.edit.minimumDate())

    def text(self) -> str:
        if is_blank(self.edit):
            return ""
        return self.edit.date().toString("yyyy-MM-dd")

    def set_text(self, text: str) -> None:
        if not text.strip():
            self.set_date(None)
            return
        try:
            self.set_date(parse_date(text, self.field.name))
        except ValidationError:
            self.set_date(None)


class DateTimeInput(FieldInput):
    def __init__(self, field: NoticeField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QDateTimeEdit(parent)
        _date_edit(self.edit, DATETIME_FORMAT, not field.required)
        self._explain(self.edit)
        self.set_text(field.default)
        if not field.default and field.required:
            self.set_moment(datetime.combine(tomorrow(), DEFAULT_TIME))
        self.edit.dateTimeChanged.connect(self.changed)
        self.widget = self.edit

    def set_moment(self, moment: datetime | None) -> None:
        if moment is None:
            self.edit.setDateTime(QDateTime(self.edit.minimumDate(), QTime(0, 0)))
        else:
            self.edit.setDateTime(_qdatetime(moment))

    def text(self) -> str:
        if is_blank(self.edit):
            return ""
        return self.edit.dateTime().toString("yyyy-MM-dd HH:mm")

    def set_text(self, text: str) -> None:
        try:
            self.set_moment(parse_datetime(text, self.field.name) if text.strip() else None)
        except ValidationError:
            self.set_moment(None)


class PeriodInput(FieldInput):
    """Two date-and-times with 至 between; moving the start moves the end with it."""

    def __init__(self, field: NoticeField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.widget = QWidget(parent)
        layout = QHBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        self.start_edit = QDateTimeEdit(self.widget)
        self.end_edit = QDateTimeEdit(self.widget)
        for edit in (self.start_edit, self.end_edit):
            _date_edit(edit, DATETIME_FORMAT, not field.required)
            self._explain(edit)
        self.start_edit.setAccessibleName(f"{field.name}开始")
        self.end_edit.setAccessibleName(f"{field.name}结束")
        between = QLabel("至", self.widget)
        between.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.start_edit)
        layout.addWidget(between)
        layout.addWidget(self.end_edit)
        layout.addStretch(1)
        self.widget.setFocusProxy(self.start_edit)
        self.set_text(field.default)
        if not field.default and field.required:
            day = tomorrow()
            self.set_period(datetime.combine(day, PERIOD_START), datetime.combine(day, PERIOD_END))
        self._start = self.start_edit.dateTime()
        self.start_edit.dateTimeChanged.connect(self._start_moved)
        self.end_edit.dateTimeChanged.connect(self.changed)

    def _start_moved(self, moment: QDateTime) -> None:
        """Keep the length of the period: a clerk picks the day once."""
        before, self._start = self._start, moment
        both_set = not is_blank(self.start_edit) and not is_blank(self.end_edit)
        if both_set and before.date() != self.start_edit.minimumDate():
            self.end_edit.blockSignals(True)
            self.end_edit.setDateTime(self.end_edit.dateTime().addSecs(before.secsTo(moment)))
            self.end_edit.blockSignals(False)
        self.changed.emit()

    def set_period(self, start: datetime | None, end: datetime | None) -> None:
        for edit, moment in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            if moment is None:
                edit.setDateTime(QDateTime(edit.minimumDate(), QTime(0, 0)))
            else:
                edit.setDateTime(_qdatetime(moment))
            edit.blockSignals(False)
        self._start = self.start_edit.dateTime()
        self.changed.emit()

    def period(self) -> tuple[datetime | None, datetime | None]:
        start = None if is_blank(self.start_edit) else _py(self.start_edit.dateTime())
        end = None if is_blank(self.end_edit) else _py(self.end_edit.dateTime())
        return start, end

    def text(self) -> str:
        start, end = self.period()
        if start is None and end is None:
            return ""
        first = f"{start:%Y-%m-%d %H:%M}" if start else ""
        last = f"{end:%Y-%m-%d %H:%M}" if end else ""
        return f"{first}/{last}"

    def set_text(self, text: str) -> None:
        try:
            start, end = parse_period(text, self.field.name) if text.strip() else (None, None)
        except ValidationError:
            start, end = None, None
        self.set_period(start, end)

    def focus(self) -> None:
        start, end = self.period()
        wrong = self.end_edit if start is not None and (end is None or end <= start) else None
        (wrong or self.start_edit).setFocus()


_INPUTS: dict[FieldKind, type[FieldInput]] = {
    FieldKind.TEXT: TextInput,
    FieldKind.LONG_TEXT: LongTextInput,
    FieldKind.DATE: DateInput,
    FieldKind.DATETIME: DateTimeInput,
    FieldKind.PERIOD: PeriodInput,
}


def input_for(field: NoticeField, parent: QWidget | None = None) -> FieldInput:
    return _INPUTS[field.kind](field, parent)


def caption(field: NoticeField) -> str:
    """The form's label: a required field's ends with " *"."""
    return f"{field.name} *" if field.required else field.name
