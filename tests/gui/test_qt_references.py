"""The Qt binding must not leak references to None or True (PySide6 6.12.0 on
Python 3.11 did: a day of counter work ended in 'Fatal Python error: none_dealloc')."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem

CALLS = 500


class _Emitter(QObject):
    happened = Signal()


def test_void_calls_keep_none_alive(qtbot) -> None:
    label, table = QLabel(), QTableWidget(3, 3)
    qtbot.addWidget(label)
    qtbot.addWidget(table)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("收费")
        table.setItem(1, 1, QTableWidgetItem("已缴清"))
    assert sys.getrefcount(None) - before > -CALLS // 2


def test_emitting_a_signal_keeps_true_alive(qtbot) -> None:
    emitter = _Emitter()
    emitter.happened.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(CALLS):
        emitter.happened.emit()
    assert sys.getrefcount(True) - before > -CALLS // 2
