"""A realistic, reproducible demo community (`frontdesk demo PATH`), written like any
other client through the services (and printouts, for its notices and reminders).

Rooms are bulk-inserted (one audit entry for the whole batch) so that 20,000
households take seconds, not minutes.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.engine import Database
from frontdesk.db.migrate import open_database
from frontdesk.db.models import (
    Building,
    ButlerContact,
    CareNeed,
    Community,
    HouseholdProfile,
    ParkingUse,
    Person,
    Pet,
    Room,
    Unit,
    User,
    Vehicle,
)
from frontdesk.db.protection import KeyUnavailable
from frontdesk.demo import movein as demo_movein
from frontdesk.demo import renovations as demo_renovations
from frontdesk.demo.fees import add_demo_fees
from frontdesk.demo.goods_passes import add_demo_goods_passes
from frontdesk.demo.households import HouseholdRows, household_rows, year_of_contacts
from frontdesk.demo.key_custody import add_demo_keys
from frontdesk.demo.lending import add_demo_lending
from frontdesk.demo.lost_property import add_demo_lost_property
from frontdesk.demo.movein import add_demo_movein, set_handover_dates, year_of_handovers
from frontdesk.demo.parcels import add_demo_parcels
from frontdesk.demo.renovations import add_demo_renovations
from frontdesk.demo.repairs import add_demo_repair_charges, pay_repairs
from frontdesk.demo.service_desk import add_demo_service_desk
from frontdesk.demo.shift_log import OnDuty, add_demo_shift_log
from frontdesk.demo.timeline import (
    bulk_insert,
    close_demo_days,
    final_receipt_numbers,
    on_day,
    year_periods,
    year_progress,
)
from frontdesk.demo.visitors import add_demo_visitors
from frontdesk.domain import clock
from frontdesk.domain.roles import SYSTEM, Actor, Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import UserError
from frontdesk.services import users
from frontdesk.services.database import PASSPHRASE_VARIABLE
from frontdesk.services.protection import data_key

DEMO_PASSWORD = "demo1234"
# The demo's ID-number key is also kept under this passphrase, which is what a PC
# without a keyring asks for when the demo opens.
DEMO_PASSPHRASE = DEMO_PASSWORD
# Added after DEMO_USERS so that older seeds still give the same households.
SECOND_CASHIER = "shoufei2"
DEMO_USERS = (
    ("admin", Role.ADMIN),
    ("zhuguan", Role.SUPERVISOR),
    ("qiantai", Role.CLERK),
    ("shoufei", Role.CASHIER),
    ("guanjia", Role.BUTLER),
    ("guanjia2", Role.BUTLER),
    ("guanjia3", Role.BUTLER),
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋"
    "唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红晓文斌浩宇欣怡子涵雨轩梓萱"
STATUS_WEIGHTS = {
    RoomStatus.OCCUPIED: 78,
    RoomStatus.HANDED_OVER: 7,
    RoomStatus.RENTED: 8,
    RoomStatus.VACANT: 5,
    RoomStatus.UNSOLD: 2,
}
LAYOUT_AREAS = (8950, 10530, 11870, 12890, 14320, 16580)


@dataclass(frozen=True)
class DemoResult:
    path: Path
    households: int
    buildings: int
    rooms: int


def _actor(staff: list[User], role: Role) -> Actor:
    user = next(u for u in staff if u.role == role.value)
    return Actor(user.id, user.username, user.display_name, role)


def _shift_people(staff: list[User]) -> tuple[OnDuty, list[OnDuty]]:
    """The day clerk and the butlers who take the night's duty in turn."""
    clerk = next(u for u in staff if u.role == Role.CLERK.value)
    night = [OnDuty(u.id, u.display_name) for u in staff if u.role == Role.BUTLER.value]
    return OnDuty(clerk.id, clerk.display_name), night


def chinese_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


