"""Notice templates (通知模板): their fields, the placeholders their text may use, and
how a template is filled; no database.

A template's body is plain text: paragraphs separated by blank lines, "- " starts a
bullet. Placeholders are written {停水时间}: each is one of the template's own fields
or one of the standard values the office fills in (小区名称, 发布日期, 楼栋 …).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from frontdesk.domain.periods import Period, PeriodFormatError
from frontdesk.errors import ValidationError

MAX_TITLE = 30
MAX_BODY = 3000
MAX_FIELDS = 12
MAX_FIELD_NAME = 12
MAX_VALUE = 500
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_WEEKDAYS = "一二三四五六日"


class FieldKind(StrEnum):
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"  # several lines
    DATE = "date"
    DATETIME = "datetime"
    PERIOD = "period"  # from a date and time to another

    @property
    def label(self) -> str:
        return FIELD_KIND_LABELS[self]


FIELD_KIND_LABELS = {
    FieldKind.TEXT: "单行文字",
    FieldKind.LONG_TEXT: "多行文字",
    FieldKind.DATE: "日期",
    FieldKind.DATETIME: "日期和时间",
    FieldKind.PERIOD: "起止时间",
}


class NoticeMode(StrEnum):
    LOBBY = "lobby"  # 张贴通知: one for the community, or one per building named
    LETTER = "letter"  # 业户信函: one per household selected

    @property
    def label(self) -> str:
        return "张贴通知" if self is NoticeMode.LOBBY else "业户信函"


# Filled by the office at issue time; a template field may not take these names.
STANDARD_PLACEHOLDERS = {
    "小区名称": "小区名称",
    "物业公司": "物业服务企业名称",
    "小区地址": "小区地址",
    "服务中心电话": "物业服务中心电话",
    "发布日期": "通知的发布日期",
    "影响范围": "通知涉及的楼栋，全小区时为“全小区”",
    "楼栋": "这一份通知张贴的楼栋（全小区时为“各楼栋”）",
    "房号": "业户信函的房号（只用于业户信函）",
    "业主": "业户信函的业主姓名（只用于业户信函）",
    # From the fields 计费起始月份 and 计费月数: in a letter the household's own
    # amounts, in a posted notice the standards every household's amount follows.
    "费用明细": "按月计收的费用：业户信函逐项列出该户的面积（户数）× 单价 × 月数，"
    "张贴通知列出收费标准",
    "应缴金额": "业户信函为该户上述费用的合计，张贴通知为“按各户面积计算”",
}
LETTER_ONLY = frozenset({"房号", "业主"})
# A letter stating each household's own amount takes its months from these fields.
FEE_PLACEHOLDERS = frozenset({"费用明细", "应缴金额"})
FEE_START_FIELD = "计费起始月份"
FEE_MONTHS_FIELD = "计费月数"
MAX_FEE_MONTHS = 36


@dataclass(frozen=True)
class NoticeField:
    name: str  # also its placeholder: {停水时间}
    kind: FieldKind
    required: bool = True
    hint: str = ""  # an example or what to write, shown beside the input
    default: str = ""


@dataclass(frozen=True)
class NoticeTemplate:
    key: str
    name: str  # as listed: 停水通知
    title: str  # as printed; may use placeholders
    fields: tuple[NoticeField, ...]
    body: str


@dataclass(frozen=True)
class EventSpan:
    """When the thing announced happens: for "was this announced?" by date."""

    start: date
    end: date


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def fill(text: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _check_field(field: NoticeField, seen: set[str]) -> None:
    name = field.name
    label = f"字段“{name}”" if name else "字段名"
    if not name.strip():
        raise ValidationError("字段名", "不能为空")
    if name != name.strip() or any(c in name for c in "{}\n"):
        raise ValidationError(label, "不能含空格、换行或花括号")
    if len(name) > MAX_FIELD_NAME:
        raise ValidationError(label, f"字段名不能超过 {MAX_FIELD_NAME} 个字")
    if name in STANDARD_PLACEHOLDERS:
        raise ValidationError(label, "与系统自动填写的占位符重名，请换一个名字")
    if name in seen:
        raise ValidationError(label, "重复了")
    seen.add(name)
    if field.default:
        parse_value(field, field.default)


def check_template(template: NoticeTemplate) -> NoticeTemplate:
    """A supervisor's edit: name, title and body present, fields well named, and every
    placeholder a field or a standard one."""
    name, title, body = template.name.strip(), template.title.strip(), template.body.strip()
    if not name:
        raise ValidationError("模板名称", "不能为空")
    if len(name) > MAX_TITLE:
        raise ValidationError("模板名称", f"不能超过 {MAX_TITLE} 个字")
    if not title:
        raise ValidationError("通知标题", "不能为空")
    if len(title) > MAX_TITLE:
        raise ValidationError("通知标题", f"不能超过 {MAX_TITLE} 个字")
    if not body:
        raise ValidationError("通知正文", "不能为空")
    if len(body) > MAX_BODY:
        raise ValidationError("通知正文", f"不能超过 {MAX_BODY} 个字")
    if len(template.fields) > MAX_FIELDS:
        raise ValidationError("字段", f"不能超过 {MAX_FIELDS} 个")
    seen: set[str] = set()
    for field in template.fields:
        _check_field(field, seen)
    known = seen | set(STANDARD_PLACEHOLDERS)
    for text, where in ((title, "通知标题"), (body, "通知正文")):
        unknown = [p for p in placeholders_in(text) if p not in known]
        if unknown:
            raise ValidationError(
                where,
                f"未知的占位符 {{{unknown[0]}}}；可用的有："
                + "、".join(f"{{{p}}}" for p in [*seen, *STANDARD_PLACEHOLDERS]),
            )
    _check_fee_fields(placeholders_in(title) + placeholders_in(body), seen)
    return NoticeTemplate(template.key, name, title, template.fields, body)


def _check_fee_fields(used: list[str], fields: set[str]) -> None:
    """{费用明细}/{应缴金额} are computed from the months the notice names: a template
    using them needs the two fields that say which."""
    if not set(used) & FEE_PLACEHOLDERS:
        return
    for needed in (FEE_START_FIELD, FEE_MONTHS_FIELD):
        if needed not in fields:
            raise ValidationError(
                "通知正文", f"使用 {{费用明细}} 或 {{应缴金额}} 须有字段“{needed}”"
            )


# values -------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_WEEKDAY = re.compile(r"[（(]?\s*(?:星期|周)[一二三四五六日天]\s*[)）]?")
_TIME = re.compile(r"(\d{1,2})\s*[:：点时]\s*(\d{1,2})?\s*分?")
# "/" separates only before a year, a time or a month: 2026/11/28 is one date.
_RANGE = re.compile(r"\s*(?:/(?=\s*(?:\d{4}|\d{1,2}\s*[:：点时月]))|至|到|~|～|—|–|--)\s*")


def _bounded(text: str, field: str) -> str:
    """The text, if short enough to parse: a pasted page would take the patterns above
    seconds to refuse (a long run of spaces makes them quadratic)."""
    if len(text) > MAX_VALUE:
        raise ValidationError(field, f"不能超过 {MAX_VALUE} 个字")
    return text


def parse_date(text: str, field: str) -> date:
    text = _bounded(text, field)
    match = _DATE.fullmatch(_WEEKDAY.sub("", text).strip())
    if not match:
        raise ValidationError(field, f"“{text.strip()}”不是日期，请写成 2026-11-28")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValidationError(field, f"没有 {text.strip()} 这一天") from None


def _parse_time(text: str, field: str) -> time:
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise ValidationError(field, f"“{text.strip()}”不是时间，请写成 08:30")
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour == 24 and minute == 0:
        return time(23, 59)
    if hour > 23 or minute > 59:
        raise ValidationError(field, f"没有 {text.strip()} 这个时刻")
    return time(hour, minute)


def _undated(text: str, field: str, on: date | None) -> datetime:
    """A time alone ("18:00") on day `on`, or "11月29日 18:00" in `on`'s year."""
    if on is None:
        raise ValidationError(field, f"“{text}”不是日期和时间，请写成 2026-11-28 08:30")
    match = _MONTH_DAY.match(text)
    if match is None:
        return datetime.combine(on, _parse_time(text, field))
    try:
        day = date(on.year, int(match[1]), int(match[2]))
    except ValueError:
        raise ValidationError(field, f"没有 {match[0]} 这一天") from None
    return datetime.combine(day, _parse_time(text[match.end() :], field))


