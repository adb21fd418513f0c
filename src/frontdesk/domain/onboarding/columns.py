"""The usual Chinese names of each field's column, and the usual words old systems
write for our room types, statuses, kinds of people, sexes and meters.

A header is first compared whole (after dropping spaces, `*` marks and a bracketed
unit such as （元）), then by the longest known name it contains (物业费欠费金额 ->
欠费金额). A header that can mean two fields (金额: owed or paid; 类别: a room's or a
person's; 房号: a whole code or a flat's number) comes back with its alternatives; the
sheet's kind or its values decide, else the clerk does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from frontdesk.domain.fees import MeterKind
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.onboarding import Field, ImportKind
from frontdesk.domain.rooms import RoomStatus, RoomType


def _names(words: str) -> tuple[str, ...]:
    return tuple(words.split())


HEADER_NAMES: dict[Field, tuple[str, ...]] = {
    Field.ROOM_CODE: _names(
        "房屋编号 房产编号 房屋编码 房间编码 房屋代码 资源编号 房屋 房产 房产名称 房屋名称"
        " 房屋全称 房号全称 商铺号 车位号 车位编号"
    ),
    Field.BUILDING: _names("楼号 楼栋 栋号 楼栋号 楼宇 幢号 楼栋名称 楼栋编号 栋 幢"),
    Field.UNIT: _names("单元 单元号 单元名称"),
    Field.ROOM_NUMBER: _names("房间号 室号 门牌号 房间"),
    Field.FLOOR: _names("楼层 所在楼层 层"),
    Field.AREA: _names("建筑面积 面积 建面 产权面积 计费面积 收费面积"),
    Field.ROOM_TYPE: _names("房屋类型 房产类型 物业类型 房屋性质 房屋用途 用途 类型"),
    Field.ROOM_STATUS: _names("房屋状态 状态 房态 入住状态 销售状态 使用状态"),
    Field.HANDOVER_ON: _names("交房日期 交付日期 交房时间 收房日期"),
    Field.OWNER_NO: _names("业主编号 客户编号 业主编码 客户编码 业主号 业主id 客户id"),
    Field.NAME: _names(
        "业主 业主名称 业主姓名 户主 户主姓名 姓名 客户名称 客户姓名 产权人 产权人姓名 住户姓名"
    ),
    Field.PERSON_KIND: _names("人员类别 人员类型 住户类型 身份 客户类型"),
    Field.GENDER: _names("性别"),
    Field.RELATION: _names("关系 与业主关系 与户主关系 与产权人关系"),
    Field.PHONE: _names("手机 手机号 手机号码 联系电话 电话 联系方式 移动电话 电话号码"),
    Field.ID_NUMBER: _names("身份证 身份证号 身份证号码 证件号码 证件号"),
    Field.ID_TYPE: _names("证件类型 证件类别 证件种类"),
    Field.MOVE_IN_ON: _names("入住日期 入住时间 迁入日期"),
    Field.SHARE: _names("产权份额 份额 产权比例 持有份额"),
    Field.LEASE_START: _names("租期开始 租赁开始 起租日期 租期起 租赁起始日期"),
    Field.LEASE_END: _names("租期结束 租赁结束 租期止 租赁到期日 租赁截止日期 到期日期"),
    Field.NOTE: _names("备注 说明"),
    Field.FEE_ITEM: _names("收费项目 费用项目 项目 费用名称 收费项目名称 费项 费用类型"),
    Field.PERIOD: _names(
        "所属月份 月份 费用月份 账期 所属期 计费月份 所属期间 欠费月份 欠费月 欠费期间"
    ),
    Field.PERIOD_FROM: _names("欠费起始月 起始月份 开始月份 起始月 欠费开始月份 欠费起始"),
    Field.PERIOD_TO: _names("欠费截止月 截止月份 结束月份 终止月份 欠费截止"),
    Field.ARREARS: _names("欠费 期初欠费 欠费金额 欠款 欠款金额 应收未收 未缴金额"),
    Field.PREPAID: _names("预存 预存余额 预交款 预存款 预收款 期初预存 预存金额"),
    Field.PAID_THROUGH: _names("已缴至 缴费截止 交费至 缴费至 已交至 费用截止 已缴费至"),
    Field.DEPOSIT: _names("押金 装修押金 押金金额"),
    Field.DEPOSIT_KIND: _names("押金类别 押金类型 押金名称 押金项目"),
    Field.DEPOSIT_ON: _names("押金收取日期 押金日期 收押日期 押金收取时间"),
    Field.AMOUNT: _names("缴费金额 实收金额 收款金额 实缴金额 实收 交费金额"),
    Field.PAID_ON: _names("缴费日期 收款日期 交费日期 收费日期 缴费时间 收款时间"),
    Field.CASHIER: _names("收费员 经办人 收款人 操作员 收银员"),
    Field.RECEIPT_NO: _names("收据号 票据号 收据编号 票据编号 单据号"),
    Field.METER_KIND: _names("表类 表类型 仪表类型 表计类型 仪表类别 表具类型"),
    Field.READING: _names("读数 本次读数 止码 本期读数 表底 本期止码 表底数"),
    Field.WATER_READING: _names("水表读数 水表 水表止码 水表底数 水表表底"),
    Field.ELECTRICITY_READING: _names("电表读数 电表 电表止码 电表底数 电表表底"),
    Field.READ_ON: _names("抄表日期 抄表时间"),
}

# Headers known and not imported: never taken for a field they contain (证件类型 is
# no 类型 of a room; FrontDesk's own roster has these columns).
NOT_IMPORTED = frozenset({"证件类型", "序号", "户型", "朝向", "联系人", "紧急联系人"})
# Headers that mean one of two or three fields: the sheet's kind picks, else the clerk.
AMBIGUOUS: dict[str, tuple[Field, ...]] = {
    "金额": (Field.ARREARS, Field.AMOUNT),
    "类别": (Field.PERSON_KIND, Field.ROOM_TYPE),
    "房号": (Field.ROOM_CODE, Field.ROOM_NUMBER),
    "日期": (Field.PAID_ON, Field.READ_ON, Field.DEPOSIT_ON),
}
# Which of an ambiguous header's fields a sheet of that kind means.
KIND_PICKS: dict[ImportKind, tuple[Field, ...]] = {
    ImportKind.ROOMS: (Field.ROOM_TYPE,),
    ImportKind.PEOPLE: (Field.PERSON_KIND,),
    ImportKind.BALANCES: (Field.ARREARS, Field.DEPOSIT_ON),
    ImportKind.HISTORY: (Field.AMOUNT, Field.PAID_ON),
    ImportKind.METERS: (Field.READ_ON,),
}

_BY_NAME = {name: field for field, names in HEADER_NAMES.items() for name in names}
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|<[^>]*>")
_MARKS = re.compile(r"[\s*:：※#№]+")


@dataclass(frozen=True)
class HeaderMatch:
    """What a header can mean: one field, several (ambiguous), or none."""

    fields: tuple[Field, ...]
    exact: bool  # the whole header is a known name (not only containing one)


def header_key(header: str) -> str:
    """A header as compared: NFKC, no spaces or marks, no bracketed unit, lower case."""
    text = unicodedata.normalize("NFKC", header)
    return _MARKS.sub("", _BRACKETS.sub("", text)).lower()


def match_header(header: str) -> HeaderMatch:
    key = header_key(header)
    if not key:
        return HeaderMatch((), exact=False)
    if key in _BY_NAME:
        return HeaderMatch((_BY_NAME[key],), exact=True)
    if key in AMBIGUOUS:
        return HeaderMatch(AMBIGUOUS[key], exact=True)
    if key in NOT_IMPORTED:
        return HeaderMatch((), exact=True)
    return HeaderMatch(_contained(key), exact=False)


def _contained(key: str) -> tuple[Field, ...]:
    """The fields of the longest known names the header contains (several: ambiguous)."""
    found = [
        (len(name), field) for name, field in _BY_NAME.items() if len(name) >= 2 and name in key
    ]
    found += [(len(name), f) for name, fs in AMBIGUOUS.items() if name in key for f in fs]
    if not found:
        return ()
    longest = max(length for length, _ in found)
    return tuple(dict.fromkeys(field for length, field in found if length == longest))


def pick_for_kind(fields: tuple[Field, ...], kind: ImportKind) -> Field | None:
    """The one of an ambiguous header's fields a sheet of `kind` means, if it says."""
    picks = [field for field in KIND_PICKS.get(kind, ()) if field in fields]
    return picks[0] if len(picks) == 1 else None


