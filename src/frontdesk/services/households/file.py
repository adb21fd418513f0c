"""The household file (一户一档): open it (masked by default), keep it current.

Scope: butlers edit and unmask only the files of the buildings they look after;
clerks edit without unmasking; cashiers read masked files. Every unmasking is an
audit entry filed under the room, like every change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import Base, utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    AuditEntry,
    Building,
    CareNeed,
    HouseholdProfile,
    ParkingUse,
    Person,
    Pet,
    Room,
    User,
    Vehicle,
)
from frontdesk.db.protection import require_key
from frontdesk.domain import clock
from frontdesk.domain.household import (
    CONTACT_PREFERENCES,
    GENDERS,
    PET_SPECIES,
    TAG_SEPARATOR,
    CareCategory,
    ParkingKind,
    PersonKind,
    Relation,
    split_tags,
)
from frontdesk.domain.identity import IdType, mask_id_number, normalize_id_number
from frontdesk.domain.names import NameKeys, pinyin_keys
from frontdesk.domain.phone import mask_phone, normalize_phone
from frontdesk.domain.plates import normalize_plate
from frontdesk.domain.roles import Actor, Permission, Role
from frontdesk.domain.rooms import RoomType, room_code
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.structure import RoomRow, room_rows_in
from frontdesk.services.scope import may, require_in_scope, room_of, scoped_room

# How long an unmasked file stays "the same viewing" for the audit log.
REVEAL_STILL_OPEN = timedelta(minutes=10)

# inputs ----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonInput:
    kind: PersonKind
    name: str
    relation: Relation | None = None
    gender: str = ""
    id_type: IdType | None = None
    id_number: str = ""
    phone: str = ""
    share: str = ""
    lease_start: date | None = None
    lease_end: date | None = None
    lives_here: bool = True
    note: str = ""


@dataclass(frozen=True)
class VehicleInput:
    plate: str
    model: str = ""
    colour: str = ""
    parking_space: str = ""
    note: str = ""


@dataclass(frozen=True)
class ParkingInput:
    space_id: int
    kind: ParkingKind
    start_on: date | None = None
    end_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class PetInput:
    species: str
    name: str = ""
    breed: str = ""
    licence_no: str = ""
    vaccinated_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class CareInput:
    person_name: str
    category: CareCategory
    note: str = ""
    visit_every_days: int = 30
    last_visit_on: date | None = None


@dataclass(frozen=True)
class ProfileInput:
    move_in_on: date | None = None
    contact_preference: str = ""
    tags: str = ""  # any common separator; stored joined by 、
    notes: str = ""


Record = PersonInput | VehicleInput | ParkingInput | PetInput | CareInput

# rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    id: int
    kind: PersonKind
    relation: Relation | None
    name: str
    gender: str
    id_type: IdType | None
    id_number: str  # masked unless the file was opened unmasked
    phone: str  # likewise
    share: str
    lease_start: date | None
    lease_end: date | None
    lives_here: bool
    note: str
    left_on: date | None = None  # set: no longer on the file, kept in its history
    left_reason: str = ""

    @property
    def current(self) -> bool:
        return self.left_on is None


@dataclass(frozen=True)
class VehicleRow:
    id: int
    plate: str
    model: str
    colour: str
    parking_space: str
    note: str


@dataclass(frozen=True)
class ParkingRow:
    id: int
    space_id: int
    space_code: str
    kind: ParkingKind
    start_on: date | None
    end_on: date | None
    note: str


@dataclass(frozen=True)
class PetRow:
    id: int
    species: str
    name: str
    breed: str
    licence_no: str
    vaccinated_on: date | None
    note: str


@dataclass(frozen=True)
class CareRow:
    id: int
    person_name: str
    category: CareCategory
    note: str
    visit_every_days: int
    last_visit_on: date | None

    def next_visit_on(self, today: date) -> date:
        if self.last_visit_on is None:
            return today
        return date.fromordinal(self.last_visit_on.toordinal() + self.visit_every_days)


@dataclass(frozen=True)
class HouseholdFile:
    room: RoomRow
    butler: str  # display name of the building's butler, "" if none
    profile: ProfileInput
    people: tuple[PersonRow, ...]  # on the file now
    vehicles: tuple[VehicleRow, ...]
    parking: tuple[ParkingRow, ...]
    pets: tuple[PetRow, ...]
    care: tuple[CareRow, ...]
    masked: bool
    can_edit: bool
    can_reveal: bool
    former: tuple[PersonRow, ...] = ()  # the file's history: people who left, latest first

    @property
    def owners(self) -> tuple[PersonRow, ...]:
        return tuple(p for p in self.people if p.kind == PersonKind.OWNER)

    @property
    def tags(self) -> list[str]:
        return split_tags(self.profile.tags)


# scope -------------------------------------------------------------------------


def owner_names(session: Session, room_ids: Iterable[int]) -> dict[int, list[str]]:
    """The owners' names of each room, in the order they were entered."""
    ids = sorted(set(room_ids))
    names: dict[int, list[str]] = {}
    for start in range(0, len(ids), 900):
        query = (
            select(Person.room_id, Person.name)
            .where(
                Person.room_id.in_(ids[start : start + 900]),
                Person.kind == PersonKind.OWNER,
                Person.left_on.is_(None),
            )
            .order_by(Person.id)
        )
        for room_id, name in session.execute(query):
            names.setdefault(room_id, []).append(name)
    return names


