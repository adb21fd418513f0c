"""One photo for a counter register: chosen from a file at intake, shown in a dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from frontdesk.gui.ops import Op
from frontdesk.gui.tasks import TaskRunner

PHOTO_SIDE = 640
PHOTO_FILTER = "图片 (*.jpg *.jpeg *.png)"
NO_PHOTO = "（可不拍）"


def choose_photo_file(parent: QWidget) -> Path | None:
    """A JPEG or PNG the clerk picks; None when the chooser was cancelled."""
    name, _ = QFileDialog.getOpenFileName(parent, "选择照片", "", PHOTO_FILTER)
    return Path(name) if name else None


class PhotoChoice:
    """The photo for the next record: its button opens the chooser, its label names
    the file chosen; `path` is None until one is."""

    def __init__(self, button: QPushButton, label: QLabel) -> None:
        self.button, self.label = button, label
        self.path: Path | None = None
        button.clicked.connect(self.choose)
        self.set(None)

    def set(self, path: Path | None) -> None:
        self.path = path
        self.label.setText(path.name if path else NO_PHOTO)

    def choose(self) -> None:
        path = choose_photo_file(self.button)
        if path is not None:
            self.set(path)


def photo_dialog(parent: QWidget, title: str, data: bytes) -> QDialog:
    """The photo scaled to fit the screen, in a dialog of its own."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    pixmap = QPixmap()
    pixmap.loadFromData(data)
    label = QLabel(dialog)
    label.setPixmap(
        pixmap.scaled(
            PHOTO_SIDE,
            PHOTO_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    )
    layout = QVBoxLayout(dialog)
    layout.addWidget(label)
    return dialog


def open_photo(
    parent: QWidget, tasks: TaskRunner, read: Callable[[], bytes], title: str, heading: str
) -> None:
    """Read a record's photo in the background, then show it under `title`."""
    Op(parent, tasks, read, title=heading).success(
        lambda data: photo_dialog(parent, title, data).exec()
    ).run()
