"""Checking a read file against the database: which rooms and people are new and which
already on file, what each balance line adds, and every row refused with its reason.

The check only reads (a counter is never kept waiting by it); `commit_import` runs
the same matching again before it writes, so what it writes is what is new then."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from frontdesk.db.engine import Database
from frontdesk.db.protection import require_key
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.money import format_yuan
from frontdesk.domain.onboarding import (
    ArrearsLine,
    DepositLine,
    Field,
    HistoryLine,
    MeterLine,
    PaidThroughLine,
    PersonLine,
    PrepaidLine,
    ReadResult,
    Refusal,
    RoomKey,
    RoomLine,
    Source,
    Totals,
)
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.file import PersonInput, person_values
from frontdesk.services.households.roster import ON_FILE, person_keys
from frontdesk.services.onboarding.on_file import (
    ItemOnFile,
    OnFile,
    load_on_file,
    needs_fees,
    on_file_mark,
)
from frontdesk.services.onboarding.preview import PREVIEW_HEADERS, preview_rows
from frontdesk.services.onboarding.totals import lines_totals
from frontdesk.services.progress import NO_PROGRESS, Progress

CARRIED_BILL = "期初欠费（原系统结转）"
CARRIED_PREPAID = "期初预存（原系统结转）"
PROGRESS_EVERY = 2000
Seen = dict[tuple[Any, ...], int]  # a line's key -> the row that first said it


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


@dataclass(frozen=True)
class NewRoom:
    key: RoomKey
    floor: int
    area_x100: int
    room_type: RoomType
    status: RoomStatus
    handover_on: date | None


@dataclass
class Work:
    """What committing writes, rooms named by their code (new rooms have no id yet)."""

    buildings: dict[str, tuple[str, int]] = field(default_factory=dict)  # code -> name, floors
    units: list[tuple[str, str]] = field(default_factory=list)
    rooms: list[NewRoom] = field(default_factory=list)
    people: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    profiles: dict[str, date | None] = field(default_factory=dict)
    bills: list[tuple[str, int, Period, int]] = field(default_factory=list)
    prepaid: list[tuple[str, int]] = field(default_factory=list)
    paid_through: list[tuple[str, int, Period]] = field(default_factory=list)
    deposits: list[DepositLine] = field(default_factory=list)
    history: list[HistoryLine] = field(default_factory=list)
    meters: list[tuple[str, int, str, int, date]] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    validated: dict[int, dict[str, Any]] = field(default_factory=dict)
    matched_rooms: int = 0
    known_people: int = 0

    def adds(self) -> Totals:
        return Totals(
            rooms=len(self.rooms),
            people=len(self.people),
            arrears_fen=sum(amount for *_, amount in self.bills),
            arrears_lines=len(self.bills),
            prepaid_fen=sum(amount for _, amount in self.prepaid),
            deposits_fen=sum(line.amount_fen for line in self.deposits),
            history_lines=len(self.history),
            history_fen=sum(line.amount_fen for line in self.history),
            meter_readings=len(self.meters),
        )


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


# matching --------------------------------------------------------------------------


class _Rooms:
    """Room codes to ids: rooms on file by their id, rooms this file creates by a
    negative stand-in (people are keyed by room id, as the roster keys them)."""

    def __init__(self, on_file: OnFile) -> None:
        self.on_file = on_file
        self.new: dict[str, int] = {}

    def ref(self, key: RoomKey) -> int | None:
        found = self.on_file.rooms.get(key.code)
        if found is not None:
            return found.room_id
        return self.new.get(key.code)


def _refuse(work: Work, source: Source, column: Field | str, reason: str) -> None:
    label = column.label if isinstance(column, Field) else column
    work.refusals.append(Refusal(source, label, reason))


def resolve(
    read: ReadResult,
    on_file: OnFile,
    progress: Progress = NO_PROGRESS,
    validated: Mapping[int, dict[str, Any]] | None = None,
) -> Work:
    """What the lines add to what is on file, and the lines refused. `validated`: the
    people's values an earlier check found (the same lines)."""
    work = Work(validated=dict(validated or {}))
    rooms = _Rooms(on_file)
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
    _money(work, rooms, read)
    progress.step(total, total)
    return work


def _missing_room(work: Work, source: Source, key: RoomKey) -> None:
    _refuse(work, source, Field.ROOM_CODE, f"系统中没有房屋「{key.code}」，文件中也没有它")