# reading -----------------------------------------------------------------------


def open_file(db: Database, actor: Actor, room_id: int, *, reveal: bool = False) -> HouseholdFile:
    """The whole file of a room. `reveal=True` shows IDs and phones whole and is audited."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    if reveal:
        with db.write(actor) as session:
            require_key()  # whole numbers or none: never an audited unmasking of 「（已加密）」
            room, building, unit = room_of(session, room_id)
            require_in_scope(actor, Permission.REVEAL_PERSONAL_DATA, building)
            code = room_code(building.code, unit.code if unit else None, room.number)
            if not _revealed_lately(session, actor, room_id):
                write_entry(
                    session.connection(),
                    actor,
                    "reveal",
                    "room",
                    str(room_id),
                    f"查看「{code}」户档案的完整证件号码和电话",
                    room_id=room_id,
                )
    with db.read() as session:
        return _file(session, actor, room_id, masked=not reveal)


def _revealed_lately(session: Session, actor: Actor, room_id: int) -> bool:
    """Reloading a file the same person unmasked minutes ago is not a new unmasking;
    writing one entry per reload would bury the history in them."""
    since = utcnow() - REVEAL_STILL_OPEN
    entry = session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.room_id == room_id,
            AuditEntry.action == "reveal",
            AuditEntry.entity == "room",
            AuditEntry.username == actor.username,
            AuditEntry.at >= since,
        )
    )
    return entry is not None


def _file(session: Session, actor: Actor, room_id: int, masked: bool) -> HouseholdFile:
    _room, building, _unit = room_of(session, room_id)
    butler = session.get(User, building.butler_id) if building.butler_id else None
    profile = session.scalar(select(HouseholdProfile).where(HouseholdProfile.room_id == room_id))

    def rows(model: type[Any]) -> list[Any]:
        return list(
            session.scalars(select(model).where(model.room_id == room_id).order_by(model.id))
        )

    people = sorted(rows(Person), key=lambda p: list(PersonKind).index(p.kind))
    former = sorted(
        (p for p in people if p.left_on is not None), key=lambda p: (p.left_on, p.id), reverse=True
    )
    spaces = {
        r.id: room_code(b.code, None, r.number)
        for r, b in session.execute(
            select(Room, Building)
            .join(Building, Room.building_id == Building.id)
            .join(ParkingUse, ParkingUse.space_id == Room.id)
            .where(ParkingUse.room_id == room_id)
        )
    }
    return HouseholdFile(
        room=room_rows_in(session, [room_id])[0],
        butler=butler.display_name if butler else "",
        profile=_profile_input(profile),
        people=tuple(_person_row(p, masked) for p in people if p.left_on is None),
        vehicles=tuple(
            VehicleRow(v.id, v.plate, v.model, v.colour, v.parking_space, v.note)
            for v in rows(Vehicle)
        ),
        parking=tuple(
            ParkingRow(
                u.id,
                u.space_id,
                spaces.get(u.space_id, ""),
                u.kind,
                u.start_on,
                u.end_on,
                u.note,
            )
            for u in rows(ParkingUse)
        ),
        pets=tuple(
            PetRow(p.id, p.species, p.name, p.breed, p.licence_no, p.vaccinated_on, p.note)
            for p in rows(Pet)
        ),
        care=tuple(
            CareRow(
                c.id,
                c.person_name,
                c.category,
                c.note,
                c.visit_every_days,
                c.last_visit_on,
            )
            for c in rows(CareNeed)
        ),
        masked=masked,
        can_edit=may(actor, Permission.EDIT_HOUSEHOLDS, building.butler_id),
        can_reveal=may(actor, Permission.REVEAL_PERSONAL_DATA, building.butler_id),
        former=tuple(_person_row(p, masked) for p in former),
    )


def _profile_input(profile: HouseholdProfile | None) -> ProfileInput:
    if profile is None:
        return ProfileInput()
    return ProfileInput(profile.move_in_on, profile.contact_preference, profile.tags, profile.notes)


def _person_row(p: Person, masked: bool) -> PersonRow:
    return PersonRow(
        p.id,
        p.kind,
        Relation(p.relation) if p.relation else None,
        p.name,
        p.gender,
        IdType(p.id_type) if p.id_type else None,
        mask_id_number(p.id_number) if masked else p.id_number,
        mask_phone(p.phone) if masked else p.phone,
        p.share,
        p.lease_start,
        p.lease_end,
        p.lives_here,
        p.note,
        p.left_on,
        p.left_reason,
    )


# validation --------------------------------------------------------------------


def _date_order(start: date | None, end: date | None, start_field: str, end_field: str) -> None:
    if start and end and end < start:
        raise ValidationError(end_field, f"不能早于{start_field}")


def name_keys(keys: NameKeys) -> dict[str, str]:
    """A person's search columns from their name's keys (domain.names.pinyin_keys)."""
    return {"name_pinyin": keys.full, "name_initials": keys.initials, "name_mixed": keys.mixed}


def person_values(data: PersonInput, *, search_keys: bool = True) -> dict[str, Any]:
    """Column values for a person, validated; shared with the Excel imports. Without
    `search_keys` the name's pinyin keys are left empty (an import's check validates
    40,000 people, and adds the keys of the new ones only: `name_keys`)."""
    name = clean_name(data.name, "姓名", 40, required=True)
    keys = pinyin_keys(name) if search_keys else NameKeys("", "", "")
    if data.gender not in GENDERS:
        raise ValidationError("性别", "只能是男或女")
    number = data.id_number.strip()
    id_type = data.id_type or (IdType.RESIDENT if number else None)
    if number and id_type:
        number = normalize_id_number(id_type, number)
    phone = normalize_phone(data.phone, "电话") if data.phone.strip() else ""
    _date_order(data.lease_start, data.lease_end, "租期开始", "租期结束")
    return {
        "kind": PersonKind(data.kind),
        "relation": data.relation.value if data.relation else "",
        "name": name,
        **name_keys(keys),
        "gender": data.gender,
        "id_type": id_type.value if id_type and number else "",
        "id_number": number,
        "phone": phone,
        "share": clean_text(data.share, "产权份额", 20),
        "lease_start": data.lease_start,
        "lease_end": data.lease_end,
        "lives_here": data.lives_here,
        "note": clean_text(data.note, "备注", 200),
    }


def _vehicle_values(session: Session, data: VehicleInput, record_id: int | None) -> dict[str, Any]:
    plate = normalize_plate(data.plate)
    clash = session.execute(
        select(Vehicle.id, Vehicle.room_id).where(
            Vehicle.plate == plate, Vehicle.id != (record_id or 0)
        )
    ).first()
    if clash is not None:
        room, building, unit = room_of(session, clash.room_id)
        where = room_code(building.code, unit.code if unit else None, room.number)
        raise ValidationError("车牌号", f"「{plate}」已登记在 {where}")
    return {
        "plate": plate,
        "model": clean_text(data.model, "品牌型号", 40),
        "colour": clean_text(data.colour, "颜色", 20),
        "parking_space": clean_text(data.parking_space, "车位", 20),
        "note": clean_text(data.note, "备注", 200),
    }


def _parking_values(session: Session, data: ParkingInput, record_id: int | None) -> dict[str, Any]:
    space = session.get(Room, data.space_id)
    if space is None or space.room_type != RoomType.PARKING:
        raise ValidationError("车位", "请选择一个车位")
    _date_order(data.start_on, data.end_on, "开始日期", "结束日期")
    today = clock.today()
    for other in session.scalars(
        select(ParkingUse).where(
            ParkingUse.space_id == data.space_id, ParkingUse.id != (record_id or 0)
        )
    ):
        if other.end_on is None or other.end_on >= today:
            raise ValidationError("车位", "该车位已登记给其他住户使用")
    return {
        "space_id": data.space_id,
        "kind": ParkingKind(data.kind),
        "start_on": data.start_on,
        "end_on": data.end_on,
        "note": clean_text(data.note, "备注", 200),
    }


def _pet_values(data: PetInput) -> dict[str, Any]:
    if data.species not in PET_SPECIES:
        raise ValidationError("种类", f"只能是{'、'.join(PET_SPECIES)}")
    if data.vaccinated_on and data.vaccinated_on > clock.today():
        raise ValidationError("免疫日期", "不能晚于今天")
    return {
        "species": data.species,
        "name": clean_name(data.name, "名字", 40),
        "breed": clean_text(data.breed, "品种", 40),
        "licence_no": clean_text(data.licence_no, "犬只登记证号", 40),
        "vaccinated_on": data.vaccinated_on,
        "note": clean_text(data.note, "备注", 200),
    }


def _care_values(data: CareInput) -> dict[str, Any]:
    if not 1 <= data.visit_every_days <= 365:
        raise ValidationError("探访周期", "须在 1 到 365 天之间")
    if data.last_visit_on and data.last_visit_on > clock.today():
        raise ValidationError("上次探访", "不能晚于今天")
    return {
        "person_name": clean_name(data.person_name, "关怀对象", 40, required=True),
        "category": CareCategory(data.category),
        "note": clean_text(data.note, "关怀说明", 1000),
        "visit_every_days": data.visit_every_days,
        "last_visit_on": data.last_visit_on,
    }


def _values(
    session: Session, data: Record, record_id: int | None
) -> tuple[type[Base], dict[str, Any]]:
    if isinstance(data, PersonInput):
        return Person, person_values(data)
    if isinstance(data, VehicleInput):
        return Vehicle, _vehicle_values(session, data, record_id)
    if isinstance(data, ParkingInput):
        return ParkingUse, _parking_values(session, data, record_id)
    if isinstance(data, PetInput):
        return Pet, _pet_values(data)
    return CareNeed, _care_values(data)


# writing -------------------------------------------------------------------------


def add_record(db: Database, actor: Actor, room_id: int, data: Record) -> int:
    """Add a person, vehicle, parking space, pet or care need to the room's file."""
    with db.write(actor) as session:
        _room_building = room_of(session, room_id)[1]
        require_in_scope(actor, Permission.EDIT_HOUSEHOLDS, _room_building)
        model, values = _values(session, data, None)
        record = model(room_id=room_id, **values)
        session.add(record)
        session.flush()
        return int(record.id)  # type: ignore[attr-defined]


