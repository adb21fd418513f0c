"""The owner handbook's sections as the supervisor keeps them, and the handbook
composed for printing: placeholders filled from the community's details, the fee
settings and the visitor settings, sections numbered 一、二、…"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.db import settings
from frontdesk.db.engine import Database
from frontdesk.domain import clock
from frontdesk.domain.fees import Collection, FeeMethod, quantity_unit
from frontdesk.domain.handbook import DEFAULT_SECTIONS, SectionText, check_section, fill
from frontdesk.domain.money import format_unit_price
from frontdesk.domain.phone import normalize_phone
from frontdesk.domain.renovation_guide import GUIDE_SECTIONS
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_text, numbered_title
from frontdesk.errors import NotFound
from frontdesk.services import community
from frontdesk.services.access import require
from frontdesk.services.fees import items as fees
from frontdesk.services.movein import steps as movein_steps
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.visitors import settings as visitor_settings

SECTIONS_KEY = "handbook_sections"
VALUES_KEY = "handbook_values"


@dataclass(frozen=True)
class Book:
    """A booklet of editable sections: the owner handbook, the 装修指南."""

    key: str  # its setting
    shipped: tuple[SectionText, ...]
    title: str


HANDBOOK = Book(SECTIONS_KEY, DEFAULT_SECTIONS, "业主手册")
GUIDE = Book("renovation_guide_sections", GUIDE_SECTIONS, "装修指南")


@dataclass(frozen=True)
class HandbookValues:
    """What the community's records do not hold but the handbook needs."""

    service_hours: str = "每日 8:30–17:30（法定节假日安排值班）"
    duty_phone: str = ""  # 24-hour duty line; the service centre's phone when empty
    edition: str = ""  # "2026年版"; the current year when empty
    # The emergency page prints a line only for a number the office has entered.
    gas_phone: str = ""  # 燃气抢修
    water_phone: str = ""  # 供水抢修
    lift_phone: str = ""  # 电梯困人救援 (the lift maintainer's, or the city's 96333)


@dataclass(frozen=True)
class SectionRow:
    key: str
    title: str
    body: str
    shipped: bool  # one of the shipped sections (reset brings its text back)
    edited: bool


@dataclass(frozen=True)
class _Edits:
    """A book's stored edits: shipped sections' new text by key, the office's own."""

    overrides: dict[str, Any] = field(default_factory=dict)  # key -> {title, body}
    custom: list[Any] = field(default_factory=list)  # [{key, title, body}]


def _is_text(entry: object, *names: str) -> bool:
    return isinstance(entry, dict) and all(isinstance(entry.get(n), str) for n in names)


def _stored(session: Session, book: Book) -> dict[str, Any]:
    """The edits, leaving out any entry not in the shape sections are read in."""
    edits = settings.load(session, book.key, _Edits())
    return {
        "overrides": {
            key: text for key, text in edits.overrides.items() if _is_text(text, "title", "body")
        },
        "custom": [c for c in edits.custom if _is_text(c, "key", "title", "body")],
    }


def _save(session: Session, book: Book, stored: dict[str, Any]) -> None:
    settings.save(session, book.key, _Edits(stored["overrides"], stored["custom"]))


def sections(db: Database, book: Book = HANDBOOK) -> list[SectionRow]:
    """The sections in handbook order: the shipped ones, then the office's own."""
    with db.read() as session:
        stored = _stored(session, book)
    rows = []
    for shipped in book.shipped:
        edit = stored["overrides"].get(shipped.key)
        title, body = (edit["title"], edit["body"]) if edit else (shipped.title, shipped.body)
        rows.append(SectionRow(shipped.key, title, body, True, edit is not None))
    rows += [SectionRow(c["key"], c["title"], c["body"], False, True) for c in stored["custom"]]
    return rows


def save_section(
    db: Database, actor: Actor, key: str, title: str, body: str, book: Book = HANDBOOK
) -> str:
    """Save a section's text; an empty key adds a new section at the end. Returns its key."""
    require(actor, Permission.EDIT_HANDBOOK)
    checked = check_section(title, body)
    text = {"title": checked.title, "body": checked.body}
    # Read and written in one transaction: another counter's edit is never lost.
    with db.write(actor) as session:
        stored = _stored(session, book)
        if key in {s.key for s in book.shipped}:
            stored["overrides"][key] = text
        elif not key:
            numbers = [int(c["key"].removeprefix("custom-")) for c in stored["custom"]]
            key = f"custom-{max(numbers, default=0) + 1}"
            stored["custom"].append({"key": key, **text})
        else:
            custom = next((c for c in stored["custom"] if c["key"] == key), None)
            if custom is None:
                raise NotFound("该章节已不存在。")
            custom.update(text)
        _save(session, book, stored)
    return key


def reset_section(db: Database, actor: Actor, key: str, book: Book = HANDBOOK) -> None:
    """A shipped section gets its shipped text back; an added one is removed."""
    require(actor, Permission.EDIT_HANDBOOK)
    with db.write(actor) as session:
        stored = _stored(session, book)
        stored["overrides"].pop(key, None)
        stored["custom"] = [c for c in stored["custom"] if c["key"] != key]
        _save(session, book, stored)


# 95598, 96333, 0571-96777: the utilities' five-digit numbers, with a city's area code.
_HOTLINE = re.compile(r"^(?:(0\d{2,3})-?)?(9\d{4})$")


