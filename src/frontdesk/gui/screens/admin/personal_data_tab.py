"""个人信息: one person's request under the PIPL — find every record that holds them,
export a copy for them (查阅复制), erase or anonymise what may be erased.

The actions work on the selected rows, or on every certain match when none is
selected (candidates, matched by the name or phone alone, only when picked)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from frontdesk.domain import clock
from frontdesk.errors import FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.admin_personal_data_tab_ui import Ui_PersonalDataTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.personal import erase as personal_erase
from frontdesk.services.personal import export as personal_export
from frontdesk.services.personal import rights as personal_data
from frontdesk.services.personal.erase import ErasureReport
from frontdesk.services.personal.rights import PersonQuery, PersonRecordRef
from frontdesk.services.progress import Progress

HEADERS = ("类别", "房屋", "姓名", "电话", "日期", "匹配", "处理", "说明")
CANDIDATE_COLOUR = QColor("#8a5a00")
KEPT_COLOUR = QColor("#666666")


def _counts(refs: Sequence[PersonRecordRef]) -> str:
    return "、".join(f"{label} {n}" for label, n in Counter(r.kind.label for r in refs).items())


class PersonalDataTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_PersonalDataTab()
        self.ui.setupUi(self)
        self.refs: list[PersonRecordRef] = []
        self.query: PersonQuery | None = None
        ui = self.ui
        set_headers(ui.resultTable, HEADERS)
        ui.resultTable.verticalHeader().setDefaultSectionSize(26)
        ui.searchButton.clicked.connect(self.search)
        for edit in (ui.nameEdit, ui.phoneEdit, ui.idEdit):
            edit.returnPressed.connect(self.search)
        ui.exportButton.clicked.connect(self.export)
        ui.eraseButton.clicked.connect(self.erase)
        ui.resultTable.itemSelectionChanged.connect(self._update_buttons)
        self._show([])

    # searching ----------------------------------------------------------------
    def search(self) -> None:
        ui = self.ui
        name, phone, number = ui.nameEdit.text(), ui.phoneEdit.text(), ui.idEdit.text()
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda query: (
                query,
                personal_data.find_person(
                    ctx.db, ctx.actor, name=name, phone=phone, id_number=number
                ),
            ),
            given=lambda: personal_data.make_query(name, phone, number),
            title="无法查找",
        ).success(lambda found: self._found(*found)).run()

    def _found(self, query: PersonQuery, refs: list[PersonRecordRef]) -> None:
        self.query = query
        self._show(refs)

    def _show(self, refs: list[PersonRecordRef]) -> None:
        self.refs = refs
        table = self.ui.resultTable
        rows = [
            (
                ("候选·" if r.candidate else "") + r.label,
                r.room_code or "—",
                r.name,
                r.phone or "—",
                r.dates or "—",
                r.matched,
                r.erasable_text,
                r.reason,
            )
            for r in refs
        ]
        fill_rows(table, rows)
        table.resizeColumnToContents(len(HEADERS) - 1)  # no padding: it stretches anyway
        for row, ref in enumerate(refs):
            colour = CANDIDATE_COLOUR if ref.candidate else None
            for column in range(table.columnCount()):
                item = cell(table, row, column)
                if colour is not None:
                    item.setForeground(colour)
                elif column == HEADERS.index("处理") and not ref.erasable:
                    item.setForeground(KEPT_COLOUR)
        if self.query is None:
            self.ui.countLabel.setText("请输入姓名、电话或证件号码后查找")
        elif not refs:
            self.ui.countLabel.setText("没有找到此人的记录")
        else:
            certain = [r for r in refs if not r.candidate]
            erasable = sum(r.erasable for r in certain)
            self.ui.countLabel.setText(
                f"共 {len(refs)} 条：确认 {len(certain)} 条（可删除 {erasable} 条），"
                f"候选 {len(refs) - len(certain)} 条"
            )
        self._update_buttons()

    def chosen(self) -> list[PersonRecordRef]:
        """The selected rows, or every certain match when none is selected."""
        rows = sorted({index.row() for index in self.ui.resultTable.selectedIndexes()})
        if rows:
            return [self.refs[row] for row in rows]
        return [r for r in self.refs if not r.candidate]

    def _update_buttons(self) -> None:
        chosen = self.chosen()
        self.ui.exportButton.setEnabled(bool(chosen))
        self.ui.eraseButton.setEnabled(any(r.erasable for r in chosen))

    # export -------------------------------------------------------------------
    def export(self) -> None:
        refs = self.chosen()
        if not refs:
            return
        name = self.query.name if self.query else ""
        requester, ok = QInputDialog.getText(self, "查阅复制", "申请人（本人姓名）：", text=name)
        if not ok:
            return
        default = f"个人信息-{name or '查阅复制'}-{clock.today():%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出（查阅复制）", default, "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        ctx, query, target = self.ctx, self.query, Path(path)

        def work(_progress: Progress) -> int:
            return personal_export.export_person(
                ctx.db, ctx.actor, refs, target, query=query, requester=requester
            )

        def done(count: int) -> None:
            QMessageBox.information(
                self,
                "导出（查阅复制）",
                f"已导出 {count} 条记录到\n{path}\n\n文件含完整的个人信息，请只交本人。",
            )

        ctx.tasks.run(self, "正在导出个人信息…", work, done)

    # erasure ------------------------------------------------------------------
    def erase(self) -> None:
        refs = self.chosen()
        erasable = [r for r in refs if r.erasable]
        kept = [r for r in refs if not r.erasable]
        if not erasable:
            return
        reason, ok = QInputDialog.getText(self, "删除/匿名化", "删除原因（必填）：")
        if not ok:
            return
        if not reason.strip():
            QMessageBox.warning(self, "删除/匿名化", "请填写删除原因。")
            return
        text = f"将删除或匿名化 {len(erasable)} 条记录（{_counts(erasable)}）。"
        if kept:
            reasons = "；".join(sorted({r.reason for r in kept}))
            text += f"\n保留 {len(kept)} 条（{_counts(kept)}）：{reasons}。"
        candidates = sum(r.candidate for r in erasable)
        if candidates:
            text += f"\n其中 {candidates} 条是候选记录，请确认是同一人。"
        text += "\n\n此操作不能撤销。确定继续吗？"
        if not confirm(self, "删除/匿名化", text):
            return
        ctx, query = self.ctx, self.query

        def work(_progress: Progress) -> ErasureReport | FrontDeskError:
            try:
                return personal_erase.erase_person(ctx.db, ctx.actor, refs, reason, query=query)
            except FrontDeskError as exc:  # refused: shown, then the list is read again
                return exc

        ctx.tasks.run(self, "正在删除个人信息…", work, self._erased)

    def _erased(self, result: ErasureReport | FrontDeskError) -> None:
        if isinstance(result, FrontDeskError):
            report_error(self, result, "未能删除")
            self.search()
            return
        lines = [f"已删除 {len(result.erased)} 条记录中的个人信息（{_counts(result.erased)}）。"]
        if result.documents:
            lines.append(f"已删除 {result.documents} 份访客单、点名表、快递标签的存档内容。")
        if result.kept:
            lines.append(f"保留 {len(result.kept)} 条（{_counts(result.kept)}）。")
        lines.extend(f"保留：{line}" for line in result.standing)
        QMessageBox.information(self, "删除/匿名化", "\n".join(lines))
        self.search()
