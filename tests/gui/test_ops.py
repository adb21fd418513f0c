"""The Op helper: the call off the GUI thread, progress only when it is slow, one error policy."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QMessageBox, QProgressDialog, QWidget
from sqlalchemy import text

from frontdesk.errors import DatabaseBusy, PermissionDenied, ValidationError
from frontdesk.gui.ops import Op
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.database import Database
from frontdesk.services.progress import Cancelled, Progress
from tests.gui.conftest import Shown


class Form(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QFormLayout(self)
        self.name = QLineEdit("张三")
        self.phone = QLineEdit("1380000")
        self.error = QLabel()
        layout.addRow("姓名", self.name)
        layout.addRow("电话", self.phone)
        layout.addRow(self.error)
        self.fields = {"姓名": self.name, "电话": self.phone}


@pytest.fixture
def form(qtbot) -> Form:
    widget = Form()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.deleteLater()


def _progress_dialogs(parent: QWidget) -> list[QProgressDialog]:
    return [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]


def test_the_call_runs_off_the_gui_thread_and_the_result_comes_back_on_it(qtbot, form, tasks):
    seen: dict[str, int] = {}

    def call() -> str:
        seen["call"] = threading.get_ident()
        return "已保存"

    def done(result: str) -> None:
        seen["done"] = threading.get_ident()
        form.error.setText(result)

    Op(form, tasks, call).success(done).run()
    qtbot.waitUntil(lambda: form.error.text() == "已保存")
    assert seen["call"] != threading.get_ident()
    assert seen["done"] == threading.get_ident()


def test_progress_shows_only_once_the_call_has_taken_300_ms(qtbot, form, tasks):
    release = threading.Event()
    results: list[int] = []

    def slow(progress: Progress) -> int:
        release.wait(30)
        return 7

    Op(form, tasks, slow, progress="正在导出…").success(results.append).run()
    assert _progress_dialogs(form) == []  # not at once: the timer has not fired
    qtbot.waitUntil(lambda: bool(_progress_dialogs(form)))
    assert _progress_dialogs(form)[0].labelText() == "正在导出…"
    release.set()
    qtbot.waitUntil(lambda: results == [7])
    assert _progress_dialogs(form) == []


def test_a_quick_call_never_shows_progress(qtbot, form, tasks, monkeypatch):
    shown_dialogs: list[QProgressDialog] = []
    monkeypatch.setattr(QProgressDialog, "show", lambda self: shown_dialogs.append(self))
    results: list[int] = []
    Op(form, tasks, lambda: 1).success(results.append).run()
    with qtbot.waitSignal(tasks.idle):
        pass
    qtbot.waitUntil(lambda: results == [1])
    assert shown_dialogs == []


def test_a_validation_error_goes_under_the_form_with_the_cursor_in_its_field(qtbot, form, tasks):
    def save() -> None:
        raise ValidationError("电话", "应为 11 位手机号")

    failed: list[BaseException] = []
    with qtbot.waitSignal(tasks.idle):
        Op(form, tasks, save).fields(form.fields).inline(form.error).failure(failed.append).run()
    assert form.error.text() == "电话：应为 11 位手机号"
    assert form.focusWidget() is form.phone
    assert form.phone.selectedText() == "1380000"
    assert [type(e) for e in failed] == [ValidationError]


def test_reading_the_form_takes_the_same_path_and_nothing_runs(qtbot, form, tasks, shown: Shown):
    ran: list[str] = []

    def read() -> str:
        raise ValidationError("姓名", "不能为空")

    Op(form, tasks, ran.append, given=read, title="无法登记").fields(form.fields).run()
    assert shown == [("warning", "无法登记", "姓名：不能为空")]
    assert form.focusWidget() is form.name
    assert ran == []
    assert not tasks.busy


def test_the_form_is_read_on_the_gui_thread_and_handed_to_the_call(qtbot, form, tasks):
    got: list[tuple[str, bool]] = []
    main = threading.get_ident()

    def read() -> str:
        assert threading.get_ident() == main
        return form.name.text()

    def save(name: str) -> None:
        got.append((name, threading.get_ident() == main))

    with qtbot.waitSignal(tasks.idle):
        Op(form, tasks, save, given=read).run()
    assert got == [("张三", False)]


def test_a_broken_rule_is_a_box_unless_the_form_shows_every_message(
    qtbot, form, tasks, shown: Shown
):
    def save() -> None:
        raise PermissionDenied("只有财务主管可以作废收据")

    with qtbot.waitSignal(tasks.idle):
        Op(form, tasks, save, title="作废收据").inline(form.error).run()
    assert shown == [("warning", "作废收据", "只有财务主管可以作废收据")]
    assert form.error.text() == ""
    with qtbot.waitSignal(tasks.idle):
        Op(form, tasks, save).inline(form.error, every_message=True).run()
    assert form.error.text() == "只有财务主管可以作废收据"
    assert len(shown) == 1


def test_an_environment_problem_gets_its_plain_message(qtbot, form, tasks, shown: Shown):
    def busy() -> None:
        raise DatabaseBusy("数据库正被另一台电脑占用，请稍候几秒再试。")

    def gone() -> None:
        raise FileNotFoundError(2, "No such file or directory", "/media/u/名册.xlsx")

    with qtbot.waitSignal(tasks.idle):
        Op(form, tasks, busy, title="保存").fields(form.fields).inline(form.error).run()
    with qtbot.waitSignal(tasks.idle):  # a form that shows no boxes (a timer's refresh)
        Op(form, tasks, busy).inline(form.error, every_message=True).run()
    assert form.error.text() == "数据库正被另一台电脑占用，请稍候几秒再试。"
    form.error.clear()
    with qtbot.waitSignal(tasks.idle):
        Op(form, tasks, gone, title="导入名册").run()
    assert shown == [
        ("warning", "保存", "数据库正被另一台电脑占用，请稍候几秒再试。"),
        ("warning", "导入名册", "无法读写文件 /media/u/名册.xlsx（No such file or directory）"),
    ]
    assert form.error.text() == ""


def test_anything_else_is_the_crash_dialog(qtbot, form, tasks, monkeypatch, shown: Shown):
    crashes: list[tuple[str, str]] = []

    def exec_(box: QMessageBox) -> int:
        crashes.append((box.windowTitle(), box.detailedText()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)

    def bug() -> None:
        raise KeyError("room_id")

    with qtbot.waitSignal(tasks.idle):
        Op(form, tasks, bug).inline(form.error, every_message=True).run()
    assert [title for title, _ in crashes] == ["程序错误"]
    assert "KeyError: 'room_id'" in crashes[0][1]
    assert shown == []
    assert form.error.text() == ""


def test_cancel_is_no_error(qtbot, form, tasks, shown: Shown):
    failed: list[BaseException] = []

    def stopped(progress: Progress) -> None:
        raise Cancelled

    with qtbot.waitSignal(tasks.idle):
        Op(form, tasks, stopped, progress="正在生成…", cancellable=True).failure(
            failed.append
        ).run()
    assert shown == []
    assert failed == []


def test_waiting_runner_still_runs_the_call_on_the_worker(qtbot, form, shown: Shown):
    runner = TaskRunner(wait=True)
    main = threading.get_ident()
    threads: list[bool] = []

    def save() -> None:
        threads.append(threading.get_ident() == main)
        raise ValidationError("姓名", "不能为空")

    Op(form, runner, save).fields(form.fields).inline(form.error).run()
    assert threads == [False]
    assert form.error.text() == "姓名：不能为空"
    assert not runner.busy


def test_a_read_opens_its_own_session_on_the_worker(qtbot, form, tasks, db: Database, shown: Shown):
    def count() -> int:
        with db.read() as session:
            return int(session.execute(text("SELECT count(*) FROM app_user")).scalar_one())

    results: list[int] = []
    with qtbot.waitSignal(tasks.idle):
        Op(form, tasks, count).success(results.append).run()
    with db.read() as session:  # the GUI thread's own session sees the same file
        assert results == [session.execute(text("SELECT count(*) FROM app_user")).scalar_one()]
    assert results == [1]
    assert shown == []


def test_now_runs_here_under_the_same_policy_and_says_whether_it_worked(qtbot, form, tasks):
    main = threading.get_ident()
    saved: list[bool] = []

    def save(name: str) -> str:
        if not name:
            raise ValidationError("姓名", "不能为空")
        saved.append(threading.get_ident() == main)
        return name

    op = Op(form, tasks, save, given=form.name.text).fields(form.fields).inline(form.error)
    assert op.now() is True
    assert saved == [True]
    form.name.clear()
    assert op.now() is False
    assert form.error.text() == "姓名：不能为空"
    assert form.focusWidget() is form.name
    assert saved == [True]
