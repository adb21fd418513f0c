"""Whether a window fits the counter's screen, and which widget makes it too big.

A window cannot be smaller than its layout's minimum: a screen whose widgets need
1,422 px pushes the main window off a 1366 px display. The minimum is read from the
layouts (as Qt computes it for the window), not from a resize, which the offscreen
platform (no window manager) does not hold to.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QLayout,
    QMainWindow,
    QSizePolicy,
    QStackedLayout,
    QStackedWidget,
    QTabBar,
    QTableView,
    QTabWidget,
    QWidget,
)

# Windows 10/11 at 1366×768: the taskbar takes 40 px, a maximised window's title bar 30.
TASKBAR_PX = 40
TITLE_BAR_PX = 30
COUNTER_SCREEN = QSize(1366, 768)
_HORIZONTAL_TABS = (
    QTabBar.Shape.RoundedNorth,
    QTabBar.Shape.RoundedSouth,
    QTabBar.Shape.TriangularNorth,
    QTabBar.Shape.TriangularSouth,
)


def usable(screen: QSize) -> QSize:
    """What a maximised window's client area (inside its title bar) has on a screen."""
    return usable_client(QSize(screen.width(), screen.height() - TASKBAR_PX))


def usable_client(available: QSize) -> QSize:
    """A window's client area in a screen's available area (the taskbar left out)."""
    return QSize(available.width(), available.height() - TITLE_BAR_PX)


def minimum(widget: QWidget) -> QSize:
    """The size a layout cannot squeeze the widget below (Qt's qSmartMinSize): the
    minimum size hint where the size policy may shrink, else the size hint, an explicit
    minimum size over either."""
    policy = widget.sizePolicy()
    hint, least = widget.sizeHint(), widget.minimumSizeHint()
    explicit = widget.minimumSize()

    def along(kind: QSizePolicy.Policy, hinted: int, lowest: int, given: int) -> int:
        if given > 0:
            return given
        if kind == QSizePolicy.Policy.Ignored:
            return 0
        if kind.value & QSizePolicy.PolicyFlag.ShrinkFlag.value:
            return max(lowest, 0)
        return max(hinted, lowest, 0)

    limit = widget.maximumSize()
    width = along(policy.horizontalPolicy(), hint.width(), least.width(), explicit.width())
    height = along(policy.verticalPolicy(), hint.height(), least.height(), explicit.height())
    return QSize(min(width, limit.width()), min(height, limit.height()))


def window_minimum(window: QWidget) -> QSize:
    """A top-level window's minimum: its layout's, or the minimum set on it."""
    return window.minimumSizeHint().expandedTo(window.minimumSize())


def oversize(window: QWidget, room: QSize, *, opened: bool = True) -> list[str]:
    """What is wrong when `window` cannot fit in `room` (its minimum, or with `opened`
    the size it opened at, is bigger), naming the widgets that make it so; [] if it fits."""
    needed = window_minimum(window)
    problems = []
    for axis, word in ((Qt.Orientation.Horizontal, "宽"), (Qt.Orientation.Vertical, "高")):
        excess = _along(needed, axis) - _along(room, axis)
        if excess > 0:
            problems.append(
                f"最小{word}度 {_along(needed, axis)} px，超出可用的 {_along(room, axis)} px；"
                f"过{word}的是 {_culprit(window, axis, excess)}"
            )
        elif opened and _along(window.size(), axis) > _along(room, axis):
            problems.append(
                f"打开时{word} {_along(window.size(), axis)} px，超出可用的 {_along(room, axis)} px"
            )
    return problems


def _along(size: QSize, axis: Qt.Orientation) -> int:
    return size.width() if axis == Qt.Orientation.Horizontal else size.height()


Node = QWidget | QLayout


def _least(node: Node) -> QSize:
    return minimum(node) if isinstance(node, QWidget) else node.minimumSize()


def _parts(node: Node) -> list[Node]:
    """What the node's minimum is made of: the widgets and layouts in its layout (shown
    ones, and every page of a stack: a stack is as big as its biggest page), or for a
    widget that lays out its own children (a splitter, a tab widget), those."""
    layout = node if isinstance(node, QLayout) else node.layout()
    if layout is None or isinstance(node, QMainWindow):
        assert isinstance(node, QWidget)
        return [
            child
            for child in node.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
            if not child.isWindow() and not child.isHidden()
        ]
    stacked = isinstance(layout, QStackedLayout)
    parts: list[Node] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        widget, inner = item.widget(), item.layout()
        if widget is not None and (stacked or not widget.isHidden()):
            parts.append(widget)
        elif inner is not None:
            parts.append(inner)
    return parts


