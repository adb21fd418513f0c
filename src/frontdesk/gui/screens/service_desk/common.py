"""What the desk's lists show of an order, Qt-free: its clock in words and colour, the
cells of a row, the alert line, the board's filters, and a paid repair's charge in
words; the appointment slot typed at intake is read by domain/appointments.py
(re-exported here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from frontdesk.domain.appointments import parse_slot as parse_slot  # read as the CLI reads it
from frontdesk.domain.money import format_yuan
from frontdesk.domain.service_desk import Kind, Light, Status, clock_words
from frontdesk.gui.widgets.colours import AMBER, GREEN, GREY, RED
from frontdesk.services.service_desk.repairs import CHARGEABLE, ChargeState, RepairChargeRow
from frontdesk.services.service_desk.views import OrderRow

REFRESH_MS = 60_000  # the board and the callback list read again every minute
LIGHT_COLOURS = {Light.GREEN: GREEN, Light.AMBER: AMBER, Light.RED: RED}
LIGHT_BACKGROUNDS = {Light.AMBER: "#fff1c2", Light.RED: "#fbe3e0"}

COLUMNS = (
    "时限",
    "工单号",
    "类型",
    "类别",
    "紧急",
    "位置",
    "联系人",
    "首问负责人",
    "派给",
    "状态",
    "问题描述",
)
CLOCK = 0


def clock_text(row: OrderRow) -> str:
    """`到场剩 25 分`, `完工已超时 1 小时 05 分`, `已暂停`, or "" when nothing is due."""
    return clock_words(row.stage, row.remaining, row.paused)


def clock_colour(row: OrderRow) -> str:
    if row.paused or row.light is None:
        return GREY
    return LIGHT_COLOURS[row.light]


def sent_to(row: OrderRow) -> str:
    team = row.team.label if row.team is not None else ""
    if row.staff:
        return f"{row.staff}（{team}）" if team else row.staff
    return f"{team}班组" if team else ""


def status_text(row: OrderRow) -> str:
    return row.status.label + ("·暂停" if row.paused else "")


def row_cells(row: OrderRow) -> list[str]:
    return [
        clock_text(row),
        row.number,
        row.kind.label,
        row.category,
        row.urgency.label,
        row.where,
        row.caller,
        row.taken_by,
        sent_to(row),
        status_text(row),
        row.description,
    ]


def alert_text(rows: Sequence[OrderRow]) -> str:
    """The line over the board: how many promises are broken and about to be, the
    first of each named; "" when every clock is green."""
    late = [r for r in rows if r.light == Light.RED and not r.paused]
    near = [r for r in rows if r.light == Light.AMBER and not r.paused]
    parts = []
    if late:
        first = late[0]
        parts.append(f"{len(late)} 单已超时（最早 {first.number} {clock_text(first)}）")
    if near:
        first = near[0]
        parts.append(f"{len(near)} 单即将超时（{first.number} {clock_text(first)}）")
    return "；".join(parts)


class Showing(Enum):
    OPEN = "未关闭"
    OVERDUE = "已超时"
    NEAR = "即将超时和已超时"


@dataclass(frozen=True)
class BoardFilter:
    kind: Kind | None = None
    showing: Showing = Showing.OPEN
    building_id: int | None = None

    def keeps(self, row: OrderRow) -> bool:
        if self.kind is not None and row.kind != self.kind:
            return False
        if self.building_id is not None and row.building_id != self.building_id:
            return False
        if self.showing == Showing.OVERDUE:
            return row.light == Light.RED and not row.paused
        if self.showing == Showing.NEAR:
            return row.light in (Light.RED, Light.AMBER) and not row.paused
        return True


def charge_text(charges: Sequence[RepairChargeRow]) -> str:
    """The line under the board for the selected order's paid repair: the live charge
    (待缴费, or 已缴费 with its receipt), else the last voided one with its reason; ""
    for an order never charged."""
    if not charges:
        return ""
    live = [c for c in charges if c.state != ChargeState.VOIDED]
    shown = live[-1] if live else charges[-1]
    head = f"维修费 {format_yuan(shown.total_fen)} 元"
    if shown.state == ChargeState.PAID:
        return f"{head}：已收，收据 {shown.receipt_number}"
    if shown.state == ChargeState.OPEN:
        paid = f"，已收 {format_yuan(shown.paid_fen)} 元" if shown.paid_fen else ""
        return f"{head}：待收（在住户账单中，到收费处缴纳{paid}）"
    return f"{head}：已作废（{shown.void_reason}）"


def chargeable(row: OrderRow) -> str:
    """Why the order cannot be charged for as a paid repair ("" if it can): an in-home
    repair of a room, on site or done (an order still on site is finished with it)."""
    if row.kind != Kind.REPAIR_HOME or row.room_id is None:
        return "只有户内报修可以有偿维修"
    if row.status not in (Status.ARRIVED, *CHARGEABLE) or row.paused:
        return f"工单{status_text(row)}，维修人员到场后才能收费"
    return ""
