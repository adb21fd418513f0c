"""The audit log as an Excel workbook, for inspectors and for the records.

Each row carries its chain hash and a 校验 sheet states whether the chain verified
at export time and its last hash. Kept outside the PC, that tail is the anchor that
shows later whether the newest entries were cut off (the chain alone cannot).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.domain.clock import local_time
from frontdesk.domain.roles import Actor
from frontdesk.services.database import Database
from frontdesk.services.progress import Progress
from frontdesk.services.protection.audit import entry_rows, last_entry, verify_chain
from frontdesk.services.protection.audit_text import change_lines, entry_summary, writer_text
from frontdesk.services.xlsx import text_cells

PAGE = 500
HEADERS = ("编号", "时间", "用户", "操作", "摘要", "字段变更", "哈希")
WIDTHS = (10, 21, 14, 10, 50, 60, 20)


def export_entries(
    db: Database, actor: Actor, ids: list[int], path: str | Path, progress: Progress
) -> int:
    """Write the entries `ids` (in that order) to `path`; returns how many were written."""
    # openpyxl takes a tenth of a second to import; only exports pay for it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "审计日志"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    written = 0
    wrap = Alignment(wrap_text=True, vertical="top")
    for start in range(0, len(ids), PAGE):
        for row in entry_rows(db, actor, ids[start : start + PAGE]):
            changes = "\n".join(change_lines(row))
            sheet.append(
                text_cells(
                    sheet,
                    (
                        row.id,
                        local_time(row.at),
                        writer_text(row),
                        row.action_label,
                        entry_summary(row),
                        changes,
                        row.hash,
                    ),
                )
            )
            sheet.cell(sheet.max_row, 6).alignment = wrap
            written += 1
        progress.step(min(start + PAGE, len(ids)), len(ids))
    _check_sheet(book.create_sheet("校验"), db, actor, written)
    book.save(path)
    with db.write(actor) as session:
        write_entry(
            session.connection(), actor, "export", "audit_log", "", f"导出审计日志 {written} 条"
        )
    return written


def _check_sheet(sheet: Any, db: Database, actor: Actor, written: int) -> None:
    chain = verify_chain(db)
    tail = last_entry(db, actor)
    rows = [
        ("导出时间", local_time(utcnow())),
        ("导出人", actor.display_name),
        ("导出条数", written),
        ("日志总条数", chain.entries),
        (
            "哈希链校验",
            "完整" if chain.ok else "；".join(chain.problems()),
        ),
        ("最后一条编号", tail.id if tail else ""),
        ("最后一条哈希", tail.hash if tail else ""),
        (
            "说明",
            "请把本文件另行保存。日后若数据库中找不到这里记下的最后一条哈希，"
            "说明在那之后的日志被删去。",
        ),
    ]
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 70
