"""One way for a screen to run a use-case: off the GUI thread, with one error policy.

The shape of Anki's `CollectionOp`/`QueryOp` (qt/aqt/operations/__init__.py): a
handler builds an `Op` around the service call, says what to do with the result,
and runs it —

    Op(self, self.ctx.tasks, lambda: arrears.waive_late_fees(db, actor, room, why),
       title="减免滞纳金").success(lambda _: self.refresh()).run()

The call runs on the task runner's worker thread (gui/tasks.py), so it must not
touch a widget: read what the clerk typed first, on the GUI thread — `given=`
does that inside the Op, so a ValidationError raised while reading the form
takes the same path as one raised by the service. A progress dialog appears
only if the call takes longer than 300 ms.

The error policy, the same for every screen:
- a `ValidationError` puts its message where the screen shows messages (an
  inline label given by `inline(...)`, else a warning box as before) and the
  cursor in the field it names (`fields(...)`, keyed by the field's Chinese label);
- any other `FrontDeskError` — a rule that forbids the action, or an environment
  problem (database busy, disk full, a file missing or not allowed) — and an
  `OSError` get their plain Chinese message (gui/messages.py `show_error`);
- anything else is a bug: the crash dialog, with the traceback in its details.

`now()` runs the call on the GUI thread under the same policy, for the few
callers that must have the answer before they go on (a save that gates leaving
an editor or printing); reads that take over 100 ms never use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar, overload

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui.messages import show_error
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.progress import NO_PROGRESS, Progress

T = TypeVar("T")
G = TypeVar("G")

WORKING = "正在处理…"


def focus_field(widget: QWidget) -> None:
    """Put the cursor in a field with its text selected, ready to be typed over."""
    widget.setFocus()
    if isinstance(widget, QComboBox) and widget.isEditable():
        line = widget.lineEdit()
        if line is not None:
            line.selectAll()
    elif isinstance(widget, QLineEdit | QAbstractSpinBox | QPlainTextEdit):
        widget.selectAll()


class Op(Generic[T]):
    """A service call a screen runs off the GUI thread; see the module docstring."""

    @overload
    def __init__(
        self,
        parent: QWidget,
        tasks: TaskRunner,
        call: Callable[[], T],
        *,
        title: str = ...,
    ) -> None: ...

    @overload
    def __init__(
        self,
        parent: QWidget,
        tasks: TaskRunner,
        call: Callable[[G], T],
        *,
        given: Callable[[], G],
        title: str = ...,
    ) -> None: ...

    @overload
    def __init__(
        self,
        parent: QWidget,
        tasks: TaskRunner,
        call: Callable[[Progress], T],
        *,
        progress: str,
        cancellable: bool = ...,
        title: str = ...,
    ) -> None: ...

    def __init__(
        self,
        parent: QWidget,
        tasks: TaskRunner,
        call: Callable[..., T],
        *,
        given: Callable[[], Any] | None = None,
        progress: str | None = None,
        cancellable: bool = False,
        title: str = "无法完成操作",
    ) -> None:
        """`given` reads the form on the GUI thread and hands it to `call`;
        `progress` labels the progress dialog of a call that takes the `Progress`
        to report its steps and check for Cancel (`cancellable`)."""
        self._parent = parent
        self._tasks = tasks
        self._call = call
        self._given = given
        self._title = title
        self._label = progress or WORKING
        self._cancellable = cancellable
        self._with_progress = progress is not None
        self._fields: Mapping[str, QWidget] = {}
        self._inline: QLabel | None = None
        self._inline_every_message = False
        self._on_success: Callable[[T], object] = lambda _result: None
        self._on_failure: Callable[[BaseException], object] = lambda _error: None

    def success(self, on_success: Callable[[T], object]) -> Op[T]:
        """Run `on_success(result)` on the GUI thread once the call has returned."""
        self._on_success = on_success
        return self

    def failure(self, on_failure: Callable[[BaseException], object]) -> Op[T]:
        """Also run `on_failure(error)` after the error policy has shown the error
        (to put a screen back as it was); a cancelled call is no failure."""
        self._on_failure = on_failure
        return self

    def fields(self, fields: Mapping[str, QWidget]) -> Op[T]:
        """The form's fields by their Chinese label: a ValidationError naming one
        puts the cursor there (if it is shown and enabled)."""
        self._fields = fields
        return self

    def inline(self, label: QLabel, *, every_message: bool = False) -> Op[T]:
        """Show a ValidationError's message in `label` instead of a box;
        `every_message` shows any message meant for the user there too (a rule the
        action broke, an environment problem), for a form that shows no boxes."""
        self._inline = label
        self._inline_every_message = every_message
        return self

    def labelled(self, label: str) -> Op[T]:
        """The text of the progress dialog, should the call take over 300 ms."""
        self._label = label
        return self

    def run(self) -> None:
        """Read the form (GUI thread) and start the call (worker thread)."""
        try:
            work = self._work()
        except Exception as error:  # the policy decides: inline, plain message or crash
            self._fail(error)
            return
        self._tasks.run(
            self._parent,
            self._label,
            work,
            self._succeed,
            cancellable=self._cancellable,
            on_error=self._fail,
        )

    def now(self) -> bool:
        """Run the call here, on the GUI thread, for a caller that needs the answer
        before it goes on (a save that gates leaving an editor or printing a batch):
        quick writes only. The same policy; True once `success` has run."""
        try:
            result = self._work()(NO_PROGRESS)
        except Exception as error:  # the policy decides: inline, plain message or crash
            self._fail(error)
            return False
        self._succeed(result)
        return True

    def _work(self) -> Callable[[Progress], T]:
        call, with_progress = self._call, self._with_progress
        args: tuple[Any, ...] = () if self._given is None else (self._given(),)
        if with_progress:
            return lambda progress: call(*args, progress)
        return lambda _progress: call(*args)

    def _succeed(self, result: T) -> None:
        self._on_success(result)

    def _fail(self, error: BaseException) -> None:
        report_error(
            self._parent,
            error,
            self._title,
            fields=self._fields,
            inline=self._inline,
            every_message=self._inline_every_message,
        )
        self._on_failure(error)


def report_error(
    parent: QWidget,
    error: BaseException,
    title: str = "无法完成操作",
    *,
    fields: Mapping[str, QWidget] | None = None,
    inline: QLabel | None = None,
    every_message: bool = False,
) -> None:
    """The one error policy (see the module docstring), for an error raised on the
    GUI thread too — reading a form before any Op runs."""
    if inline is not None and (
        isinstance(error, ValidationError) or (every_message and isinstance(error, FrontDeskError))
    ):
        inline.setText(error.message)
        inline.show()
    else:
        show_error(parent, error, title)
    if isinstance(error, ValidationError) and fields:
        field = fields.get(error.field)
        if field is not None and field.isVisibleTo(field.window()) and field.isEnabled():
            focus_field(field)
