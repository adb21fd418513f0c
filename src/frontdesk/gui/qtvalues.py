"""Qt values as the Python types the services take, typed for mypy.

PySide6's stubs say `QDate.toPython()` returns `object`, do not let `QDate` take a
`datetime.date`, and make `QTableWidget.item()` optional; these few functions
say what the screens rely on, once.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def qtime(moment: time) -> QTime:
    return QTime(moment.hour, moment.minute, moment.second)


def to_time(value: QTime) -> time:
    return time(value.hour(), value.minute(), value.second())


def qdatetime(moment: datetime) -> QDateTime:
    """A local wall-clock QDateTime (an aware `moment` is first put in local time)."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return QDateTime(qdate(local.date()), qtime(local.time()))


def to_datetime(value: QDateTime) -> datetime:
    """The local wall-clock time the edit shows, as an aware datetime."""
    return datetime.combine(to_date(value.date()), to_time(value.time())).astimezone()


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item a filled table has at (row, column)."""
    item = table.item(row, column)
    if item is None:
        raise LookupError(f"no item at row {row}, column {column}")
    return item
