"""The dialogs of the 验房问题 register: a defect found at inspection (登记, with the next
one straight after), its repair (登记整改), its re-inspection (复验) and its photos."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import QDate, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QBrush, QDesktopServices, QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.movein import DEFECT_AREAS, DEFECT_KINDS, RESPONSIBLE
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.movein_defect_dialog_ui import Ui_DefectDialog
from frontdesk.gui.forms.movein_defect_fix_dialog_ui import Ui_DefectFixDialog
from frontdesk.gui.forms.movein_defect_photos_dialog_ui import Ui_DefectPhotosDialog
from frontdesk.gui.forms.movein_recheck_dialog_ui import Ui_RecheckDialog
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import qdate, to_date
from frontdesk.gui.screens.movein.defect_words import NO_RIGHT, OVERDUE_COLOUR, summary
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.saving_dialog import SavingDialog
from frontdesk.services.movein import defects
from frontdesk.services.movein.defects import DefectInput, DefectRow, PhotoRow

DEADLINE_DAYS = 15  # 整改期限 offered: fifteen days after the inspection
RECHECK_DAYS = 7  # a new deadline after a failed re-inspection
PHOTO_FILTER = "照片 (*.jpg *.jpeg *.png)"
THUMBNAIL = QSize(160, 120)
ROOM_NEEDED = "请输入房号或业主姓名，从查找结果中选择一户"


class DefectDialog(QDialog):
    """登记问题. Saves while open, so a refused field is named and gets the cursor;
    保存并继续 keeps the room and dates for the next defect of the same inspection."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        room: tuple[int, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: list[int] = []
        self.add_photos = False
        self.ui = ui = Ui_DefectDialog()
        ui.setupUi(self)
        self.room = RoomPicker(ctx, ui.roomHost)
        ui.roomLayout.addWidget(self.room)
        ui.roomCaption.setBuddy(self.room)
        self.setTabOrder(self.room, ui.areaCombo)
        ui.areaCombo.addItems(list(DEFECT_AREAS))
        ui.kindCombo.addItems(list(DEFECT_KINDS))
        ui.responsibleCombo.addItems(list(RESPONSIBLE))
        today = qdate(clock.today())
        ui.foundEdit.setMaximumDate(today)
        ui.foundEdit.setDate(today)
        ui.deadlineEdit.setDate(today.addDays(DEADLINE_DAYS))
        self._found = today
        ui.foundEdit.dateChanged.connect(self._found_changed)
        ui.deadlineEdit.dateChanged.connect(lambda _d: self._show_days())
        self._show_days()
        ui.hintLabel.setText(
            f"整改期限默认为验房后 {DEADLINE_DAYS} 天。"
            "“保存并继续登记”保留房屋和日期，接着登记同一次验房的下一个问题；"
            "现场照片可在保存后添加。"
        )
        self.fields: dict[str, QWidget] = {
            "房屋": self.room,
            "部位": ui.areaCombo,
            "问题类别": ui.kindCombo,
            "问题描述": ui.descriptionEdit,
            "责任单位": ui.responsibleCombo,
            "验房日期": ui.foundEdit,
            "整改期限": ui.deadlineEdit,
        }
        box = ui.buttonBox
        box.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.next_button = QPushButton("保存并继续登记(&C)")
        self.photos_button = QPushButton("保存并添加照片(&P)…")
        box.addButton(self.next_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.addButton(self.photos_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self.next_button.clicked.connect(self.save_and_continue)
        self.photos_button.clicked.connect(self.save_and_add_photos)
        if room is not None:
            self.room.set_room(*room)
            ui.descriptionEdit.setFocus()
        else:
            self.room.setFocus()

    def _found_changed(self, found: QDate) -> None:
        """Move an untouched deadline along with the inspection date."""
        deadline = self.ui.deadlineEdit
        if deadline.date() == self._found.addDays(DEADLINE_DAYS):
            deadline.setDate(found.addDays(DEADLINE_DAYS))
        self._found = found
        self._show_days()

    def _show_days(self) -> None:
        days = self.ui.foundEdit.date().daysTo(self.ui.deadlineEdit.date())
        label = self.ui.daysLabel
        if days < 0:
            label.setText("早于验房日期")
            label.setStyleSheet(f"color: {OVERDUE_COLOUR.name()};")
        else:
            label.setText(f"验房后 {days} 天" if days else "验房当天")
            label.setStyleSheet("color: #5f6b7a;")

    def chosen(self) -> tuple[int, DefectInput]:
        ui = self.ui
        if self.room.room_id is None:
            raise ValidationError("房屋", ROOM_NEEDED)
        return self.room.room_id, DefectInput(
            area=ui.areaCombo.currentText(),
            kind=ui.kindCombo.currentText(),
            description=ui.descriptionEdit.toPlainText(),
            responsible=ui.responsibleCombo.currentText(),
            found_on=to_date(ui.foundEdit.date()),
            deadline=to_date(ui.deadlineEdit.date()),
        )

    def save(self) -> int | None:
        # Here, not on the worker: the buttons go on (next defect, photos) with its id.
        ctx = self.ctx
        if not (
            Op(
                self,
                ctx.tasks,
                lambda chosen: defects.add_defect(ctx.db, ctx.actor, *chosen),
                given=self.chosen,
                title="问题未登记",
            )
            .fields(self.fields)
            .success(self.saved.append)
            .now()
        ):
            return None
        return self.saved[-1]

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()

    def save_and_continue(self) -> None:
        ui = self.ui
        if self.save() is None:
            return
        ui.savedLabel.setText(
            f"已登记 {ui.areaCombo.currentText()} {ui.kindCombo.currentText()}"
            f"（本次共 {len(self.saved)} 项），请接着登记下一个问题。"
        )
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("完成")
        ui.descriptionEdit.clear()
        ui.descriptionEdit.setFocus()

    def save_and_add_photos(self) -> None:
        if self.save() is not None:
            self.add_photos = True
            super().accept()


class _DefectStepDialog(SavingDialog):
    """What 登记整改 and 复验 share: a summary of the defect, saving while open."""

    title = ""

    def __init__(self, ctx: AppContext, row: DefectRow, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.problem_title = f"{self.title}未保存"


class DefectFixDialog(_DefectStepDialog):
    title = "整改"

    def __init__(self, ctx: AppContext, row: DefectRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, row, parent)
        self.ui = ui = Ui_DefectFixDialog()
        ui.setupUi(self)
        self.setWindowTitle(f"登记整改 — {row.room_code} {row.area}{row.kind}")
        ui.summaryLabel.setText(summary(row))
        today = qdate(clock.today())
        ui.dateEdit.setMaximumDate(max(today, qdate(row.found_on)))
        ui.dateEdit.setDate(today)
        self.fields = {"整改日期": ui.dateEdit, "整改情况": ui.noteEdit}
        self.name_buttons(ui.buttonBox, "登记整改")
        ui.noteEdit.setFocus()

    def save(self) -> Callable[[], object]:
        ui, ctx, defect_id = self.ui, self.ctx, self.row.id
        on, note = to_date(ui.dateEdit.date()), ui.noteEdit.toPlainText()
        return lambda: defects.mark_fixed(ctx.db, ctx.actor, defect_id, on, note)


class RecheckDialog(_DefectStepDialog):
    title = "复验"

    def __init__(self, ctx: AppContext, row: DefectRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, row, parent)
        self.ui = ui = Ui_RecheckDialog()
        ui.setupUi(self)
        self.setWindowTitle(f"复验 — {row.room_code} {row.area}{row.kind}")
        fixed = f"<br>{row.fixed_on:%Y-%m-%d} 整改：{escape(row.fix_note)}" if row.fixed_on else ""
        ui.summaryLabel.setText(summary(row) + fixed)
        today = qdate(clock.today())
        ui.dateEdit.setMaximumDate(max(today, qdate(row.fixed_on or row.found_on)))
        ui.dateEdit.setDate(today)
        ui.deadlineEdit.setDate(today.addDays(RECHECK_DAYS))
        ui.hintLabel.setText(
            "请与业主一起查看整改结果。通过即关闭问题；不通过请写明仍存在的问题，"
            f"问题回到“待整改”，按新的整改期限（默认 {RECHECK_DAYS} 天后）计算超期。"
        )
        self.fields = {
            "复验日期": ui.dateEdit,
            "复验意见": ui.noteEdit,
            "新的整改期限": ui.deadlineEdit,
        }
        ui.failRadio.toggled.connect(self._result_changed)
        self._result_changed(False)
        self.name_buttons(ui.buttonBox, "保存复验结果")

    def _result_changed(self, failed: bool) -> None:
        ui = self.ui
        ui.deadlineEdit.setEnabled(failed)
        ui.deadlineCaption.setEnabled(failed)
        ui.noteEdit.setPlaceholderText(
            "仍存在的问题，如 裂缝处仍可见，需重新处理" if failed else "可不填，如 业主确认已修复"
        )

    def save(self) -> Callable[[], object]:
        ui, ctx, defect_id = self.ui, self.ctx, self.row.id
        passed, on, note = (
            ui.passRadio.isChecked(),
            to_date(ui.dateEdit.date()),
            ui.noteEdit.toPlainText(),
        )
        deadline = None if passed else to_date(ui.deadlineEdit.date())
        return lambda: defects.recheck(ctx.db, ctx.actor, defect_id, on, passed, note, deadline)


PHOTO_ROLE = Qt.ItemDataRole.UserRole


class DefectPhotosDialog(QDialog):
    """The defect's photos as thumbnails; added from a file, opened in the system viewer."""

    def __init__(self, ctx: AppContext, row: DefectRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.photos: list[PhotoRow] = []
        self.added = 0
        self.pick_on_open = False
        self.ui = ui = Ui_DefectPhotosDialog()
        ui.setupUi(self)
        self.setWindowTitle(f"照片 — {row.room_code} {row.area}{row.kind}")
        ui.summaryLabel.setText(summary(row))
        ui.photoList.setIconSize(THUMBNAIL)
        ui.photoList.setGridSize(QSize(THUMBNAIL.width() + 24, THUMBNAIL.height() + 48))
        can_add = ctx.can(Permission.MANAGE_MOVE_IN)
        ui.addButton.setEnabled(can_add)
        ui.addButton.setToolTip("选择 JPG 或 PNG 照片" if can_add else NO_RIGHT)
        ui.addButton.clicked.connect(self.ask_add)
        ui.openButton.clicked.connect(self.open_selected)
        ui.closeButton.clicked.connect(self.accept)
        ui.photoList.itemDoubleClicked.connect(lambda _item: self.open_selected())
        ui.photoList.itemSelectionChanged.connect(self._enable)
        self.load()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self.pick_on_open:
            self.pick_on_open = False
            QTimer.singleShot(0, self.ask_add)

    def load(self) -> None:
        ctx, defect_id, read = self.ctx, self.row.id, list[list[PhotoRow]]()
        Op(
            self, ctx.tasks, lambda: defects.list_photos(ctx.db, ctx.actor, defect_id), title="照片"
        ).success(read.append).now()
        self.photos = read[0] if read else []
        photo_list = self.ui.photoList
        photo_list.clear()
        for photo in self.photos:
            item = QListWidgetItem(photo.filename)
            item.setData(PHOTO_ROLE, photo.id)
            item.setToolTip(f"{photo.title}\n{photo.filename}\n双击打开")
            icon = self._thumbnail(photo)
            if icon is None:
                item.setText(f"{photo.filename}\n（文件缺失）")
                item.setForeground(QBrush(OVERDUE_COLOUR))
            else:
                item.setIcon(icon)
            photo_list.addItem(item)
        self.ui.countLabel.setText(f"共 {len(self.photos)} 张" if self.photos else "还没有照片")
        self._enable()

    def _thumbnail(self, photo: PhotoRow) -> QIcon | None:
        try:
            path = defects.photo_path(self.ctx.db, self.ctx.actor, photo.id)
        except FrontDeskError:
            return None
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)  # a phone's portrait photo stands upright
        size = reader.size()
        if size.isValid():
            reader.setScaledSize(size.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        return None if image.isNull() else QIcon(QPixmap.fromImage(image))

    def _enable(self) -> None:
        self.ui.openButton.setEnabled(self.selected() is not None)

    def selected(self) -> PhotoRow | None:
        items = self.ui.photoList.selectedItems()
        if not items:
            return None
        photo_id = items[0].data(PHOTO_ROLE)
        return next((p for p in self.photos if p.id == photo_id), None)

    def select(self, photo_id: int) -> None:
        photo_list = self.ui.photoList
        for index in range(photo_list.count()):
            if photo_list.item(index).data(PHOTO_ROLE) == photo_id:
                photo_list.setCurrentRow(index)

    def ask_add(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择照片", "", PHOTO_FILTER)
        if path:
            self.add(Path(path))

    def add(self, source: Path) -> None:
        if QImageReader(str(source)).read().isNull():
            problem = f"{source.name} 不是可以打开的 JPG 或 PNG 图片"
            report_error(self, ValidationError("照片", problem), "照片未添加")
            return
        ctx, defect_id = self.ctx, self.row.id
        Op(
            self,
            ctx.tasks,
            lambda: defects.add_photo(ctx.db, ctx.actor, defect_id, source),
            title="照片未添加",
        ).success(self._added).run()

    def _added(self, photo_id: int) -> None:
        self.added += 1
        self.load()
        self.select(photo_id)

    def open_selected(self) -> None:
        """Open a copy under the photo's own name (the store names files by their hash,
        which a viewer cannot recognise), so a viewer can never change the stored one."""
        photo = self.selected()
        if photo is None:
            return
        ctx, photo_id, filename = self.ctx, photo.id, photo.filename

        def copy() -> Path:
            stored = defects.photo_path(ctx.db, ctx.actor, photo_id)
            target = Path(tempfile.mkdtemp(prefix="frontdesk-")) / filename
            shutil.copyfile(stored, target)
            return target

        Op(self, ctx.tasks, copy, title="无法打开照片").success(
            lambda target: QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        ).run()
