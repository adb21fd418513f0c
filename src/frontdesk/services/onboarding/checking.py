"""Checking a read file against the database: which rooms and people are new and which
already on file, what each balance line adds (balances.py), and every row refused with
its reason.

The check only reads (a counter is never kept waiting by it). `commit_import` writes
what it found, or matches the lines again first when a table they were matched
against has changed since."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontdesk.db.engine import Database
from frontdesk.db.protection import require_key
from frontdesk.domain.money import format_yuan
from frontdesk.domain.onboarding import (
    Field,
    PersonLine,
    ReadResult,
    Refusal,
    RoomLine,
    Totals,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.file import PersonInput, person_values
from frontdesk.services.households.roster import ON_FILE, person_keys
from frontdesk.services.onboarding.balances import match_balances
from frontdesk.services.onboarding.on_file import (
    OnFile,
    load_on_file,
    needs_fees,
    on_file_mark,
)
from frontdesk.services.onboarding.preview import PREVIEW_HEADERS, preview_rows
from frontdesk.services.onboarding.totals import lines_totals
from frontdesk.services.onboarding.work import (
    NewRoom,
    RoomRefs,
    Work,
    fit,
    missing_room,
    refuse,
)
from frontdesk.services.progress import NO_PROGRESS, Progress

CARRIED_BILL = "期初欠费（原系统结转）"
CARRIED_PREPAID = "期初预存（原系统结转）"
PROGRESS_EVERY = 2000


@dataclass(frozen=True)
class ImportFile:
    name: str
    sha256: str
    sheets: tuple[str, ...]


def file_of(path: Path, sheets: Sequence[str]) -> ImportFile:
    """The file as an import records it: its name, its digest, the sheets read."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return ImportFile(path.name, digest.hexdigest(), tuple(sheets))


@dataclass(frozen=True)
class ImportPlan:
    file: ImportFile
    read: ReadResult
    new_buildings: tuple[str, ...]  # codes of buildings to create (the clerk confirms)
    new_rooms: int
    matched_rooms: int
    new_people: int
    known_people: int
    refusals: tuple[Refusal, ...]  # the reading's and the database's
    file_totals: Totals  # what the file holds
    adds: Totals  # what committing adds (a re-run adds nothing)
    preview: tuple[tuple[str, ...], ...]  # the first lines as they will be stored
    preview_headers: tuple[str, ...]
    # Each person line's validated values, by its index in read.people: the commit
    # matches the lines again without validating 40,000 people twice.
    validated: Mapping[int, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)
    # What the check found to write, and the database's mark it was found against: the
    # commit writes it as it is when nothing it was matched against has changed since.
    work: Work | None = field(default=None, repr=False, compare=False)
    mark: tuple[int, ...] = field(default=(), repr=False, compare=False)


def require_import(actor: Actor, read: ReadResult) -> None:
    require(actor, Permission.IMPORT_HOUSEHOLDS)
    if needs_fees(read):
        require(actor, Permission.MANAGE_FEES)


def check_import(
    db: Database,
    actor: Actor,
    file: ImportFile,
    read: ReadResult,
    *,
    progress: Progress = NO_PROGRESS,
) -> ImportPlan:
    """What importing the read lines would do, and every line refused; writes nothing."""
    require_import(actor, read)
    with db.read() as session:
        if read.people:
            require_key()  # people are matched on whole numbers
        on_file = load_on_file(session, read)
        mark = on_file_mark(session)
    work = resolve(read, on_file, progress)
    refusals = sorted(
        [*read.refusals, *work.refusals], key=lambda r: (r.source.sheet, r.source.row, r.column)
    )
    return ImportPlan(
        file=file,
        read=read,
        new_buildings=tuple(work.buildings),
        new_rooms=len(work.rooms),
        matched_rooms=work.matched_rooms,
        new_people=len(work.people),
        known_people=work.known_people,
        refusals=tuple(refusals),
        file_totals=lines_totals(read),
        adds=work.adds(),
        preview=preview_rows(read),
        preview_headers=PREVIEW_HEADERS,
        validated=work.validated,
        work=work,
        mark=mark,
    )


# matching rooms and people ----------------------------------------------------------


def resolve(
    read: ReadResult,
    on_file: OnFile,
    progress: Progress = NO_PROGRESS,
    validated: Mapping[int, dict[str, Any]] | None = None,
) -> Work:
    """What the lines add to what is on file, and the lines refused. `validated`: the
    people's values an earlier check found (the same lines)."""
    work = Work(validated=dict(validated or {}))
    rooms = RoomRefs(on_file)
    total = len(read.rooms) + len(read.people)
    people_rooms = {line.room.code for line in read.people}
    earlier: dict[str, RoomLine] = {}
    for done, room_line in enumerate(read.rooms, 1):
        _room(work, rooms, room_line, earlier, people_rooms)
        if done % PROGRESS_EVERY == 0:
            progress.step(done, total)
    known = dict(on_file.people)
    for index, person in enumerate(read.people):
        _person(work, rooms, person, known, index)
        done = len(read.rooms) + index + 1
        if done % PROGRESS_EVERY == 0:
            progress.step(done, total)
    match_balances(work, rooms, read)
    progress.step(total, total)
    return work