# values ------------------------------------------------------------------------------

# The office's words for our values: a field, our value, then the words for it.
_VALUE_WORDS = """
room_type residence 住宅 住房 普通住宅 住家 公寓 洋房 高层 多层 别墅 商品房
room_type shop 商铺 商业 门面 门市 底商 店铺 商用 铺面 写字楼 办公
room_type parking 车位 车库 停车位 地下车位 地面车位 机动车位
room_type storage 储藏室 杂物间 储物间 地下室 储藏间
room_status unsold 未售 待售 未出售 未销售
room_status handed_over 已交房 已售 已交付 交房 已收房 装修 装修中 已售未住
room_status occupied 已入住 入住 自住 在住 已住
room_status vacant 空置 空房 闲置 空关 未入住
room_status rented 出租 已出租 租赁 在租
person_kind owner 业主 产权人 户主 房主 产权所有人 业主本人
person_kind resident 住户 家属 家庭成员 同住人 常住人
person_kind tenant 租户 租客 承租人 租住
person_kind emergency 紧急联系人
relation self 本人 户主 业主
relation spouse 配偶 夫妻 妻子 丈夫 夫 妻 爱人
relation child 子女 儿子 女儿 子 女
relation parent 父母 父亲 母亲 父 母
relation relative 其他亲属 亲属 亲戚 兄弟 姐妹 孙子 孙女
relation tenant 租户 租客
relation nanny 保姆 家政
relation other 其他 朋友
id_type resident 身份证 居民身份证 二代身份证 大陆身份证
id_type hk_macau 港澳通行证 回乡证 港澳居民来往内地通行证 港澳居民居住证
id_type taiwan 台胞证 台湾居民来往大陆通行证 台湾通行证
id_type passport 护照 外国护照
id_type other 其他 其他证件 军官证 户口本
gender 男 男 1 m male 男性
gender 女 女 2 f female 女性
meter_kind water 水 水表 冷水 冷水表 自来水 水费
meter_kind electricity 电 电表 电费 照明电
meter_kind gas 燃气 燃气表 煤气 天然气
"""
_LABELS: dict[Field, dict[str, str]] = {
    Field.ROOM_TYPE: {t.label: t.value for t in RoomType},
    Field.ROOM_STATUS: {s.label: s.value for s in RoomStatus},
    Field.PERSON_KIND: {k.label: k.value for k in PersonKind},
    Field.RELATION: {r.label: r.value for r in Relation},
    Field.METER_KIND: {m.label: m.value for m in MeterKind},
    Field.ID_TYPE: {t.label: t.value for t in IdType},
}


