"""The move-in checklist's steps: what each step's detail must hold, its one-line
summary for the screen and the papers, the first fees (real receipts of the room,
the months a new owner pays ahead), and the room's own prices for the invitation."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    AccessCard,
    FeeItem,
    HandoverStep,
    Payment,
    Person,
    Receipt,
    ReceiptVoid,
    Room,
    Setting,
    Vehicle,
)
from frontdesk.domain.billing import plan_in_force
from frontdesk.domain.fees import FeeMethod, ReadingFormatError, parse_reading
from frontdesk.domain.household import PersonKind
from frontdesk.domain.money import format_unit_price
from frontdesk.domain.movein import (
    AGREEMENTS,
    DEFAULT_FEE_MONTHS,
    KEY_KINDS,
    METERS,
    Step,
    check_key_count,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_text
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.items import plan_terms
from frontdesk.services.households.structure import room_places

FEE_MONTHS_KEY = "movein_fee_months"
_CARD = re.compile(r"^[0-9A-Za-z]{4,20}$")
Detail = dict[str, Any]


def step_summary(step: Step, detail: Detail) -> str:
    """What was recorded, in one line: 购房合同、业主身份证件 / 入户门钥匙 3 把 …"""
    if step in (Step.DOCUMENTS, Step.AGREEMENTS):
        return "、".join(detail.get("items", []))
    if step == Step.OWNER_FILE:
        return (
            f"产权人 {detail['owners']} 人，住户 {detail['residents']} 人，"
            f"车辆 {detail['vehicles']} 辆，紧急联系人 {detail['contacts']} 人"
        )
    if step == Step.FEES:
        return "收据 " + "、".join(detail.get("receipts", []))
    if step == Step.METERS:
        return "；".join(f"{name} {value}" for name, value in detail.get("readings", {}).items())
    if step == Step.KEYS:
        return "；".join(f"{kind} {n}" for kind, n in detail.get("keys", {}).items() if n)
    if step == Step.CARDS:
        disputed = "；".join(
            f"{card} 与 {other} 重复，待核实" for card, other in detail.get("disputed", {}).items()
        )
        return (
            "卡号 " + "、".join(detail.get("cards", [])) + (f"（{disputed}）" if disputed else "")
        )
    return str(detail.get("edition", "已发放"))


def validated_detail(session: Session, room_id: int, step: Step, detail: Detail) -> Detail:
    if step == Step.DOCUMENTS:
        items = list(detail.get("items", []))
        if not {"购房合同", "不动产权证"} & set(items):
            raise ValidationError("购房合同或不动产权证", "请核验其中之一后勾选")
        if "业主身份证件" not in items:
            raise ValidationError("业主身份证件", "请核验后勾选")
        return {"items": items, "note": clean_text(str(detail.get("note", "")), "备注", 200)}
    if step == Step.AGREEMENTS:
        items = list(detail.get("items", []))
        for name in AGREEMENTS:
            if name not in items:
                raise ValidationError(f"《{name}》", "须由业主签署")
        return {"items": items}
    if step == Step.OWNER_FILE:
        return owner_file_detail(session, room_id)
    if step == Step.FEES:
        return {"receipts": check_fee_receipts(session, room_id, list(detail.get("receipts", [])))}
    if step == Step.METERS:
        return {"readings": _readings(dict(detail.get("readings", {})))}
    if step == Step.KEYS:
        return {"keys": _keys(dict(detail.get("keys", {})))}
    if step == Step.CARDS:
        return {"cards": _cards(session, room_id, list(detail.get("cards", [])))}
    return {"edition": clean_text(str(detail.get("edition", "")), "手册版本", 40) or "已发放"}


def owner_file_detail(session: Session, room_id: int) -> Detail:
    """The file is complete enough when an owner with a phone is on it."""
    kinds = Counter(
        kind
        for (kind,) in session.execute(
            select(Person.kind).where(Person.room_id == room_id, Person.left_on.is_(None))
        )
    )
    owner_phone = session.scalar(
        select(func.count()).where(
            Person.room_id == room_id,
            Person.kind == PersonKind.OWNER,
            Person.left_on.is_(None),
            Person.phone != "",
        )
    )
    if not owner_phone:
        raise ValidationError("业主档案", "请先在户档案中登记产权人及其电话")
    vehicles = session.scalar(select(func.count()).where(Vehicle.room_id == room_id)) or 0
    return {
        "owners": kinds[PersonKind.OWNER],
        "residents": kinds[PersonKind.RESIDENT] + kinds[PersonKind.TENANT],
        "vehicles": vehicles,
        "contacts": kinds[PersonKind.EMERGENCY],
    }


def receipt_text(receipt: Receipt) -> str:
    return f"{receipt.series}{receipt.number:08d}"


def check_fee_receipts(session: Session, room_id: int, numbers: list[str]) -> list[str]:
    numbers = list(dict.fromkeys(numbers))
    if not numbers and fee_months_in(session) == 0:
        return []  # this community takes no fees ahead at move-in
    if not numbers:
        raise ValidationError("首期费用收据", "请先在收费页收取首期费用，再选择其收据")
    valid = {receipt_text(r): r for r in _room_receipts(session, room_id)}
    for number in numbers:
        if number not in valid:
            raise ValidationError("首期费用收据", f"{number} 不是本户有效的收款收据")
    return numbers


def _room_receipts(session: Session, room_id: int) -> list[Receipt]:
    voided = select(ReceiptVoid.receipt_id)
    return list(
        session.scalars(
            select(Receipt)
            .where(
                Receipt.room_id == room_id,
                Receipt.payment_id.is_not(None),
                Receipt.id.not_in(voided),
            )
            .order_by(Receipt.issued_at.desc())
        )
    )


@dataclass(frozen=True)
class FeeReceipt:
    number: str
    issued_at: datetime
    total_fen: int
    payer: str


def fee_receipts(db: Database, actor: Actor, room_id: int) -> list[FeeReceipt]:
    """The room's valid payment receipts, newest first, to pick the first fees from
    (before handover a room has no bills yet: the first months are taken as 预存,
    which the first billing run draws)."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        receipts = _room_receipts(session, room_id)
        paid = {
            p.id: p
            for p in session.scalars(
                select(Payment).where(Payment.id.in_([r.payment_id for r in receipts]))
            )
        }
        return [
            FeeReceipt(
                receipt_text(r),
                r.issued_at,
                paid[r.payment_id].total_fen if r.payment_id else 0,
                paid[r.payment_id].payer if r.payment_id else "",
            )
            for r in receipts
        ]