def update_record(db: Database, actor: Actor, record_id: int, data: Record) -> None:
    """Change a record. For a person edited from a masked file, a masked ID number or
    phone (one containing *) means "unchanged": the stored value is kept."""
    with db.write(actor) as session:
        if isinstance(data, PersonInput):
            data = _unmasked(session, record_id, data)
        model, values = _values(session, data, record_id)
        record = _owned_record(session, actor, model, record_id)
        for key, value in values.items():
            setattr(record, key, value)


def _unmasked(session: Session, person_id: int, data: PersonInput) -> PersonInput:
    stored = session.get(Person, person_id)
    if stored is None:
        return data
    if "*" in data.id_number:
        data = replace(
            data,
            id_number=stored.id_number,
            id_type=IdType(stored.id_type) if stored.id_type else None,
        )
    if "*" in data.phone:
        data = replace(data, phone=stored.phone)
    return data


PEOPLE_ARE_KEPT = (
    "户档案中的人员不能删除：搬离、租期结束或产权转让请用“迁出”登记日期，"
    "该人员会留在本户的历史中；登记有误请直接修改。"
    "依法删除个人信息须由主管在“个人信息查阅与删除”中办理。"
)


def remove_record(db: Database, actor: Actor, kind: type[Record], record_id: int) -> None:
    """Remove a vehicle, parking space, pet or care need (the audit log keeps what it
    held). People are never removed here: see `end_person` and personal_erase."""
    if kind is PersonInput:
        raise UserError(PEOPLE_ARE_KEPT)
    model = {
        VehicleInput: Vehicle,
        ParkingInput: ParkingUse,
        PetInput: Pet,
        CareInput: CareNeed,
    }[kind]
    with db.write(actor) as session:
        session.delete(_owned_record(session, actor, model, record_id))


