"""满意度调查, a tab of 客服: the surveys with their response rate and 满意度; a
supervisor defines one and draws its sample; clerks and butlers work through the call
list by keyboard (digits 1–5 per dimension, Enter to save and go to the next household,
0 未接通, 9 拒访) or type back returned paper forms by their number; the results by
dimension and building with their margins, where a low score becomes a work order.

A tab of the service desk rather than an area of its own: the desk's staff make the
calls, the survey measures the desk's service, and the work orders its low scores
become land on the same board."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidgetItem, QTableWidget, QWidget

from frontdesk.domain.roles import Permission
from frontdesk.domain.service_desk import Kind
from frontdesk.domain.surveys import DIMENSION_LABELS, Dimension, Outcome, Share
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.service_desk_sample_dialog_ui import Ui_SampleDialog
from frontdesk.gui.forms.service_desk_survey_dialog_ui import Ui_SurveyDialog
from frontdesk.gui.forms.service_desk_surveys_tab_ui import Ui_SurveysTab
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.service_desk.survey_keys import Key, ScoreKeys
from frontdesk.gui.widgets.colours import GREEN
from frontdesk.gui.widgets.forms import form_fields
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.saving_dialog import SavingDialog
from frontdesk.gui.widgets.tables import (
    fill_rows,
    fill_sortable,
    row_id,
    select_row,
    set_headers,
)
from frontdesk.printouts.surveys import survey_forms
from frontdesk.services import surveys
from frontdesk.services.surveys import (
    Answers,
    CallRow,
    FormEntry,
    LowScoreRow,
    SurveyInput,
    SurveyResults,
    SurveyRow,
)

SURVEY_COLUMNS = ("名称", "期间", "样本", "已答", "未接通", "拒访", "应答率", "满意度")
CALL_COLUMNS = ("问卷编号", "房号", "联系人", "电话", "状态", "已拨")
DIMENSION_COLUMNS = ("项目", "答卷", "满意", "满意度（±误差）", "1", "2", "3", "4", "5")
BUILDING_COLUMNS = ("楼栋", "户数", "样本", "已答", "满意度（±误差）")
LOW_COLUMNS = ("问卷编号", "房号", "项目", "评分", "意见建议", "工单")
ORDER_KINDS = (("投诉回访", Kind.COMPLAINT), ("户内报修", Kind.REPAIR_HOME))


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _share(share: Share) -> str:
    return share.text()


class ScoreTable(QObject):
    """Digits typed on a scores table go to its `ScoreKeys`; `act(key)` gets the rest.
    Once every score is in, the cursor is in `words`; Backspace there while it is empty
    goes back to the last score."""

    def __init__(
        self, table: QTableWidget, words: QLineEdit, keys: ScoreKeys, act: Callable[[Key], None]
    ) -> None:
        super().__init__(table)
        self.table, self.words, self.keys, self.act = table, words, keys, act
        set_headers(table, ("项目", "评分"), stretch=1)
        table.installEventFilter(self)
        words.installEventFilter(self)

    def show(self) -> None:
        fill_rows(self.table, self.keys.rows())
        if self.keys.dimensions:
            select_row(self.table, min(self.keys.cursor, len(self.keys.dimensions) - 1))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if watched is self.words:
            if key != Qt.Key.Key_Backspace or self.words.text():
                return False
            self.table.setFocus()
        elif watched is not self.table:
            return False
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        back = key == Qt.Key.Key_Backspace
        result = self.keys.press(event.text(), enter=enter, backspace=back)
        if result == Key.IGNORED:
            return key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Up, Qt.Key.Key_Down)
        self.show()
        self.act(result)
        return True


class SurveysTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[SurveyRow] = []
        self.calls: list[CallRow] = []
        self.low: list[LowScoreRow] = []
        self.form: FormEntry | None = None
        self.ui = ui = Ui_SurveysTab()
        ui.setupUi(self)
        set_headers(ui.surveysTable, SURVEY_COLUMNS, stretch=0)
        set_headers(ui.callsTable, CALL_COLUMNS, stretch=2)
        set_headers(ui.dimensionsTable, DIMENSION_COLUMNS, stretch=3)
        set_headers(ui.buildingsTable, BUILDING_COLUMNS, stretch=4)
        set_headers(ui.lowTable, LOW_COLUMNS, stretch=4)
        rows_high = self.fontMetrics().height() + 8  # compact: seven dimensions fit at 768
        for table in (ui.surveysTable, ui.dimensionsTable, ui.buildingsTable, ui.lowTable):
            table.verticalHeader().setDefaultSectionSize(rows_high)
            table.verticalHeader().hide()
        for label, kind in ORDER_KINDS:
            ui.orderKindCombo.addItem(label, kind)
        self.supervisor = ctx.can(Permission.MANAGE_SERVICE_DESK)
        self.enters = ctx.can(Permission.TAKE_WORK_ORDERS)
        self.call_keys = ScoreKeys()
        self.paper_keys = ScoreKeys(outcomes=False)
        self.call_scores = ScoreTable(ui.scoresTable, ui.wordsEdit, self.call_keys, self._call_key)
        self.paper_scores = ScoreTable(
            ui.paperScoresTable, ui.paperWordsEdit, self.paper_keys, self._paper_key
        )
        ui.defineButton.clicked.connect(self.define)
        ui.sampleButton.clicked.connect(self.sample)
        ui.printButton.clicked.connect(self.print_forms)
        ui.refreshButton.clicked.connect(self.refresh)
        ui.orderButton.clicked.connect(self.to_order)
        ui.openOnlyCheck.toggled.connect(lambda _on: self._load_survey())
        ui.surveysTable.currentCellChanged.connect(lambda *_a: self._load_survey())
        ui.callsTable.currentCellChanged.connect(lambda *_a: self._show_call())
        ui.wordsEdit.returnPressed.connect(lambda: self._call_key(Key.SAVE))
        ui.formNumberEdit.returnPressed.connect(self.find_form)
        ui.paperWordsEdit.returnPressed.connect(lambda: self._paper_key(Key.SAVE))
        ui.lowTable.currentCellChanged.connect(lambda *_a: self._enable())
        refresh_key = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        refresh_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh_key.activated.connect(self.refresh)
        self._enable()

    # the surveys ---------------------------------------------------------------------

    def refresh(self) -> None:
        chosen = self.survey_id()
        Op(self, self.ctx.tasks, lambda: surveys.list_surveys(self.ctx.db, self.ctx.actor)).inline(
            self.ui.resultLabel, every_message=True
        ).success(lambda rows: self.show_surveys(rows, chosen)).run()

    def show_surveys(self, rows: list[SurveyRow], chosen: int | None = None) -> None:
        self.show_surveys_only(rows, chosen)
        self._load_survey()

    def show_surveys_only(self, rows: list[SurveyRow], chosen: int | None) -> None:
        self.rows = rows
        fill_sortable(
            self.ui.surveysTable,
            [
                [
                    r.name,
                    r.period,
                    (str(r.sampled), r.sampled),
                    (str(r.answered), r.answered),
                    (str(r.unreached), r.unreached),
                    (str(r.refused), r.refused),
                    (_rate(r.response_rate), r.response_rate or 0),
                    (_rate(r.satisfaction), r.satisfaction or 0),
                ]
                for r in rows
            ],
            {2, 3, 4, 5, 6, 7},
            [r.survey_id for r in rows],
        )
        index = next((i for i, r in enumerate(rows) if r.survey_id == chosen), 0)
        if rows:
            select_row(self.ui.surveysTable, index)

    def survey_id(self) -> int | None:
        return row_id(self.ui.surveysTable, self.ui.surveysTable.currentRow())

    def _load_survey(self) -> None:
        survey_id = self.survey_id()
        self._enable()
        if survey_id is None:
            self.show_calls([])
            return
        ctx, open_only = self.ctx, self.ui.openOnlyCheck.isChecked()

        def read() -> tuple[list[CallRow], SurveyResults, list[LowScoreRow]]:
            return (
                surveys.call_list(ctx.db, ctx.actor, survey_id, open_only=open_only),
                surveys.results(ctx.db, ctx.actor, survey_id),
                surveys.low_scores(ctx.db, ctx.actor, survey_id),
            )

        Op(self, ctx.tasks, read).inline(self.ui.resultLabel, every_message=True).success(
            self._show_survey
        ).run()

    def _show_survey(self, read: tuple[list[CallRow], SurveyResults, list[LowScoreRow]]) -> None:
        calls, results, low = read
        # A reload (F5, the window's relay of a call just saved) keeps the household being
        # called: the next key is meant for it, not for the first one still pending.
        calling = self.current_call()
        self.show_calls(calls, calling.entry_id if calling else None)
        self.show_results(results, low)

    # the phone calls -----------------------------------------------------------------

    def show_calls(self, calls: list[CallRow], entry: int | None = None) -> None:
        self.calls = calls
        fill_sortable(
            self.ui.callsTable,
            [
                [
                    c.form_number,
                    c.room_code,
                    c.contact or "—",
                    c.phone or "—",
                    c.status.label,
                    (f"{c.attempts} 次", c.attempts),
                ]
                for c in calls
            ],
            {5},
            [c.entry_id for c in calls],
        )
        index = next((i for i, c in enumerate(calls) if c.entry_id == entry), 0)
        if calls:
            select_row(self.ui.callsTable, index)
        self._show_call()

    def current_call(self) -> CallRow | None:
        entry = row_id(self.ui.callsTable, self.ui.callsTable.currentRow())
        return next((c for c in self.calls if c.entry_id == entry), None)

    def _dimensions(self) -> tuple[Dimension, ...]:
        survey_id = self.survey_id()
        row = next((r for r in self.rows if r.survey_id == survey_id), None)
        return row.dimensions if row else ()

    def _show_call(self) -> None:
        call = self.current_call()
        self.ui.callErrorLabel.clear()
        self.ui.wordsEdit.clear()
        if call is None:
            self.ui.householdLabel.setText("没有待访的住户。" if self.rows else "")
            self.call_keys.reset(())
        else:
            self.ui.householdLabel.setText(
                f"{call.form_number}　{call.room_code}　{call.contact or '（无联系人）'}　"
                f"{call.phone or '（无电话）'}　{call.status.label}，已拨 {call.attempts} 次"
            )
            self.call_keys.reset(self._dimensions())
        self.call_scores.show()

    def _call_key(self, key: Key) -> None:
        call = self.current_call()
        if call is None:
            return
        if key == Key.SCORED and self.call_keys.complete:
            self.ui.wordsEdit.setFocus()
        elif key == Key.INCOMPLETE:
            self.ui.callErrorLabel.setText(f"请先键入“{self.call_keys.missing()}”的评分（1–5）")
        elif key == Key.SAVE:
            if not self.call_keys.complete:
                self._call_key(Key.INCOMPLETE)
                return
            answers = Answers(self.call_keys.answers(), self.ui.wordsEdit.text())
            self._record(call, Outcome.REACHED, answers)
        elif key == Key.NO_ANSWER:
            self._record(call, Outcome.NO_ANSWER, None)
        elif key == Key.REFUSED:
            self._record(call, Outcome.REFUSED, None)

    def _record(self, call: CallRow, outcome: Outcome, answers: Answers | None) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: surveys.record_call(ctx.db, ctx.actor, call.entry_id, outcome, answers),
        ).inline(self.ui.callErrorLabel, every_message=True).success(
            lambda status: self._recorded(
                call, f"{call.form_number} {outcome.label}，{status.label}"
            )
        ).run()

    def _recorded(self, call: CallRow, text: str) -> None:
        self._say(text)
        index = next((i for i, c in enumerate(self.calls) if c.entry_id == call.entry_id), 0)
        after = self.calls[index + 1] if index + 1 < len(self.calls) else None
        ctx, survey_id, open_only = self.ctx, self.survey_id(), self.ui.openOnlyCheck.isChecked()
        if survey_id is None:
            return

        def read() -> tuple[list[SurveyRow], list[CallRow]]:
            return (
                surveys.list_surveys(ctx.db, ctx.actor),
                surveys.call_list(ctx.db, ctx.actor, survey_id, open_only=open_only),
            )

        Op(self, ctx.tasks, read).success(lambda read: self._next_call(*read, after)).run()

    def _next_call(
        self, listed: list[SurveyRow], rows: list[CallRow], after: CallRow | None
    ) -> None:
        table = self.ui.surveysTable
        table.blockSignals(True)
        self.show_surveys_only(listed, self.survey_id())
        table.blockSignals(False)
        self.show_calls(rows, after.entry_id if after else None)
        self.ui.scoresTable.setFocus()

    # paper forms ---------------------------------------------------------------------

    def find_form(self) -> None:
        ctx, number = self.ctx, self.ui.formNumberEdit.text()
        self.ui.paperErrorLabel.clear()
        Op(self, ctx.tasks, lambda: surveys.find_form(ctx.db, ctx.actor, number)).inline(
            self.ui.paperErrorLabel, every_message=True
        ).success(self._show_form).run()

    def _show_form(self, form: FormEntry) -> None:
        self.form = form
        self.ui.paperHouseholdLabel.setText(
            f"{form.form_number}　{form.room_code}　{form.status.label}"
        )
        self.paper_keys.reset(form.dimensions)
        self.paper_scores.show()
        self.ui.paperWordsEdit.clear()
        self.ui.paperScoresTable.setFocus()

    def _paper_key(self, key: Key) -> None:
        form = self.form
        if form is None:
            return
        if key == Key.SCORED and self.paper_keys.complete:
            self.ui.paperWordsEdit.setFocus()
        elif key == Key.INCOMPLETE or (key == Key.SAVE and not self.paper_keys.complete):
            self.ui.paperErrorLabel.setText(f"请先键入“{self.paper_keys.missing()}”的评分（1–5）")
        elif key == Key.SAVE:
            ctx = self.ctx
            answers = Answers(self.paper_keys.answers(), self.ui.paperWordsEdit.text())
            Op(
                self,
                ctx.tasks,
                lambda: surveys.enter_form(ctx.db, ctx.actor, form.form_number, answers),
            ).inline(self.ui.paperErrorLabel, every_message=True).success(
                lambda _entry: self._form_saved(form)
            ).run()

    def _form_saved(self, form: FormEntry) -> None:
        self._say(f"问卷 {form.form_number}（{form.room_code}）已录入")
        self.form = None
        self.paper_keys.reset(())
        self.paper_scores.show()
        self.ui.paperHouseholdLabel.clear()
        self.ui.paperWordsEdit.clear()
        self.ui.formNumberEdit.clear()
        self.ui.formNumberEdit.setFocus()
        self.refresh()

    # results -------------------------------------------------------------------------

    def show_results(self, r: SurveyResults, low: list[LowScoreRow]) -> None:
        self.ui.summaryLabel.setText(
            f"{r.name}：样本 {r.sampled} 户（小区 {r.population} 户），已答 {r.answered}，"
            f"未接通 {r.unreached}，拒访 {r.refused}，应答率 {_rate(r.response_rate)}；"
            f"总体满意度 {_share(r.overall)}（满意度 = 答“满意”或“非常满意”的比例，"
            "括号内为 95% 置信区间的半宽）"
        )
        fill_rows(
            self.ui.dimensionsTable,
            [
                [
                    d.label,
                    str(d.share.answered),
                    str(d.share.satisfied),
                    _share(d.share),
                    *(str(c) for c in d.counts),
                ]
                for d in r.dimensions
            ],
        )
        fill_rows(
            self.ui.buildingsTable,
            [
                [b.building, str(b.households), str(b.sampled), str(b.answered), _share(b.share)]
                for b in r.buildings
            ],
        )
        self.low = low
        fill_sortable(
            self.ui.lowTable,
            [
                [
                    row.form_number,
                    row.room_code,
                    row.dimension.label,
                    f"{row.score} 分",
                    row.open_answer,
                    row.order_number or "未转工单",
                ]
                for row in low
            ],
            set(),
            [row.score_id for row in low],
        )
        self._enable()

    def current_low(self) -> LowScoreRow | None:
        score_id = row_id(self.ui.lowTable, self.ui.lowTable.currentRow())
        return next((row for row in self.low if row.score_id == score_id), None)

    def to_order(self) -> None:
        low = self.current_low()
        if low is None or low.order_number:
            return
        ctx, kind = self.ctx, Kind(self.ui.orderKindCombo.currentData())
        Op(
            self,
            ctx.tasks,
            lambda: surveys.to_work_order(ctx.db, ctx.actor, low.score_id, kind=kind),
        ).inline(self.ui.resultLabel, every_message=True).success(
            lambda taken: self._ordered(low, taken.number)
        ).run()

    def _ordered(self, low: LowScoreRow, number: str) -> None:
        self._say(f"{low.form_number} {low.dimension.label} 已转为工单 {number}")
        self.refresh()

    # the supervisor's -----------------------------------------------------------------

    def define(self) -> None:
        dialog = SurveyDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._say("调查已新建，请抽样")
            self.refresh()

    def sample(self) -> None:
        survey_id = self.survey_id()
        if survey_id is None:
            return
        dialog = SampleDialog(self.ctx, survey_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._say(f"已抽取 {dialog.saved_id} 户")
            self.refresh()

    def print_forms(self) -> None:
        survey_id, ctx = self.survey_id(), self.ctx
        if survey_id is None:
            return
        Op(self, ctx.tasks, lambda: survey_forms(ctx.db, ctx.actor, survey_id)).inline(
            self.ui.resultLabel, every_message=True
        ).success(lambda printout: show_printout(ctx, printout, self)).run()

    def _enable(self) -> None:
        chosen = next((r for r in self.rows if r.survey_id == self.survey_id()), None)
        self.ui.defineButton.setEnabled(self.supervisor)
        self.ui.sampleButton.setEnabled(
            self.supervisor and chosen is not None and not chosen.sampled
        )
        self.ui.printButton.setEnabled(self.enters and chosen is not None and chosen.sampled > 0)
        low = self.current_low()
        self.ui.orderButton.setEnabled(self.enters and low is not None and not low.order_number)
        hint = "" if self.supervisor else "新建调查和抽样由主管办理"
        self.ui.defineButton.setToolTip(hint)
        self.ui.sampleButton.setToolTip(hint)

    def _say(self, text: str) -> None:
        self.ui.resultLabel.setStyleSheet(f"font-weight: bold; color: {GREEN};")
        self.ui.resultLabel.setText(text)


class SurveyDialog(SavingDialog):
    """新建调查: name, period, the dimensions asked (all ticked to start), the open question."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_SurveyDialog()
        ui.setupUi(self)
        self.error_label = ui.errorLabel
        self.fields = form_fields(ui.form)
        for dimension, label in DIMENSION_LABELS.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, dimension.value)
            chosen = dimension not in (Dimension.PARKING, Dimension.OVERALL)
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            ui.dimensionsList.addItem(item)
        ui.questionEdit.setText("您对我们的服务还有哪些意见和建议？")
        self.name_buttons(ui.buttonBox)

    def chosen(self) -> tuple[Dimension, ...]:
        items = (self.ui.dimensionsList.item(i) for i in range(self.ui.dimensionsList.count()))
        return tuple(
            Dimension(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        )

    def save(self) -> Callable[[], object]:
        ui, ctx = self.ui, self.ctx
        data = SurveyInput(
            ui.nameEdit.text(), ui.periodEdit.text(), self.chosen(), ui.questionEdit.text()
        )
        return lambda: surveys.define_survey(ctx.db, ctx.actor, data)


class SampleDialog(SavingDialog):
    """抽样: a count of households or a percentage of them."""

    def __init__(self, ctx: AppContext, survey_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.survey_id = ctx, survey_id
        self.ui = ui = Ui_SampleDialog()
        ui.setupUi(self)
        self.error_label = ui.errorLabel
        self.fields = form_fields(ui.form)
        ui.unitCombo.addItems(["% 的住户", "户"])
        self.name_buttons(ui.buttonBox, "抽样")

    def save(self) -> Callable[[], object]:
        ctx, survey_id, size = self.ctx, self.survey_id, self.ui.sizeSpin.value()
        if self.ui.unitCombo.currentIndex() == 0:
            return lambda: surveys.draw_sample(ctx.db, ctx.actor, survey_id, percent=size)
        return lambda: surveys.draw_sample(ctx.db, ctx.actor, survey_id, count=size)
