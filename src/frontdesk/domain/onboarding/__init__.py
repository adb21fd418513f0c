"""Moving an office onto FrontDesk (数据导入): what a spreadsheet's columns can mean,
and the lines a sheet is read into.

A sheet is read in three steps: its table found (header row, data rows, notes skipped),
its columns matched to `Field`s and its values to ours (`ImportSetup`, confirmed by the
clerk, saved under a name), then each data row read into the lines below, or refused
with its row, column and reason. The lines are plain data: checking them against the
database, writing them all or nothing and undoing them is services/onboarding's work.

Money is integer fen, areas and readings hundredths (×100), as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from frontdesk.domain.fees import MeterKind
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.periods import Period
from frontdesk.domain.rooms import RoomStatus, RoomType, room_code


class ImportKind(StrEnum):
    """What a sheet holds; `auto` lets the matched columns decide."""

    AUTO = "auto"
    ROOMS = "rooms"  # 房屋 (and, on the same row, their owners)
    PEOPLE = "people"  # 业主与住户
    BALANCES = "balances"  # 期初欠费, 期初预存, 已缴至, 押金
    HISTORY = "history"  # 历史缴费记录
    METERS = "meters"  # 水电表读数

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ImportKind.AUTO: "自动识别",
    ImportKind.ROOMS: "房屋",
    ImportKind.PEOPLE: "业主与住户",
    ImportKind.BALANCES: "期初余额",
    ImportKind.HISTORY: "历史缴费",
    ImportKind.METERS: "水电表读数",
}


class Field(StrEnum):
    """What a column of the office's spreadsheet can mean. The value is the name a
    mapping is saved and typed with (`--map 楼号=building`); `label` is the clerk's."""

    # the room
    ROOM_CODE = "room_code"  # 3-2-1201, 3栋2单元1201, S-101, P-B1-023
    BUILDING = "building"
    UNIT = "unit"
    ROOM_NUMBER = "room_number"
    FLOOR = "floor"
    AREA = "area"
    ROOM_TYPE = "room_type"
    ROOM_STATUS = "room_status"
    HANDOVER_ON = "handover_on"
    # the people
    OWNER_NO = "owner_no"  # links an owners sheet to a rooms sheet
    NAME = "name"  # one or more names: 张三、李四
    PERSON_KIND = "person_kind"
    GENDER = "gender"
    RELATION = "relation"
    PHONE = "phone"
    ID_NUMBER = "id_number"
    ID_TYPE = "id_type"  # 证件类型, when the file says; else told by the number's form
    MOVE_IN_ON = "move_in_on"
    SHARE = "share"  # 产权份额
    LEASE_START = "lease_start"
    LEASE_END = "lease_end"
    NOTE = "note"
    # money
    FEE_ITEM = "fee_item"
    PERIOD = "period"  # 所属月份 of an amount owed or paid
    PERIOD_FROM = "period_from"  # 欠费起始月 … with PERIOD_TO: a range split by month
    PERIOD_TO = "period_to"
    ARREARS = "arrears"  # 欠费金额
    PREPAID = "prepaid"  # 预存余额
    PAID_THROUGH = "paid_through"  # 已缴至 (a month)
    DEPOSIT = "deposit"  # 押金金额
    DEPOSIT_KIND = "deposit_kind"  # 装修押金 …
    DEPOSIT_ON = "deposit_on"  # 押金收取日期
    AMOUNT = "amount"  # 缴费金额 of a history line
    PAID_ON = "paid_on"
    CASHIER = "cashier"
    RECEIPT_NO = "receipt_no"
    # meters
    METER_KIND = "meter_kind"  # 水表/电表, when one column holds the kind
    READING = "reading"  # with METER_KIND
    WATER_READING = "water_reading"
    ELECTRICITY_READING = "electricity_reading"
    READ_ON = "read_on"

    @property
    def label(self) -> str:
        return FIELD_LABELS[self]


FIELD_LABELS = {
    Field.ROOM_CODE: "房号（整体）",
    Field.BUILDING: "楼栋",
    Field.UNIT: "单元",
    Field.ROOM_NUMBER: "房间号",
    Field.FLOOR: "楼层",
    Field.AREA: "建筑面积",
    Field.ROOM_TYPE: "房屋类型",
    Field.ROOM_STATUS: "房屋状态",
    Field.HANDOVER_ON: "交房日期",
    Field.OWNER_NO: "业主编号",
    Field.NAME: "姓名",
    Field.PERSON_KIND: "人员类别",
    Field.GENDER: "性别",
    Field.RELATION: "与产权人关系",
    Field.PHONE: "电话",
    Field.ID_NUMBER: "证件号码",
    Field.ID_TYPE: "证件类型",
    Field.MOVE_IN_ON: "入住日期",
    Field.SHARE: "产权份额",
    Field.LEASE_START: "租期开始",
    Field.LEASE_END: "租期结束",
    Field.NOTE: "备注",
    Field.FEE_ITEM: "收费项目",
    Field.PERIOD: "所属月份",
    Field.PERIOD_FROM: "欠费起始月",
    Field.PERIOD_TO: "欠费截止月",
    Field.ARREARS: "欠费金额",
    Field.PREPAID: "预存余额",
    Field.PAID_THROUGH: "已缴至",
    Field.DEPOSIT: "押金金额",
    Field.DEPOSIT_KIND: "押金类别",
    Field.DEPOSIT_ON: "押金收取日期",
    Field.AMOUNT: "缴费金额",
    Field.PAID_ON: "缴费日期",
    Field.CASHIER: "收费员",
    Field.RECEIPT_NO: "收据号",
    Field.METER_KIND: "表类",
    Field.READING: "读数",
    Field.WATER_READING: "水表读数",
    Field.ELECTRICITY_READING: "电表读数",
    Field.READ_ON: "抄表日期",
}

