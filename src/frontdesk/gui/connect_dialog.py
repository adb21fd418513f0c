"""Which database this PC opens: its own file, or a database on the office's server.

Asked at the first start (before any database exists here), when the server cannot be
reached or refuses the password, and from 设置 › 系统 › 连接数据库…. The password goes to
this PC's keyring, never into the saved choice (services/database.choose_location).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from frontdesk.errors import ValidationError
from frontdesk.gui.forms.connect_database_ui import Ui_ConnectDatabaseDialog
from frontdesk.services import server_password
from frontdesk.services.database import DatabaseLocation, FileLocation, ServerLocation

# libpq's sslmode values a person chooses from, the first the default.
TLS_MODES = (
    ("prefer", "服务器支持时加密"),
    ("require", "必须加密"),
    ("verify-full", "必须加密，并核验服务器证书"),
    ("disable", "不加密（仅限可信的内部网络）"),
)


class ConnectDatabaseDialog(QDialog):
    """`chosen` and `password` once accepted; `problem` says why it was asked again."""

    def __init__(
        self,
        current: DatabaseLocation,
        default_file: Path,
        problem: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = ui = Ui_ConnectDatabaseDialog()
        ui.setupUi(self)
        self.default_file = current.path if isinstance(current, FileLocation) else default_file
        self.chosen: DatabaseLocation = current
        self.password = ""
        buttons = ui.buttonBox
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("连接")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        for mode, label in TLS_MODES:
            ui.tlsCombo.addItem(label, mode)
        ui.fileValue.setText(str(self.default_file))
        ui.serverRadio.toggled.connect(ui.serverFields.setEnabled)
        self._extra_options: tuple[tuple[str, str], ...] = ()
        if isinstance(current, ServerLocation):
            self._show_server(current)
        else:
            ui.serverFields.setEnabled(False)
        ui.messageLabel.setText(problem)
        ui.messageLabel.setVisible(bool(problem))

    def _show_server(self, location: ServerLocation) -> None:
        ui = self.ui
        ui.serverRadio.setChecked(True)
        ui.hostEdit.setText(location.host)
        ui.portSpin.setValue(location.port)
        ui.databaseEdit.setText(location.database)
        ui.userEdit.setText(location.user)
        ui.passwordEdit.setText(server_password.stored(location) or "")
        at = ui.tlsCombo.findData(location.sslmode or TLS_MODES[0][0])
        ui.tlsCombo.setCurrentIndex(max(at, 0))
        self._extra_options = tuple((k, v) for k, v in location.options if k != "sslmode")

    def server_location(self) -> ServerLocation:
        """The server database the fields name (ValidationError naming an empty field)."""
        ui = self.ui
        fields = (
            ("服务器地址", ui.hostEdit.text().strip()),
            ("数据库名", ui.databaseEdit.text().strip()),
            ("用户名", ui.userEdit.text().strip()),
        )
        for label, value in fields:
            if not value:
                raise ValidationError(label, "不能为空")
        (_, host), (_, database), (_, user) = fields
        options = (("sslmode", str(ui.tlsCombo.currentData())), *self._extra_options)
        return ServerLocation(user, host, ui.portSpin.value(), database, options)

    def _submit(self) -> None:
        if not self.ui.serverRadio.isChecked():
            self.chosen, self.password = FileLocation(self.default_file), ""
            self.accept()
            return
        try:
            self.chosen = self.server_location()
        except ValidationError as exc:
            self.ui.messageLabel.setText(exc.message)
            self.ui.messageLabel.setVisible(True)
            return
        self.password = self.ui.passwordEdit.text()
        self.accept()
