"""The shell: navigation, the global search field, the status bar.

Screens are built the first time they are shown, so the window is usable at
once. Areas whose issue has not landed yet stay in the list, greyed out.

The window is the one place that knows every screen (they never import each
other): it composes the household file from the tabs other areas add to it, goes
where a screen asks through `ctx.navigator`, and tells the screen on show what a
committed write changed (the database's `on_change`, on the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QFileDialog,
    QLabel,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QWidget,
)

from frontdesk import __version__
from frontdesk.domain import clock
from frontdesk.domain.location import ServerLocation
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError
from frontdesk.gui.backup_timer import BackupScheduler, BackupStatus
from frontdesk.gui.connection_status import ConnectionStatus
from frontdesk.gui.context import AppContext
from frontdesk.gui.fit import usable_client
from frontdesk.gui.forms.main_window_ui import Ui_MainWindow
from frontdesk.gui.navigation import (
    AreaList,
    Counter,
    FileWindow,
    HouseholdFile,
    NewWorkOrder,
    Place,
    ReceiptJournal,
    RestoreBackup,
    WorkOrderView,
)
from frontdesk.gui.screens import FirstField, Screen
from frontdesk.gui.screens.household.screen import RoomsScreen
from frontdesk.gui.widgets.tabbed_screen import TabbedScreen
from frontdesk.services import community
from frontdesk.services.database import Changes, DataArea
from frontdesk.services.households.search import (
    DEFAULT_LIMIT,
    MATCH_CAP,
    Found,
    SearchHit,
    search,
)
from frontdesk.services.progress import Progress

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
# The "还有 N 条" line under the hits: choosing it lists every match.
MORE_ROLE = Qt.ItemDataRole.UserRole + 2
# Rows the search popup shows without scrolling: the first hits all fit a 768 screen.
POPUP_ROWS = 21
RECENT_COUNT = 6
TAKE_CALL_KEY = "F6"  # 受理工单 from any screen
FIRST_AREA = "today"  # shown after sign-in


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    build: Callable[[AppContext], QWidget]
    permission: Permission | None = None
    shortcut: str = ""  # its own key; the others take Ctrl+1 … Ctrl+0 in order


# Each screen is imported when first opened: its libraries (reportlab, openpyxl) load then.


def _today(ctx: AppContext) -> QWidget:
    from frontdesk.gui.screens.today.screen import TodayScreen

    return TodayScreen(ctx)


def _visitors(ctx: AppContext) -> QWidget:
    from frontdesk.gui.screens.visitors.screen import VisitorsScreen

    return VisitorsScreen(ctx)


def _counter(ctx: AppContext) -> QWidget:
    from frontdesk.gui.screens.counter.screen import CounterScreen

    return CounterScreen(ctx)


def _cashier(ctx: AppContext) -> QWidget:
    from frontdesk.gui.screens.cashier.screen import CashierScreen

    return CashierScreen(ctx)


def _arrears(ctx: AppContext) -> QWidget:
    from frontdesk.gui.screens.arrears.screen import ArrearsScreen

    return ArrearsScreen(ctx)


def _movein(ctx: AppContext) -> QWidget:
    from frontdesk.gui.screens.movein.screen import MoveInScreen

    return MoveInScreen(ctx)


def _renovation(ctx: AppContext) -> QWidget:
    from frontdesk.gui.screens.renovation.screen import RenovationScreen

    return RenovationScreen(ctx)


def _notices(ctx: AppContext) -> QWidget:
    from frontdesk.gui.screens.notices.screen import NoticesScreen

    return NoticesScreen(ctx)


def _reports(ctx: AppContext) -> QWidget:
    from frontdesk.gui.screens.reports.screen import ReportsScreen

    return ReportsScreen(ctx)


def _service_desk(ctx: AppContext) -> QWidget:
    from frontdesk.gui.screens.service_desk.screen import ServiceDeskScreen

    return ServiceDeskScreen(ctx)


def _settings(ctx: AppContext) -> QWidget:
    from frontdesk.gui.screens.admin.screen import SettingsScreen

    return SettingsScreen(ctx)


def _households(ctx: AppContext) -> QWidget:
    """户档案, with the tabs the other areas add to the household file."""

    def file_tabs() -> list[tuple[str, QWidget]]:
        from frontdesk.gui.screens.movein.file_tab import MoveInTab
        from frontdesk.gui.screens.renovation.file_tab import RenovationTab

        tabs: list[tuple[str, QWidget]] = [("入伙", MoveInTab(ctx)), ("装修", RenovationTab(ctx))]
        if ctx.can(Permission.REGISTER_VISITORS):
            from frontdesk.gui.screens.visitors.file_tab import VisitsTab

            tabs.append(("访客", VisitsTab(ctx)))
        return tabs

    return RoomsScreen(ctx, file_tabs)


AREAS = (
    Area("today", "今日工作", _today, shortcut="Ctrl+`"),
    Area("households", "户档案", _households, Permission.VIEW_ROOMS),
    Area("visitors", "访客", _visitors, Permission.REGISTER_VISITORS),
    Area("counter", "前台登记", _counter, Permission.KEEP_COUNTER_REGISTERS, shortcut="F7"),
    Area("cashier", "收费", _cashier, Permission.ENTER_METER_READINGS),
    Area("arrears", "催缴", _arrears, Permission.CHASE_ARREARS),
    Area("movein", "入伙", _movein, Permission.VIEW_HOUSEHOLDS),
    Area("renovation", "装修", _renovation, Permission.MANAGE_RENOVATIONS),
    Area("notices", "通知", _notices, Permission.VIEW_ROOMS),
    Area("reports", "报表", _reports, Permission.PRINT_REPORTS),
    Area("service", "客服", _service_desk, Permission.TAKE_WORK_ORDERS),
    Area("settings", "设置", _settings),
)


def show_tab(screen: QWidget, title: str) -> bool:
    """Switch an area's screen to its tab of this title; False if the role lacks it."""
    if isinstance(screen, TabbedScreen):
        if title not in screen.tab_titles():
            return False
        screen.show_tab(title)
        return True
    tabs = screen.findChild(QTabWidget)
    titles = [tabs.tabText(i) for i in range(tabs.count())] if tabs is not None else []
    if tabs is None or title not in titles:
        return False
    tabs.setCurrentIndex(titles.index(title))
    return True