def _culprit(window: QWidget, axis: Qt.Orientation, excess: int) -> str:
    """Follow the biggest part down while it is the bulk of its parent (the rest could
    not make up the excess, or is under a quarter); name the path and where it ends
    (with its parts, where the excess lies in how they sit side by side)."""
    path: list[str] = []
    node: Node = window
    while True:
        parts = sorted(_parts(node), key=lambda c: _along(_least(c), axis), reverse=True)
        size = _along(_least(node) if node is not window else window_minimum(window), axis)
        if not parts or size - _along(_least(parts[0]), axis) >= max(excess, size // 4):
            break
        node = parts[0]
        name = _name(node) if isinstance(node, QWidget) else ""
        if name:
            path.append(name)
    end = f"{_label(node)} {_along(_least(node), axis)} px"
    shown = [c for c in parts if _along(_least(c), axis) > 0][:4]
    if len(shown) > 1:
        end += "（" + " + ".join(f"{_label(c)} {_along(_least(c), axis)}" for c in shown) + "）"
    return " › ".join([*path[-4:], end]) if path else end


def _label(node: Node) -> str:
    if isinstance(node, QLayout):
        return f"布局 {node.objectName()}" if node.objectName() else type(node).__name__
    return _name(node) or type(node).__name__


def _name(widget: QWidget) -> str:
    """How a report names a widget: a tab by its title, else its object name or text."""
    parent = widget.parentWidget()
    tabs = parent.parentWidget() if isinstance(parent, QStackedWidget) else None
    if isinstance(tabs, QTabWidget) and tabs.indexOf(widget) >= 0:
        return f"「{tabs.tabText(tabs.indexOf(widget)).replace('&', '')}」页"
    if isinstance(widget, QLabel | QAbstractButton) and widget.text():
        text = widget.text().replace("&", "")
        return f"{widget.objectName() or type(widget).__name__}「{text[:16]}」"
    name = widget.objectName()
    return "" if not name or name.startswith("qt_") else name


def cut_off(window: QWidget) -> list[str]:
    """What the window shows cut at its present size: tab bars that hide tabs behind
    their scroll arrows, tables that scroll sideways, buttons and check boxes whose
    words do not fit."""
    problems = []
    for bar in window.findChildren(QTabBar):
        if bar.isVisible() and bar.count() and _hides_tabs(bar):
            hidden = [
                bar.tabText(i).replace("&", "")
                for i in range(bar.count())
                if not bar.rect().contains(bar.tabRect(i))
            ]
            wanted = _along(bar.sizeHint(), _tab_axis(bar))
            room = _along(bar.size(), _tab_axis(bar))
            problems.append(
                f"页签 {'、'.join(hidden)} 显示不全"
                if hidden
                else f"页签标题被截短（需要 {wanted} px，只有 {room} px）"
            )
    for view in window.findChildren(QAbstractItemView):
        if view.isVisible() and view.horizontalScrollBar().isVisible():
            header = view.horizontalHeader() if isinstance(view, QTableView) else None
            columns = header.length() if header is not None else 0
            problems.append(
                f"表格 {_name(view) or type(view).__name__} 出现横向滚动条"
                f"（列宽共 {columns} px，可见 {view.viewport().width()} px）"
            )
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and button.text() and button.width() < button.sizeHint().width():
            problems.append(
                f"按钮“{button.text().replace('&', '')}”文字显示不全"
                f"（需要 {button.sizeHint().width()} px，只有 {button.width()} px）"
            )
    return problems


def _tab_axis(bar: QTabBar) -> Qt.Orientation:
    return Qt.Orientation.Horizontal if bar.shape() in _HORIZONTAL_TABS else Qt.Orientation.Vertical


def _hides_tabs(bar: QTabBar) -> bool:
    """Tabs behind scroll arrows, or squeezed with their titles cut short."""
    axis = _tab_axis(bar)
    return _along(bar.sizeHint(), axis) > _along(bar.size(), axis)
