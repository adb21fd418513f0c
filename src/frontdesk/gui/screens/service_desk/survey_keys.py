"""Scores typed by keyboard, Qt-free: digits 1–5 fill the dimensions in order, Backspace
steps back, Enter saves once every dimension has its score; on a phone call 0 records
未接通 and 9 拒访. The surveys tab feeds it key presses and shows what it holds."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from frontdesk.domain.surveys import SCORE_LABELS, Dimension, Score


class Key(StrEnum):
    SCORED = "scored"
    BACK = "back"
    SAVE = "save"  # every dimension scored: save the answers (接通 on a call)
    INCOMPLETE = "incomplete"  # Enter before the last score
    NO_ANSWER = "no_answer"
    REFUSED = "refused"
    IGNORED = "ignored"


class ScoreKeys:
    def __init__(self, dimensions: Sequence[Dimension] = (), *, outcomes: bool = True) -> None:
        self.outcomes = outcomes  # 0 and 9 mean 未接通 and 拒访 (a call, not a paper form)
        self.reset(dimensions)

    def reset(self, dimensions: Sequence[Dimension]) -> None:
        self.dimensions = tuple(dimensions)
        self.scores: list[int | None] = [None] * len(self.dimensions)
        self.cursor = 0

    @property
    def complete(self) -> bool:
        return bool(self.dimensions) and all(s is not None for s in self.scores)

    def press(self, text: str, *, enter: bool = False, backspace: bool = False) -> Key:
        if not self.dimensions:
            return Key.IGNORED
        if enter:
            return Key.SAVE if self.complete else Key.INCOMPLETE
        if backspace:
            if self.cursor > 0 and (
                self.cursor == len(self.scores) or self.scores[self.cursor] is None
            ):
                self.cursor -= 1
            self.scores[self.cursor] = None
            return Key.BACK
        if self.outcomes and text == "0":
            return Key.NO_ANSWER
        if self.outcomes and text == "9":
            return Key.REFUSED
        if text in ("1", "2", "3", "4", "5"):
            if self.cursor >= len(self.scores):
                return Key.IGNORED
            self.scores[self.cursor] = int(text)
            self.cursor += 1
            return Key.SCORED
        return Key.IGNORED

    def answers(self) -> dict[Dimension, int]:
        return {d: s for d, s in zip(self.dimensions, self.scores, strict=True) if s is not None}

    def rows(self) -> list[tuple[str, str]]:
        """(dimension, 'n 分 label' or '') for the table, in order."""
        return [
            (d.label, "" if s is None else f"{s} {SCORE_LABELS[Score(s)]}")
            for d, s in zip(self.dimensions, self.scores, strict=True)
        ]

    def missing(self) -> str:
        first = next(
            (d for d, s in zip(self.dimensions, self.scores, strict=True) if s is None), None
        )
        return "" if first is None else first.label
