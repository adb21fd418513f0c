"""What the arrears tabs share: the filter bar, the notice levels, and a kept notice opened."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from frontdesk.domain.arrears import AgingBucket
from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.services.arrears import reminders
from frontdesk.services.arrears.listing import ArrearsFilter
from frontdesk.services.households import structure

LEVEL_NAMES = {1: "温馨提示", 2: "催缴通知单", 3: "催告函"}


# A form with the filter bar: buildingCombo, minAmountEdit, minMonthsSpin, bucketCombo.
FilterUi = Any


def fill_levels(combo: QComboBox) -> None:
    for level, name in LEVEL_NAMES.items():
        combo.addItem(f"{level} {name}", level)


def setup_filters(ui: FilterUi, ctx: AppContext) -> None:
    ui.minAmountEdit.field = "最少欠费"
    ui.minAmountEdit.problem = "请输入金额，如 500 或 500.00"
    ui.buildingCombo.addItem("全部楼栋", None)
    for building in structure.list_buildings(ctx.db, ctx.actor):
        ui.buildingCombo.addItem(building.name, building.id)
    ui.bucketCombo.addItem("全部", None)
    for bucket in AgingBucket:
        ui.bucketCombo.addItem(bucket.label, bucket.value)
    ui.minMonthsSpin.setSpecialValueText("不限")


def chosen_filter(ui: FilterUi) -> ArrearsFilter:
    """The filter bar as a service filter; a bad amount is named like a service error."""
    min_fen = ui.minAmountEdit.fen()
    bucket = ui.bucketCombo.currentData()
    return ArrearsFilter(
        building_id=ui.buildingCombo.currentData(),
        min_fen=min_fen,
        min_months=ui.minMonthsSpin.value(),
        bucket=AgingBucket(bucket) if bucket else None,
    )


def open_kept_notice(parent: QWidget, ctx: AppContext, number: str) -> None:
    """The very PDF a notice was printed in, kept by its hash (evidence), in the preview."""
    Op(
        parent,
        ctx.tasks,
        lambda: reminders.notice_copy(ctx.db, ctx.actor, number).read_bytes(),
        title="打开存档通知",
    ).success(
        lambda pdf: PdfPreviewDialog(
            pdf, f"催缴通知 {number}（存档）", f"{number}.pdf", parent
        ).exec()
    ).run()