# Fields whose values the clerk maps once per distinct value (the old system's codes
# or words for them): the wizard lists each value once and asks.
MAPPED_VALUES = (
    Field.ROOM_TYPE,
    Field.ROOM_STATUS,
    Field.PERSON_KIND,
    Field.GENDER,
    Field.RELATION,
    Field.ID_TYPE,
    Field.FEE_ITEM,
    Field.METER_KIND,
)


@dataclass(frozen=True)
class Link:
    """Owners kept on another sheet, joined to this one's rows by the owner number."""

    sheet: str
    header_row: int | None = None  # as Excel numbers rows; None: found by reading
    columns: dict[int, Field] = field(default_factory=dict)  # that sheet's columns


@dataclass(frozen=True)
class ImportSetup:
    """How one sheet is read: the clerk's confirmed choices. `columns` maps a column
    (0-based) to a field; `values` maps, per field, the text the office wrote to ours
    (a RoomType/RoomStatus/PersonKind/Relation/MeterKind value, 男/女, a fee item's
    name; "" to refuse rows with it). Saved as a named mapping by header text."""

    kind: ImportKind
    sheet: str | None = None  # None: the first sheet
    header_row: int | None = None  # as Excel numbers rows; None: found by reading
    columns: dict[int, Field] = field(default_factory=dict)
    values: dict[Field, dict[str, str]] = field(default_factory=dict)
    link: Link | None = None
    # 期初余额: the fee item of amount columns that do not name one (物业费 …)
    default_fee_item: str = ""


@dataclass(frozen=True, order=True)
class RoomKey:
    """A room as the file names it; matched to a room on file, or created."""

    building: str  # building code: "3", "S", "P"
    unit: str | None  # "2"; None for rooms without units (shops, parking)
    number: str  # "1201"

    @property
    def code(self) -> str:
        return room_code(self.building, self.unit, self.number)


@dataclass(frozen=True)
class Source:
    """Where a line came from: the sheet and its row as Excel numbers it."""

    sheet: str
    row: int


@dataclass(frozen=True)
class RoomLine:
    source: Source
    room: RoomKey
    floor: int | None = None  # None: read from the number (1201 -> 12)
    area_x100: int | None = None
    room_type: RoomType | None = None  # None: from the code (S- shop, P- parking) or residence
    status: RoomStatus | None = None
    handover_on: date | None = None


@dataclass(frozen=True)
class PersonLine:
    source: Source
    room: RoomKey
    name: str
    kind: PersonKind = PersonKind.OWNER
    gender: str = ""  # 男/女/""
    relation: Relation | None = None
    phone: str = ""
    id_number: str = ""  # whole and checked; an ID Excel cut short is refused, not guessed
    id_type: IdType | None = None  # as the file says or its form tells; None: no ID number
    move_in_on: date | None = None
    share: str = ""  # 产权份额 as written: 50%
    lease_start: date | None = None  # a tenant's lease (FrontDesk's own roster has it)
    lease_end: date | None = None
    note: str = ""


@dataclass(frozen=True)
class ArrearsLine:
    """期初欠费: one month (or one-off) still owed for an item."""

    source: Source
    room: RoomKey
    fee_item: str  # our fee item's name
    period: Period
    amount_fen: int


@dataclass(frozen=True)
class PrepaidLine:
    """期初预存: the room's prepaid balance in the old system."""

    source: Source
    room: RoomKey
    amount_fen: int


@dataclass(frozen=True)
class PaidThroughLine:
    source: Source
    room: RoomKey
    fee_item: str
    period: Period


@dataclass(frozen=True)
class DepositLine:
    source: Source
    room: RoomKey
    kind: str  # 装修押金
    amount_fen: int
    received_on: date | None = None


@dataclass(frozen=True)
class HistoryLine:
    source: Source
    room: RoomKey
    fee_item: str  # as the old system named it
    period: str  # as written, normalised to 2025-03 when it reads as a month
    amount_fen: int
    paid_on: date | None = None
    cashier: str = ""
    receipt_no: str = ""


@dataclass(frozen=True)
class MeterLine:
    source: Source
    room: RoomKey
    meter: MeterKind
    reading_x100: int
    read_on: date | None = None


@dataclass(frozen=True)
class Refusal:
    """A row (or one value of it) not taken, said so a clerk can mend the file."""

    source: Source
    column: str  # the column's header as the file writes it ("" for the whole row)
    reason: str


@dataclass(frozen=True)
class UnmappedValue:
    """A value of a mapped field the setup does not cover, once, with its count."""

    field: Field
    value: str
    count: int


@dataclass
class ReadResult:
    """Everything one sheet (and its linked sheet) was read into."""

    rooms: list[RoomLine] = field(default_factory=list)
    people: list[PersonLine] = field(default_factory=list)
    arrears: list[ArrearsLine] = field(default_factory=list)
    prepaid: list[PrepaidLine] = field(default_factory=list)
    paid_through: list[PaidThroughLine] = field(default_factory=list)
    deposits: list[DepositLine] = field(default_factory=list)
    history: list[HistoryLine] = field(default_factory=list)
    meters: list[MeterLine] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    unmapped: list[UnmappedValue] = field(default_factory=list)
    rows_read: int = 0  # data rows (not blank, not notes)


@dataclass(frozen=True)
class Totals:
    """The figures a clerk ticks against the old system's own totals."""

    rooms: int = 0
    people: int = 0
    arrears_fen: int = 0
    arrears_lines: int = 0
    prepaid_fen: int = 0
    deposits_fen: int = 0
    history_lines: int = 0
    history_fen: int = 0
    meter_readings: int = 0