def _room(
    work: Work,
    rooms: RoomRefs,
    line: RoomLine,
    earlier: dict[str, RoomLine],
    people_rooms: set[str],
) -> None:
    code = line.room.code
    on_file = rooms.on_file.rooms.get(code)
    if on_file is not None:
        if line.room_type is not None and line.room_type != on_file.room_type:
            refuse(
                work,
                line.source,
                Field.ROOM_TYPE,
                f"系统中的 {code} 是{on_file.room_type.label}，文件写的是{line.room_type.label}",
            )
        elif (
            line.area_x100 is not None and on_file.area_x100 and line.area_x100 != on_file.area_x100
        ):
            refuse(
                work,
                line.source,
                Field.AREA,
                f"系统中的 {code} 建筑面积为 {format_yuan(on_file.area_x100)} ㎡，"
                f"文件写的是 {format_yuan(line.area_x100)} ㎡（请先核对）",
            )
        elif code not in earlier:
            work.matched_rooms += 1
        earlier.setdefault(code, line)
        return
    first = earlier.get(code)
    if first is not None:
        if _room_facts(first) != _room_facts(line):
            refuse(
                work, line.source, Field.ROOM_CODE, f"与第 {first.source.row} 行的 {code} 信息不同"
            )
        return
    earlier[code] = line
    key = line.room
    parts = ((Field.BUILDING, key.building, 20), (Field.UNIT, key.unit or "", 20))
    if not fit(work, line.source, (*parts, (Field.ROOM_NUMBER, key.number, 20))):
        return
    room_type = line.room_type or RoomType.RESIDENCE
    status = line.status or (
        RoomStatus.OCCUPIED if code in people_rooms else RoomStatus.HANDED_OVER
    )
    floor = line.floor if line.floor is not None else floor_of(line.room.number)
    work.rooms.append(
        NewRoom(line.room, floor, line.area_x100 or 0, room_type, status, line.handover_on)
    )
    rooms.new[code] = -len(rooms.new) - 1
    building = line.room.building
    if building not in rooms.on_file.buildings:
        name, floors = work.buildings.get(building, (building_name(building, room_type), 1))
        work.buildings[building] = (name, max(floors, floor))
    unit = line.room.unit
    known_unit = (building, unit) in rooms.on_file.units or (building, unit) in work.units
    if unit is not None and not known_unit:
        work.units.append((building, unit))


def _room_facts(line: RoomLine) -> tuple[object, ...]:
    return (line.floor, line.area_x100, line.room_type, line.status, line.handover_on)


def floor_of(number: str) -> int:
    """1201 -> 12, 301 -> 3; a number too short to hold a floor is on the first."""
    digits = "".join(c for c in number if c.isdigit())
    return max(int(digits[:-2]), 1) if len(digits) >= 3 else 1


def building_name(code: str, room_type: RoomType) -> str:
    """3栋 for a residential building; 商铺, 车位, 储藏室 for one named by letters."""
    if code.isdigit() or room_type == RoomType.RESIDENCE:
        return f"{code}栋"
    return room_type.label


def _validated(work: Work, line: PersonLine, index: int) -> dict[str, Any] | None:
    """The line's values by the roster's rules (without the name's search keys: only
    the people added get them), or None and the line refused."""
    values = work.validated.get(index)
    if values is None:
        data = PersonInput(
            kind=line.kind,
            name=line.name,
            relation=line.relation,
            gender=line.gender,
            id_type=line.id_type,
            id_number=line.id_number,
            phone=line.phone,
            note=line.note,
        )
        try:
            values = person_values(data, search_keys=False)
        except ValidationError as exc:
            refuse(work, line.source, exc.field, exc.problem)
            return None
        work.validated[index] = values
    return values


def _person(
    work: Work, rooms: RoomRefs, line: PersonLine, known: dict[Any, int], index: int
) -> None:
    room_id = rooms.ref(line.room)
    if room_id is None:
        missing_room(work, line.source, line.room)
        return
    values = _validated(work, line, index)
    if values is None:
        return
    keys = person_keys(room_id, values)
    earlier = [known[key] for key in keys if key in known]
    if earlier and min(earlier) == ON_FILE:
        work.known_people += 1
        return
    if earlier:
        refuse(
            work,
            line.source,
            Field.NAME,
            f"与第 {min(earlier)} 行重复（同房号、同姓名且证件号码或电话相同）",
        )
        return
    known.update(dict.fromkeys(keys, line.source.row))
    work.people.append((line.room.code, values))
    if room_id < 0 or room_id not in rooms.on_file.with_profile:
        profile_move_in = work.profiles.get(line.room.code)
        work.profiles[line.room.code] = profile_move_in or line.move_in_on
