"""The wizard's pages 2 and 3: what each column means (matched by its header, the clerk
confirms or changes each; a column that could mean two things must be chosen), and the
office's own words for the mapped fields (each distinct value once, with its count)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from frontdesk.domain.onboarding import Field, ImportSetup
from frontdesk.domain.onboarding.choices import value_choices
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.import_choices import ImportChoices
from frontdesk.services.onboarding import reading
from frontdesk.services.onboarding.choosing import values_to_map

NOT_READ = "（不导入）"
CHOOSE = "（请选择）"
REFUSE = "（拒绝含此值的行）"
NO_ITEM = "（不指定）"
HINT_STYLE = "QLabel { color: #b26a00; }"
SAMPLE_STYLE = "QLabel { color: #5f6b7a; }"
COMBO_WIDTH = 180


def scrolled(page: QWizardPage, inner: QWidget) -> None:
    """The page's rows in a scroll area: Tab moves through them and scrolls along."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(inner)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(area)


class ColumnsPage(QWizardPage):
    def __init__(self, choices: ImportChoices) -> None:
        super().__init__()
        self.choices = choices
        self.combos: dict[int, QComboBox] = {}
        self.setTitle("第 2 步：核对各列的含义")
        self.setSubTitle(
            "程序按表头名称认出了各列，请逐列核对；标为“请选择”的列可能有两种含义，须选定。"
            "不需要的列选“不导入”。"
        )
        self.inner = QWidget()
        self.grid = QGridLayout(self.inner)
        scrolled(self, self.inner)
        self.kind_label = QLabel()  # what the sheet holds, by the columns chosen

    def initializePage(self) -> None:
        setup = self.choices.setup
        if setup is None:
            return
        _clear(self.grid)
        self.combos = {}
        for column, text in enumerate(("表头", "示例（前几行的值）", "导入为", "")):
            caption = QLabel(f"<b>{text}</b>")
            self.grid.addWidget(caption, 0, column)
        for row, guess in enumerate(self.choices.guesses, 1):
            combo = QComboBox()
            combo.addItem(NOT_READ, "")
            for one in Field:
                combo.addItem(one.label, one.value)
            combo.setPlaceholderText(CHOOSE)
            chosen = setup.columns.get(guess.column)
            if chosen is not None:
                combo.setCurrentIndex(combo.findData(chosen.value))
            elif guess.alternatives:
                combo.setCurrentIndex(-1)  # could mean two things: the clerk decides
            else:
                combo.setCurrentIndex(0)
            combo.currentIndexChanged.connect(lambda _i: self._changed())
            header = QLabel(guess.header)
            header.setBuddy(combo)
            samples = QLabel("、".join(guess.samples))
            samples.setStyleSheet(SAMPLE_STYLE)
            self.grid.addWidget(header, row, 0)
            self.grid.addWidget(samples, row, 1)
            self.grid.addWidget(combo, row, 2)
            if guess.alternatives:
                hint = QLabel("可能是：" + "、".join(f.label for f in guess.alternatives))
                hint.setStyleSheet(HINT_STYLE)
                self.grid.addWidget(hint, row, 3)
            self.combos[guess.column] = combo
        self.kind_label = QLabel()
        self.grid.addWidget(self.kind_label, len(self.choices.guesses) + 1, 0, 1, 4)
        self.grid.setColumnStretch(1, 1)
        self.grid.setRowStretch(len(self.choices.guesses) + 2, 1)
        self._changed()

    def columns(self) -> dict[int, Field]:
        return {
            column: Field(combo.currentData())
            for column, combo in self.combos.items()
            if combo.currentIndex() >= 0 and combo.currentData()
        }

    def _setup(self) -> ImportSetup | None:
        setup = self.choices.setup
        if setup is None:
            return None
        columns = self.columns()
        follows = self.choices.kind_follows_columns
        kind = reading.guess_kind(columns) if follows else setup.kind
        return replace(setup, columns=columns, kind=kind)

    def _changed(self) -> None:
        setup = self._setup()
        if setup is not None:
            self.kind_label.setText(f"按所选各列，此表为：{setup.kind.label}")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and all(c.currentIndex() >= 0 for c in self.combos.values())

    def validatePage(self) -> bool:
        setup, table = self._setup(), self.choices.table
        if setup is None or table is None:
            return False
        path = self.choices.path
        assert path is not None  # the table was read from it
        self.choices.setup = setup
        self.choices.distinct = values_to_map(path, table, setup)
        return True


class ValuesPage(QWizardPage):
    def __init__(self, ctx: AppContext, choices: ImportChoices) -> None:
        super().__init__()
        self.ctx = ctx
        self.choices = choices
        self.combos: dict[tuple[Field, str], QComboBox] = {}
        self.item_combo = QComboBox()
        self.setTitle("第 3 步：核对表中的用词")
        self.setSubTitle(
            "原系统对房屋类型、状态、人员类别、性别、收费项目等的写法，各列出一次（括号内为行数），"
            "请选定本系统中对应的值。选“拒绝含此值的行”的行不会导入，并在检查结果中列出。"
        )
        self.inner = QWidget()
        self.layout_ = QVBoxLayout(self.inner)
        scrolled(self, self.inner)

    def initializePage(self) -> None:
        setup = self.choices.setup
        if setup is None:
            return
        _clear(self.layout_)
        self.combos = {}
        if self.choices.asks_fee_item():
            self._ask_fee_item(setup.default_fee_item)
        for one, values in self.choices.distinct.items():
            box = QGroupBox(f"{one.label}（{len(values)} 种写法）")
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
            fee_items = self.choices.fee_items
            ours = value_choices(one, fee_items)
            known = setup.values.get(one, {})
            for value, count in values:
                combo = QComboBox()
                for ours_value, ours_label in ours:
                    combo.addItem(ours_label, ours_value)
                combo.addItem(REFUSE, "")
                combo.setPlaceholderText(CHOOSE)
                combo.setMinimumWidth(COMBO_WIDTH)
                suggested = known.get(value, reading.suggest_value(one, value, fee_items))
                combo.setCurrentIndex(-1 if suggested is None else combo.findData(suggested))
                combo.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
                label = QLabel(f"{value or '（空白）'}（{count} 行）")
                label.setBuddy(combo)
                form.addRow(label, combo)
                self.combos[(one, value)] = combo
            self.layout_.addWidget(box)
        self.layout_.addStretch(1)

    def _ask_fee_item(self, default: str) -> None:
        box = QGroupBox("收费项目")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.item_combo = QComboBox()
        self.item_combo.setMinimumWidth(COMBO_WIDTH)
        self.item_combo.addItem(NO_ITEM, "")
        for name in self.choices.fee_items:
            self.item_combo.addItem(name, name)
        self.item_combo.setCurrentIndex(max(0, self.item_combo.findData(default)))
        label = QLabel("表中金额所属的收费项目(&G)：")
        label.setBuddy(self.item_combo)
        form.addRow(label, self.item_combo)
        self.layout_.addWidget(box)

    def isComplete(self) -> bool:
        return all(c.currentIndex() >= 0 for c in self.combos.values())

    def validatePage(self) -> bool:
        setup = self.choices.setup
        if setup is None:
            return False
        values: dict[Field, dict[str, str]] = {}
        for (one, value), combo in self.combos.items():
            values.setdefault(one, {})[value] = str(combo.currentData())
        item = setup.default_fee_item
        if self.choices.asks_fee_item():
            item = str(self.item_combo.currentData() or "")
        self.choices.setup = replace(setup, values=values, default_fee_item=item)
        return True


def _clear(layout: QGridLayout | QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
