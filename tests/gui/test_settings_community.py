"""小区信息 tab: what a supervisor edits is what the letterhead gets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from frontdesk.documents.seal import demo_seal_png
from frontdesk.domain.roles import Actor, Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.community_tab import CommunityTab
from frontdesk.gui.screens.admin.screen import SettingsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services import community
from tests.gui.conftest import Shown


@pytest.fixture
def tab(qtbot: QtBot, ctx: AppContext) -> CommunityTab:
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    return screen.community_tab


def make_png(path: Path, width: int = 120, height: int = 60) -> bytes:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#1f5fa8"))
    assert image.save(str(path), "PNG")
    return path.read_bytes()


def test_shows_the_stored_details(tab: CommunityTab) -> None:
    assert tab.ui.nameEdit.text() == "测试小区"
    assert tab.ui.logoPreview.text() == "未设置"
    assert not tab.is_modified()


def test_editing_the_community_persists(
    qtbot: QtBot, tab: CommunityTab, ctx: AppContext, shown: Shown
) -> None:
    ui = tab.ui
    ui.nameEdit.clear()
    ui.nameEdit.insert("锦绣华庭")  # QTest types ASCII only
    ui.addressEdit.setText("南京市建邺区江东中路 888 号")
    ui.phoneEdit.setText("025-86661234")
    ui.companyEdit.setText("金盾物业服务有限公司")
    with qtbot.waitSignal(tab.saved) as saved:
        qtbot.mouseClick(ui.saveButton, Qt.MouseButton.LeftButton)
    stored = community.get_community(ctx.db)
    assert stored.name == "锦绣华庭"
    assert stored.address == "南京市建邺区江东中路 888 号"
    assert stored.company_name == "金盾物业服务有限公司"
    assert stored.service_phone  # normalised by the service, not empty
    assert saved.args == [stored]
    assert ui.phoneEdit.text() == stored.service_phone
    assert shown == []
    assert not tab.is_modified()


def test_bad_phone_names_the_field_and_saves_nothing(
    tab: CommunityTab, ctx: AppContext, shown: Shown
) -> None:
    tab.ui.nameEdit.setText("新名字")
    tab.ui.phoneEdit.setText("12345")
    assert tab.save() is False
    assert len(shown) == 1
    kind, _title, text = shown[0]
    assert kind == "warning"
    assert text.startswith("服务中心电话：")
    assert community.get_community(ctx.db).name == "测试小区"
    assert tab.ui.nameEdit.text() == "新名字"  # what was typed stays for correction


def test_empty_name_is_refused(tab: CommunityTab, ctx: AppContext, shown: Shown) -> None:
    tab.ui.nameEdit.setText("   ")
    tab.ui.addressEdit.setText("别处")
    assert tab.save() is False
    assert shown[0][2] == "小区名称：不能为空"
    assert community.get_community(ctx.db).address == ""


def test_logo_is_chosen_previewed_saved_and_removed(
    tab: CommunityTab,
    ctx: AppContext,
    shown: Shown,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = make_png(tmp_path / "logo.png")
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(tmp_path / "logo.png"), "")),
    )
    tab.ui.chooseLogoButton.click()
    pixmap = tab.ui.logoPreview.pixmap()
    assert not pixmap.isNull() and pixmap.width() <= 160
    assert tab.is_modified()
    assert community.get_community(ctx.db).logo_png is None  # not before 保存
    assert tab.save()
    assert community.get_community(ctx.db).logo_png == data

    tab.ui.removeLogoButton.click()
    assert tab.ui.logoPreview.text() == "未设置"
    assert tab.save()
    assert community.get_community(ctx.db).logo_png is None
    assert shown == []


def test_a_file_that_is_not_png_is_rejected(
    tab: CommunityTab, shown: Shown, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "logo.png"
    fake.write_text("not an image")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(fake), ""))
    )
    tab.choose_logo()
    assert shown and shown[0][2] == "标志图片：须为 PNG 格式"
    assert tab.ui.logoPreview.text() == "未设置"
    assert not tab.is_modified()


def test_refresh_keeps_unsaved_edits_and_revert_drops_them(tab: CommunityTab) -> None:
    tab.ui.nameEdit.setText("还没保存")
    tab.refresh()
    assert tab.ui.nameEdit.text() == "还没保存"
    tab.ui.revertButton.click()
    assert tab.ui.nameEdit.text() == "测试小区"


# 公章图片 ----------------------------------------------------------------------------


def test_the_seal_is_chosen_previewed_and_saved(
    tab: CommunityTab,
    ctx: AppContext,
    shown: Shown,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seal = tmp_path / "seal.png"
    seal.write_bytes(demo_seal_png("测试小区物业服务中心", 300))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(seal), ""))
    )
    assert tab.ui.sealPreview.text() == "未设置"
    assert not tab.ui.removeSealButton.isEnabled()
    tab.ui.chooseSealButton.click()
    pixmap = tab.ui.sealPreview.pixmap()
    assert not pixmap.isNull() and pixmap.width() <= 160
    assert tab.ui.logoPreview.text() == "未设置"  # the logo is another box
    assert tab.is_modified()
    assert tab.save()
    stored = community.get_community(ctx.db)
    assert stored.seal_png == seal.read_bytes()
    assert stored.logo_png is None
    assert shown == []


def test_saving_another_field_keeps_the_seal(
    qtbot: QtBot, ctx: AppContext, shown: Shown, tmp_path: Path
) -> None:
    seal = demo_seal_png("测试小区物业服务中心", 300)
    logo = make_png(tmp_path / "logo.png")
    info = community.get_community(ctx.db)
    community.update_community(ctx.db, ctx.actor, replace(info, logo_png=logo, seal_png=seal))
    screen = SettingsScreen(ctx)  # opened after the seal was set, as at the counter
    qtbot.addWidget(screen)
    tab = screen.community_tab
    assert not tab.ui.sealPreview.pixmap().isNull()
    assert not tab.is_modified()
    tab.ui.addressEdit.setText("南京市建邺区江东中路 888 号")
    assert tab.save()
    stored = community.get_community(ctx.db)
    assert stored.address == "南京市建邺区江东中路 888 号"
    assert stored.seal_png == seal
    assert stored.logo_png == logo

    tab.ui.removeSealButton.click()  # removing it is a change of its own
    assert tab.ui.sealPreview.text() == "未设置"
    assert tab.save()
    assert community.get_community(ctx.db).seal_png is None
    assert community.get_community(ctx.db).logo_png == logo
    assert shown == []


def test_a_seal_that_is_not_png_is_refused_by_name(
    tab: CommunityTab,
    ctx: AppContext,
    shown: Shown,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = tmp_path / "seal.png"
    fake.write_bytes(b"GIF89a not a png at all")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(fake), ""))
    )
    tab.ui.chooseSealButton.click()
    assert shown == [("warning", "无法使用该图片", "公章图片：须为 PNG 格式")]
    assert tab.ui.sealPreview.text() == "未设置"
    assert not tab.is_modified()

    tab.set_seal(b"GIF89a not a png at all")  # had it reached the service
    assert tab.save() is False
    assert shown[-1][2] == "公章图片：须为 PNG 格式"
    assert community.get_community(ctx.db).seal_png is None


def test_a_clerk_sees_the_seal_but_cannot_change_it(
    qtbot: QtBot, ctx: AppContext, make_user: Callable[[Role], Actor]
) -> None:
    info = community.get_community(ctx.db)
    seal = demo_seal_png("测试小区物业服务中心", 300)
    community.update_community(ctx.db, ctx.actor, replace(info, seal_png=seal))
    clerk = CommunityTab(AppContext(ctx.db, make_user(Role.CLERK), TaskRunner(wait=True)))
    qtbot.addWidget(clerk)
    clerk.reload()
    assert not clerk.ui.sealPreview.pixmap().isNull()
    assert clerk.ui.chooseSealButton.isHidden() and clerk.ui.removeSealButton.isHidden()
    assert clerk.ui.sealHint.isHidden()
