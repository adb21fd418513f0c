"""Fonts and translations, so every machine shows the same Chinese screens."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from frontdesk.paths import resource

UI_POINT_SIZE = 10


def install_font(app: QApplication) -> str:
    """Register the bundled CJK font and make it the application font; returns its family."""
    font_id = QFontDatabase.addApplicationFont(str(resource("fonts", "wqy-microhei.ttc")))
    families = QFontDatabase.applicationFontFamilies(font_id)
    family = families[0] if families else app.font().family()
    app.setFont(QFont(family, UI_POINT_SIZE))
    return family


def install_translations(app: QApplication) -> None:
    """Qt's own dialogs (确定/取消, file dialogs, print dialog) in Chinese."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
