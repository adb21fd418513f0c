"""The selftest's walk through the 数据导入 wizard: a small sheet as an old system
exports it (a title and a note above the header, owners two to a cell, its own words for
room types), each page shot as a clerk sees it, and the import made."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtWidgets import QWidget

from frontdesk.gui.context import AppContext

Take = Callable[[str, Callable[[], QWidget]], object]

HEADERS = ("楼栋", "单元", "房号", "建筑面积", "房屋类型", "业主姓名", "联系电话", "备注")
ROWS = (
    ("38栋", 1, 101, 89.5, "普通住宅", "赵一、钱二", 13800001111, ""),
    ("38栋", 1, 102, 120.25, "普通住宅", "孙三", 13800002222, "老业主"),
    ("38栋", 2, 201, 89.5, "住房", "李四/周五", 13800003333, ""),
    ("38栋", 2, 202, 143, "住房", "吴六", 13900004444, ""),
)


def old_system_sheet(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "房屋信息"
    sheet.append(("幸福家园房屋及业主信息表（原物业系统导出）",))
    sheet.append(("说明：面积单位为平方米；电话为业主本人手机。",))
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    book.save(path)
    return path


def walk_import_wizard(ctx: AppContext, folder: Path, take: Take) -> None:
    from frontdesk.gui.screens.admin.import_wizard import ImportWizard

    wizard = ImportWizard(ctx)
    wizard.open_file(old_system_sheet(folder / "原系统房屋表.xlsx"))
    take("import-file", lambda: wizard)
    for name in ("import-columns", "import-values", "import-check"):
        wizard.next()
        take(name, lambda: wizard)
    wizard.check_page.confirm.setChecked(True)
    wizard.next()
    take("import-done", lambda: wizard)
    wizard.close()