def hotline(text: str, field: str) -> str:
    """An emergency number: a utility's five-digit hotline or an ordinary phone;
    '' when not given (the handbook then leaves the line out)."""
    compact = re.sub(r"\s", "", text)
    if not compact:
        return ""
    short = _HOTLINE.match(compact) if compact.isascii() else None
    if short:
        return "-".join(filter(None, short.groups()))
    return normalize_phone(text, field)


def handbook_values(db: Database) -> HandbookValues:
    with db.read() as session:
        return settings.load(session, VALUES_KEY, HandbookValues())


def set_handbook_values(db: Database, actor: Actor, values: HandbookValues) -> None:
    require(actor, Permission.EDIT_HANDBOOK)
    clean = HandbookValues(
        clean_text(values.service_hours, "服务时间", 60, required=True),
        normalize_phone(values.duty_phone, "值班电话") if values.duty_phone.strip() else "",
        clean_text(values.edition, "版本", 20),
        hotline(values.gas_phone, "燃气抢修电话"),
        hotline(values.water_phone, "供水抢修电话"),
        hotline(values.lift_phone, "电梯困人救援电话"),
    )
    with db.write(actor) as session:
        settings.save(session, VALUES_KEY, clean)


def fee_line(item: fees.FeeItemRow, scope: str, unit_price: int) -> str:
    """One item of the fee block: its price with its unit, and what kind of charge it
    is when that is not a monthly fee (one-off, deposit, 代收, 公共维修资金)."""
    where = f"（{scope}）" if scope else ""
    unit = item.unit or "元"
    price = f"{format_unit_price(unit_price)} {unit}"
    per = quantity_unit(unit)
    if item.collection == Collection.MAINTENANCE_FUND:
        basis = f"按房屋建筑面积每{per}" if per == "㎡" else f"每{per}" if per else ""
        amount = " ".join(filter(None, [basis, f"{format_unit_price(unit_price)} 元"]))
        return (
            f"- {item.name}{where}：{amount}，一次性交存"
            "（专项用于共用部位、共用设施设备保修期满后的维修和更新、改造，"
            "属全体业主所有，不属于物业服务费）"
        )
    if item.method == FeeMethod.DEPOSIT:
        return f"- {item.name}{where}：{price}（押金，不属于物业收费，验收合格后无息退还）"
    if item.method == FeeMethod.ONE_OFF:
        return f"- {item.name}{where}：{price}（一次性收费，发生时收取）"
    if item.collection == Collection.ON_BEHALF:
        return f"- {item.name}{where}：{price}（按表计用量计收，代收代缴）"
    if item.method == FeeMethod.AREA_MONTHLY:
        return f"- {item.name}{where}：{price}（按房屋建筑面积每月计收）"
    return f"- {item.name}{where}：{price}"


def fee_standards(db: Database, today: date, *, monthly_only: bool = False) -> str:
    """One bullet per fee item and price in force today, as the counter charges it,
    each with its unit; `monthly_only` keeps the items billed every month (what a new
    owner pays ahead)."""
    items = {
        i.id: i
        for i in fees.list_fee_items(db, active_only=True)
        if i.method.monthly or not monthly_only
    }
    current: dict[tuple[int, str, str], fees.PricePlanRow] = {}
    for plan in fees.list_price_plans(db):  # oldest first: a later start replaces it
        if plan.fee_item_id in items and plan.starts_on <= today:
            current[(plan.fee_item_id, plan.building, str(plan.room_type or ""))] = plan
    lines = []
    for plan in current.values():
        item = items[plan.fee_item_id]
        scope = "、".join(
            part for part in (plan.building, plan.room_type.label if plan.room_type else "") if part
        )
        lines.append(fee_line(item, scope, plan.unit_price))
    return "\n".join(lines) or "- 收费标准以物业服务中心公示为准。"


def values_for(db: Database, today: date) -> dict[str, str]:
    info = community.get_community(db)
    extra = handbook_values(db)
    works = renovations.renovation_settings(db)
    return {
        "小区名称": info.name,
        "物业公司": info.company_name or f"{info.name}物业服务中心",
        "小区地址": info.address or "小区物业服务中心",
        "服务中心电话": info.service_phone or "（请向物业服务中心索取）",
        "服务时间": extra.service_hours,
        "值班电话": extra.duty_phone or info.service_phone or "（请向物业服务中心索取）",
        "收费标准": fee_standards(db, today),
        "首期物业费月数": str(movein_steps.fee_months(db)),
        "访客信息保存天数": str(visitor_settings.visitor_settings(db).retention_days),
        "燃气抢修电话": extra.gas_phone,
        "供水抢修电话": extra.water_phone,
        "电梯困人救援电话": extra.lift_phone,
        "允许施工时间": works.working_hours,
        "最长工期": str(works.max_days),
    }


def compose(
    db: Database, today: date | None = None, book: Book = HANDBOOK
) -> tuple[list[SectionText], str]:
    """The sections filled in and numbered, and the edition line, for printing."""
    today = today or clock.today()
    values = values_for(db, today)
    filled = [
        SectionText(
            row.key,
            numbered_title(number, fill(row.title, values)),
            fill(row.body, values),
        )
        for number, row in enumerate(sections(db, book), 1)
    ]
    edition = handbook_values(db).edition or f"{today.year}年版"
    return filled, edition
