"""A small billed community for the fee tests: one building, four rooms, standard prices."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from frontdesk.domain.fees import Collection, FeeMethod, MeterKind
from frontdesk.domain.roles import Actor
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.services import community
from frontdesk.services.database import Database
from frontdesk.services.fees import items as fees
from frontdesk.services.households import structure

TODAY = date(2026, 11, 25)


@dataclass(frozen=True)
class Community:
    occupied: int  # 1-1-101, handed over long ago
    vacant: int  # 1-1-102, 空置: 物业费 at 70%
    new: int  # 1-1-201, handed over on 2026-11-16
    unsold: int  # 1-1-202
    service: int  # fee item ids
    rubbish: int
    water: int
    deposit: int


def make_community(db: Database, admin: Actor) -> Community:
    info = community.get_community(db)
    community.update_community(db, admin, replace(info, service_phone="025-86661234"))
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    ids = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))
    rooms = {row.code: row.id for row in structure.room_rows(db, admin, ids)}
    for code, status, handover in (
        ("1-1-101", RoomStatus.OCCUPIED, date(2020, 5, 1)),
        ("1-1-102", RoomStatus.VACANT, date(2020, 5, 1)),
        ("1-1-201", RoomStatus.HANDED_OVER, date(2026, 11, 16)),
        ("1-1-202", RoomStatus.UNSOLD, None),
    ):
        structure.update_room(
            db,
            admin,
            rooms[code],
            structure.RoomChange("89.50", RoomType.RESIDENCE, status, handover),
        )
    service = fees.add_fee_item(db, admin, "物业服务费", "物业服务费", FeeMethod.AREA_MONTHLY)
    rubbish = fees.add_fee_item(db, admin, "生活垃圾处理费", "物业服务费", FeeMethod.FIXED_MONTHLY)
    water = fees.add_fee_item(
        db, admin, "水费", "代收水电费", FeeMethod.METER, Collection.ON_BEHALF, MeterKind.WATER
    )
    deposit = fees.add_fee_item(db, admin, "装修押金", "押金", FeeMethod.DEPOSIT)
    fees.add_price_plan(db, admin, service, 22000, date(2020, 1, 1))
    fees.add_price_plan(db, admin, service, 25000, date(2026, 7, 1))
    fees.add_price_plan(db, admin, rubbish, 100000, date(2020, 1, 1))
    fees.add_price_plan(db, admin, water, 41000, date(2020, 1, 1))
    fees.add_price_plan(db, admin, deposit, 30000000, date(2020, 1, 1))
    fees.add_reduction_rule(
        db, admin, service, RoomStatus.VACANT, 30, "空置房物业服务费按七成收取", date(2020, 1, 1)
    )
    return Community(
        rooms["1-1-101"],
        rooms["1-1-102"],
        rooms["1-1-201"],
        rooms["1-1-202"],
        service,
        rubbish,
        water,
        deposit,
    )