LEFT_REASONS = ("迁出", "租期结束", "产权转让", "登记有误", "去世")


def end_person(db: Database, actor: Actor, person_id: int, left_on: date, reason: str) -> None:
    """迁出: the person left the household on `left_on`; they stay in the file's history.

    Names no longer on the file are not printed as the owner on receipts, notices and
    lists, and their retention period (personal_rules) runs from that day."""
    reason = clean_text(reason, "迁出原因", 40, required=True)
    if left_on > clock.today():
        raise ValidationError("迁出日期", "不能晚于今天（尚未迁出时请到期后再登记）")
    with db.write(actor) as session:
        person = _owned_record(session, actor, Person, person_id)
        if person.left_on is not None:
            raise UserError(f"「{person.name}」已于 {person.left_on:%Y-%m-%d} 迁出。")
        if person.lease_start and left_on < person.lease_start:
            raise ValidationError("迁出日期", "不能早于租期开始")
        person.left_on = left_on
        person.left_reason = reason


def restore_person(db: Database, actor: Actor, person_id: int) -> None:
    """Undo a 迁出 registered by mistake: the person is on the file again (audited)."""
    with db.write(actor) as session:
        person = _owned_record(session, actor, Person, person_id)
        if person.left_on is None:
            raise UserError(f"「{person.name}」仍在本户档案中。")
        person.left_on = None
        person.left_reason = ""


