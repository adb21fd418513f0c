"""What the office may erase of one person's records: one rule per kind.

Each rule returns (erasable, reason): what erasing does, or why the record is kept.
Finding (services.personal_data) shows them; erasing (services.personal_erase) asks
again inside its transaction, so a record that changed since is not erased blindly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import (
    GoodsPass,
    ItemLoan,
    KeyLending,
    LostItem,
    Parcel,
    Person,
    Visit,
    VisitBooking,
    WatchEntry,
    WorkOrder,
)
from frontdesk.domain.goods_passes import PassState, pass_state
from frontdesk.domain.household import PersonKind
from frontdesk.domain.renovation import Status
from frontdesk.domain.service_desk import Status as OrderStatus
from frontdesk.domain.visitors import BookingState, booking_state

CHUNK = 500  # ids in one IN (...) list

RENOVATION_KEPT = "装修档案：与押金、费用记录关联，随房屋档案保存"
MONEY_KEPT = "收费记录：依法保存（会计档案），已入账的记录不得改动"
CERTIFICATE_KEPT = (
    "开具的证明：与发文登记中的存档一并保存，供银行、学校等来电核验；"
    "只记载证明上写明的姓名和掩码后的证件号码"
)
SURVEY_KEPT = "满意度调查答卷：属于房屋，只记房号和评分，不含姓名和电话，随房屋档案保存"


def person_rule(person: Person, today: date) -> tuple[bool, str]:
    """Owners and current residents and tenants stay; the others may go."""
    kind = person.kind
    if person.left_on is not None:
        return True, "已迁出：姓名改为“已删除”，清空电话、证件号码和备注"
    if kind == PersonKind.OWNER:
        return False, "产权人：产权登记须保存，过户后方可删除"
    lease_over = person.lease_end is not None and person.lease_end < today
    if kind == PersonKind.EMERGENCY or not person.lives_here or lease_over:
        return True, "姓名改为“已删除”，清空电话、证件号码和备注"
    if kind == PersonKind.TENANT:
        return False, "现租户：租期结束或搬离后方可删除"
    return False, "现住户：搬离后方可删除"


def visit_rule(visit: Visit) -> tuple[bool, str]:
    """A visit once the visitor has left."""
    if visit.left_at is None:
        return False, "访客尚未签离：签离后方可删除"
    return True, "清除姓名、电话、证件号码和车牌，保留到访时间"


def goods_pass_rule(goods_pass: GoodsPass, now: datetime) -> tuple[bool, str]:
    """A goods pass's applicant once the pass is used, cancelled or expired."""
    state = pass_state(goods_pass.window_end, goods_pass.used_at, goods_pass.cancelled_at, now)
    if state == PassState.OPEN:
        return False, "放行条尚未使用：放行、作废或过期后方可删除"
    return True, "清除申请人姓名、电话、车牌和同意的业主姓名，保留物品和放行时间"


def finder_rule(item: LostItem) -> tuple[bool, str]:
    """Who handed in a lost item, once the item has left the office."""
    if item.claimed_at is None and item.disposed_at is None:
        return False, "失物尚在保管（无人认领时可能需联系拾获人）：领走或处理后方可删除"
    return True, "清除拾获人姓名和电话，保留物品和拾获时间地点"


def claimant_rule(item: LostItem) -> tuple[bool, str]:
    """Who claimed a lost item: the item is theirs and gone."""
    return True, "清除认领人姓名、电话和证件号码，保留认领时间和经办人"


def parcel_rule(parcel: Parcel) -> tuple[bool, str]:
    """A parcel once collected: until then the counter must know whose it is."""
    if parcel.collected_at is None:
        return False, "快递尚未取走：取走后方可删除"
    return True, "清除收件人、取件人姓名和备注，保留快递单号和收取时间"


def key_lending_rule(lending: KeyLending) -> tuple[bool, str]:
    """A key lending once the key is back in the cabinet."""
    if lending.returned_at is None:
        return False, "钥匙尚未归还：归还后方可删除"
    return True, "清除借用人姓名、电话、单位和备注，保留借还时间"


def item_loan_rule(loan: ItemLoan) -> tuple[bool, str]:
    """A lending once the things are back."""
    if loan.returned_at is None:
        return False, "借用物品尚未归还：归还后方可删除"
    return True, "清除借用人姓名、电话和备注，保留借还时间和押金账单"


def caller_rule(order: WorkOrder) -> tuple[bool, str]:
    """A work order's caller once the order is closed: until then the desk calls back."""
    if order.status != OrderStatus.CLOSED:
        return False, "工单尚未关闭（还需联系、回访）：关闭后方可删除"
    return True, "清除来电人姓名、电话和工单照片，保留工单内容"


def booking_rule(booking: VisitBooking, arrived: bool, now: datetime) -> tuple[bool, str]:
    """A booking no longer awaiting its visitor."""
    state = booking_state(
        booking.expected_on, booking.window_end, arrived, booking.cancelled_at is not None, now
    )
    if state == BookingState.OPEN:
        return False, "预约尚待到访：请先取消预约"
    return True, "清除访客姓名、电话和备注"


def watch_rule(entry: WatchEntry, today: date) -> tuple[bool, str]:
    """A watchlist entry revoked or lapsed."""
    if entry.removed_at is None and entry.expires_on >= today:
        return False, "黑名单仍在有效期：须先撤销"
    return True, "清空姓名、电话、证件号码和车牌，保留原因"


def worker_rule(status: str) -> tuple[bool, str]:
    """A renovation worker once the renovation is closed or rejected."""
    if status not in (Status.CLOSED, Status.REJECTED):
        return False, "装修尚未关闭：关闭后方可删除"
    return True, "姓名改为“已删除”，清空电话和证件号码"


def care_rule(still_here: bool) -> tuple[bool, str]:
    """A care record of someone who no longer lives in the room."""
    if still_here:
        return False, "仍在本户居住：搬离后方可删除"
    return True, "删除该关怀档案"


def arrived_bookings(session: Session, booking_ids: Sequence[int]) -> set[int]:
    """The bookings among these that a visit arrived on."""
    found: set[int] = set()
    for start in range(0, len(booking_ids), CHUNK):
        chunk = booking_ids[start : start + CHUNK]
        found.update(
            b
            for b in session.scalars(select(Visit.booking_id).where(Visit.booking_id.in_(chunk)))
            if b is not None
        )
    return found


def living_names(session: Session, room_ids: Iterable[int]) -> set[tuple[int, str]]:
    """(room, name) of everyone living in these rooms."""
    ids = sorted(set(room_ids))
    living: set[tuple[int, str]] = set()
    for start in range(0, len(ids), CHUNK):
        query = (
            select(Person.room_id, Person.name)
            .where(Person.room_id.in_(ids[start : start + CHUNK]), Person.lives_here.is_(True))
            .where(Person.left_on.is_(None))
        )
        living.update((room_id, name) for room_id, name in session.execute(query))
    return living
