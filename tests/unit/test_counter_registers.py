"""前台登记 as one area: every register is in the retention run, in the shift book's
draft and on the home screen, in the order the tabs have."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from frontdesk.domain.parcels import IdentityCheck
from frontdesk.domain.roles import Actor, Role
from frontdesk.services import retention, shift_log
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.parcels import HandOver, ParcelInput, find_parcel, hand_over, take_in
from frontdesk.services.today.work import ROLE_LINES, today_work

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
MakeUser = Callable[..., Actor]
REGISTERS = ["快递代收", "钥匙托管", "物品放行", "物品借用", "失物招领"]


def _room(db: Database, admin: Actor) -> int:
    building = structure.create_building(
        db, admin, structure.NewBuilding("3", "3栋", 1, 1, 1, "89")
    )
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]


def test_one_run_erases_every_registers_expired_personal_data(db: Database, admin: Actor) -> None:
    room = _room(db, admin)
    long_ago = NOW - timedelta(days=400)
    data = ParcelInput(room, "顺丰", "SF1234567890", "A3", recipient="张三")
    old = take_in(db, admin, data, now=long_ago)
    hand_over(db, admin, HandOver(old.id, IdentityCheck.CODE), now=long_ago)

    dry = retention.purge_expired(db, admin, now=NOW, dry_run=True)
    assert [name for name, _count in dry.registers] == REGISTERS
    assert dict(dry.registers)["快递代收"] == 1 and dry.register_records == 1
    assert find_parcel(db, admin, old.number, now=NOW).recipient == "张三"

    done = retention.purge_expired(db, admin, now=NOW)
    assert done.register_records == 1 and done.complete
    assert find_parcel(db, admin, old.number, now=NOW).purged
    assert retention.purge_expired(db, admin, now=NOW).register_records == 0


def test_the_shift_draft_asks_every_register(db: Database, make_user: MakeUser) -> None:
    clerk = make_user(Role.CLERK)
    draft = shift_log.draft_handover(db, clerk, now=NOW)
    names = [item.register for item in draft.items]
    counter = ["快递代收", "钥匙托管", "物品放行条", "物品借用", "失物招领"]
    assert names == ["访客登记", *counter, "报事报修", "工单回访", "收费交班"]


def test_a_clerk_sees_every_registers_lines_and_a_cashier_none(
    db: Database, make_user: MakeUser
) -> None:
    counter = {
        "parcels_waiting",
        "parcels_overdue",
        "keys_out",
        "keys_overdue",
        "goods_passes_open",
        "lending_overdue",
        "lost_items_due",
        "handover_waiting",
    }
    clerk = today_work(db, make_user(Role.CLERK), NOW)
    assert counter <= {line.key for line in clerk.lines}
    assert all(line.lead.area == "counter" for line in clerk.lines if line.key in counter)
    cashier = today_work(db, make_user(Role.CASHIER), NOW)
    assert not counter & {line.key for line in cashier.lines}
    assert not counter & set(ROLE_LINES[Role.CASHIER])