class _RoomMaker:
    """Accumulates room rows with ids assigned here, so inserts need no round trips."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[dict[str, object]] = []
        self.statuses = list(STATUS_WEIGHTS)
        self.weights = list(STATUS_WEIGHTS.values())

    def add(
        self,
        building_id: int,
        unit_id: int | None,
        number: str,
        floor: int,
        area: int,
        room_type: RoomType,
    ) -> None:
        status = self.rng.choices(self.statuses, self.weights)[0]
        self.rows.append(
            {
                "id": len(self.rows) + 1,
                "building_id": building_id,
                "unit_id": unit_id,
                "number": number,
                "floor": floor,
                "area_m2_x100": area,
                "room_type": room_type.value,
                "status": status.value,
            }
        )


def _residences(
    rng: random.Random,
    households: int,
    rooms: _RoomMaker,
    buildings: list[dict[str, object]],
    units: list[dict[str, object]],
) -> None:
    remaining = households
    while remaining > 0:
        code = len(buildings) + 1
        unit_count, floors = rng.randint(2, 4), rng.randint(20, 33)
        per_floor = 2
        layouts = rng.sample(LAYOUT_AREAS, per_floor)
        buildings.append(
            {
                "id": code,
                "code": str(code),
                "name": f"{code}栋",
                "sort_key": code,
                "floors": floors,
                "note": "",
            }
        )
        for u in range(1, unit_count + 1):
            unit_id = len(units) + 1
            units.append({"id": unit_id, "building_id": code, "code": str(u), "sort_key": u})
            for floor in range(1, floors + 1):
                for n in range(1, per_floor + 1):
                    if remaining == 0:
                        return
                    rooms.add(
                        code, unit_id, f"{floor}{n:02d}", floor, layouts[n - 1], RoomType.RESIDENCE
                    )
                    remaining -= 1


def _extras(
    rng: random.Random, households: int, rooms: _RoomMaker, buildings: list[dict[str, object]]
) -> None:
    """Street shops, underground parking spaces and storage rooms."""
    extras = (
        ("S", "沿街商铺", RoomType.SHOP, max(4, households // 100), (4500, 12000), "S"),
        ("P", "地下车库", RoomType.PARKING, max(10, households * 2 // 5), (1250, 1250), "P"),
        ("C", "储藏室", RoomType.STORAGE, max(4, households // 20), (600, 1500), "C"),
    )
    for offset, (code, name, room_type, count, (low, high), prefix) in enumerate(extras, 1):
        building_id = 10_000 + offset
        buildings.append(
            {
                "id": building_id,
                "code": code,
                "name": name,
                "sort_key": 10_000 + offset,
                "floors": 1,
                "note": "",
            }
        )
        floor = -1 if room_type is not RoomType.SHOP else 1
        for n in range(1, count + 1):
            rooms.add(
                building_id,
                None,
                f"{prefix}{n:03d}",
                floor,
                rng.randrange(low, high + 1, 10),
                room_type,
            )


def estate_rooms(
    rng: random.Random, households: int
) -> tuple[list[dict[str, object]], list[dict[str, object]], list[dict[str, object]]]:
    """The demo estate's rooms, buildings and units as rows (ids assigned): its
    residential buildings, then shops, parking spaces and storage rooms. The old
    system's workbooks (demo/old_system.py) describe the same kind of estate."""
    rooms: _RoomMaker = _RoomMaker(rng)
    buildings: list[dict[str, object]] = []
    units: list[dict[str, object]] = []
    _residences(rng, households, rooms, buildings, units)
    _extras(rng, households, rooms, buildings)
    return rooms.rows, buildings, units


def _assign_butlers(buildings: list[dict[str, object]], butlers: list[int]) -> dict[int, int]:
    """管家责任制: residential buildings shared out in turn; shops and garages have none."""
    butler_of: dict[int, int] = {}
    residential = [b for b in buildings if str(b["code"]).isdigit()]
    for index, building in enumerate(residential):
        butler = butlers[index % len(butlers)]
        building["butler_id"] = butler
        butler_of[int(str(building["id"]))] = butler
    for building in buildings:
        building.setdefault("butler_id", None)
    return butler_of


def _insert_households(session: Session, files: HouseholdRows) -> None:
    for model, rows in (
        (HouseholdProfile, files.household),
        (Person, files.person),
        (Vehicle, files.vehicle),
        (ParkingUse, files.parking_use),
        (Pet, files.pet),
        (CareNeed, files.care_need),
        (ButlerContact, files.butler_contact),
    ):
        bulk_insert(session, model, rows)


def _callers(
    rooms: list[dict[str, object]], people: list[dict[str, object]]
) -> list[tuple[int, int, str, str]]:
    """Who calls the desk: each lived-in home's owner, with the home's building."""
    lived_in = {RoomStatus.OCCUPIED.value, RoomStatus.RENTED.value}
    building = {
        int(str(r["id"])): int(str(r["building_id"]))
        for r in rooms
        if r["status"] in lived_in and r["room_type"] == RoomType.RESIDENCE.value
    }
    callers: dict[int, tuple[int, int, str, str]] = {}
    for person in people:
        room = int(str(person["room_id"]))
        if person["kind"] == "owner" and room in building and room not in callers:
            callers[room] = (room, building[room], str(person["name"]), str(person["phone"]))
    return list(callers.values())