def _suggestions() -> dict[Field, dict[str, str]]:
    table: dict[Field, dict[str, str]] = {f: dict(labels) for f, labels in _LABELS.items()}
    for line in _VALUE_WORDS.strip().splitlines():
        field, ours, *words = line.split()
        table.setdefault(Field(field), {}).update({word.lower(): ours for word in words})
    return table


_SUGGESTIONS = _suggestions()
# Words that make a fee item another kind of charge than the plain monthly one: a
# one-off on renovation, money held, a temporary charge.
FEE_QUALIFIERS = ("装修", "押金", "保证金", "临时", "一次性")


def suggest(field: Field, value: str, fee_items: tuple[str, ...] = ()) -> str | None:
    """Our value for the word an office wrote (None: no suggestion). A fee item is the
    office's own item of that name, or one whose name starts the same (物业费 ->
    物业服务费)."""
    word = unicodedata.normalize("NFKC", value).strip().lower()
    if field is Field.FEE_ITEM:
        return _fee_item(word, fee_items)
    table = _SUGGESTIONS.get(field)
    if table is None or not word:
        return None
    return table.get(word)


def _fee_item(word: str, fee_items: tuple[str, ...]) -> str | None:
    """The office's item of that name; else the one beginning with the same two or more
    characters (物业管理费 -> 物业服务费), else the one sharing the longest run of two
    or more (垃圾清运费 -> 生活垃圾处理费), when no other item shares as much. An item
    whose name adds a qualifier the office's word lacks is never suggested: 垃圾清运费
    is the monthly garbage fee, not 装修垃圾清运费."""
    if word in fee_items:
        return word
    stem = word.removesuffix("费")
    stems = {
        item: item.removesuffix("费")
        for item in fee_items
        if not any(q in item and q not in word for q in FEE_QUALIFIERS)
    }
    for measure in (_common_start, _longest_run):
        shared = {item: measure(stem, item_stem) for item, item_stem in stems.items()}
        best = max(shared.values(), default=0)
        close = [item for item, run in shared.items() if run == best]
        if best >= 2 and len(close) == 1:
            return close[0]
    return None


def _common_start(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _longest_run(a: str, b: str) -> int:
    return max(
        (n for i in range(len(a)) for n in range(1, len(a) - i + 1) if a[i : i + n] in b),
        default=0,
    )
