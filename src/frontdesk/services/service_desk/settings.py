"""The service desk's settings: the categories with their promises, and the staff
register (people orders are sent to; they need not be program users). Supervisors
edit both; everyone at the desk reads them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from frontdesk.db.models import ServiceCategory, ServiceStaff, User
from frontdesk.domain.phone import phone_key
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.service_desk import CategoryPromises, Team
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.access import require
from frontdesk.services.store import Store, reading, writing

PERMISSION = Permission.MANAGE_SERVICE_DESK


@dataclass(frozen=True)
class CategoryRow:
    id: int
    name: str
    team: Team
    promises: CategoryPromises
    active: bool


@dataclass(frozen=True)
class CategoryInput:
    name: str
    team: Team
    promises: CategoryPromises = field(default_factory=CategoryPromises)
    active: bool = True


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    team: Team
    phone: str
    on_duty: bool
    active: bool
    user_id: int | None
    note: str


@dataclass(frozen=True)
class StaffInput:
    name: str
    team: Team
    phone: str = ""
    on_duty: bool = True
    active: bool = True
    user_id: int | None = None  # when the worker also signs in to the program
    note: str = ""


def promises_of(category: ServiceCategory) -> CategoryPromises:
    return CategoryPromises(
        category.urgent_arrive_minutes,
        category.urgent_finish_minutes,
        category.urgent_callback_minutes,
        category.arrive_minutes,
        category.finish_minutes,
        category.callback_minutes,
    )


# categories -------------------------------------------------------------------------


def categories(store: Store, *, active_only: bool = True) -> list[CategoryRow]:
    with reading(store) as session:
        query = select(ServiceCategory).order_by(ServiceCategory.sort_order, ServiceCategory.id)
        if active_only:
            query = query.where(ServiceCategory.active)
        return [
            CategoryRow(c.id, c.name, c.team, promises_of(c), c.active)
            for c in session.scalars(query)
        ]


def category_id(store: Store, name: str) -> int:
    """The id of the category called `name` (the command line names them)."""
    with reading(store) as session:
        found = session.scalar(
            select(ServiceCategory.id).where(ServiceCategory.name == name.strip())
        )
        if found is None:
            raise ValidationError("类别", f"没有名为“{name.strip()}”的类别")
        return found


def save_category(
    store: Store, actor: Actor, data: CategoryInput, category_id: int | None = None
) -> int:
    """Add a category, or change one (its promises apply to orders taken from now on)."""
    name = clean_text(data.name, "类别名称", 20, required=True)
    promises = data.promises.check()
    with writing(store, actor, PERMISSION) as session:
        clash = session.scalar(select(ServiceCategory.id).where(ServiceCategory.name == name))
        if clash is not None and clash != category_id:
            raise ValidationError("类别名称", f"已有类别“{name}”")
        if category_id is None:
            last = session.scalar(
                select(ServiceCategory.sort_order).order_by(ServiceCategory.sort_order.desc())
            )
            category = ServiceCategory(name=name, sort_order=(last or 0) + 1)
            session.add(category)
        else:
            found = session.get(ServiceCategory, category_id)
            if found is None:
                raise NotFound("该类别不存在。")
            category = found
        category.name, category.team, category.active = name, data.team, data.active
        for name_ in (
            "urgent_arrive_minutes",
            "urgent_finish_minutes",
            "urgent_callback_minutes",
            "arrive_minutes",
            "finish_minutes",
            "callback_minutes",
        ):
            setattr(category, name_, getattr(promises, name_))
        session.flush()
        return category.id


# staff ------------------------------------------------------------------------------


def staff(store: Store, *, team: Team | None = None, on_duty_only: bool = False) -> list[StaffRow]:
    """The register, by team and name; people who left only when asked for all."""
    with reading(store) as session:
        query = (
            select(ServiceStaff)
            .where(ServiceStaff.active)
            .order_by(ServiceStaff.team, ServiceStaff.name)
        )
        if team is not None:
            query = query.where(ServiceStaff.team == team)
        if on_duty_only:
            query = query.where(ServiceStaff.on_duty)
        return [
            StaffRow(s.id, s.name, s.team, s.phone, s.on_duty, s.active, s.user_id, s.note)
            for s in session.scalars(query)
        ]


def save_staff(store: Store, actor: Actor, data: StaffInput, staff_id: int | None = None) -> int:
    name = clean_name(data.name, "姓名", 40, required=True)
    phone = phone_key(data.phone, "电话") if data.phone.strip() else ""
    note = clean_text(data.note, "备注", 200)
    with writing(store, actor, PERMISSION) as session:
        if data.user_id is not None and session.get(User, data.user_id) is None:
            raise ValidationError("对应用户", "该用户不存在")
        if staff_id is None:
            person = ServiceStaff()
            session.add(person)
        else:
            found = session.get(ServiceStaff, staff_id)
            if found is None:
                raise NotFound("该人员不存在。")
            person = found
        person.name, person.team, person.phone = name, data.team, phone
        person.on_duty, person.active, person.user_id, person.note = (
            data.on_duty,
            data.active,
            data.user_id,
            note,
        )
        session.flush()
        return person.id


@dataclass(frozen=True)
class UserChoice:
    """A program user a worker may be linked to (the staff register's 对应用户)."""

    id: int
    text: str  # 张三（zhangsan）
    username: str


def linkable_users(store: Store, actor: Actor) -> list[UserChoice]:
    """The active users, for a supervisor linking a worker who also signs in."""
    require(actor, PERMISSION)
    with reading(store) as session:
        users = session.scalars(select(User).where(User.active).order_by(User.username))
        return [UserChoice(u.id, f"{u.display_name}（{u.username}）", u.username) for u in users]


def set_on_duty(store: Store, actor: Actor, staff_id: int, on_duty: bool) -> None:
    """上班 / 下班: the desk sends orders to people on duty."""
    with writing(store, actor, Permission.TAKE_WORK_ORDERS) as session:
        person = session.get(ServiceStaff, staff_id)
        if person is None:
            raise NotFound("该人员不存在。")
        person.on_duty = on_duty
