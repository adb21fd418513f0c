"""The intake's photo strip: photos the caller sent or the clerk took, added from
files and shown as thumbnails, removable until the order is saved; they are saved
with the order, in its transaction (services.service_desk.orders.take_order)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImageReader, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.order_photos import MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_SUFFIXES

THUMBNAIL = QSize(160, 120)  # the full view's
STRIP_THUMBNAIL = QSize(96, 72)
PATH_ROLE = Qt.ItemDataRole.UserRole
PHOTO_FILTER = "照片 (" + " ".join(f"*{s}" for s in PHOTO_SUFFIXES) + ")"


def photo_problem(path: Path, held: int) -> str:
    """Why `path` cannot be added to a strip already holding `held` photos ("" if it can)."""
    if held >= MAX_PHOTOS:
        return f"一张工单最多 {MAX_PHOTOS} 张照片"
    if not path.is_file():
        return f"找不到文件 {path.name}"
    if path.stat().st_size > MAX_PHOTO_BYTES:
        return f"「{path.name}」超过 {MAX_PHOTO_BYTES // (1024 * 1024)} MB，请压缩后再添加"
    return ""


class PhotoStrip(QWidget):
    """Thumbnails in a row with 添加照片… and 移除 (or Delete)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setIconSize(STRIP_THUMBNAIL)
        self.list.setGridSize(QSize(STRIP_THUMBNAIL.width() + 12, STRIP_THUMBNAIL.height() + 24))
        self.list.setFixedHeight(STRIP_THUMBNAIL.height() + 40)
        self.add_button = QPushButton("添加照片(&O)…", self)
        self.add_button.setToolTip(f"JPG 或 PNG，最多 {MAX_PHOTOS} 张，随工单一起保存")
        self.add_button.setAutoDefault(False)
        self.remove_button = QPushButton("移除", self)
        self.remove_button.setToolTip("移除选中的照片（保存前；也可按 Delete）")
        self.remove_button.setAutoDefault(False)
        self.note = QLabel(self)
        self.note.setStyleSheet("color: #5f6b7a;")
        self.note.setWordWrap(True)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.add_button.clicked.connect(self.ask_add)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.installEventFilter(self)
        self.list.itemSelectionChanged.connect(self._enable)
        self._enable()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Delete (or Backspace) in the strip removes the selected photo."""
        removing = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and cast(QKeyEvent, event).key() in removing
        ):
            self.remove_selected()
            return True
        return super().eventFilter(watched, event)

    def paths(self) -> tuple[Path, ...]:
        return tuple(
            Path(self.list.item(index).data(PATH_ROLE)) for index in range(self.list.count())
        )

    def ask_add(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "选择照片", "", PHOTO_FILTER)
        self.add_files([Path(name) for name in names])

    def add_files(self, paths: list[Path]) -> list[str]:
        """Add each photo that can be read; returns the problems of the others (also
        shown under the strip)."""
        problems = []
        for path in paths:
            problem = photo_problem(path, self.list.count())
            icon = thumbnail(path) if not problem else None
            if not problem and icon is None:
                problem = f"「{path.name}」不是可以打开的 JPG 或 PNG 图片"
            if problem or icon is None:
                problems.append(problem)
                continue
            item = QListWidgetItem(icon, path.name)
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            self.list.addItem(item)
        self.note.setText("；".join(problems))
        self._enable()
        self.changed.emit()
        return problems

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self.note.clear()
        self._enable()
        self.changed.emit()

    def _enable(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))
        self.add_button.setEnabled(self.list.count() < MAX_PHOTOS)
        if not self.note.text():
            self.note.setText(
                f"已选 {self.list.count()} 张照片，随工单一起保存" if self.list.count() else ""
            )


def thumbnail(path: Path | None) -> QIcon | None:
    """A phone's photo scaled down and upright; None when there is no file or it
    cannot be read."""
    if path is None:
        return None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else QIcon(QPixmap.fromImage(image))
