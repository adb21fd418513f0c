"""访客 tab: who came to this household, the bookings still to come, and the
visitors coming so often they may be living here unregistered."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.visitors import FREQUENT_DAYS, FREQUENT_VISITS
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.household_visits_tab_ui import Ui_VisitsTab
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.visitors.order_choice import purpose_text
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.households.file import HouseholdFile
from frontdesk.services.visitors import bookings as visitor_bookings
from frontdesk.services.visitors import history as visitor_history
from frontdesk.services.visitors.bookings import BookingRow
from frontdesk.services.visitors.register import VisitRow

COLUMNS = ("访客单号", "到达", "离开", "访客", "电话", "人数", "车牌", "事由", "确认方式")
BOOKING_COLUMNS = ("预约码", "时段", "访客", "电话", "人数", "预约人", "状态")


def frequent_visitors(rows: list[VisitRow], now: datetime) -> list[tuple[str, int]]:
    """Visitors who came more than FREQUENT_VISITS times in the last FREQUENT_DAYS days."""
    since = now - timedelta(days=FREQUENT_DAYS)
    counts = Counter(f"{r.visitor}（{r.phone}）" for r in rows if r.arrived_at >= since)
    return [(who, n) for who, n in counts.most_common() if n > FREQUENT_VISITS]


def _left_text(row: VisitRow) -> str:
    """13:05 when they left the day they came; the state while they are still inside."""
    if row.left_at is None:
        return row.state.label
    left, came = row.left_at.astimezone(), row.arrived_at.astimezone()
    return f"{left:%H:%M}" if left.date() == came.date() else f"{left:%m-%d %H:%M}"


class VisitsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.file: HouseholdFile | None = None
        self.ui = ui = Ui_VisitsTab()
        ui.setupUi(self)
        set_headers(ui.table, COLUMNS)
        set_headers(ui.bookingsTable, BOOKING_COLUMNS)
        ui.bookButton.clicked.connect(self.ask_book)

    def open_room(self, room_id: int, file: HouseholdFile) -> None:
        self.file, ctx = file, self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: (
                visitor_history.room_visits(ctx.db, ctx.actor, room_id),
                visitor_bookings.list_bookings(ctx.db, ctx.actor, room_id=room_id, open_only=True),
            ),
            title="访客",
        ).success(lambda found: self._show(*found)).run()

    def _show(self, rows: list[VisitRow], bookings: list[BookingRow]) -> None:
        self._show_visits(rows)
        fill_rows(
            self.ui.bookingsTable,
            [
                (
                    b.code,
                    b.window_text,
                    b.visitor,
                    b.phone,
                    str(b.party_size),
                    b.booked_by,
                    b.state.label,
                )
                for b in bookings
            ],
        )
        self.ui.bookingsCaption.setText(
            f"待到访的预约（{len(bookings)}）" if bookings else "待到访的预约：无"
        )
        self.ui.bookingsTable.setVisible(bool(bookings))

    def _show_visits(self, rows: list[VisitRow]) -> None:
        fill_rows(
            self.ui.table,
            [
                (
                    r.number,
                    local_time(r.arrived_at, seconds=False),
                    _left_text(r),
                    r.visitor,
                    r.phone,
                    str(r.party_size),
                    r.plate,
                    purpose_text(r),
                    r.confirmation_text,
                )
                for r in rows
            ],
        )
        frequent = frequent_visitors(rows, clock.now())
        if frequent:
            names = "、".join(f"{who} {n} 次" for who, n in frequent)
            self.ui.hintLabel.setText(
                f"<span style='color:#b7791f'>近 {FREQUENT_DAYS} 天频繁到访：{names}。"
                "可能是未登记的住户或租客，请管家核实并补登户档案。</span>"
            )
        else:
            self.ui.hintLabel.setText(
                "<span style='color:#5f6b7a'>访客个人信息按访客设置的期限保存，"
                "到期后只保留到访次数等匿名统计。</span>"
            )
        self.ui.countLabel.setText(f"共 {len(rows)} 次到访")

    def ask_book(self) -> None:
        """An owner on the phone to their butler books a visitor from the file itself."""
        from frontdesk.gui.screens.visitors.bookings_tab import BookingDialog, code_message

        if self.file is None:
            return
        file = self.file
        dialog = BookingDialog(self.ctx, self)
        owners = "、".join(p.name for p in file.owners) or "无产权人登记"
        dialog.room.set_room(file.room.id, f"{file.room.code}（{owners}）")
        dialog.ui.nameEdit.setFocus()
        if dialog.exec() and dialog.booking is not None:
            self.open_room(file.room.id, file)
            QMessageBox.information(self, "预约已保存", code_message(dialog.booking))
