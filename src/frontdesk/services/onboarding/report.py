"""The check's report as a workbook, to tick against the old system's own totals and
to send back with the refused rows: 汇总, 拒绝, 新建楼栋."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from frontdesk.domain.money import format_yuan
from frontdesk.domain.onboarding import Totals
from frontdesk.services.onboarding.checking import ImportPlan
from frontdesk.services.onboarding.writing import ImportDone
from frontdesk.services.xlsx import text_cells

TOTAL_LABELS = {
    "rooms": "房屋（间）",
    "people": "人员（人）",
    "arrears_fen": "期初欠费（元）",
    "arrears_lines": "期初欠费（笔）",
    "prepaid_fen": "期初预存（元）",
    "deposits_fen": "押金（元）",
    "history_lines": "历史缴费（笔）",
    "history_fen": "历史缴费（元）",
    "meter_readings": "水电表读数（条）",
}


def total_rows(columns: dict[str, Totals]) -> list[tuple[str, ...]]:
    """One row per figure, one column per set of totals; money in yuan."""
    rows = []
    for item in fields(Totals):
        shown = []
        for totals in columns.values():
            value = getattr(totals, item.name)
            shown.append(format_yuan(value) if item.name.endswith("_fen") else str(value))
        rows.append((TOTAL_LABELS[item.name], *shown))
    return rows


def write_report(path: Path, plan: ImportPlan, done: ImportDone | None = None) -> None:
    """The report of a check (and of the import, when `done`)."""
    from openpyxl import Workbook

    columns = {"文件合计": plan.file_totals, "导入将新增": plan.adds}
    if done is not None:
        columns = {
            "文件合计": plan.file_totals,
            "导入前": done.before,
            "本次新增": done.added,
            "导入后": done.after,
        }
    book = Workbook(write_only=True)
    summary = book.create_sheet("汇总")
    _append(summary, ("文件", plan.file.name))
    _append(summary, ("工作表", "、".join(plan.file.sheets)))
    _append(summary, ("被拒绝", f"{len(plan.refusals)} 处"))
    _append(summary, ())
    _append(summary, ("项目", *columns))
    for row in total_rows(columns):
        _append(summary, row)
    refused = book.create_sheet("拒绝")
    _append(refused, ("工作表", "行号", "列", "原因"))
    for refusal in plan.refusals:
        _append(refused, (refusal.source.sheet, refusal.source.row, refusal.column, refusal.reason))
    buildings = book.create_sheet("新建楼栋")
    _append(buildings, ("楼栋编号",))
    for code in plan.new_buildings:
        _append(buildings, (code,))
    book.save(path)


def _append(sheet: Any, row: tuple[Any, ...]) -> None:
    sheet.append(text_cells(sheet, row))