def _create_key(db: Database) -> None:
    """The data key comes first, so every ID number and phone is sealed as it is
    written: kept in the keyring where there is one, else under FRONTDESK_PASSPHRASE
    (as `open_at` unlocks), else under the demo's own passphrase."""
    passphrase = os.environ.get(PASSPHRASE_VARIABLE) or DEMO_PASSPHRASE
    if data_key.unlock(db, passphrase) != data_key.KeyState.READY or db.cipher is None:
        raise KeyUnavailable()


@contextmanager
def opened_demo(path: Path) -> Iterator[Database]:
    """A demo `build_demo` has just written, unlocked as it was keyed: on a PC without
    a keyring its key is under the demo's passphrase, which `open_at` cannot know."""
    db = open_database(path)
    try:
        _create_key(db)
        yield db
    finally:
        db.dispose()


def build_demo(
    path: Path,
    households: int = 2000,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
    visit_days: int | None = None,
) -> DemoResult:
    """Write a new demo database at `path`; refuses to touch an existing file.
    `visit_days` of gate history: the demo's year unless asked (the benchmarks ask
    for two years)."""
    if households < 1 or households > 200_000:
        raise UserError("户数须在 1 到 200000 之间。")
    if path.exists():
        raise UserError(f"文件已存在，演示数据只写入新文件：{path}")
    rng = random.Random(seed)
    db = open_database(path)
    try:
        _create_key(db)
        rooms, buildings, units = estate_rooms(rng, households)
        # One hash for the shared demo password, not one per account: eight of them were
        # a tenth of the demo's time.
        password_hash = users.hash_password(DEMO_PASSWORD)
        with db.write(SYSTEM) as session:
            session.add(
                Community(
                    id=1,
                    name="锦绣华庭",
                    address="江苏省南京市建邺区江东中路 888 号",
                    service_phone="025-86661234",
                    company_name="金盾物业服务有限公司",
                    logo_png=None,
                )
            )
            staff = [
                User(
                    username=username,
                    display_name=chinese_name(rng),
                    role=role.value,
                    password_hash=password_hash,
                )
                for username, role in DEMO_USERS
            ]
            fee_rng = random.Random(seed + 1)
            # The second counter: added after the others so the households stay as they were.
            staff.append(
                User(
                    username=SECOND_CASHIER,
                    display_name=chinese_name(fee_rng),
                    role=Role.CASHIER.value,
                    password_hash=password_hash,
                )
            )
            session.add_all(staff)
            session.flush()
            today = clock.today()
            set_handover_dates(fee_rng, rooms, today)
            butlers = [u.id for u in staff if u.role == Role.BUTLER.value]
            butler_of = _assign_butlers(buildings, butlers)
            session.execute(insert(Building), buildings)
            session.execute(insert(Unit), units)
            bulk_insert(session, Room, rooms)
            if progress:
                progress(f"已生成 {len(buildings)} 栋、{len(rooms)} 间房屋")
            files = household_rows(rng, rooms, chinese_name, butler_of, today)
            past = [
                (period.first_day, period.last_day, year_progress(period.first_day, today))
                for period in year_periods(today)[:-1]
            ]
            year_of_contacts(random.Random(seed + 7), rooms, files, butler_of, past)
            _insert_households(session, files)
            if progress:
                progress(f"已生成 {len(files.household)} 户档案、{len(files.person)} 人")
            cashiers = [(u.id, u.display_name) for u in staff if u.role == Role.CASHIER.value]
            payers = {p["room_id"]: p["name"] for p in files.person if p["kind"] == "owner"}
            manager = _actor(staff, Role.SUPERVISOR).display_name
            money = add_demo_fees(
                session, fee_rng, rooms, files.parking_use, cashiers, today, payers, manager
            )
            if progress:
                progress(
                    f"已生成一年的账单 {money['bills']} 笔、收款 {money['payments']} 笔、"
                    f"收据 {money['receipts']} 张"
                )
            clerks = [u.display_name for u in staff if u.role == Role.CLERK.value]
            if visit_days is None:
                visit_days = (today - year_periods(today)[0].first_day).days
            gate = add_demo_visitors(
                session,
                random.Random(seed + 2),
                rooms,
                payers,
                clerks,
                chinese_name,
                clock.now(),
                visit_days,
            )
            if progress:
                visits, bookings = gate["visits"], gate["bookings"]
                progress(f"已生成 {visit_days} 天的访客登记 {visits} 条、预约 {bookings} 条")
            goods = add_demo_goods_passes(
                session,
                random.Random(seed + 9),
                rooms,
                payers,
                clerks,
                chinese_name,
                clock.now(),
            )
            if progress:
                progress(f"已生成三个月的物品放行条 {goods} 张")
            lost = add_demo_lost_property(
                session, random.Random(seed + 10), households, clerks, chinese_name, clock.now()
            )
            if progress:
                progress(f"已生成三个月的失物招领 {lost} 件")
            parcels = add_demo_parcels(
                session, random.Random(seed + 24), clerks, chinese_name, clock.now()
            )
            if progress:
                progress(f"已生成三个月的快递代收 {parcels} 件")
            write_entry(
                session.connection(),
                SYSTEM,
                "demo",
                "community",
                "1",
                f"生成演示数据：{households} 户，{len(rooms)} 间房屋（种子 {seed}）",
            )
        # The work orders first: their paid repairs' payments are posted in time order
        # around the renovations' and the move-in's (see demo/repairs.py).
        desk = add_demo_service_desk(
            db,
            _actor(staff, Role.CLERK),
            _actor(staff, Role.SUPERVISOR),
            random.Random(seed + 5),
            _callers(rooms, files.person),
            clock.now(),
        )
        if progress:
            progress(f"已生成维修服务人员 {desk['staff']} 人、一年的工单 {desk['orders']} 张")
        cashier = _actor(staff, Role.CASHIER)
        repair_rng = random.Random(seed + 6)

        def before(days: timedelta) -> datetime:
            return on_day(today - days, 0)

        repair_money = add_demo_repair_charges(
            db, _actor(staff, Role.CLERK), _actor(staff, Role.SUPERVISOR), repair_rng, clock.now()
        )
        pay_repairs(db, cashier, repair_money, repair_rng, before(demo_renovations.MONEY_FROM))
        # The renovations' money is older than the move-in's: posted first, in time.
        works = add_demo_renovations(
            db,
            _actor(staff, Role.SUPERVISOR),
            _actor(staff, Role.CASHIER),
            random.Random(seed + 4),
            today,
        )
        if progress:
            progress(f"已生成各个办理阶段的装修 {works} 户")
        pay_repairs(db, cashier, repair_money, repair_rng, before(demo_movein.MONEY_FROM))
        handed = add_demo_movein(
            db,
            _actor(staff, Role.CLERK),
            _actor(staff, Role.CASHIER),
            random.Random(seed + 3),
            chinese_name,
            today,
        )
        if progress:
            progress(f"已生成入伙批次 {handed['handovers']} 户、验房问题 {handed['defects']} 项")
        pay_repairs(db, cashier, repair_money, repair_rng, clock.now())
        if progress:
            progress(
                f"已生成有偿维修收费 {repair_money.charged} 笔（收款 {repair_money.paid} 笔、"
                f"作废 {repair_money.voided} 笔）"
            )
        # Last, with the money the move-in and the renovations took on their own days.
        with db.write(SYSTEM) as session:
            final_receipt_numbers(session)
            close_demo_days(session, cashiers, today)
            waves = year_of_handovers(
                session, random.Random(seed + 8), rooms, _actor(staff, Role.CLERK), today
            )
            shifts = add_demo_shift_log(
                session,
                random.Random(seed + 9),
                clock.now(),
                *_shift_people(staff),
                [name for _id, name in cashiers],
            )
        if progress:
            progress(
                f"已生成本年度分批交付入伙 {waves['handovers']} 户、验房问题 {waves['defects']} 项"
            )
            progress(f"已生成三个月的交接班记录 {shifts} 次")
        lent = add_demo_keys(db, _actor(staff, Role.CLERK), random.Random(seed + 9), clock.now())
        if progress:
            progress(f"已生成三个月的托管钥匙借还 {lent} 次")
        loans = add_demo_lending(
            db,
            _actor(staff, Role.SUPERVISOR),
            _actor(staff, Role.CLERK),
            cashier,
            random.Random(seed + 10),
            payers,
            clock.now(),
        )
        if progress:
            progress(f"已生成三个月的物品借用 {loans} 笔")
    finally:
        db.dispose()
    return DemoResult(path, households, len(buildings), len(rooms))