def _readings(readings: dict[str, str]) -> dict[str, str]:
    clean = {}
    for meter in METERS:
        text = str(readings.get(meter, "")).strip()
        if not text:
            continue
        try:
            value = parse_reading(text)
        except ReadingFormatError:
            raise ValidationError(f"{meter}底数", "应为不小于 0 的数，最多两位小数") from None
        clean[meter] = f"{value // 100}.{value % 100:02d}"
    if not clean:
        raise ValidationError("水表底数", "请至少抄录一块表的底数")
    return clean


def _keys(keys: dict[str, Any]) -> dict[str, int]:
    unknown = [kind for kind in keys if kind not in KEY_KINDS]
    if unknown:
        raise ValidationError("钥匙类别", f"“{unknown[0]}”不是可选的类别（{'、'.join(KEY_KINDS)}）")
    clean = {}
    for kind in KEY_KINDS:
        value = keys.get(kind, 0)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError(f"{kind}数量", "应为整数")
        count = check_key_count(kind, value)
        if count:
            clean[kind] = count
    if not clean:
        raise ValidationError("入户门钥匙数量", "请填写移交的钥匙数量")
    return clean


def _cards(session: Session, room_id: int, cards: list[str]) -> list[str]:
    clean = [c.strip() for c in cards if c.strip()]
    if not clean:
        raise ValidationError("门禁卡号", "请至少填写一张卡的卡号")
    for card in clean:
        if not _CARD.match(card):
            raise ValidationError("门禁卡号", f"“{card}”应为 4 到 20 位字母或数字")
    if len(set(clean)) != len(clean):
        raise ValidationError("门禁卡号", "卡号有重复")
    taken = session.execute(
        select(AccessCard.number, AccessCard.room_id)
        .where(
            AccessCard.number.in_(clean),
            AccessCard.room_id != room_id,
            AccessCard.disputed.is_(False),
        )
        .order_by(AccessCard.id)
    ).first()
    if taken:
        code = room_places(session, [taken.room_id])[taken.room_id][0]
        raise ValidationError("门禁卡号", f"{taken.number} 已发给 {code}")
    return clean


