"""小区信息: the community's letterhead details, logo and the office seal printed on
notices.

Everyone may look; only a role with EDIT_COMMUNITY gets editable fields and the
save button (the service checks the permission again).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit, QWidget

from frontdesk.domain.roles import Permission
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.admin_community_tab_ui import Ui_CommunityTab
from frontdesk.gui.ops import Op, report_error
from frontdesk.services import community
from frontdesk.services.community import CommunityInfo

LOGO_FIELD = "标志图片"
SEAL_FIELD = "公章图片"
PREVIEW_SIZE = 150


class CommunityTab(QWidget):
    """Signals: saved(CommunityInfo) after the details were written."""

    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_CommunityTab()
        self.ui.setupUi(self)
        self.editable = ctx.can(Permission.EDIT_COMMUNITY)
        self._loaded: CommunityInfo | None = None
        self._logo: bytes | None = None
        self._seal: bytes | None = None
        ui = self.ui
        for edit in self._edits().values():
            edit.setReadOnly(not self.editable)
        for button in (
            ui.chooseLogoButton,
            ui.removeLogoButton,
            ui.chooseSealButton,
            ui.removeSealButton,
            ui.saveButton,
            ui.revertButton,
        ):
            button.setVisible(self.editable)
        ui.readOnlyNote.setVisible(not self.editable)
        ui.logoHint.setVisible(self.editable)
        ui.sealHint.setVisible(self.editable)
        ui.chooseLogoButton.clicked.connect(self.choose_logo)
        ui.removeLogoButton.clicked.connect(lambda: self.set_logo(None))
        ui.chooseSealButton.clicked.connect(self.choose_seal)
        ui.removeSealButton.clicked.connect(lambda: self.set_seal(None))
        ui.saveButton.clicked.connect(self.save)
        ui.revertButton.clicked.connect(self.reload)
        for edit in self._edits().values():
            edit.returnPressed.connect(self.save)

    def _edits(self) -> dict[str, QLineEdit]:
        ui = self.ui
        return {
            "小区名称": ui.nameEdit,
            "地址": ui.addressEdit,
            "服务中心电话": ui.phoneEdit,
            "物业公司名称": ui.companyEdit,
        }

    # loading --------------------------------------------------------------
    def form_value(self) -> CommunityInfo:
        ui = self.ui
        return CommunityInfo(
            ui.nameEdit.text(),
            ui.addressEdit.text(),
            ui.phoneEdit.text(),
            ui.companyEdit.text(),
            self._logo,
            self._seal,
        )

    def is_modified(self) -> bool:
        return self._loaded is not None and self.form_value() != self._loaded

    def refresh(self) -> None:
        """Reload from the database unless the user has unsaved edits."""
        if not self.is_modified():
            self.reload()

    def reload(self) -> None:
        db = self.ctx.db
        Op(
            self, self.ctx.tasks, lambda: community.get_community(db), title="无法读取小区信息"
        ).success(self._show).run()

    def _show(self, info: CommunityInfo) -> None:
        ui = self.ui
        ui.nameEdit.setText(info.name)
        ui.addressEdit.setText(info.address)
        ui.phoneEdit.setText(info.service_phone)
        ui.companyEdit.setText(info.company_name)
        self.set_logo(info.logo_png)
        self.set_seal(info.seal_png)
        self._loaded = self.form_value()

    # logo and seal ----------------------------------------------------------
    def choose_logo(self) -> None:
        data = self._choose_png(LOGO_FIELD)
        if data is not None:
            self.set_logo(data)

    def choose_seal(self) -> None:
        data = self._choose_png(SEAL_FIELD)
        if data is not None:
            self.set_seal(data)

    def _choose_png(self, field: str) -> bytes | None:
        """A PNG the user picks for `field`, or None (cancelled or refused, with why)."""
        path, _ = QFileDialog.getOpenFileName(self, f"选择{field}", "", "PNG 图片 (*.png)")
        if not path:
            return None
        try:
            data = Path(path).read_bytes()
        except OSError:
            report_error(self, ValidationError(field, "无法读取该文件"), "无法使用该图片")
            return None
        if not data.startswith(community.PNG_MAGIC) or not QPixmap().loadFromData(data, "PNG"):
            report_error(self, ValidationError(field, "须为 PNG 格式"), "无法使用该图片")
            return None
        if len(data) > community.MAX_LOGO_BYTES:
            report_error(self, ValidationError(field, "不能超过 512 KB"), "无法使用该图片")
            return None
        return data

    def set_logo(self, data: bytes | None) -> None:
        """Show `data` (PNG bytes) as the pending logo; None removes it."""
        self._logo = data
        _preview(self.ui.logoPreview, data)
        self.ui.removeLogoButton.setEnabled(data is not None)

    def set_seal(self, data: bytes | None) -> None:
        """Show `data` (PNG bytes) as the pending seal; None removes it."""
        self._seal = data
        _preview(self.ui.sealPreview, data)
        self.ui.removeSealButton.setEnabled(data is not None)

    # saving -----------------------------------------------------------------
    def save(self) -> bool:
        if not self.editable:
            return False
        ctx = self.ctx
        return (
            Op(
                self,
                ctx.tasks,
                lambda info: community.update_community(ctx.db, ctx.actor, info),
                given=self.form_value,
                title="无法保存小区信息",
            )
            .fields(self._edits())
            .success(self._saved)
            .now()
        )

    def _saved(self, info: CommunityInfo) -> None:
        self._show(info)
        self.saved.emit(info)


def _preview(label: QLabel, data: bytes | None) -> None:
    pixmap = QPixmap()
    if data is not None and pixmap.loadFromData(data):
        label.setPixmap(
            pixmap.scaled(
                PREVIEW_SIZE,
                PREVIEW_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
    else:
        label.clear()
        label.setText("未设置")