def parse_datetime(text: str, field: str, on: date | None = None) -> datetime:
    """A date and time, "2026-11-28 08:30", a printed weekday allowed after the date.
    With `on`, a time alone ("18:00") is on that day and "11月29日 18:00" in its year."""
    text = _WEEKDAY.sub(" ", _bounded(text, field)).strip()
    match = _DATE.match(text)
    if match is None:
        return _undated(text, field, on)
    day = parse_date(match[0], field)
    rest = text[match.end() :].strip()
    if not rest:
        raise ValidationError(field, f"“{text}”缺少时间，请写成 2026-11-28 08:30")
    return datetime.combine(day, _parse_time(rest, field))


def parse_period(text: str, field: str) -> tuple[datetime, datetime]:
    """ "2026-11-28 08:00/2026-11-28 18:00", or "…08:00至18:00" on one day."""
    parts = _RANGE.split(_bounded(text, field).strip(), maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise ValidationError(field, "请写开始和结束，例如 2026-11-28 08:00至18:00")
    start = parse_datetime(parts[0], field)
    end = parse_datetime(parts[1], field, on=start.date())
    if end <= start:
        raise ValidationError(field, "结束时间须晚于开始时间")
    return start, end


def parse_value(field: NoticeField, text: str) -> str:
    """The value as stored: dates and times in ISO form, text stripped."""
    text = text.strip()
    if len(text) > MAX_VALUE:
        raise ValidationError(field.name, f"不能超过 {MAX_VALUE} 个字")
    if field.kind is FieldKind.DATE:
        return parse_date(text, field.name).isoformat()
    # isoformat, not strftime: %Y writes the year 5 as "5", which fromisoformat refuses.
    if field.kind is FieldKind.DATETIME:
        return parse_datetime(text, field.name).isoformat(" ", "minutes")
    if field.kind is FieldKind.PERIOD:
        start, end = parse_period(text, field.name)
        return f"{start.isoformat(' ', 'minutes')}/{end.isoformat(' ', 'minutes')}"
    if field.kind is FieldKind.TEXT and "\n" in text:
        raise ValidationError(field.name, "只能写一行")
    return text


def chinese_date(day: date, *, year: bool = True, weekday: bool = True) -> str:
    text = f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"
    return f"{text}（星期{_WEEKDAYS[day.weekday()]}）" if weekday else text


def _clock(moment: datetime) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def format_value(field: NoticeField, stored: str) -> str:
    """How a stored value reads in the notice."""
    if not stored:
        return ""
    if field.kind is FieldKind.DATE:
        return chinese_date(date.fromisoformat(stored))
    if field.kind is FieldKind.DATETIME:
        moment = datetime.fromisoformat(stored)
        return f"{chinese_date(moment.date())}{_clock(moment)}"
    if field.kind is FieldKind.PERIOD:
        first, last = (datetime.fromisoformat(part) for part in stored.split("/"))
        start = f"{chinese_date(first.date())}{_clock(first)}"
        if last.date() == first.date():
            return f"{start}至{_clock(last)}"
        end_day = chinese_date(last.date(), year=last.year != first.year)
        return f"{start}至{end_day}{_clock(last)}"
    return stored


def event_span(template: NoticeTemplate, values: Mapping[str, str]) -> EventSpan | None:
    """The dates of the first date-like field filled in."""
    for field in template.fields:
        stored = values.get(field.name, "")
        if not stored:
            continue
        if field.kind is FieldKind.DATE:
            day = date.fromisoformat(stored)
            return EventSpan(day, day)
        if field.kind is FieldKind.DATETIME:
            day = datetime.fromisoformat(stored).date()
            return EventSpan(day, day)
        if field.kind is FieldKind.PERIOD:
            first, last = (datetime.fromisoformat(part) for part in stored.split("/"))
            return EventSpan(first.date(), last.date())
    return None


def check_values(template: NoticeTemplate, raw: Mapping[str, str]) -> dict[str, str]:
    """Every field parsed and required ones present; unknown names refused."""
    names = {field.name for field in template.fields}
    unknown = [name for name in raw if name not in names]
    if unknown:
        raise ValidationError(
            unknown[0],
            f"“{template.name}”没有这个字段；它的字段有：" + "、".join(sorted(names)),
        )
    values = {}
    for field in template.fields:
        # A field not given takes its default; one given empty was cleared on purpose.
        text = raw[field.name].strip() if field.name in raw else field.default
        if not text:
            if field.required:
                raise ValidationError(field.name, "不能为空")
            values[field.name] = ""
            continue
        values[field.name] = parse_value(field, text)
    return values


def check_mode(template: NoticeTemplate, mode: NoticeMode) -> None:
    if mode is NoticeMode.LETTER:
        return
    used = set(placeholders_in(template.title)) | set(placeholders_in(template.body))
    letter_only = sorted(used & LETTER_ONLY)
    if letter_only:
        raise ValidationError(
            "通知正文", f"占位符 {{{letter_only[0]}}} 只能用于业户信函，张贴通知里没有这一项"
        )


def fee_months(
    template: NoticeTemplate, values: Mapping[str, str], today: date
) -> tuple[Period, int] | None:
    """The first month and the number of months a fee notice charges for ('下月' is the
    month after `today`), or None when the template states no amounts."""
    used = placeholders_in(template.title) + placeholders_in(template.body)
    if not set(used) & FEE_PLACEHOLDERS:
        return None
    _check_fee_fields(used, {field.name for field in template.fields})
    start = values.get(FEE_START_FIELD, "").strip()
    relative = {"本月": 0, "下月": 1, "下个月": 1}
    if start in relative:
        first = Period.of(today).shifted(relative[start])
    else:
        try:
            first = Period.parse(start)
        except PeriodFormatError:
            raise ValidationError(FEE_START_FIELD, "请写成 2027-01 这样的年月，或“下月”") from None
    months = values.get(FEE_MONTHS_FIELD, "").strip()
    if not months.isascii() or not months.isdigit() or not 1 <= int(months) <= MAX_FEE_MONTHS:
        raise ValidationError(FEE_MONTHS_FIELD, f"应为 1 到 {MAX_FEE_MONTHS} 的整数")
    return first, int(months)


# Standard values a notice must not print empty ("请致电物业服务中心：。"), with the
# 小区信息 field the office fills them in.
COMMUNITY_FIELDS = {"服务中心电话": "服务中心电话", "小区地址": "地址"}


def check_standard(template: NoticeTemplate, standard: Mapping[str, str]) -> None:
    """A template that prints the service phone or address needs them filled in."""
    used = set(_PLACEHOLDER.findall(template.title + template.body))
    for name in sorted(used & COMMUNITY_FIELDS.keys()):
        if not standard.get(name, "").strip():
            raise ValidationError(
                name,
                f"小区信息中还没有填写“{COMMUNITY_FIELDS[name]}”，通知里会印成空白。"
                "请先在 设置 → 小区信息 中填写",
            )


def filled_text(
    template: NoticeTemplate, values: Mapping[str, str], standard: Mapping[str, str]
) -> tuple[str, str]:
    """Title and body with every placeholder replaced (values as `check_values` gives)."""
    readable = {f.name: format_value(f, values.get(f.name, "")) for f in template.fields}
    readable.update(standard)
    return fill(template.title, readable), fill(template.body, readable)
