"""Buildings, units and rooms: browsing (ids first, rows on demand) and upkeep."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import ColumnElement, ScalarSelect, Select, String, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Bill,
    BillOpen,
    Building,
    FeeItem,
    Person,
    Renovation,
    Room,
    Unit,
)
from frontdesk.db.protection import EncryptedPhone
from frontdesk.domain import clock
from frontdesk.domain.area import AreaFormatError, parse_m2
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.periods import Period
from frontdesk.domain.phone import mask_phone
from frontdesk.domain.renovation import ACTIVE
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomStatus, RoomType, parse_room_code, room_code, room_label
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.access import require


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str


@dataclass(frozen=True)
class BuildingRow:
    id: int
    code: str
    name: str
    floors: int
    units: tuple[UnitRow, ...]
    rooms: int


@dataclass(frozen=True)
class RoomRow:
    id: int
    code: str  # 3-2-1201
    building: str  # 3栋
    unit: str | None
    number: str
    floor: int
    area_m2_x100: int
    room_type: RoomType
    status: RoomStatus
    handover_on: date | None = None  # 交房日期: monthly fees run from it
    renovating: bool = False  # a renovation permit in force (施工中 or 停工整改)
    owner: str = ""  # the first owner on the file; 张三等2人 where there are more
    phone: str = ""  # that owner's phone, masked
    owing_fen: int = 0  # 欠费: open bills up to this month, as the file's 账单 tab sums them


@dataclass(frozen=True)
class RoomFilter:
    building_id: int | None = None
    unit_id: int | None = None
    status: RoomStatus | None = None
    room_type: RoomType | None = None


def list_buildings(db: Database, actor: Actor) -> list[BuildingRow]:
    require(actor, Permission.VIEW_ROOMS)
    with db.read() as session:
        counts = dict(
            session.execute(select(Room.building_id, func.count()).group_by(Room.building_id)).all()
        )
        units: dict[int, list[UnitRow]] = {}
        for unit in session.scalars(select(Unit).order_by(Unit.sort_key, Unit.code)):
            units.setdefault(unit.building_id, []).append(UnitRow(unit.id, unit.code))
        buildings = session.scalars(select(Building).order_by(Building.sort_key, Building.code))
        return [
            BuildingRow(
                b.id, b.code, b.name, b.floors, tuple(units.get(b.id, [])), counts.get(b.id, 0)
            )
            for b in buildings
        ]


def _filtered(query: Select[int], flt: RoomFilter) -> Select[int]:
    if flt.building_id is not None:
        query = query.where(Room.building_id == flt.building_id)
    if flt.unit_id is not None:
        query = query.where(Room.unit_id == flt.unit_id)
    if flt.status is not None:
        query = query.where(Room.status == flt.status)
    if flt.room_type is not None:
        query = query.where(Room.room_type == flt.room_type)
    return query


def room_ids(db: Database, actor: Actor, flt: RoomFilter = RoomFilter()) -> list[int]:
    """Ids of the matching rooms in display order; rows are fetched per page."""
    require(actor, Permission.VIEW_ROOMS)
    query = (
        select(Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .order_by(Building.sort_key, Building.code, Unit.sort_key, Room.floor, Room.number)
    )
    with db.read() as session:
        # Plain ids: run as Core, without the ORM's result machinery (a third of the
        # time on the 29,000 rooms of the households screen that opens at start-up).
        return list(session.connection().execute(_filtered(query, flt)).scalars())


def room_row(room: Room, building: Building, unit: Unit | None) -> RoomRow:
    unit_code = unit.code if unit else None
    return RoomRow(
        room.id,
        room_code(building.code, unit_code, room.number),
        building.name,
        unit_code,
        room.number,
        room.floor,
        room.area_m2_x100,
        room.room_type,
        room.status,
        room.handover_on,
    )


def room_rows(db: Database, actor: Actor, ids: list[int]) -> list[RoomRow]:
    """Rows for the given ids, in the same order (missing ids are skipped)."""
    require(actor, Permission.VIEW_ROOMS)
    with db.read() as session:
        return room_rows_in(session, ids)


def of_living_owners(aggregate: ColumnElement[int]) -> ScalarSelect[int]:
    """`aggregate` over the owners still living in each room of the outer query (a
    subquery correlated to Room): min(Person.id) is the owner a list shows first."""
    return (
        select(aggregate)
        .where(Person.room_id == Room.id, Person.kind == PersonKind.OWNER.value)
        .where(Person.left_on.is_(None))
        .correlate(Room)
        .scalar_subquery()
    )


def room_rows_in(session: Session, ids: list[int]) -> list[RoomRow]:
    """The rows of `room_rows` in one query: the owner, the phone and what is owed are
    subqueries per room (the owed sum through the open-bills index, ix_bill_open_owing),
    so a page of the rooms list costs the same at 500 households as at 20,000. Only the
    phone shown is decrypted."""
    first_owner = of_living_owners(func.min(Person.id))
    owners = of_living_owners(func.count(Person.id))
    current = str(Period.of(clock.today()))  # bills of later months are not owed yet
    owing = (
        select(func.coalesce(func.sum(BillOpen.open_fen), 0))
        .join(Bill, BillOpen.bill_id == Bill.id)
        .join(FeeItem, Bill.fee_item_id == FeeItem.id)
        .where(BillOpen.room_id == Room.id, BillOpen.open_fen > 0)
        .where(FeeItem.method != FeeMethod.DEPOSIT)
        .where(or_(Bill.period.is_(None), Bill.period <= current))
        .correlate(Room)
        .scalar_subquery()
    )
    renovating = (
        select(Renovation.id)
        .where(Renovation.room_id == Room.id, Renovation.status.in_([s.value for s in ACTIVE]))
        .correlate(Room)
        .exists()
    )
    query = (
        select(
            Room,
            Building,
            Unit,
            Person.name,
            type_coerce(Person.phone, String),
            owners,
            owing,
            renovating,
        )
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .outerjoin(Person, Person.id == first_owner)
        .where(Room.id.in_(ids))
    )
    phone_type = EncryptedPhone()
    dialect = session.get_bind().dialect
    found = {}
    for room, building, unit, name, sealed, count, owed, works in session.execute(query):
        phone = phone_type.process_result_value(sealed, dialect) if sealed else ""
        found[room.id] = replace(
            room_row(room, building, unit),
            renovating=bool(works),
            owner=f"{name}等{count}人" if name and count > 1 else name or "",
            phone=mask_phone(phone or ""),
            owing_fen=owed or 0,
        )
    return [found[i] for i in ids if i in found]


@dataclass(frozen=True)
class NewBuilding:
    code: str
    name: str
    floors: int
    units: int
    rooms_per_floor: int
    area_m2: str  # as typed, e.g. "89.50"


def _check_building(data: NewBuilding) -> int:
    if not data.code.strip() or not data.code.strip().isalnum():
        raise ValidationError("楼栋编号", "须为字母或数字，如 3 或 B1")
    if not 1 <= data.floors <= 120:
        raise ValidationError("楼层数", "须在 1 到 120 之间")
    if not 0 <= data.units <= 20:
        raise ValidationError("单元数", "须在 0 到 20 之间（0 表示不分单元）")
    if not 1 <= data.rooms_per_floor <= 30:
        raise ValidationError("每层户数", "须在 1 到 30 之间")
    try:
        return parse_m2(data.area_m2)
    except AreaFormatError as exc:
        raise ValidationError("默认建筑面积", "须为大于 0 的数字，最多两位小数") from exc


def create_building(db: Database, actor: Actor, data: NewBuilding) -> BuildingRow:
    """Create a building with its units and residence rooms (floor×100+n numbering)."""
    require(actor, Permission.EDIT_STRUCTURE)
    area = _check_building(data)
    code = data.code.strip()
    with db.write(actor) as session:
        if session.scalar(select(Building).where(Building.code == code)):
            raise ValidationError("楼栋编号", f"「{code}」已存在")
        sort_key = int(code) if code.isdigit() else 10_000
        building = Building(
            code=code,
            name=data.name.strip() or f"{code}栋",
            sort_key=sort_key,
            floors=data.floors,
            note="",
        )
        session.add(building)
        unit_codes: list[str | None] = [str(n) for n in range(1, data.units + 1)] or [None]
        units = []
        for index, unit_code in enumerate(unit_codes):
            unit = Unit(building=building, code=unit_code, sort_key=index) if unit_code else None
            units.append(unit)
            for floor in range(1, data.floors + 1):
                for n in range(1, data.rooms_per_floor + 1):
                    session.add(
                        Room(
                            building=building,
                            unit=unit,
                            number=f"{floor}{n:02d}",
                            floor=floor,
                            area_m2_x100=area,
                            room_type=RoomType.RESIDENCE,
                            status=RoomStatus.UNSOLD,
                        )
                    )
        session.flush()
        unit_rows = tuple(UnitRow(u.id, u.code) for u in units if u is not None)
        rooms = len(unit_codes) * data.floors * data.rooms_per_floor
        return BuildingRow(building.id, code, building.name, data.floors, unit_rows, rooms)


@dataclass(frozen=True)
class RoomChange:
    area_m2: str
    room_type: RoomType
    status: RoomStatus
    handover_on: date | None = None


def update_room(db: Database, actor: Actor, room_id: int, change: RoomChange) -> RoomRow:
    require(actor, Permission.EDIT_STRUCTURE)
    try:
        area = parse_m2(change.area_m2)
    except AreaFormatError as exc:
        raise ValidationError("建筑面积", "须为大于 0 的数字，最多两位小数") from exc
    if change.handover_on is not None and change.status == RoomStatus.UNSOLD:
        raise ValidationError("交房日期", "未售房屋不应有交房日期")
    with db.write(actor) as session:
        room = session.get(Room, room_id)
        if room is None:
            raise NotFound("该房屋不存在。")
        room.area_m2_x100, room.room_type, room.status = (
            area,
            change.room_type,
            change.status,
        )
        room.handover_on = change.handover_on
        session.flush()
        return room_rows_in(session, [room_id])[0]


@dataclass(frozen=True)
class BuildingSummary:
    building: str
    units: int
    rooms: int
    by_status: dict[RoomStatus, int]
    area_m2_x100: int


def summary(db: Database, actor: Actor) -> list[BuildingSummary]:
    """Per building: units, rooms by status, total building area — the 房屋统计表."""
    require(actor, Permission.VIEW_ROOMS)
    with db.read() as session:
        status_counts: dict[int, Counter[RoomStatus]] = {}
        areas: Counter[int] = Counter()
        query = select(Room.building_id, Room.status, func.count(), func.sum(Room.area_m2_x100))
        for building_id, status, count, area in session.execute(
            query.group_by(Room.building_id, Room.status)
        ):
            status_counts.setdefault(building_id, Counter())[status] = count
            areas[building_id] += area or 0
        unit_counts = dict(
            session.execute(select(Unit.building_id, func.count()).group_by(Unit.building_id)).all()
        )
        buildings = session.scalars(select(Building).order_by(Building.sort_key, Building.code))
        result = []
        for b in buildings:
            counts = status_counts.get(b.id, Counter())
            by_status = {s: counts.get(s, 0) for s in RoomStatus}
            result.append(
                BuildingSummary(
                    b.name, unit_counts.get(b.id, 0), sum(counts.values()), by_status, areas[b.id]
                )
            )
        return result


def find_room_id(db: Database, actor: Actor, text: str) -> int:
    """The one room a typed code names (3-2-1201, 3栋2单元1201); NotFound otherwise."""
    require(actor, Permission.VIEW_ROOMS)
    with db.read() as session:
        return room_id_in(session, text)


def room_id_in(session: Session, text: str) -> int:
    wanted = parse_room_code(text.strip())
    if wanted is None or not wanted.room:
        raise ValidationError("房号", f"「{text}」不是完整的房号（如 3-2-1201）")
    query = (
        select(Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .where(Building.code == wanted.building, Room.number == wanted.room.upper())
    )
    query = (
        query.where(Unit.code == wanted.unit)
        if wanted.unit
        else query.where(Room.unit_id.is_(None))
    )
    found = list(session.scalars(query))
    if len(found) != 1:
        raise NotFound(f"找不到房屋「{text.strip()}」。")
    return found[0]


def room_places(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Each room's code and postal place: {id: ("3-2-1201", "3栋2单元1201室")}."""
    query = (
        select(Room.id, Building.code, Unit.code, Room.number)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .where(Room.id.in_(list(set(ids))))
    )
    return {
        room_id: (room_code(b, u, number), room_label(b, u, number))
        for room_id, b, u, number in session.execute(query)
    }
