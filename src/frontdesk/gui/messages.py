"""How errors reach the person at the counter: a Chinese message, never a traceback."""

from __future__ import annotations

import logging
import traceback
from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.errors import FrontDeskError

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, error: BaseException, title: str = "无法完成操作") -> None:
    if isinstance(error, FrontDeskError):
        QMessageBox.warning(parent, title, error.message)
        return
    if isinstance(error, OSError):  # a file the user chose: full disk, no access, gone
        QMessageBox.warning(
            parent, title, f"无法读写文件 {error.filename or ''}（{error.strerror}）"
        )
        return
    log.error("unexpected error", exc_info=error)
    text = "发生了意外错误，操作未完成，数据未被修改。请将详细信息发给技术支持。"
    box = QMessageBox(QMessageBox.Icon.Critical, "程序错误", text, parent=parent)
    box.setDetailedText("".join(traceback.format_exception(error)))
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


class Unsaved(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_unsaved(parent: QWidget, what: str) -> Unsaved:
    """保存 / 放弃修改 / 取消 before an editor shows something else; `what` names the
    thing edited: 章节「欢迎入住」."""
    box = QMessageBox(
        QMessageBox.Icon.Question, "未保存的修改", f"{what}的修改还没有保存。", parent=parent
    )
    save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("放弃修改", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return Unsaved.SAVE
    return Unsaved.DISCARD if clicked is discard else Unsaved.CANCEL
