"""A modal box or dialog a GUI test did not expect fails that test, naming it.

Offscreen, nobody answers a modal: `QMessageBox.warning(...)`, `box.exec()` or a
dialog's `exec()` waits for ever and the whole suite hangs with no output. In a GUI test
(tests/gui/conftest.py) these calls are replaced: a box the test did not expect is noted
(its kind, title and text), answered as Esc would answer it (取消 / 否, nothing chosen),
and the test fails when it ends, the note naming the box.

A test expects a box in one of two ways:
- it replaces the call itself (the `shown` fixture, `monkeypatch.setattr(QMessageBox,
  "question", ...)`, `monkeypatch.setattr(SomeDialog, "exec", ...)`): its own fake wins;
- it answers the real box itself (keys pressed from a QTimer) and says so with
  `@pytest.mark.answers_modal("确认收取现金")`, the window titles it answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

MARKER = "answers_modal"


@dataclass(frozen=True)
class Modal:
    kind: str  # QMessageBox.warning, QDialog.exec of PersonDialog, ...
    title: str
    text: str

    def __str__(self) -> str:
        named = f"{self.kind} 「{self.title}」"
        return f"{named}: {self.text}" if self.text else named


@dataclass
class ModalGuard:
    """What the replaced calls saw in one test."""

    answered_by_test: frozenset[str] = frozenset()
    opened: list[Modal] = field(default_factory=list)

    def report(self) -> str:
        lines = "\n".join(f"  {modal}" for modal in self.opened)
        return (
            "a modal the test did not expect opened (answered as Esc; declare it with the "
            f"`shown` fixture, a monkeypatch or @pytest.mark.{MARKER}):\n{lines}"
        )

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for kind in ("information", "warning", "critical", "question"):
            monkeypatch.setattr(QMessageBox, kind, staticmethod(self._static_box(kind)))
        monkeypatch.setattr(QMessageBox, "about", staticmethod(self._about))
        monkeypatch.setattr(QMessageBox, "exec", self._exec(QMessageBox.exec))
        monkeypatch.setattr(QDialog, "exec", self._exec(QDialog.exec))
        cancelled: dict[str, object] = {
            "getOpenFileName": ("", ""),
            "getOpenFileNames": ([], ""),
            "getSaveFileName": ("", ""),
            "getExistingDirectory": "",
        }
        for name, answer in cancelled.items():
            monkeypatch.setattr(QFileDialog, name, staticmethod(self._chooser(name, answer)))
        for name in ("getText", "getMultiLineText", "getItem", "getInt", "getDouble"):
            answer = (0, False) if name in ("getInt", "getDouble") else ("", False)
            monkeypatch.setattr(QInputDialog, name, staticmethod(self._input(name, answer)))

    def _static_box(self, kind: str) -> Callable[..., QMessageBox.StandardButton]:
        def box(_parent: object, title: str, text: str, *_a: Any, **_k: Any) -> Any:
            self.opened.append(Modal(f"QMessageBox.{kind}", title, text))
            if kind == "question":
                return QMessageBox.StandardButton.No
            return QMessageBox.StandardButton.Ok

        return box

    def _about(self, _parent: object, title: str, text: str) -> None:
        self.opened.append(Modal("QMessageBox.about", title, text))

    def _exec(self, real: Callable[[Any], int]) -> Callable[[Any], int]:
        def exec_(dialog: QDialog) -> int:
            title = dialog.windowTitle()
            if title in self.answered_by_test:
                return real(dialog)
            text = dialog.text() if isinstance(dialog, QMessageBox) else ""
            self.opened.append(Modal(f"{type(dialog).__name__}.exec", title, text))
            return int(QDialog.DialogCode.Rejected.value)

        return exec_

    def _chooser(self, name: str, answer: object) -> Callable[..., object]:
        def choose(*args: Any, **kwargs: Any) -> object:
            caption = args[1] if len(args) > 1 else kwargs.get("caption", "")
            self.opened.append(Modal(f"QFileDialog.{name}", str(caption), ""))
            return answer

        return choose

    def _input(self, name: str, answer: object) -> Callable[..., object]:
        def ask(*args: Any, **kwargs: Any) -> object:
            title = args[1] if len(args) > 1 else kwargs.get("title", "")
            label = args[2] if len(args) > 2 else kwargs.get("label", "")
            self.opened.append(Modal(f"QInputDialog.{name}", str(title), str(label)))
            return answer

        return ask
