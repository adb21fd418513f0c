"""An area of the app as one tab per task (收费, 欠费催缴, 入伙, 装修, 通知, 访客, 设置).

A tab is added only for a role that may use it; the tab shown reloads when it is
switched to, when the screen is refreshed and when a committed write touches one of the
areas the screen `watches`, so the others cost nothing until they are looked at. A tab
without `refresh` (the cashier's counter, which holds a payment being typed) keeps its
state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QTabWidget, QWidget

from frontdesk.services.database import Changes, DataArea


@runtime_checkable
class Refreshing(Protocol):
    def refresh(self) -> None: ...


class TabbedScreen(QWidget):
    """A subclass builds its tabs and hands them to `add_tabs` with their titles."""

    tabs: QTabWidget
    watches: tuple[DataArea, ...] = ()  # the areas whose changes this screen shows

    def add_tabs(self, tabs: QTabWidget, entries: Iterable[tuple[str, QWidget | None]]) -> None:
        """Add each tab that is not None, in order, and reload a tab when it is shown."""
        self.tabs = tabs
        for title, tab in entries:
            if tab is not None:
                tabs.addTab(tab, title)
        tabs.currentChanged.connect(lambda _index: self.refresh())

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def show_tab(self, title: str) -> QWidget:
        """Switch to the tab with this title (KeyError if the role does not have it)."""
        titles = self.tab_titles()
        if title not in titles:
            raise KeyError(title)
        self.tabs.setCurrentIndex(titles.index(title))
        return self.tabs.currentWidget()

    def changed(self, changes: Changes) -> None:
        if changes.touches(self.watches):
            self.refresh()

    def refresh(self) -> None:
        """Reload the tab shown (the others reload when they are switched to)."""
        tab = self.tabs.currentWidget()
        if isinstance(tab, Refreshing):
            tab.refresh()
