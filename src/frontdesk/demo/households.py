"""The people of the demo community: owners, families, tenants, cars, pets, care needs.

Rows are generated as plain dicts for bulk inserts; the numbers look real
(valid ID check digits, mobile prefixes, plates of the province) but are random.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from stdnum.cn import ric

from frontdesk.domain.household import (
    CONTACT_CHANNELS,
    CONTACT_PREFERENCES,
    CareCategory,
    ParkingKind,
    PersonKind,
    Relation,
)
from frontdesk.domain.identity import IdType
from frontdesk.domain.names import NameKeys, pinyin_keys
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.services.households.care import VISIT_TOPIC as CARE_VISIT_TOPIC

Row = dict[str, Any]
LIVED_IN = {RoomStatus.OCCUPIED.value, RoomStatus.RENTED.value, RoomStatus.HANDED_OVER.value}
REGIONS = ("320105", "320102", "320104", "320106", "320113", "340102", "330106", "370102")
MOBILE_PREFIXES = ("133", "135", "136", "138", "139", "150", "151", "158", "177", "186", "189")
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
CAR_MODELS = (
    "大众朗逸",
    "丰田卡罗拉",
    "本田雅阁",
    "比亚迪汉",
    "特斯拉Model 3",
    "别克英朗",
    "日产轩逸",
)
COLOURS = ("白色", "黑色", "银色", "灰色", "蓝色", "红色")
DOG_BREEDS = ("泰迪", "柯基", "金毛", "柴犬", "比熊", "边牧")
CAT_BREEDS = ("英短", "美短", "布偶", "中华田园猫")
TAGS = ("VIP", "热心业主", "楼长", "党员", "需上门服务", "二次装修", "投诉较多")


@dataclass
class HouseholdRows:
    household: list[Row] = field(default_factory=list)
    person: list[Row] = field(default_factory=list)
    vehicle: list[Row] = field(default_factory=list)
    parking_use: list[Row] = field(default_factory=list)
    pet: list[Row] = field(default_factory=list)
    care_need: list[Row] = field(default_factory=list)
    butler_contact: list[Row] = field(default_factory=list)


@cache
def _keys(name: str) -> NameKeys:
    return pinyin_keys(name)


class PeopleMaker:
    def __init__(self, rng: random.Random, name: Any, today: date) -> None:
        self.rng, self.name, self.today = rng, name, today
        self.phones: set[str] = set()
        self.plates: set[str] = set()

    def phone(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def id_number(self, born: date) -> str:
        body = f"{self.rng.choice(REGIONS)}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
        return body + ric.calc_check_digit(body + "?")  # the last character is ignored

    def born(self, low: int, high: int) -> date:
        return date(self.today.year - self.rng.randint(low, high), self.rng.randint(1, 12), 1) + (
            timedelta(days=self.rng.randint(0, 27))
        )

    def plate(self) -> str:
        while True:
            tail = "".join(self.rng.choice("0123456789" + PLATE_LETTERS[:8]) for _ in range(4))
            if self.rng.random() < 0.2:  # new-energy: 苏AD + 5
                digits = self.rng.randrange(10**5)
                plate = f"苏A{self.rng.choice('DF')}{digits:05d}"
            else:
                plate = f"苏{self.rng.choice('AAAAAB')}{self.rng.randrange(10)}{tail}"
            if plate not in self.plates:
                self.plates.add(plate)
                return plate


def person_row(
    room_id: int, kind: PersonKind, relation: Relation, name: str, phone: str = "", **extra: Any
) -> Row:
    keys = _keys(name)
    row: Row = {
        "room_id": room_id,
        "kind": kind.value,
        "relation": relation.value,
        "name": name,
        "name_pinyin": keys.full,
        "name_initials": keys.initials,
        "name_mixed": keys.mixed,
        "gender": "",
        "id_type": "",
        "id_number": "",
        "phone": phone,
        "share": "",
        "lease_start": None,
        "lease_end": None,
        "lives_here": True,
        "note": "",
    }
    row.update(extra)
    return row


def household_rows(
    rng: random.Random,
    rooms: list[Row],
    name: Any,
    butler_of_building: dict[int, int],
    today: date,
) -> HouseholdRows:
    """Files for every lived-in residence; `name(rng)` makes a Chinese name."""
    out = HouseholdRows()
    people = PeopleMaker(rng, name, today)
    spaces = [r["id"] for r in rooms if r["room_type"] == RoomType.PARKING.value]
    rng.shuffle(spaces)
    for room in rooms:
        if room["room_type"] != RoomType.RESIDENCE.value or room["status"] not in LIVED_IN:
            continue
        _household(out, people, room, spaces, today)
        if rng.random() < 0.08 and room["building_id"] in butler_of_building:
            out.butler_contact.append(_contact(rng, room["id"], butler_of_building, room, today))
    return out


def _household(
    out: HouseholdRows, people: PeopleMaker, room: Row, spaces: list[int], today: date
) -> None:
    rng, room_id = people.rng, room["id"]
    first_person = len(out.person)
    move_in = today - timedelta(days=rng.randint(30, 3650))
    owner = people.name(rng)
    surname = owner[0]
    owner_born = people.born(28, 75)
    out.person.append(
        person_row(
            room_id,
            PersonKind.OWNER,
            Relation.SELF,
            owner,
            people.phone(),
            gender=rng.choice("男女"),
            id_type=IdType.RESIDENT.value,
            id_number=people.id_number(owner_born),
            share="100%",
            lives_here=room["status"] != RoomStatus.RENTED.value,
        )
    )
    if rng.random() < 0.35:
        out.person[-1]["share"] = "50%"
        spouse = people.name(rng)
        out.person.append(
            person_row(
                room_id,
                PersonKind.OWNER,
                Relation.SPOUSE,
                spouse,
                people.phone(),
                id_type=IdType.RESIDENT.value,
                id_number=people.id_number(people.born(28, 75)),
                share="50%",
                lives_here=room["status"] != RoomStatus.RENTED.value,
            )
        )
    if room["status"] == RoomStatus.RENTED.value:
        start = today - timedelta(days=rng.randint(10, 700))
        out.person.append(
            person_row(
                room_id,
                PersonKind.TENANT,
                Relation.TENANT,
                people.name(rng),
                people.phone(),
                id_type=IdType.RESIDENT.value,
                id_number=people.id_number(people.born(22, 50)),
                lease_start=start,
                lease_end=start + timedelta(days=365 * rng.choice((1, 2))),
            )
        )
    elif room["status"] == RoomStatus.OCCUPIED.value:
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            relation = rng.choice(
                (Relation.CHILD, Relation.CHILD, Relation.PARENT, Relation.SPOUSE)
            )
            out.person.append(
                person_row(
                    room_id,
                    PersonKind.RESIDENT,
                    relation,
                    surname + people.name(rng)[1:]
                    if relation is Relation.CHILD
                    else people.name(rng),
                    people.phone() if rng.random() < 0.6 else "",
                )
            )
    if rng.random() < 0.7:
        out.person.append(
            person_row(
                room_id, PersonKind.EMERGENCY, Relation.RELATIVE, people.name(rng), people.phone()
            )
        )
    _unique_names(out.person[first_person:], people)
    _belongings(out, people, room_id, spaces, today)
    out.household.append(
        {
            "room_id": room_id,
            "move_in_on": move_in if room["status"] != RoomStatus.HANDED_OVER.value else None,
            "contact_preference": rng.choice(CONTACT_PREFERENCES),
            "tags": rng.choice(TAGS) if rng.random() < 0.1 else "",
            "notes": "",
        }
    )


def _unique_names(rows: list[Row], people: PeopleMaker) -> None:
    """Two people of one household never share a name (a roster could not tell them apart)."""
    seen: set[str] = set()
    for row in rows:
        while row["name"] in seen:
            row["name"] = row["name"][0] + people.name(people.rng)[1:]
            keys = _keys(row["name"])
            row.update(name_pinyin=keys.full, name_initials=keys.initials, name_mixed=keys.mixed)
        seen.add(row["name"])


def _belongings(
    out: HouseholdRows, people: PeopleMaker, room_id: int, spaces: list[int], today: date
) -> None:
    rng = people.rng
    if rng.random() < 0.45:
        out.vehicle.append(
            {
                "room_id": room_id,
                "plate": people.plate(),
                "model": rng.choice(CAR_MODELS),
                "colour": rng.choice(COLOURS),
                "parking_space": "",
                "note": "",
            }
        )
        if spaces and rng.random() < 0.6:
            kind = rng.choice((ParkingKind.OWNED, ParkingKind.RENTED))
            start = today - timedelta(days=rng.randint(30, 1500))
            out.parking_use.append(
                {
                    "room_id": room_id,
                    "space_id": spaces.pop(),
                    "kind": kind.value,
                    "start_on": start,
                    "end_on": today + timedelta(days=rng.randint(30, 700))
                    if kind is ParkingKind.RENTED
                    else None,
                    "note": "",
                }
            )
    if rng.random() < 0.15:
        dog = rng.random() < 0.7
        out.pet.append(
            {
                "room_id": room_id,
                "name": rng.choice(("豆豆", "球球", "旺财", "咪咪", "可乐", "糖糖")),
                "species": "犬" if dog else "猫",
                "breed": rng.choice(DOG_BREEDS if dog else CAT_BREEDS),
                "licence_no": f"宁犬{rng.randrange(10**6):06d}" if dog else "",
                "vaccinated_on": today - timedelta(days=rng.randint(10, 500)),
                "note": "",
            }
        )
    if rng.random() < 0.03:
        out.care_need.append(
            {
                "room_id": room_id,
                "person_name": people.name(rng),
                "category": rng.choice(list(CareCategory)).value,
                "note": rng.choice(
                    ("高血压，独自在家", "子女在外地", "需轮椅出行", "听力较差，上门需多敲门")
                ),
                "visit_every_days": rng.choice((7, 14, 30)),
                "last_visit_on": today - timedelta(days=rng.randint(0, 40)),
            }
        )


def _contact(
    rng: random.Random, room_id: int, butler_of_building: dict[int, int], room: Row, today: date
) -> Row:
    return {
        "room_id": room_id,
        "user_id": butler_of_building[room["building_id"]],
        "contacted_on": today.replace(day=1)
        + timedelta(days=rng.randint(0, max(today.day - 1, 0))),
        "channel": rng.choice(CONTACT_CHANNELS),
        "topic": rng.choice(("日常回访", "缴费提醒", "报修回访", "装修巡查告知", "节日问候")),
        "outcome": rng.choice(("业主满意", "已告知", "业主提出建议，已记录", "")),
        "follow_up_on": None,
    }


# 管家责任制 through the year: the butlers reached a twentieth of their homes a month at
# the year's start and more than the plan's tenth by its end, each at their own pace;
# what they talked about follows the season.
REACHED_FIRST, REACHED_LAST = 0.05, 0.12
SEASON_TOPICS = {
    1: "防寒防冻提醒",
    2: "春节问候",
    6: "防汛提醒",
    7: "高温关怀",
    8: "高温关怀",
    9: "中秋问候",
    12: "防寒防冻提醒",
}
CARE_OUTCOMES = ("身体状况良好", "已协助联系社区医生", "子女已知悉", "代购生活用品", "")


def year_of_contacts(
    rng: random.Random,
    rooms: list[Row],
    out: HouseholdRows,
    butler_of_building: dict[int, int],
    months: list[tuple[date, date, float]],
) -> None:
    """The butlers' contacts of the year's past months, and the care visits of the
    whole year, added to `out` (this month's contacts are already there). `months`:
    each past month's first and last day, and how far into the year it is (0 to 1)."""
    homes = [
        room
        for room in rooms
        if room["room_type"] == RoomType.RESIDENCE.value
        and room["status"] in LIVED_IN
        and room["building_id"] in butler_of_building
    ]
    paces = {butler: rng.uniform(0.8, 1.2) for butler in sorted(set(butler_of_building.values()))}
    for first, last, progress in months:
        reached = REACHED_FIRST + (REACHED_LAST - REACHED_FIRST) * progress
        span = (last - first).days
        for room in homes:
            butler = butler_of_building[room["building_id"]]
            if rng.random() < reached * paces[butler]:
                on = first + timedelta(days=rng.randint(0, span))
                out.butler_contact.append(_past_contact(rng, room["id"], butler, on))
    _care_visits(rng, rooms, out, butler_of_building, months[0][0] if months else None)
    out.butler_contact.sort(key=lambda contact: contact["contacted_on"])


def _past_contact(rng: random.Random, room_id: int, butler: int, on: date) -> Row:
    topics = ["日常回访", "缴费提醒", "报修回访", "装修巡查告知"]
    if on.month in SEASON_TOPICS:
        topics += [SEASON_TOPICS[on.month]] * 2
    return {
        "room_id": room_id,
        "user_id": butler,
        "contacted_on": on,
        "channel": rng.choice(CONTACT_CHANNELS),
        "topic": rng.choice(topics),
        "outcome": rng.choice(("业主满意", "已告知", "业主提出建议，已记录", "")),
        "follow_up_on": None,
    }


def _care_visits(
    rng: random.Random,
    rooms: list[Row],
    out: HouseholdRows,
    butler_of_building: dict[int, int],
    since: date | None,
) -> None:
    """Each care need's visits back from its last one to the year's start, every
    `visit_every_days` or a little later: often late early in the year, seldom by
    its end (the last visit is the one its file records)."""
    if since is None:
        return
    building_of = {room["id"]: room["building_id"] for room in rooms}
    for need in out.care_need:
        butler = butler_of_building.get(building_of[need["room_id"]])
        visited = need["last_visit_on"]
        if butler is None or visited is None:
            continue
        every = need["visit_every_days"]
        while visited >= since:
            out.butler_contact.append(
                {
                    "room_id": need["room_id"],
                    "user_id": butler,
                    "contacted_on": visited,
                    "channel": "上门",
                    "topic": f"{CARE_VISIT_TOPIC}：{need['person_name']}",
                    "outcome": rng.choice(CARE_OUTCOMES),
                    "follow_up_on": None,
                }
            )
            into = (visited - since).days / 365  # the earlier, the likelier a late visit
            late = rng.random() < 0.6 - 0.5 * into
            visited -= timedelta(days=every + (rng.randint(1, every) if late else 0))