def step_detail(session: Session, stored: HandoverStep) -> Detail:
    """What a done step recorded. The cards step's numbers are rows of access_card
    (one number, one room: the database holds it unique), not part of its detail."""
    if stored.step != Step.CARDS.value:
        detail: Detail = json.loads(stored.detail)
        return detail
    cards = session.scalars(
        select(AccessCard).where(AccessCard.step_id == stored.id).order_by(AccessCard.id)
    ).all()
    disputed = {c.number for c in cards if c.disputed}
    shared = session.execute(
        select(AccessCard.number, AccessCard.room_id)
        .where(AccessCard.number.in_(disputed), AccessCard.room_id != stored.room_id)
        .order_by(AccessCard.id)
    ).all()
    codes = room_places(session, [r.room_id for r in shared])
    others: dict[str, str] = {}
    for number, other in shared:
        others[number] = "、".join(filter(None, (others.get(number), codes[other][0])))
    detail = {"cards": [c.number for c in cards]}
    return {**detail, "disputed": others} if others else detail


def save_cards(session: Session, stored: HandoverStep, cards: list[str]) -> None:
    """The step's cards become `cards` (validated by `validated_detail`), in order:
    cards kept stay as they are, cards taken back are removed, new ones added."""
    held = session.scalars(
        select(AccessCard).where(AccessCard.step_id == stored.id).order_by(AccessCard.id)
    ).all()
    kept = [c for c in held if c.number in cards and not c.disputed]
    added = [n for n in cards if n not in {c.number for c in kept}]
    if [c.number for c in kept] + added != cards:
        kept, added = [], cards  # another order: written again in the order entered
    for card in held:
        if card not in kept:
            session.delete(card)
    session.flush()  # the numbers given back are free before the new rows claim them
    session.add_all(
        AccessCard(room_id=stored.room_id, step_id=stored.id, number=number) for number in added
    )


def room_fee_standards(db: Database, room_id: int, today: date) -> list[str]:
    """The monthly items and the prices this room will pay: its building's and room
    type's plan in force today (what the first bills will charge), for the invitation."""
    with db.read() as session:
        room = session.get(Room, room_id)
        if room is None:
            raise NotFound("房屋不存在。")
        plans = plan_terms(session)
        items = session.scalars(
            select(FeeItem).where(FeeItem.active.is_(True)).order_by(FeeItem.sort_key)
        ).all()
        lines = []
        for item in items:
            method = item.method
            if method not in (FeeMethod.AREA_MONTHLY, FeeMethod.FIXED_MONTHLY):
                continue  # parking: only once a space is taken
            plan = plan_in_force(plans, item.id, room.building_id, room.room_type, today)
            if plan is not None:
                price = format_unit_price(plan.unit_price)
                lines.append(f"{item.name}：{price} {item.unit}")
    return lines


# settings --------------------------------------------------------------------------


def fee_months_in(session: Session) -> int:
    setting = session.get(Setting, FEE_MONTHS_KEY)
    return int(setting.value) if setting else DEFAULT_FEE_MONTHS


def fee_months(db: Database) -> int:
    with db.read() as session:
        return fee_months_in(session)


def set_fee_months(db: Database, actor: Actor, months: int) -> None:
    """How many months of 物业费 a new owner pays at the move-in counter."""
    require(actor, Permission.MANAGE_FEES)
    if not 0 <= months <= 24:
        raise ValidationError("首期物业费月数", "应在 0 到 24 个月之间")
    with db.write(actor) as session:
        setting = session.get(Setting, FEE_MONTHS_KEY)
        if setting is None:
            session.add(Setting(key=FEE_MONTHS_KEY, value=str(months)))
        else:
            setting.value = str(months)
