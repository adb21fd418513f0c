"""Fee items, price plans and reduction rules: what the office charges and how."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Building, FeeItem, PricePlan, ReductionRule
from frontdesk.domain import fees
from frontdesk.domain.billing import PlanTerms, RuleTerms
from frontdesk.domain.fees import (
    Collection,
    FeeMethod,
    MeterKind,
    check_price_unit,
    default_price_unit,
)
from frontdesk.domain.money import format_unit_price
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.access import require

RECEIPT_SERIES = fees.RECEIPT_SERIES  # 收据
REFUND_SERIES = fees.REFUND_SERIES  # 退款凭证


@dataclass(frozen=True)
class FeeItemRow:
    id: int
    name: str
    category: str
    method: FeeMethod
    collection: Collection
    meter_kind: MeterKind | None
    active: bool
    unit: str = ""  # 元/㎡/月, 元/吨 …


@dataclass(frozen=True)
class PricePlanRow:
    id: int
    fee_item_id: int
    fee_item: str
    building: str  # '' = every building
    room_type: RoomType | None
    unit_price: int
    multiplier: int
    starts_on: date
    note: str

    @property
    def price_text(self) -> str:
        return format_unit_price(self.unit_price)


@dataclass(frozen=True)
class ReductionRuleRow:
    id: int
    name: str
    fee_item: str
    room_status: RoomStatus
    percent_off: int
    reason: str
    starts_on: date
    ends_on: date | None


def _item_row(item: FeeItem) -> FeeItemRow:
    return FeeItemRow(
        item.id,
        item.name,
        item.category,
        item.method,
        item.collection,
        item.meter_kind,
        item.active,
        item.unit,
    )


def list_fee_items(db: Database, *, active_only: bool = False) -> list[FeeItemRow]:
    query = select(FeeItem).order_by(FeeItem.sort_key, FeeItem.id)
    if active_only:
        query = query.where(FeeItem.active.is_(True))
    with db.read() as session:
        return [_item_row(item) for item in session.scalars(query)]


def add_fee_item(
    db: Database,
    actor: Actor,
    name: str,
    category: str,
    method: FeeMethod,
    collection: Collection = Collection.OWN,
    meter_kind: MeterKind | None = None,
    unit: str = "",
) -> int:
    """A new fee item; `unit` ('' = the one that follows from `method`) is what its
    price is quoted in."""
    require(actor, Permission.MANAGE_FEES)
    name, category = name.strip(), category.strip()
    unit = (
        check_price_unit(unit)
        if unit.strip()
        else default_price_unit(method, meter_kind.value if meter_kind else None)
    )
    if not name:
        raise ValidationError("项目名称", "不能为空")
    if method == FeeMethod.METER and meter_kind is None:
        raise ValidationError("表计类型", "按表计收费的项目须选择水表、电表、燃气表或公摊")
    if collection == Collection.PREPAID:
        raise ValidationError(
            "款项性质", "预收款不是收费项目，请选择物业收入、代收代缴、公共维修资金或押金"
        )
    if method == FeeMethod.DEPOSIT:
        collection = Collection.DEPOSIT
    with db.write(actor) as session:
        if session.scalar(select(FeeItem.id).where(FeeItem.name == name)):
            raise ValidationError("项目名称", f"“{name}”已存在")
        count = len(session.scalars(select(FeeItem.id)).all())
        item = FeeItem(
            name=name,
            category=category or name,
            method=method,
            collection=collection,
            meter_kind=meter_kind.value if meter_kind else None,
            unit=unit,
            sort_key=count + 1,
            active=True,
        )
        session.add(item)
        session.flush()
        return item.id


def set_fee_item_active(db: Database, actor: Actor, fee_item_id: int, active: bool) -> None:
    require(actor, Permission.MANAGE_FEES)
    with db.write(actor) as session:
        item = session.get(FeeItem, fee_item_id)
        if item is None:
            raise NotFound("找不到该收费项目。")
        item.active = active


def set_fee_item_unit(db: Database, actor: Actor, fee_item_id: int, unit: str) -> None:
    """Change the unit an item's price is quoted in (元/㎡/月 → 元/户/月 …)."""
    require(actor, Permission.MANAGE_FEES)
    unit = check_price_unit(unit)
    with db.write(actor) as session:
        item = session.get(FeeItem, fee_item_id)
        if item is None:
            raise NotFound("找不到该收费项目。")
        item.unit = unit


def list_price_plans(db: Database) -> list[PricePlanRow]:
    query = (
        select(PricePlan, FeeItem.name, Building.name)
        .join(FeeItem, PricePlan.fee_item_id == FeeItem.id)
        .outerjoin(Building, PricePlan.building_id == Building.id)
        .order_by(FeeItem.sort_key, PricePlan.starts_on, PricePlan.id)
    )
    with db.read() as session:
        return [
            PricePlanRow(
                plan.id,
                plan.fee_item_id,
                item_name,
                building_name or "",
                plan.room_type,
                plan.unit_price,
                plan.multiplier,
                plan.starts_on,
                plan.note,
            )
            for plan, item_name, building_name in session.execute(query)
        ]