def _room(
    work: Work,
    rooms: _Rooms,
    line: RoomLine,
    earlier: dict[str, RoomLine],
    people_rooms: set[str],
) -> None:
    code = line.room.code
    on_file = rooms.on_file.rooms.get(code)
    if on_file is not None:
        if line.room_type is not None and line.room_type != on_file.room_type:
            _refuse(
                work,
                line.source,
                Field.ROOM_TYPE,
                f"系统中的 {code} 是{on_file.room_type.label}，文件写的是{line.room_type.label}",
            )
        elif (
            line.area_x100 is not None and on_file.area_x100 and line.area_x100 != on_file.area_x100
        ):
            _refuse(
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
            _refuse(
                work, line.source, Field.ROOM_CODE, f"与第 {first.source.row} 行的 {code} 信息不同"
            )
        return
    earlier[code] = line
    key = line.room
    parts = ((Field.BUILDING, key.building, 20), (Field.UNIT, key.unit or "", 20))
    if not _fit(work, line.source, (*parts, (Field.ROOM_NUMBER, key.number, 20))):
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


def _fit(work: Work, source: Source, texts: Sequence[tuple[Field, str, int]]) -> bool:
    """False (and the line refused) when a text is longer than its column holds."""
    for column, text, limit in texts:
        if len(text) > limit:
            _refuse(work, source, column, f"不能超过 {limit} 个字（现有 {len(text)} 个字）")
            return False
    return True


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
            _refuse(work, line.source, exc.field, exc.problem)
            return None
        work.validated[index] = values
    return values


def _person(work: Work, rooms: _Rooms, line: PersonLine, known: dict[Any, int], index: int) -> None:
    room_id = rooms.ref(line.room)
    if room_id is None:
        _missing_room(work, line.source, line.room)
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
        _refuse(
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


# money -------------------------------------------------------------------------------


def _item(work: Work, source: Source, name: str, on_file: OnFile) -> ItemOnFile | None:
    item = on_file.items.get(name)
    if item is None:
        _refuse(
            work,
            source,
            Field.FEE_ITEM,
            f"没有名为「{name}」的收费项目（请先在收费设置中添加，或在导入时对应到已有项目）",
        )
    return item


def _money(work: Work, rooms: _Rooms, read: ReadResult) -> None:
    seen: Seen = {}
    for line in read.arrears:
        _arrears(work, rooms, line, seen)
    for prepaid in read.prepaid:
        _prepaid(work, rooms, prepaid, seen)
    for paid in read.paid_through:
        _paid_through(work, rooms, paid, seen)
    _deposits(work, rooms, read.deposits)
    _history(work, rooms, read.history)
    for meter in read.meters:
        _meter(work, rooms, meter, seen)


def _room_and(
    work: Work,
    rooms: _Rooms,
    line: ArrearsLine | PaidThroughLine | MeterLine,
    item: ItemOnFile | None,
) -> tuple[int, ItemOnFile] | None:
    """The line's room id and fee item, or None (and the line refused) without either."""
    room_id = rooms.ref(line.room)
    if room_id is None:
        _missing_room(work, line.source, line.room)
    if room_id is None or item is None:
        return None
    return room_id, item


def _once(work: Work, seen: Seen, key: tuple[Any, ...], source: Source, what: str) -> bool:
    """False (and the line refused) when an earlier line of the file said the same."""
    first = seen.setdefault(key, source.row)
    if first != source.row:
        _refuse(work, source, Field.ROOM_CODE, f"与第 {first} 行重复（{what}）")
        return False
    return True


def _arrears(work: Work, rooms: _Rooms, line: ArrearsLine, seen: Seen) -> None:
    found = _room_and(work, rooms, line, _item(work, line.source, line.fee_item, rooms.on_file))
    if found is None:
        return
    room_id, item = found
    period = str(line.period)
    if line.amount_fen <= 0:
        _refuse(work, line.source, Field.ARREARS, "欠费金额须大于 0")
        return
    if not _once(
        work,
        seen,
        ("arrears", line.room.code, item.item_id, period),
        line.source,
        "同一房屋、项目和月份的欠费",
    ):
        return
    existing = rooms.on_file.bills.get((room_id, item.item_id, period))
    if existing is not None:
        import_id, amount = existing
        if import_id is None or amount != line.amount_fen:
            _refuse(
                work,
                line.source,
                Field.PERIOD,
                f"本系统已有 {line.room.code} {line.period.label}的{line.fee_item}账单",
            )
        return
    first_run = rooms.on_file.first_run
    if first_run is not None and period >= first_run:
        _refuse(
            work,
            line.source,
            Field.PERIOD,
            f"{line.period.label}已在本系统出账，不能再结转期初欠费",
        )
        return
    work.bills.append((line.room.code, item.item_id, line.period, line.amount_fen))


def _prepaid(work: Work, rooms: _Rooms, line: PrepaidLine, seen: Seen) -> None:
    room_id = rooms.ref(line.room)
    if room_id is None:
        _missing_room(work, line.source, line.room)
        return
    if line.amount_fen < 0:
        _refuse(work, line.source, Field.PREPAID, "预存余额不能为负")
        return
    if line.amount_fen == 0 or not _once(
        work, seen, ("prepaid", line.room.code), line.source, "同一房屋的期初预存只写一行"
    ):
        return
    carried = rooms.on_file.imported_prepaid.get(room_id)
    if carried is None:
        work.prepaid.append((line.room.code, line.amount_fen))
    elif carried != line.amount_fen:
        _refuse(
            work,
            line.source,
            Field.PREPAID,
            f"{line.room.code} 已由此前的导入结转期初预存 {format_yuan(carried)} 元",
        )


def _paid_through(work: Work, rooms: _Rooms, line: PaidThroughLine, seen: Seen) -> None:
    found = _room_and(work, rooms, line, _item(work, line.source, line.fee_item, rooms.on_file))
    if found is None:
        return
    room_id, item = found
    if not _once(
        work, seen, ("paid", line.room.code, item.item_id), line.source, "同一房屋和项目的已缴至"
    ):
        return
    existing = rooms.on_file.paid_through.get((room_id, item.item_id))
    if existing is None:
        work.paid_through.append((line.room.code, item.item_id, line.period))
    elif existing != str(line.period):
        _refuse(
            work,
            line.source,
            Field.PAID_THROUGH,
            f"系统中 {line.room.code} 的{line.fee_item}已记为缴至 {Period.parse(existing).label}",
        )


def _deposits(work: Work, rooms: _Rooms, lines: list[DepositLine]) -> None:
    """Each deposit line of the file once more than the database already holds."""
    held = Counter(rooms.on_file.deposits)
    for line in lines:
        room_id = rooms.ref(line.room)
        if room_id is None:
            _missing_room(work, line.source, line.room)
            continue
        if line.amount_fen <= 0:
            _refuse(work, line.source, Field.DEPOSIT, "押金金额须大于 0")
            continue
        if not _fit(work, line.source, ((Field.DEPOSIT_KIND, line.kind, 20),)):
            continue
        key = (room_id, line.kind, line.amount_fen, line.received_on)
        if held[key] > 0:
            held[key] -= 1
        else:
            work.deposits.append(line)


def _history(work: Work, rooms: _Rooms, lines: list[HistoryLine]) -> None:
    kept = Counter(rooms.on_file.history)
    for line in lines:
        room_id = rooms.ref(line.room)
        if room_id is None:
            _missing_room(work, line.source, line.room)
            continue
        texts = (
            (Field.FEE_ITEM, line.fee_item, 40),
            (Field.PERIOD, line.period, 40),
            (Field.CASHIER, line.cashier, 40),
            (Field.RECEIPT_NO, line.receipt_no, 40),
        )
        if not _fit(work, line.source, texts):
            continue
        key = (
            room_id,
            line.fee_item,
            line.period,
            line.amount_fen,
            line.paid_on,
            line.cashier,
            line.receipt_no,
        )
        if kept[key] > 0:
            kept[key] -= 1
        else:
            work.history.append(line)


def _meter_item(work: Work, line: MeterLine, on_file: OnFile) -> ItemOnFile | None:
    for item in on_file.items.values():
        if item.method == FeeMethod.METER and item.meter_kind == line.meter:
            return item
    _refuse(
        work,
        line.source,
        Field.METER_KIND,
        f"没有按{line.meter.label}计费的收费项目（请先在收费设置中添加）",
    )
    return None


def _meter(work: Work, rooms: _Rooms, line: MeterLine, seen: Seen) -> None:
    found = _room_and(work, rooms, line, _meter_item(work, line, rooms.on_file))
    if found is None:
        return
    room_id, item = found
    if line.reading_x100 < 0:
        _refuse(work, line.source, Field.READING, "读数不能为负")
        return
    if not _once(
        work, seen, ("meter", line.room.code, item.item_id), line.source, "同一房屋同一种表的读数"
    ):
        return
    period = rooms.on_file.reading_period
    existing = rooms.on_file.readings.get((room_id, item.item_id, str(period)))
    latest = rooms.on_file.latest_reading.get((room_id, item.item_id))
    if existing is not None:
        if existing != line.reading_x100:
            _refuse(work, line.source, Field.READING, f"系统中已有 {period.label}的读数")
        return
    if latest is not None and latest > str(period):
        _refuse(work, line.source, Field.READING, f"系统中已有 {Period.parse(latest).label}的读数")
        return
    read_on = line.read_on or period.last_day
    work.meters.append((line.room.code, item.item_id, str(period), line.reading_x100, read_on))
