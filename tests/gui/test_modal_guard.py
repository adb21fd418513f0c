"""The guard of tests/gui/modal_guard.py: a box a test did not expect is named, not waited on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from frontdesk.errors import ValidationError
from frontdesk.gui.messages import ask_unsaved, confirm, show_error
from tests.gui.modal_guard import Modal, ModalGuard

ROOT = Path(__file__).resolve().parents[2]


def test_show_error_is_noted_with_its_title_and_text_and_answered(
    modal_guard: ModalGuard,
) -> None:
    show_error(None, ValidationError("样本比例", "不能超过100%"))
    assert confirm(None, "作废收据", "确定作废收据 R0001？") is False  # answered 否
    assert modal_guard.opened == [
        Modal("QMessageBox.warning", "无法完成操作", "样本比例：不能超过100%"),
        Modal("QMessageBox.question", "作废收据", "确定作废收据 R0001？"),
    ]
    modal_guard.opened.clear()  # expected here: this test is about the notes


def test_an_unexpected_error_box_and_a_dialog_are_noted_not_waited_on(
    qtbot, modal_guard: ModalGuard
) -> None:
    show_error(None, RuntimeError("boom"))  # the crash box: QMessageBox(...).exec()
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.setWindowTitle("新增成员")
    assert dialog.exec() == QDialog.DialogCode.Rejected.value
    assert modal_guard.opened == [
        Modal(
            "QMessageBox.exec",
            "程序错误",
            "发生了意外错误，操作未完成，数据未被修改。请将详细信息发给技术支持。",
        ),
        Modal("QDialog.exec", "新增成员", ""),
    ]
    modal_guard.opened.clear()


@pytest.mark.answers_modal("未保存的修改")
def test_a_box_the_test_answers_itself_runs_for_real(modal_guard: ModalGuard) -> None:
    def press_escape() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        QTest.keyClick(box, Qt.Key.Key_Escape)

    QTimer.singleShot(0, press_escape)
    assert ask_unsaved(None, "章节「欢迎入住」").value == "cancel"
    assert modal_guard.opened == []


STRAY = """
from frontdesk.errors import ValidationError
from frontdesk.gui.messages import show_error


def test_saves_a_survey(qapp):
    show_error(None, ValidationError("样本比例", "不能超过100%"))
"""


def test_a_stray_box_fails_its_test_naming_title_and_text(tmp_path: Path) -> None:
    """A separate pytest run with the GUI conftest: the test that opens an error box it did
    not expect fails (instead of hanging), and the report names the box."""
    (tmp_path / "test_stray.py").write_text(STRAY, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "QT_QPA_PLATFORM": "offscreen",
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.gui.conftest",
            "-o",
            "qt_api=pyside6",
            str(tmp_path / "test_stray.py"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # without the guard this run would wait on the box for ever
    )
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "1 failed" in out
    assert "QMessageBox.warning 「无法完成操作」: 样本比例：不能超过100%" in out