def add_price_plan(
    db: Database,
    actor: Actor,
    fee_item_id: int,
    unit_price: int,
    starts_on: date,
    *,
    building_id: int | None = None,
    room_type: RoomType | None = None,
    multiplier: int = 1,
    note: str = "",
) -> int:
    """A new price from a date; earlier plans stay for the periods before it."""
    require(actor, Permission.MANAGE_FEES)
    if unit_price < 0:
        raise ValidationError("单价", "不能为负数")
    if unit_price > 100_000 * 10_000:
        raise ValidationError("单价", "超过 10 万元，请核对")
    if not 1 <= multiplier <= 10_000:
        raise ValidationError("倍率", "应为 1 到 10000 的整数")
    with db.write(actor) as session:
        if session.get(FeeItem, fee_item_id) is None:
            raise NotFound("找不到该收费项目。")
        plan = PricePlan(
            fee_item_id=fee_item_id,
            building_id=building_id,
            room_type=room_type.value if room_type else None,
            unit_price=unit_price,
            multiplier=multiplier,
            starts_on=starts_on,
            note=note.strip(),
        )
        session.add(plan)
        session.flush()
        return plan.id


def list_reduction_rules(db: Database) -> list[ReductionRuleRow]:
    query = select(ReductionRule, FeeItem.name).join(
        FeeItem, ReductionRule.fee_item_id == FeeItem.id
    )
    with db.read() as session:
        return [
            ReductionRuleRow(
                rule.id,
                rule.name,
                item_name,
                rule.room_status,
                rule.percent_off,
                rule.reason,
                rule.starts_on,
                rule.ends_on,
            )
            for rule, item_name in session.execute(query)
        ]


def add_reduction_rule(
    db: Database,
    actor: Actor,
    fee_item_id: int,
    room_status: RoomStatus,
    percent_off: int,
    reason: str,
    starts_on: date,
    ends_on: date | None = None,
    name: str = "",
) -> int:
    require(actor, Permission.MANAGE_FEES)
    if not 1 <= percent_off <= 100:
        raise ValidationError("减免比例", "应为 1% 到 100%")
    if not reason.strip():
        raise ValidationError("减免原因", "不能为空")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError("结束日期", "不能早于开始日期")
    with db.write(actor) as session:
        if session.get(FeeItem, fee_item_id) is None:
            raise NotFound("找不到该收费项目。")
        rule = ReductionRule(
            name=name.strip() or f"{room_status.label}减免{percent_off}%",
            fee_item_id=fee_item_id,
            room_status=room_status,
            percent_off=percent_off,
            reason=reason.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        session.add(rule)
        session.flush()
        return rule.id


def plan_terms(session: Session) -> list[PlanTerms]:
    return [
        PlanTerms(
            p.fee_item_id, p.building_id, p.room_type, p.unit_price, p.multiplier, p.starts_on
        )
        for p in session.scalars(select(PricePlan))
    ]


def rule_terms(session: Session) -> list[RuleTerms]:
    return [
        RuleTerms(r.fee_item_id, r.room_status, r.percent_off, r.reason, r.starts_on, r.ends_on)
        for r in session.scalars(select(ReductionRule))
    ]


# The fee set a new community starts with; the supervisor adjusts prices in the app.
STANDARD_ITEMS: tuple[tuple[str, str, FeeMethod, Collection, MeterKind | None], ...] = (
    ("物业服务费", "物业服务费", FeeMethod.AREA_MONTHLY, Collection.OWN, None),
    ("车位管理费", "停车服务费", FeeMethod.PARKING_MONTHLY, Collection.OWN, None),
    ("生活垃圾处理费", "物业服务费", FeeMethod.FIXED_MONTHLY, Collection.OWN, None),
    ("水费", "代收水电费", FeeMethod.METER, Collection.ON_BEHALF, MeterKind.WATER),
    ("电费", "代收水电费", FeeMethod.METER, Collection.ON_BEHALF, MeterKind.ELECTRICITY),
    ("公共维修资金", "公共维修资金", FeeMethod.ONE_OFF, Collection.MAINTENANCE_FUND, None),
    ("门禁卡工本费", "其他收费", FeeMethod.ONE_OFF, Collection.OWN, None),
    ("装修垃圾清运费", "装修收费", FeeMethod.ONE_OFF, Collection.OWN, None),
    ("装修管理费", "装修收费", FeeMethod.ONE_OFF, Collection.OWN, None),
    ("装修押金", "押金", FeeMethod.DEPOSIT, Collection.DEPOSIT, None),
)
# Standard items whose unit is not the one their method suggests.
STANDARD_UNITS = {"门禁卡工本费": "元/张", "公共维修资金": "元/㎡"}


def standard_unit(name: str, method: FeeMethod, meter_kind: MeterKind | None) -> str:
    return STANDARD_UNITS.get(name) or default_price_unit(
        method, meter_kind.value if meter_kind else None
    )
