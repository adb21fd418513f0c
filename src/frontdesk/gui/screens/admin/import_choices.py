"""What the clerk has chosen in the 数据导入 wizard so far, and what the services said:
shared by its pages, so no page reads another's widgets."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from frontdesk.domain.onboarding import Field, ImportKind, ImportSetup
from frontdesk.services.onboarding import ImportDone, ImportPlan
from frontdesk.services.onboarding.reading import ColumnGuess, SheetTable


@dataclass
class ImportChoices:
    path: Path | None = None
    sheets: list[str] = field(default_factory=list)
    table: SheetTable | None = None
    guesses: list[ColumnGuess] = field(default_factory=list)
    setup: ImportSetup | None = None
    # 自动识别 without a saved mapping: the kind follows the columns the clerk confirms
    kind_follows_columns: bool = False
    # each distinct value of a mapped column, with its count (the values page asks)
    distinct: dict[Field, list[tuple[str, int]]] = field(default_factory=dict)
    fee_items: list[str] = field(default_factory=list)
    plan: ImportPlan | None = None
    done: ImportDone | None = None

    def forget_from_table(self) -> None:
        """Another file or sheet: what was read from the last one no longer holds."""
        self.table, self.guesses, self.setup = None, [], None
        self.distinct, self.plan, self.done = {}, None, None

    def asks_fee_item(self) -> bool:
        """Amounts owed or paid without a 收费项目 column: the clerk names their item."""
        setup = self.setup
        return (
            setup is not None
            and setup.kind in (ImportKind.BALANCES, ImportKind.HISTORY)
            and Field.FEE_ITEM not in setup.columns.values()
        )

    def asks_values(self) -> bool:
        return bool(self.distinct) or self.asks_fee_item()