class _ChangeRelay(QObject):
    """Carries the database's `on_change` (called on whichever thread wrote) to the
    GUI thread, after the handler that wrote has returned."""

    changed = Signal(object)


def more_item(found: Found[SearchHit]) -> QStandardItem:
    """The line under the hits: how many more matched, chosen to list them all; under
    the whole list, that it stops at MATCH_CAP."""
    if found.more == 0:
        item = QStandardItem(f"…… 只列出前 {MATCH_CAP} 条，再多输入几个字可缩小范围")
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        return item
    count = f"{found.more} 多" if found.at_least else str(found.more)
    item = QStandardItem(f"…… 还有 {count} 条，选此行显示全部")
    item.setData(True, MORE_ROLE)
    item.setForeground(QColor("#1d5fa8"))
    return item


class MainWindow(QMainWindow):
    """Signals: lock_requested(), sign_out_requested(), closed(),
    data_changed(Changes) — after each committed write, on the GUI thread;
    restore_requested(Path) — a supervisor confirmed restoring this backup."""

    lock_requested = Signal()
    sign_out_requested = Signal()
    closed = Signal()
    data_changed = Signal(object)
    restore_requested = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self._screens: dict[str, QWidget] = {}
        self._hits: list[SearchHit] = []
        self._relay = _ChangeRelay(self)
        self._relay.changed.connect(self._changed, Qt.ConnectionType.QueuedConnection)
        self._on_change = self._relay.changed.emit
        ctx.db.on_change = self._on_change
        ctx.navigator.connect(self.go)
        self._build_navigation()
        self._build_search()
        self._build_status_bar()
        self.ui.lockAction.triggered.connect(self.lock_requested)
        self.ui.signOutAction.triggered.connect(self.sign_out_requested)
        self.ui.quitAction.triggered.connect(self.close)
        self.ui.aboutAction.triggered.connect(self._about)
        self._build_roster_actions()
        self.recent: list[SearchHit] = []
        self._recent_buttons: list[QPushButton] = []
        self._show_recent()
        self.show_area(FIRST_AREA)

    def show_on_screen(self) -> None:
        """Open maximised on the screen's area left by the taskbar (1366×728 on the
        commonest counter screen); restored, the window keeps to that area too."""
        screen = self.screen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.topLeft())  # where the frame goes; the size is inside it
            self.resize(usable_client(area.size()))
        self.showMaximized()

    # navigation -----------------------------------------------------------
    def _build_navigation(self) -> None:
        nav = self.ui.navList
        numbered = [a for a in AREAS if not a.shortcut]
        for area in AREAS:
            item = QListWidgetItem(area.title)
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            allowed = area.permission is None or self.ctx.can(area.permission)
            if not allowed:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setToolTip("当前角色无权使用")
            else:
                # the tenth numbered area answers Ctrl+0
                key = area.shortcut or f"Ctrl+{(numbered.index(area) + 1) % 10}"
                item.setToolTip(f"{area.title}（{key}）")
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.activated.connect(lambda key=area.key: self.enter_area(key))
            nav.addItem(item)
        if self.ctx.can(Permission.TAKE_WORK_ORDERS):
            QShortcut(QKeySequence(TAKE_CALL_KEY), self).activated.connect(lambda: self.take_call())
        nav.currentItemChanged.connect(
            lambda item, _old: item and self.show_area(item.data(Qt.ItemDataRole.UserRole))
        )

    def take_call(self, room_id: int | None = None) -> None:
        """F6 from anywhere (or 新建工单 in a household file, for its room): 受理 a call;
        the board shows the order taken."""
        from frontdesk.gui.screens.service_desk.intake_dialog import IntakeDialog

        dialog = IntakeDialog(self.ctx, self, room_id)
        if dialog.exec() == IntakeDialog.DialogCode.Accepted and dialog.taken is not None:
            screen = self.show_area("service")
            board = getattr(screen, "board", None)
            if board is not None:
                board.after_step(dialog.taken.order_id)

    def enter_area(self, key: str) -> None:
        """Ctrl+<n>: show the area with the cursor where its work starts."""
        screen = self.show_area(key)
        if isinstance(screen, FirstField):
            screen.focus_first_field()

    def area_enabled(self, key: str) -> bool:
        nav = self.ui.navList
        return any(
            nav.item(i).data(Qt.ItemDataRole.UserRole) == key
            and bool(nav.item(i).flags() & Qt.ItemFlag.ItemIsEnabled)
            for i in range(nav.count())
        )

    def show_area(self, key: str) -> QWidget | None:
        """Switch to an area (building its screen the first time); None if unavailable."""
        if not self.area_enabled(key):
            return None
        area = next(a for a in AREAS if a.key == key)
        screen = self._screens.get(key)
        if screen is None:
            screen = area.build(self.ctx)
            if not isinstance(screen, Screen):
                raise TypeError(f"{type(screen).__name__} lacks refresh() or changed()")
            self._screens[key] = screen
            self.ui.stack.addWidget(screen)
        self.ui.stack.setCurrentWidget(screen)
        self.ui.screenTitle.setText(area.title)
        nav = self.ui.navList
        for i in range(nav.count()):
            if nav.item(i).data(Qt.ItemDataRole.UserRole) == key and nav.currentRow() != i:
                nav.blockSignals(True)
                nav.setCurrentRow(i)
                nav.blockSignals(False)
        if isinstance(screen, Screen):
            screen.refresh()
        return screen

    def area_screen(self, key: str) -> QWidget | None:
        return self._screens.get(key)

    # search ---------------------------------------------------------------
    def _build_search(self) -> None:
        edit = self.ui.searchEdit
        self._search_model = QStandardItemModel(self)
        completer = QCompleter(self._search_model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setWidget(edit)
        # The stubs do not know activated's overloads (str, QModelIndex): pick the second.
        activated = completer.activated[QModelIndex]  # type: ignore[index]
        activated.connect(self._open_index)
        self._completer = completer
        edit.textEdited.connect(self.update_search)
        edit.returnPressed.connect(self._open_first)
        for keys in (QKeySequence.StandardKey.Find, QKeySequence(Qt.Key.Key_F3)):
            QShortcut(keys, self).activated.connect(self.focus_search)

    def focus_search(self) -> None:
        self.ui.searchEdit.setFocus()
        self.ui.searchEdit.selectAll()

    def _popup(self) -> QAbstractItemView:
        popup = self._completer.popup()
        assert popup is not None  # a completer always has its list
        return popup

    def update_search(self, text: str, *, every: bool = False) -> list[SearchHit]:
        """Show the best hits under the field (every match with `every`), and a line
        saying how many more there are; returns the hits shown."""
        limit = MATCH_CAP if every else DEFAULT_LIMIT
        try:
            found = search(self.ctx.db, self.ctx.actor, text, limit, self._building())
        except FrontDeskError as exc:
            self.statusBar().showMessage(exc.message, 5000)
            found = Found((), 0)
        self._hits = list(found.hits)
        self._search_model.clear()
        for hit in self._hits:
            item = QStandardItem(f"{hit.title}    {hit.subtitle}")
            item.setData(hit, HIT_ROLE)
            self._search_model.appendRow(item)
        if found.more > 0 or found.at_least:
            self._search_model.appendRow(more_item(found))
        self._completer.setMaxVisibleItems(min(self._search_model.rowCount(), POPUP_ROWS))
        if self._hits:
            self._completer.complete()
        else:
            self._popup().hide()
        return self._hits

    def _building(self) -> int | None:
        """The building chosen in the room browser: a bare room number means one of its rooms."""
        screen = self.area_screen("households")
        return screen.current_filter().building_id if isinstance(screen, RoomsScreen) else None

    def _open_index(self, index: QModelIndex) -> None:
        if index.data(MORE_ROLE):
            # after the completer has closed its popup on this activation
            QTimer.singleShot(0, self.show_every_match)
            return
        self.open_hit(index.data(HIT_ROLE))

    def show_every_match(self) -> None:
        """The "还有 N 条" line chosen: the popup lists every match of the text, the
        first of those not shown before highlighted, so the arrow keys go on from there."""
        shown = len(self._hits)
        self.update_search(self.ui.searchEdit.text(), every=True)
        if len(self._hits) > shown:
            self._popup().setCurrentIndex(self._search_model.index(shown, 0))

    def _open_first(self) -> None:
        if self._popup().isVisible():
            return  # the completer's own Enter handling picks the highlighted row
        hits = self.update_search(self.ui.searchEdit.text())
        if hits:
            self.open_hit(hits[0])
        elif self.ui.searchEdit.text().strip():
            self.statusBar().showMessage("没有找到匹配的住户", 4000)

    def open_hit(self, hit: SearchHit) -> None:
        self._popup().hide()
        self.remember(hit)
        if hit.kind == "room":
            self.go(HouseholdFile(hit.id))

    # going where a screen asks ----------------------------------------------
    def go(self, place: Place) -> bool:
        """Show `place` (ctx.navigator's handler); False where this role cannot go."""
        match place:
            case AreaList(key, tab):
                screen = self.show_area(key)
                if screen is None or (tab and not show_tab(screen, tab)):
                    return False
            case HouseholdFile(room_id):
                rooms = self.show_area("households")
                if not isinstance(rooms, RoomsScreen):
                    return False
                # after the search's completer has let go of the keyboard
                QTimer.singleShot(0, lambda: rooms.open_room(room_id))
            case Counter(room_id):
                from frontdesk.gui.screens.cashier.screen import CashierScreen

                cashier = self.show_area("cashier")
                if not isinstance(cashier, CashierScreen) or cashier.counter is None:
                    return False
                cashier.open_room(room_id)
            case FileWindow(room_id, over):
                from frontdesk.gui.screens.household.file_dialog import FileDialog

                FileDialog(self.ctx, room_id, over).exec()
            case RestoreBackup(backup):
                self.restore_requested.emit(backup)  # the signed-in session restores
            case NewWorkOrder(room_id):
                if not self.area_enabled("service"):
                    return False
                self.take_call(room_id)
            case WorkOrderView(order_id, over):
                if not self.area_enabled("service"):
                    return False
                from frontdesk.gui.screens.service_desk.order_view import OrderViewDialog

                OrderViewDialog(self.ctx, order_id, over).exec()
            case ReceiptJournal(number):
                from frontdesk.gui.screens.cashier.screen import CashierScreen

                cashier = self.show_area("cashier")
                if not isinstance(cashier, CashierScreen) or cashier.receipts is None:
                    return False
                cashier.show_tab("收据")
                cashier.receipts.show_receipt(number)
        return True

    # what the database changed ------------------------------------------------
    def _changed(self, changes: Changes) -> None:
        """The screen on show reloads what the change concerns; the others reload
        when next shown (as they do on every show)."""
        screen = self.ui.stack.currentWidget()
        if isinstance(screen, Screen):
            screen.changed(changes)
        if changes.touches([DataArea.COMMUNITY]):
            self._show_title()
        self.data_changed.emit(changes)

    # recently opened files -----------------------------------------------
    def remember(self, hit: SearchHit) -> None:
        """Keep the last files opened one click away (newest first, no repeats)."""
        self.recent = [hit, *(h for h in self.recent if (h.kind, h.id) != (hit.kind, hit.id))]
        del self.recent[RECENT_COUNT:]
        self._show_recent()

    def _show_recent(self) -> None:
        bar = self.ui.recentBar
        for button in self._recent_buttons:
            bar.removeWidget(button)
            button.deleteLater()
        self._recent_buttons = []
        for position, hit in enumerate(self.recent, 1):
            owners = hit.subtitle.split(" · ")[1] if " · " in hit.subtitle else ""
            button = QPushButton(f"{hit.title} {owners}".strip())
            button.setFlat(True)
            button.setToolTip(hit.subtitle)
            button.setStyleSheet("QPushButton { color: #1d5fa8; padding: 0 6px; }")
            button.clicked.connect(lambda _checked=False, h=hit: self.open_hit(h))
            bar.insertWidget(position, button)
            self._recent_buttons.append(button)
        self.ui.recentCaption.setVisible(bool(self.recent))

    # owner roster -----------------------------------------------------------
    def _build_roster_actions(self) -> None:
        allowed = self.ctx.can(Permission.IMPORT_HOUSEHOLDS)
        self.ui.importAction.setVisible(allowed)
        self.ui.exportAction.setVisible(allowed and self.ctx.can(Permission.REVEAL_PERSONAL_DATA))
        self.ui.importAction.triggered.connect(self.import_roster)
        self.ui.exportAction.triggered.connect(self.export_roster)

    def import_roster(self) -> None:
        from frontdesk.domain.onboarding import ImportKind
        from frontdesk.gui.screens.admin.import_wizard import ImportWizard

        # the households screen learns of it as a change
        ImportWizard(self.ctx, self, kind=ImportKind.PEOPLE).exec()

    def export_roster(self) -> None:
        default = f"业主名册-{clock.today():%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出业主名册", default, "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        ctx = self.ctx

        def work(progress: Progress) -> int:
            from frontdesk.services.households import roster

            return roster.export_roster(ctx.db, ctx.actor, Path(path), progress)

        def done(count: int) -> None:
            QMessageBox.information(
                self,
                "导出业主名册",
                f"已导出 {count} 人到\n{path}\n文件含完整证件号码和电话，请妥善保管。",
            )

        ctx.tasks.run(self, "正在导出业主名册…", work, done)

    # status bar and about -------------------------------------------------
    def _build_status_bar(self) -> None:
        actor = self.ctx.actor
        bar = self.statusBar()
        self.user_label = QLabel(f"当前用户：{actor.display_name}（{actor.role.label}）")
        # Which community and whether it is connected; where the file lies is for the
        # people who look after it (a tooltip here, and 关于).
        self.db_label = QLabel()
        if self.ctx.can(Permission.MANAGE_BACKUPS):
            self.db_label.setToolTip(self._database_place())
        self._show_title()
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.db_label)
        self.connection_status: ConnectionStatus | None = None
        location = self.ctx.db.location
        if isinstance(location, ServerLocation):
            self.connection_status = ConnectionStatus(self.ctx.db, location.server)
            bar.addPermanentWidget(self.connection_status)
            self.connection_status.start()
        if clock.is_set():  # every record would carry this date: never let it pass unseen
            self.clock_label = QLabel(f"日期已设定为 {clock.today():%Y-%m-%d}（非当前日期）")
            self.clock_label.setStyleSheet("color: #b00020; font-weight: bold;")
            bar.addPermanentWidget(self.clock_label)
        # Backups run for everyone; supervisors see how old the newest one is.
        self.backup_scheduler = BackupScheduler(self.ctx.db, self)
        self.backup_status: BackupStatus | None = None
        if self.ctx.can(Permission.VIEW_AUDIT):
            self.backup_status = BackupStatus(self.ctx.db)
            bar.addPermanentWidget(self.backup_status)
            self.backup_scheduler.finished.connect(self.backup_status.backed_up)
            self.backup_scheduler.failed.connect(self.backup_status.failed)
            self.backup_scheduler.timer.timeout.connect(self.backup_status.refresh)
        self.backup_scheduler.start()

    def _show_title(self) -> None:
        try:
            name = community.get_community(self.ctx.db).name
        except FrontDeskError:
            name = ""
        self.setWindowTitle(f"物业前台 — {name}" if name else "物业前台")
        # a server's connection has its own word beside it (ConnectionStatus)
        connected = "" if self.ctx.db.on_server else "本机数据库已连接"
        self.db_label.setText("　".join(part for part in (name, connected) if part))

    def _database_place(self) -> str:
        return f"数据库：{self.ctx.db.place}"

    def _about(self) -> None:
        text = f"物业前台 {__version__}\n小区物业服务中心前台管理软件。"
        if self.ctx.can(Permission.MANAGE_BACKUPS):
            text += f"\n\n{self._database_place()}"
        QMessageBox.about(self, "关于物业前台", text)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.backup_scheduler.stop()  # a closed window's database is not backed up hourly
        if self.connection_status is not None:
            self.connection_status.stop()
        if self.ctx.db.on_change is self._on_change:
            self.ctx.db.on_change = None  # the next window (after a sign-out) sets its own
        self.closed.emit()
