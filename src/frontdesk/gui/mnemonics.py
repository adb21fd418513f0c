"""Keys that collide in one window: two mnemonics (the underlined letter of 实收现金(&S),
pressed with Alt) or shortcuts that answer the same key at the same time.

Qt gives an ambiguous key to nobody useful: Alt+S with both 系统(&S) in the menu bar and a
button 实收现金(&S) opens the menu, two buttons with the same letter take turns at the
focus. So in one window every key that can be pressed at one moment must be one
widget's alone.

What can be pressed together: everything of the window except the pages of a stack
(QStackedWidget, the tabs of a QTabWidget) that are not the one shown: two pages
of one stack never show at once, so each may reuse the other's letters; but each
page's keys must not collide with anything outside the stack (the window's menu bar,
the buttons around the stack). Widgets that are hidden for now (a button shown only
in some states) count, since they may show. A dialog or a menu is a window of its
own; a menu's items are checked among themselves.

`collisions(window)` lists what collides; `collision_text` says it in Chinese for a
failure message. `dead_mnemonics` finds underlined letters that do nothing (a label
without a buddy); `key_problems` is both, for the selftest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut, Qt  # QtGui's Qt has mightBeRichText
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMenu,
    QMenuBar,
    QStackedLayout,
    QTabBar,
    QWidget,
)

# The pages a widget sits on: (the stack, the page's index in it) from the window down.
Pages = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class KeyUse:
    """One key a window answers: `key` in portable text (Alt+S), `what` says who
    answers it (the text the clerk sees, or the shortcut's owner)."""

    key: str
    what: str
    pages: Pages
    focus: int | None = None  # a shortcut that answers only while this widget has the focus

    def clashes_with(self, other: KeyUse) -> bool:
        """Whether one key press could mean both: both can be on screen at once (no stack
        shows each on another page) and neither waits for the focus in another widget."""
        if self.focus is not None and other.focus is not None and self.focus != other.focus:
            return False
        mine = dict(self.pages)
        return all(mine.get(stack, page) == page for stack, page in other.pages)


@dataclass(frozen=True)
class Collision:
    window: str
    key: str
    first: str
    second: str


def mnemonic(text: str) -> str:
    """The Alt key a text's `&X` gives (Alt+S), or "" when it has none (`&&` is a literal &)."""
    return QKeySequence.mnemonic(text).toString(QKeySequence.SequenceFormat.PortableText)


def _key_text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def _pages(widget: QWidget, window: QWidget) -> Pages:
    pages: list[tuple[int, int]] = []
    child = widget
    while child is not window:
        parent = child.parentWidget()
        if parent is None:
            break
        layout = parent.layout()
        if isinstance(layout, QStackedLayout):
            index = layout.indexOf(child)
            if index >= 0:
                pages.append((id(layout), index))
        child = parent
    return tuple(reversed(pages))


def _widgets(window: QWidget) -> list[QWidget]:
    """The window and its descendants, not those of its dialogs, menus and popups."""
    found = [window]
    pending = [window]
    while pending:
        for child in pending.pop().children():
            if isinstance(child, QWidget) and not child.isWindow():
                found.append(child)
                pending.append(child)
    return found


def _texts(widget: QWidget) -> list[tuple[str, str]]:
    """(key, the text the clerk sees) for each mnemonic the widget's own text gives."""
    uses: list[tuple[str, str]] = []
    if isinstance(widget, QAbstractButton):
        # setText sets the mnemonic as the shortcut; a later setShortcut replaces it.
        if key := _key_text(widget.shortcut()):
            uses.append((key, widget.text() or widget.objectName()))
    elif isinstance(widget, QLabel):
        if widget.buddy() is not None and (key := mnemonic(widget.text())):
            uses.append((key, widget.text()))
    elif isinstance(widget, QGroupBox):
        if key := mnemonic(widget.title()):
            uses.append((key, widget.title()))
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            if key := mnemonic(widget.tabText(index)):
                uses.append((key, f"选项卡“{widget.tabText(index)}”"))
    elif isinstance(widget, QMenuBar):
        for action in widget.actions():
            if key := mnemonic(action.text()):
                uses.append((key, f"菜单“{action.text()}”"))
    return uses


def _actions(widget: QWidget) -> list[QAction]:
    """The actions whose shortcuts the widget carries: its own, and for the menu bar the
    items of its menus (their shortcuts work with the menus closed)."""
    if not isinstance(widget, QMenuBar):
        return list(widget.actions())
    items: list[QAction] = []
    for title in widget.actions():
        menu = title.menu()
        if isinstance(menu, QMenu):
            items += menu.actions()
    return items


def _focus(context: Qt.ShortcutContext, owner: QWidget) -> int | None:
    """None for a key of the whole window, else the widget the focus must be in."""
    return None if context == Qt.ShortcutContext.WindowShortcut else id(owner)


def key_uses(window: QWidget) -> list[KeyUse]:
    """Every key the window answers, with the pages that must show for it to answer.
    Keys for the whole program (ApplicationShortcut) are left to where they are made."""
    uses: list[KeyUse] = []
    widgets = _widgets(window)
    seen: set[int] = set()
    for widget in widgets:
        pages = _pages(widget, window)
        uses += [KeyUse(key, what, pages) for key, what in _texts(widget)]
        for action in _actions(widget):
            context = action.shortcutContext()
            if id(action) in seen or context == Qt.ShortcutContext.ApplicationShortcut:
                continue
            seen.add(id(action))
            what = f"“{action.text()}”的快捷键"
            uses += [
                KeyUse(key, what, pages, _focus(context, widget))
                for sequence in action.shortcuts()
                if (key := _key_text(sequence))
            ]
    owned = {id(w) for w in widgets}
    for shortcut in window.findChildren(QShortcut):
        owner = _shortcut_owner(shortcut)
        context = shortcut.context()
        if owner is None or id(owner) not in owned or not shortcut.isEnabled():
            continue
        if context == Qt.ShortcutContext.ApplicationShortcut:
            continue
        what = shortcut.whatsThis() or f"{owner.objectName() or type(owner).__name__}的快捷键"
        sequences: list[QKeySequence] = shortcut.keys()
        uses += [
            KeyUse(key, what, _pages(owner, window), _focus(context, owner))
            for sequence in sequences
            if (key := _key_text(sequence))
        ]
    return uses


def _shortcut_owner(shortcut: QShortcut) -> QWidget | None:
    parent: QObject | None = shortcut.parent()
    return parent if isinstance(parent, QWidget) else None


def _name(window: QWidget) -> str:
    return window.windowTitle() or window.objectName() or type(window).__name__


def collisions(window: QWidget) -> list[Collision]:
    """The keys of `window` that two things answer at once, and those of its menus."""
    name = _name(window)
    found: list[Collision] = []
    by_key: dict[str, list[KeyUse]] = defaultdict(list)
    for use in key_uses(window):
        by_key[use.key].append(use)
    for key, uses in sorted(by_key.items()):
        for first, second in combinations(uses, 2):
            if first.clashes_with(second):
                found.append(Collision(name, key, first.what, second.what))
    owned = {id(w) for w in _widgets(window)}
    for menu in window.findChildren(QMenu):
        if id(menu.parentWidget()) in owned:
            found += _menu_collisions(name, menu)
    return found


def _menu_collisions(window: str, menu: QMenu) -> list[Collision]:
    by_key: dict[str, list[str]] = defaultdict(list)
    for action in menu.actions():
        if key := mnemonic(action.text()):
            by_key[key].append(action.text())
    where = f"{window} › {menu.title()}"
    return [
        Collision(where, key, first, second)
        for key, texts in sorted(by_key.items())
        for first, second in combinations(texts, 2)
    ]


def dead_mnemonics(window: QWidget) -> list[str]:
    """Underlined letters that do nothing: a label's with no buddy to go to, a button's
    whose shortcut was set to another key after its text."""
    name = _name(window)
    found = []
    for widget in _widgets(window):
        if isinstance(widget, QLabel):
            text = widget.text()
            rich = widget.textFormat() == Qt.TextFormat.RichText or (
                widget.textFormat() == Qt.TextFormat.AutoText and Qt.mightBeRichText(text)
            )
            if not rich and mnemonic(text) and widget.buddy() is None:
                found.append(f"{name}：“{text}”显示了 {mnemonic(text)}，但标签没有对应的输入框")
        elif isinstance(widget, QAbstractButton):
            shown, key = mnemonic(widget.text()), _key_text(widget.shortcut())
            if shown and key != shown:
                actual = key or "无"
                found.append(f"{name}：“{widget.text()}”显示了 {shown}，实际快捷键却是 {actual}")
    return found


def key_problems(window: QWidget) -> list[str]:
    """Everything about a window's keys that would surprise the clerk, in Chinese."""
    return [collision_text(c) for c in collisions(window)] + dead_mnemonics(window)


def collision_text(collision: Collision) -> str:
    return f"{collision.window}：{collision.key} 同时属于 {collision.first} 和 {collision.second}"