def _owned_record(session: Session, actor: Actor, model: type[Base], record_id: int) -> Any:
    record: Any = session.get(model, record_id)
    if record is None:
        raise NotFound("该记录已不存在，请刷新后重试。")
    building = room_of(session, record.room_id)[1]
    require_in_scope(actor, Permission.EDIT_HOUSEHOLDS, building)
    return record


def update_profile(db: Database, actor: Actor, room_id: int, data: ProfileInput) -> None:
    if data.contact_preference not in CONTACT_PREFERENCES:
        raise ValidationError("联系偏好", f"只能是{'、'.join(p for p in CONTACT_PREFERENCES if p)}")
    tags = TAG_SEPARATOR.join(split_tags(data.tags))
    if len(tags) > 200:
        raise ValidationError("标签", "合计不能超过 200 个字")
    notes = clean_text(data.notes, "备注", 5000)
    with db.write(actor) as session:
        scoped_room(session, actor, Permission.EDIT_HOUSEHOLDS, room_id)
        profile = session.scalar(
            select(HouseholdProfile).where(HouseholdProfile.room_id == room_id)
        )
        if profile is None:
            profile = HouseholdProfile(room_id=room_id)
            session.add(profile)
        profile.move_in_on = data.move_in_on
        profile.contact_preference = data.contact_preference
        profile.tags = tags
        profile.notes = notes


def assign_butler(db: Database, actor: Actor, building_id: int, user_id: int | None) -> None:
    """管家责任制: name the butler of a building (None: nobody)."""
    require(actor, Permission.EDIT_STRUCTURE)
    with db.write(actor) as session:
        building = session.get(Building, building_id)
        if building is None:
            raise NotFound("找不到该楼栋。")
        if user_id is not None:
            user = session.get(User, user_id)
            if user is None or not user.active or user.role != Role.BUTLER:
                raise ValidationError("管家", "请选择一位在职的管家")
        building.butler_id = user_id


def input_of(row: PersonRow) -> PersonInput:
    """An editable copy of a row (from an unmasked file)."""
    names = {f.name for f in fields(PersonInput)}
    return PersonInput(**{k: v for k, v in row.__dict__.items() if k in names})
