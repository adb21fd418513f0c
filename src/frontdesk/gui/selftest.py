"""`frontdesk selftest`: open the main window and every screen and dialog offscreen,
save a PNG of each, and fail if any of them raised.

Without --db it runs on a fresh demo community in a temporary folder, so it can
be run on any machine (and in the frozen build) without touching real data.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QSize,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from frontdesk.domain import clock
from frontdesk.gui.fit import cut_off, oversize, usable

if TYPE_CHECKING:
    from frontdesk.domain.location import DatabaseLocation
    from frontdesk.gui.context import AppContext
    from frontdesk.gui.screens.cashier.refund_dialog import RefundDialog
    from frontdesk.gui.screens.notices.live_preview import LivePreview

SCREEN_SIZE = (1366, 768)  # the commonest counter screen; `selftest --size` tries another
SIZED_BY_SELFTEST = "sized_by_selftest"
# The offscreen platform has no window manager; these say so and mean nothing.
OFFSCREEN_NOISE = "This plugin does not support"


@contextmanager
def _database(given: DatabaseLocation | None) -> Iterator[DatabaseLocation | Path]:
    """The database given (a file or a server's), or a demo made for the test."""
    if given is not None:
        yield given
        return
    from frontdesk.demo import DEMO_PASSPHRASE, build_demo
    from frontdesk.demo.notices import add_demo_notices
    from frontdesk.demo.order_photos import add_demo_order_photos
    from frontdesk.demo.surveys import add_demo_surveys
    from frontdesk.services.database import PASSPHRASE_VARIABLE, open_at

    with tempfile.TemporaryDirectory(prefix="frontdesk-selftest-") as folder:
        path = Path(folder) / "selftest.sqlite"
        build_demo(path, households=500, seed=7)
        os.environ.setdefault(PASSPHRASE_VARIABLE, DEMO_PASSPHRASE)
        db = open_at(path)
        try:
            add_demo_notices(db)
            add_demo_order_photos(db)
            add_demo_surveys(db)
        finally:
            db.dispose()
        yield path


class _Shots:
    def __init__(self, folder: Path | None, screen: tuple[int, int] = SCREEN_SIZE) -> None:
        self.folder = folder
        self.count = 0
        self.failures: list[str] = []
        self.key_problems: set[str] = set()
        self.room = usable(QSize(*screen))
        self.screen = screen
        self._too_big: set[str] = set()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def qt_message(self, kind: QtMsgType, _context: QMessageLogContext, text: str) -> None:
        if kind != QtMsgType.QtDebugMsg and not text.startswith(OFFSCREEN_NOISE):
            self.failures.append(f"Qt: {text}")

    def take(self, name: str, make: Callable[[], QWidget], settle_ms: int = 0) -> QWidget | None:
        try:
            widget = make()
            widget.show()
            QApplication.processEvents()
            if settle_ms:
                _wait(settle_ms)
            self.check_fits(name, widget)
            if self.folder is not None:
                self.count += 1
                widget.grab().save(str(self.folder / f"{self.count:02d}-{name}.png"))
            self.check_keys(name, widget)
            return widget
        except Exception:
            self.failures.append(f"{name}:\n{traceback.format_exc()}")
            return None

    def check_keys(self, name: str, widget: QWidget) -> None:
        """Two mnemonics or shortcuts of one window on the same key, or an underlined
        letter that does nothing, fail the selftest (once each, though the main window
        is shot on every screen)."""
        from frontdesk.gui.mnemonics import key_problems

        for text in key_problems(widget):
            if text not in self.key_problems:
                self.key_problems.add(text)
                self.failures.append(f"{name}: 快捷键：{text}")

    def check_fits(self, name: str, window: QWidget) -> None:
        """A window that needs more than the screen leaves (taskbar, title bar) fails,
        naming what is too big; a main window's culprit once, not on every later shot."""
        # A size the selftest chose (a page preview shown whole) is not the window's own.
        opened = not window.property(SIZED_BY_SELFTEST)
        for problem in [*oversize(window, self.room, opened=opened), *cut_off(window)]:
            if problem not in self._too_big:
                self._too_big.add(problem)
                width, height = self.screen
                self.failures.append(f"{name}: 在 {width}×{height} 的屏幕上放不下：{problem}")


def _check_qt_chinese(shots: _Shots) -> None:
    """Qt's own buttons and dialogs must speak Chinese (a frozen build that lost the
    translations would show Cancel/Save)."""
    from PySide6.QtWidgets import QDialogButtonBox

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    text = box.button(QDialogButtonBox.StandardButton.Cancel).text()
    if "取消" not in text:
        shots.failures.append(f"Qt 自带按钮没有中文翻译（显示为“{text}”）")


def _wait(ms: int) -> None:
    """Let work that Qt does on its own threads (PDF page rendering) finish."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _sized(widget: QWidget, width: int, height: int) -> QWidget:
    widget.resize(width, height)
    widget.setProperty(SIZED_BY_SELFTEST, True)
    return widget


def run_selftest(
    given: DatabaseLocation | None, screenshots: Path | None, screen: tuple[int, int] = SCREEN_SIZE
) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from frontdesk.domain.roles import Actor, Role
    from frontdesk.gui.app import create_application
    from frontdesk.gui.connect_dialog import ConnectDatabaseDialog
    from frontdesk.gui.context import AppContext
    from frontdesk.gui.data_key_dialog import DataKeyDialog
    from frontdesk.gui.login import FirstRunDialog, LoginDialog
    from frontdesk.gui.main_window import AREAS, MainWindow
    from frontdesk.gui.screens.household.screen import BuildingDialog, RoomDialog, RoomsScreen
    from frontdesk.gui.selftest_import import walk_import_wizard
    from frontdesk.gui.tasks import TaskRunner
    from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
    from frontdesk.printouts import household_card, room_summary
    from frontdesk.services.database import open_at
    from frontdesk.services.households import structure
    from frontdesk.services.protection.data_key import KeyState

    create_application()
    shots = _Shots(screenshots, screen)
    qInstallMessageHandler(shots.qt_message)
    _check_qt_chinese(shots)
    actor = Actor(None, "selftest", "自检", Role.ADMIN)
    with _database(given) as where:
        db = open_at(where)
        try:
            # Each screen is shot once its reads are in: the GUI thread waits for
            # each task (which still runs on the worker thread).
            ctx = AppContext(db, actor, TaskRunner(wait=True))
            shots.take("login", lambda: LoginDialog(db))
            shots.take("unlock", lambda: LoginDialog(db, locked=actor))
            shots.take("first-run", lambda: FirstRunDialog(db))
            shots.take("data-key", lambda: DataKeyDialog(db, KeyState.NEEDS_RECOVERY))
            shots.take(
                "connect-database",
                lambda: ConnectDatabaseDialog(db.location, Path("frontdesk.sqlite")),
            )
            # Maximised: the screen less the taskbar and the window's title bar.
            window = shots.take(
                "main-window",
                lambda: _sized(MainWindow(ctx), shots.room.width(), shots.room.height()),
            )
            if isinstance(window, MainWindow):
                # A household with people, so the file's tabs have something to show.
                window.open_hit(window.update_search("1-1-1201")[0])
                _wait(200)
                _all_areas(window, shots, [a.key for a in AREAS if a.build is not None])
                rooms = window.area_screen("households")
                if isinstance(rooms, RoomsScreen):
                    window.show_area("households")
                    window.update_search("1201")
                    shots.take("search", lambda: window)
                    window.open_hit(window.update_search("1-1-1201")[0])
                    QApplication.processEvents()
                    room = rooms.selected_room()
                    if room is not None:
                        shots.take("room-dialog", lambda: RoomDialog(room))
                        _household_dialogs(ctx, room.id, shots)
                        _every_dialog(ctx, room.id, window, shots)
                _cashier(window, ctx, shots)
                _home_screens(ctx, shots)
                _visitor_papers(ctx, shots)
                _movein_papers(ctx, shots)
                _notices(window, shots)
                _charts(window, shots)
                shots.take("building-dialog", lambda: BuildingDialog())
                with tempfile.TemporaryDirectory(prefix="frontdesk-selftest-") as folder:
                    walk_import_wizard(ctx, Path(folder), shots.take)
                window.close()
            pdf = room_summary(db, actor).pdf
            shots.take(
                "pdf-preview",
                lambda: _sized(PdfPreviewDialog(pdf, "房屋统计表", "x.pdf"), 900, 820),
                settle_ms=800,
            )
            card = household_card(db, actor, structure.find_room_id(db, actor, "1-1-1201")).pdf
            shots.take(
                "household-card",
                lambda: _sized(PdfPreviewDialog(card, "户档案卡", "x.pdf"), 900, 1000),
                settle_ms=800,
            )
        finally:
            db.dispose()
    for failure in shots.failures:
        print(f"失败：{failure}", file=sys.stderr)
    print(f"自检：{shots.count} 张截图，{len(shots.failures)} 处失败")
    return 1 if shots.failures else 0


def _home_screens(ctx: AppContext, shots: _Shots) -> None:
    """今日工作 as the first user of each role at the desk sees it after sign-in."""
    from frontdesk.domain.roles import Actor, Role
    from frontdesk.gui.context import AppContext
    from frontdesk.gui.main_window import MainWindow
    from frontdesk.services import users

    found = users.list_users(ctx.db, ctx.actor)
    relay = ctx.db.on_change  # the main window's, taken over by each of these while open
    for role in (Role.CLERK, Role.CASHIER, Role.BUTLER, Role.SUPERVISOR):
        user = next((u for u in found if u.role == role and u.active), None)
        if user is None:
            shots.failures.append(f"home-{role}：没有{role.label}用户")
            continue
        actor = Actor(user.id, user.username, user.display_name, role)
        signed_in = AppContext(ctx.db, actor, ctx.tasks)

        def home(signed_in: AppContext = signed_in) -> QWidget:
            return _sized(MainWindow(signed_in), shots.room.width(), shots.room.height())

        window = shots.take(f"home-{role}", home)
        if window is not None:
            window.close()
    ctx.db.on_change = relay


def _household_dialogs(ctx: AppContext, room_id: int, shots: _Shots) -> None:
    from frontdesk.gui.screens.household.attachments_tab import AttachmentDialog
    from frontdesk.gui.screens.household.contacts_tab import ContactDialog
    from frontdesk.services.households import file as households

    file = households.open_file(ctx.db, ctx.actor, room_id)
    shots.take("contact-dialog", lambda: ContactDialog(ctx, file))
    shots.take("attachment-dialog", lambda: AttachmentDialog(Path("不动产权证扫描件.pdf")))


def _every_dialog(ctx: AppContext, room_id: int, window: QWidget, shots: _Shots) -> None:
    """The dialogs not shown beside their screens (gui/selftest_dialogs.py), each hidden
    once shot so the next one is not drawn over it."""
    from frontdesk.gui.selftest_dialogs import every_dialog

    try:
        dialogs = every_dialog(ctx, room_id, window)
    except Exception:
        shots.failures.append(f"dialogs:\n{traceback.format_exc()}")
        return
    for name, make in dialogs:
        dialog = shots.take(name, make)
        if dialog is not None:
            dialog.hide()


def _by_transfer(dialog: RefundDialog) -> RefundDialog:
    """The refund dialog as a transfer shows it: with 户名, 开户行 and 账号."""
    from frontdesk.domain.fees import PayMethod

    combo = dialog.ui.methodCombo
    combo.setCurrentIndex(combo.findData(PayMethod.TRANSFER))
    return dialog


def _cashier(window: QWidget, ctx: AppContext, shots: _Shots) -> None:
    """The counter on a room that owes, the refund dialog, a receipt and the daily report."""

    from frontdesk.documents.receipt import receipt_pdf
    from frontdesk.domain.fees import Paper
    from frontdesk.gui.screens.cashier.refund_dialog import RefundDialog
    from frontdesk.gui.screens.cashier.screen import CashierScreen
    from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
    from frontdesk.printouts import daily_report, letterhead, receipt_doc
    from frontdesk.services.fees import grid as fee_grid
    from frontdesk.services.fees import receipts
    from frontdesk.services.fees.grid import FeeState
    from frontdesk.services.fees.journal import receipt_journal
    from frontdesk.services.households import structure

    screen = window.show_area("cashier")  # type: ignore[attr-defined]
    if not isinstance(screen, CashierScreen):
        return
    building = structure.list_buildings(ctx.db, ctx.actor)[0].id
    rooms = fee_grid.building_fee_states(ctx.db, ctx.actor, building)
    owing = next((r for r in rooms if r.state == FeeState.OWING), rooms[0])
    screen.open_room(owing.room_id)
    shots.take("cashier-counter", lambda: window)
    shots.take("refund-dialog", lambda: _by_transfer(RefundDialog(ctx, owing.room_id, owing.code)))
    journal = receipt_journal(ctx.db, ctx.actor)
    latest = next((r for r in journal if not r.voided and not r.is_refund), None)
    if latest is not None:
        # Rendered without logging a print: the selftest must not mark a real receipt 补打.
        view = receipts.receipt_view(ctx.db, ctx.actor, latest.number)
        pdf = receipt_pdf(letterhead(ctx.db), receipt_doc(view, ("客户联",)), Paper.A5)
        shots.take(
            "receipt",
            lambda: _sized(PdfPreviewDialog(pdf, "收据", "x.pdf"), 900, 760),
            settle_ms=800,
        )
        day = latest.issued_at.astimezone().date()
    else:
        day = clock.today()
    report = daily_report(ctx.db, ctx.actor, day).pdf
    shots.take(
        "daily-report",
        lambda: _sized(PdfPreviewDialog(report, "收费日报", "x.pdf"), 900, 1000),
        settle_ms=800,
    )


def _visitor_papers(ctx: AppContext, shots: _Shots) -> None:
    """A 访客单 of someone inside now, and the roll-call list."""
    from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
    from frontdesk.printouts import visitors as visitor_printouts
    from frontdesk.services.visitors import register as visitors

    inside = visitors.inside_now(ctx.db, ctx.actor).rows
    if inside:
        pdf = visitor_printouts.visitor_pass(ctx.db, ctx.actor, inside[-1].id).pdf
        shots.take(
            "visitor-pass",
            lambda: _sized(PdfPreviewDialog(pdf, "访客单", "x.pdf"), 600, 900),
            settle_ms=800,
        )
    roll = visitor_printouts.roll_call(ctx.db, ctx.actor).pdf
    shots.take(
        "visitor-roll-call",
        lambda: _sized(PdfPreviewDialog(roll, "在场访客点名表", "x.pdf"), 1100, 800),
        settle_ms=800,
    )


def _movein_papers(ctx: AppContext, shots: _Shots) -> None:
    """The move-in papers of the demo batch's first room, and the owner handbook."""
    from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
    from frontdesk.printouts import movein as movein_printouts
    from frontdesk.services.movein import handover as movein

    batches = movein.list_batches(ctx.db, ctx.actor)
    if batches:
        room = movein.batch_board(ctx.db, ctx.actor, batches[0].id).rows[0].room_id
        papers = movein_printouts.movein_set(ctx.db, ctx.actor, room).pdf
        shots.take(
            "movein-papers",
            lambda: _sized(PdfPreviewDialog(papers, "入伙资料", "x.pdf"), 900, 1000),
            settle_ms=800,
        )
    book = movein_printouts.owner_handbook(ctx.db, ctx.actor).pdf
    shots.take(
        "owner-handbook",
        lambda: _sized(PdfPreviewDialog(book, "业主手册", "x.pdf"), 700, 900),
        settle_ms=800,
    )


def _notices(window: QWidget, shots: _Shots) -> None:
    """发布通知 filled in for two buildings with its preview, and a template open."""
    from frontdesk.domain.notices import FieldKind
    from frontdesk.gui.screens.notices.screen import NoticesScreen

    screen = window.show_area("notices")  # type: ignore[attr-defined]
    if not isinstance(screen, NoticesScreen) or screen.issue is None:
        return
    tab = screen.issue
    screen.ui.tabs.setCurrentWidget(tab)
    keys = [t.key for t in tab.templates]
    if "water_outage" in keys:
        tab.ui.templateList.setCurrentRow(keys.index("water_outage"))
    if tab.template is not None:
        for field in tab.template.fields:  # an example is what the hint is
            if field.kind is FieldKind.TEXT and not tab.inputs[field.name].text():
                tab.inputs[field.name].set_text(field.hint)
    names = [b.name for b in tab.buildings]
    two: list[str] = [n for n in ("3栋", "5栋") if n in names]
    tab.tick_buildings(two if len(two) == 2 else [n for n in names if n.endswith("栋")][:2])
    _settle(tab.live)
    shots.take("notices-issue", lambda: window, settle_ms=800)
    if screen.templates is not None:
        screen.ui.tabs.setCurrentWidget(screen.templates)
        _settle(screen.templates.live)
        shots.take("notices-templates", lambda: window, settle_ms=800)


def _charts(window: QWidget, shots: _Shots) -> None:
    """报表 → 统计图表: each chart in the main window."""
    from frontdesk.gui.screens.reports.screen import ReportsScreen

    screen = window.show_area("reports")  # type: ignore[attr-defined]
    if not isinstance(screen, ReportsScreen) or screen.figures is None:
        return
    tab = screen.figures
    screen.ui.tabs.setCurrentWidget(tab)
    for chart in tab.charts:
        tab.choose(chart.key)
        shots.take(f"chart-{chart.key}", lambda: window)


def _settle(live: LivePreview, limit_ms: int = 10_000) -> None:
    """Until a notice preview shows its form as it is (rendered on the task runner)."""
    live.render_now()
    for _ in range(limit_ms // 50):
        if live.idle:
            return
        _wait(50)


def _all_areas(window: QWidget, shots: _Shots, keys: list[str]) -> None:
    for key in keys:
        screen = window.show_area(key)  # type: ignore[attr-defined]
        shots.take(f"area-{key}", lambda: window)
        tabs = screen.findChild(QTabWidget) if screen is not None else None
        if tabs is not None:
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                # a tab showing a PDF (客服月报) renders its pages on Qt's threads
                showing_pdf = tabs.widget(index).findChild(QPdfView) is not None
                shots.take(
                    f"area-{key}-tab{index + 1}", lambda: window, settle_ms=800 * showing_pdf
                )
