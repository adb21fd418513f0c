"""One data row of an office's sheet read into import lines.

A row gives every line its columns hold: a room (on a rooms sheet), its people (on a
rooms or people sheet), arrears by month, prepaid, paid-through, a deposit, a history
line, meter readings. Any value that cannot be read refuses the whole row (nothing of
it is kept), with the column's header and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, TypeVar, cast

from frontdesk.domain.fees import MeterKind
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.onboarding import (
    ArrearsLine,
    DepositLine,
    Field,
    HistoryLine,
    ImportKind,
    ImportSetup,
    MeterLine,
    PaidThroughLine,
    PersonLine,
    PrepaidLine,
    ReadResult,
    Refusal,
    RoomKey,
    RoomLine,
    Source,
)
from frontdesk.domain.onboarding.cells import (
    date_of,
    digits_of,
    hundredths_of,
    id_number_of,
    id_type_of,
    month_of,
    month_range_of,
    names_of,
    phone_of,
    text_of,
    whole_of,
)
from frontdesk.domain.onboarding.room_codes import read_room_code, room_from_parts
from frontdesk.domain.periods import Period
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import ValidationError
from frontdesk.services import xlsx_read

_T = TypeVar("_T")
KEPT_VALUES = 50_000  # distinct values read once per sheet (see RowReader._once)
ROOM_EXAMPLES = "如 3-2-1201、3栋2单元1201、S-101、P-023"
NAME_CHARS = 40
TEXT_CHARS = 40
NOTE_CHARS = 200
DEPOSIT_KIND_CHARS = 20
SHARE_CHARS = 20
MAX_MONTHS_OWED = 120  # ten years: more is a typing slip in a month
LINE_KINDS = (
    "rooms",
    "people",
    "arrears",
    "prepaid",
    "paid_through",
    "deposits",
    "history",
    "meters",
)
_MANY = re.compile(r"[、/／,，;；|｜]+")
# Our own words for each mapped field, always understood without a mapping.
OUR_VALUES: dict[Field, dict[str, str]] = {
    Field.ROOM_TYPE: {t.value: t.value for t in RoomType} | {t.label: t.value for t in RoomType},
    Field.ROOM_STATUS: {s.value: s.value for s in RoomStatus}
    | {s.label: s.value for s in RoomStatus},
    Field.PERSON_KIND: {k.value: k.value for k in PersonKind}
    | {k.label: k.value for k in PersonKind},
    Field.RELATION: {r.value: r.value for r in Relation} | {r.label: r.value for r in Relation},
    Field.GENDER: {"男": "男", "女": "女"},
    Field.ID_TYPE: {t.value: t.value for t in IdType} | {t.label: t.value for t in IdType},
    Field.METER_KIND: {m.value: m.value for m in MeterKind} | {m.label: m.value for m in MeterKind},
}


class Unmapped(Exception):
    """A value of a mapped field the setup does not cover."""

    def __init__(self, field: Field, value: str, column: str) -> None:
        super().__init__(value)
        self.field = field
        self.value = value
        self.column = column

    def refusal(self, source: Source) -> Refusal:
        return Refusal(source, self.column, f"「{self.value}」没有对应的{self.field.label}")


class RowReader:
    """Reads the rows of one sheet with one setup."""

    def __init__(
        self, sheet: str, headers: tuple[str, ...], setup: ImportSetup, kind: ImportKind
    ) -> None:
        self.sheet = sheet
        self.headers = headers
        self.setup = setup
        self.kind = kind
        self.index = {f: i for i, f in sorted(setup.columns.items(), reverse=True)}
        # Only an owners sheet joined to rooms by number may name no room.
        owners_only = kind is ImportKind.PEOPLE and Field.OWNER_NO in self.index
        if not {Field.ROOM_CODE, Field.ROOM_NUMBER} & self.index.keys() and not owners_only:
            raise ValidationError("房号", "没有指定房号列（房号，或楼栋与房间号）")
        self.column_names = {field: self._column_name(field) for field in Field}
        self._read: dict[tuple[Any, ...], Any] = {}

    # cells ---------------------------------------------------------------------------

    def _column_name(self, field: Field) -> str:
        index = self.index.get(field)
        if index is None or index >= len(self.headers):
            return field.label
        return self.headers[index] or field.label

    def header_of(self, field: Field) -> str:
        """The column's header as the file writes it (the field's label if none)."""
        return self.column_names[field]

    def value(self, cells: tuple[Any, ...], field: Field) -> Any:
        index = self.index.get(field)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        if type(value) is xlsx_read.Formula or (
            type(value) is str and "#" in value and value.strip() in xlsx_read.ERROR_VALUES
        ):
            xlsx_read.cell_text(value, self.header_of(field))  # raises, naming the cell
        return value

    def _once(
        self, read: Callable[..., _T | None], cells: tuple[Any, ...], field: Field, **options: bool
    ) -> _T | None:
        """read(value, column) once per distinct value of a column: an estate's areas,
        floors, dates and months repeat on thousands of rows. A value that cannot be
        read is not kept: it is refused again on each row holding it."""
        if field not in self.index:
            return None
        value = self.value(cells, field)
        if value is None:
            return None
        key = (read, field, type(value), value, *options.items())
        if key in self._read:
            return cast("_T", self._read[key])
        found = read(value, self.header_of(field), **options)
        if len(self._read) < KEPT_VALUES:
            self._read[key] = found
        return found

    def text(self, cells: tuple[Any, ...], field: Field, limit: int = TEXT_CHARS) -> str:
        value = self.value(cells, field) if field in self.index else None
        if value is None:
            return ""
        return _within(text_of(value), self.header_of(field), limit)

    def mapped(self, cells: tuple[Any, ...], field: Field) -> str | None:
        """Our value for the row's word in a mapped field; None when empty."""
        text = self.text(cells, field)
        if not text:
            return None
        chosen = self.setup.values.get(field, {})
        if text in chosen:
            if not chosen[text]:
                raise ValidationError(self.header_of(field), f"「{text}」按设置不导入")
            return chosen[text]
        own = OUR_VALUES.get(field, {}).get(text)
        if own is None:
            raise Unmapped(field, text, self.header_of(field))
        return own

    def has_content(self, cells: tuple[Any, ...]) -> bool:
        """Whether the row holds anything to import in its chosen columns (a note alone
        is nothing)."""
        return any(
            index < len(cells) and cells[index] is not None
            for field, index in self.index.items()
            if field is not Field.NOTE
        )

    @staticmethod
    def key_text(value: Any) -> str:
        """An owner number as compared between sheets (1001 and "1001" are one)."""
        return text_of(value)

    def owner_no(self, cells: tuple[Any, ...]) -> str:
        return self.key_text(self.value(cells, Field.OWNER_NO))

    # the room ------------------------------------------------------------------------

    def room_of(self, cells: tuple[Any, ...]) -> RoomKey:
        return self._room(cells)[0]

    def _room(self, cells: tuple[Any, ...]) -> tuple[RoomKey, RoomType | None]:
        if Field.ROOM_CODE in self.index:
            text = self.text(cells, Field.ROOM_CODE)
            read = read_room_code(text) if text else None
            column = self.header_of(Field.ROOM_CODE)
        else:
            text = self.text(cells, Field.ROOM_NUMBER)
            building = self.text(cells, Field.BUILDING)
            unit = self.text(cells, Field.UNIT)
            read = room_from_parts(building, unit, text) if text else None
            column = self.header_of(Field.ROOM_NUMBER)
            text = "-".join(part for part in (building, unit, text) if part)
        if not text:
            raise ValidationError(column, "房号不能为空")
        if read is None and text.isdigit() and Field.BUILDING not in self.index:
            raise ValidationError(
                column, f"「{text}」只有房间号，缺少楼栋（请指定楼栋列，或写成 3-2-{text}）"
            )
        if read is None:
            raise ValidationError(column, f"「{text}」不是可识别的房号（{ROOM_EXAMPLES}）")
        return read.key, read.room_type

    def _room_line(
        self, source: Source, cells: tuple[Any, ...], room: RoomKey, code_type: RoomType | None
    ) -> RoomLine:
        room_type = self.mapped(cells, Field.ROOM_TYPE)
        status = self.mapped(cells, Field.ROOM_STATUS)
        return RoomLine(
            source,
            room,
            floor=self._once(whole_of, cells, Field.FLOOR),
            area_x100=self._once(hundredths_of, cells, Field.AREA),
            room_type=RoomType(room_type) if room_type else code_type,
            status=RoomStatus(status) if status else None,
            handover_on=self._date(cells, Field.HANDOVER_ON),
        )

    def _date(self, cells: tuple[Any, ...], field: Field) -> date | None:
        return self._once(date_of, cells, field)

    def _month(self, cells: tuple[Any, ...], field: Field) -> Period | None:
        return self._once(month_of, cells, field)

    def _fen(self, cells: tuple[Any, ...], field: Field, *, negative: bool = False) -> int:
        return self._once(hundredths_of, cells, field, allow_negative=negative) or 0

    # people --------------------------------------------------------------------------

    def people_of(self, number: int, cells: tuple[Any, ...], room: RoomKey) -> list[PersonLine]:
        """The people the row names (张三、李四 are two) for `room`."""
        source = Source(self.sheet, number)
        names = names_of(self.value(cells, Field.NAME), self.header_of(Field.NAME))
        if not names:
            if self.kind is ImportKind.PEOPLE and Field.NAME in self.index:
                raise ValidationError(self.header_of(Field.NAME), "姓名不能为空")
            return []
        for name in names:
            if len(name) > NAME_CHARS:
                raise ValidationError(self.header_of(Field.NAME), f"「{name[:20]}…」过长")
        phones = self._many(cells, Field.PHONE, phone_of)
        written = self.mapped(cells, Field.ID_TYPE)
        id_type = IdType(written) if written else None
        ids = self._many(cells, Field.ID_NUMBER, partial(id_number_of, id_type=id_type))
        if len(phones) > 1 and len(phones) != len(names):
            raise ValidationError(
                self.header_of(Field.PHONE),
                f"{len(names)} 个姓名却有 {len(phones)} 个电话，无法对应",
            )
        if len(ids) > 1 and len(ids) != len(names):
            raise ValidationError(
                self.header_of(Field.ID_NUMBER),
                f"{len(names)} 个姓名却有 {len(ids)} 个证件号码，无法对应",
            )
        kind = self.mapped(cells, Field.PERSON_KIND)
        relation = self.mapped(cells, Field.RELATION)
        gender = self.mapped(cells, Field.GENDER) or ""
        move_in_on = self._date(cells, Field.MOVE_IN_ON)
        lease = (self._date(cells, Field.LEASE_START), self._date(cells, Field.LEASE_END))
        share = self.text(cells, Field.SHARE, SHARE_CHARS)
        note = self.text(cells, Field.NOTE, NOTE_CHARS)
        people = []
        for place, name in enumerate(names):
            one = len(names) == 1
            people.append(
                PersonLine(
                    source,
                    room,
                    name,
                    kind=PersonKind(kind) if kind else PersonKind.OWNER,
                    # a sex, a relation belong to one person: not shared by a pair
                    gender=gender if one else "",
                    relation=Relation(relation) if relation and one else None,
                    phone=_nth(phones, place, shared=True),
                    id_number=(id_number := _nth(ids, place, shared=False)),
                    id_type=(id_type or id_type_of(id_number)) if id_number else None,
                    move_in_on=move_in_on,
                    share=share if one else "",  # 50% for a pair: whose? neither's
                    # a lease written once for two tenants is both's
                    lease_start=lease[0],
                    lease_end=lease[1],
                    note=note,
                )
            )
        return people

    def _many(
        self, cells: tuple[Any, ...], field: Field, read: Callable[[Any, str], str]
    ) -> list[str]:
        """The values one cell holds for several people (13800000001/13900000002)."""
        value = self.value(cells, field)
        column = self.header_of(field)
        if isinstance(value, str):
            return [read(part, column) for part in _MANY.split(value) if part.strip()]
        found = read(value, column)
        return [found] if found else []

    # money and meters ----------------------------------------------------------------

    def _fee_item(self, cells: tuple[Any, ...]) -> str:
        item = self.mapped(cells, Field.FEE_ITEM) if Field.FEE_ITEM in self.index else None
        item = item or self.setup.default_fee_item
        if not item:
            raise ValidationError(
                self.header_of(Field.FEE_ITEM), "没有收费项目（请指定收费项目列或默认收费项目）"
            )
        return item

    def _arrears(self, source: Source, room: RoomKey, cells: tuple[Any, ...]) -> list[ArrearsLine]:
        total = self._fen(cells, Field.ARREARS)
        if not total:
            return []
        first, last = self._owed_months(cells)
        months = first.months_until(last) + 1
        column = self.header_of(Field.PERIOD if Field.PERIOD in self.index else Field.PERIOD_TO)
        if months < 1:
            raise ValidationError(column, f"截止月 {last} 早于起始月 {first}")
        if months > MAX_MONTHS_OWED:
            raise ValidationError(column, f"欠费跨 {months} 个月，请核对")
        item = self._fee_item(cells)
        return [
            ArrearsLine(source, room, item, first.shifted(n), amount)
            for n, amount in enumerate(split_months(total, months))
        ]

    def _owed_months(self, cells: tuple[Any, ...]) -> tuple[Period, Period]:
        """The months an amount owed covers: its month (or a range written in it), or
        its first and last month."""
        if self.value(cells, Field.PERIOD) is not None:
            found = month_range_of(self.value(cells, Field.PERIOD), self.header_of(Field.PERIOD))
        else:
            first = self._month(cells, Field.PERIOD_FROM)
            found = (first, self._month(cells, Field.PERIOD_TO) or first) if first else None
        if found is None:
            raise ValidationError(
                self.header_of(Field.ARREARS), "欠费须有所属月份（或欠费起止月份）"
            )
        return found

    def _deposit(self, source: Source, room: RoomKey, cells: tuple[Any, ...]) -> list[DepositLine]:
        amount = self._fen(cells, Field.DEPOSIT)
        if not amount:
            return []
        kind = self.text(cells, Field.DEPOSIT_KIND, DEPOSIT_KIND_CHARS)
        if not kind:
            header = re.sub(r"[（(].*$", "", self.header_of(Field.DEPOSIT)).strip()
            kind = (
                header if header.endswith("押金") and len(header) <= DEPOSIT_KIND_CHARS else "押金"
            )
        return [DepositLine(source, room, kind, amount, self._date(cells, Field.DEPOSIT_ON))]

    def _history(self, source: Source, room: RoomKey, cells: tuple[Any, ...]) -> HistoryLine:
        if self.value(cells, Field.AMOUNT) is None:
            raise ValidationError(self.header_of(Field.AMOUNT), "缴费金额不能为空")
        raw_item = self.text(cells, Field.FEE_ITEM)
        item = self.setup.values.get(Field.FEE_ITEM, {}).get(raw_item) or raw_item
        return HistoryLine(
            source,
            room,
            item or self.setup.default_fee_item,
            self._period_text(cells),
            self._fen(cells, Field.AMOUNT, negative=True),
            paid_on=self._date(cells, Field.PAID_ON),
            cashier=self.text(cells, Field.CASHIER),
            receipt_no=self._receipt_no(cells),
        )

    def _receipt_no(self, cells: tuple[Any, ...]) -> str:
        """A receipt number, kept whole (20250001, not 20250001.0)."""
        column = self.header_of(Field.RECEIPT_NO)
        return _within(digits_of(self.value(cells, Field.RECEIPT_NO), column), column, TEXT_CHARS)

    def _period_text(self, cells: tuple[Any, ...]) -> str:
        return self._once(self._period_of, cells, Field.PERIOD) or ""

    @staticmethod
    def _period_of(value: Any, column: str) -> str:
        """A history line's period: 2025-03, or as written (2025年全年, 2026-03至2026-05);
        read once per distinct value, as failing to read a month is slow."""
        try:
            period = month_of(value, column)
        except ValidationError:
            return _within(text_of(value), column, TEXT_CHARS)
        return str(period) if period else ""

    def _meters(self, source: Source, room: RoomKey, cells: tuple[Any, ...]) -> list[MeterLine]:
        read_on = self._date(cells, Field.READ_ON)
        found = []
        for field, meter in (
            (Field.WATER_READING, MeterKind.WATER),
            (Field.ELECTRICITY_READING, MeterKind.ELECTRICITY),
        ):
            reading = hundredths_of(self.value(cells, field), self.header_of(field))
            if reading is not None:
                found.append(MeterLine(source, room, meter, reading, read_on))
        if Field.READING in self.index:
            reading = hundredths_of(self.value(cells, Field.READING), self.header_of(Field.READING))
            meter_kind = self.mapped(cells, Field.METER_KIND)
            if reading is not None:
                if meter_kind is None:
                    raise ValidationError(self.header_of(Field.METER_KIND), "没有写是水表还是电表")
                found.append(MeterLine(source, room, MeterKind(meter_kind), reading, read_on))
        return found

    # the row -------------------------------------------------------------------------

    def read_row(self, number: int, cells: tuple[Any, ...], result: ReadResult) -> None:
        """The row's lines added to `result`, or ValidationError/Unmapped and none."""
        source = Source(self.sheet, number)
        fields = self.index.keys()
        has_room = bool({Field.ROOM_CODE, Field.ROOM_NUMBER} & fields)
        if not has_room:  # a people sheet linked the other way: nothing of its own
            return
        room, code_type = self._room(cells)
        row = ReadResult()  # this row's lines, kept only when all of it reads
        if self.kind is ImportKind.ROOMS:
            row.rooms.append(self._room_line(source, cells, room, code_type))
        if self.kind in (ImportKind.ROOMS, ImportKind.PEOPLE) and Field.NAME in fields:
            row.people.extend(self.people_of(number, cells, room))
        if Field.ARREARS in fields:
            row.arrears.extend(self._arrears(source, room, cells))
        if Field.PREPAID in fields and (prepaid := self._fen(cells, Field.PREPAID)):
            row.prepaid.append(PrepaidLine(source, room, prepaid))
        if Field.PAID_THROUGH in fields and (through := self._month(cells, Field.PAID_THROUGH)):
            row.paid_through.append(PaidThroughLine(source, room, self._fee_item(cells), through))
        if Field.DEPOSIT in fields:
            row.deposits.extend(self._deposit(source, room, cells))
        if Field.AMOUNT in fields:
            row.history.append(self._history(source, room, cells))
        if fields & {Field.WATER_READING, Field.ELECTRICITY_READING, Field.READING}:
            row.meters.extend(self._meters(source, room, cells))
        for kind in LINE_KINDS:
            if lines := getattr(row, kind):
                getattr(result, kind).extend(lines)


def _within(text: str, column: str, limit: int) -> str:
    if len(text) > limit:
        raise ValidationError(column, f"内容过长（{len(text)} 个字，最多 {limit}）")
    return text


def _nth(values: list[str], place: int, *, shared: bool) -> str:
    """The place-th person's value: each their own, or the one value (a phone shared
    by a couple; an ID number only the first named)."""
    if len(values) > 1:
        return values[place]
    if values and (shared or place == 0):
        return values[0]
    return ""


def split_months(total_fen: int, months: int) -> list[int]:
    """A total owed over `months` months in whole fen, equal parts, the remainder on
    the last month: the parts sum to the total exactly."""
    part = total_fen // months
    return [part] * (months - 1) + [total_fen - part * (months - 1)]
