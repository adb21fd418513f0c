"""The service desk's settings from the command line, as 设置 → 客服设置 edits them:
`frontdesk ticket staff [--team T] [--on-duty] [--json]`, `ticket staff-add NAME --team T
…`, `ticket staff-edit NAME …`, `ticket staff-duty NAME 上班|下班`, `ticket categories
[--all] [--json]` and `ticket category NAME [--team T] [--arrive 2h] …` (a new category,
or a change to one: its promises apply to orders taken from then on). The same
services and permissions as the screen: supervisors edit the register and the
categories; anyone at the desk sends a worker on or off duty."""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from frontdesk.cli.args import DB_HELP, location_arg
from frontdesk.domain.service_desk import TEAM_LABELS, CategoryPromises, Team
from frontdesk.errors import ValidationError

if TYPE_CHECKING:
    from frontdesk.domain.roles import Actor
    from frontdesk.services.database import Database
    from frontdesk.services.service_desk import CategoryRow, StaffRow

ACTIONS = ("staff", "staff-add", "staff-edit", "staff-duty", "categories", "category")
TEAMS = {t.value: t for t in Team} | {label: t for t, label in TEAM_LABELS.items()}
DUTY = {"上班": True, "on": True, "下班": False, "off": False}
# the options of `ticket category` for each promise, with the field's Chinese label
PROMISE_OPTIONS = (
    ("urgent_arrive_minutes", "--urgent-arrive", "紧急到场时限"),
    ("urgent_finish_minutes", "--urgent-finish", "紧急完工时限"),
    ("urgent_callback_minutes", "--urgent-callback", "紧急回访时限"),
    ("arrive_minutes", "--arrive", "到场时限"),
    ("finish_minutes", "--finish", "完工时限"),
    ("callback_minutes", "--callback", "回访时限"),
)
_SPAN = re.compile(r"(\d+)\s*(m|min|分|分钟|h|小时|d|天)?", re.IGNORECASE)
_UNIT_MINUTES = {"m": 1, "min": 1, "分": 1, "分钟": 1, "h": 60, "小时": 60, "d": 1440, "天": 1440}
SPAN_HELP = "时长：分钟数，或带单位，如 30、4h、24小时、2天"


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def _team(text: str) -> Team:
    try:
        return TEAMS[text.strip()]
    except KeyError:
        raise argparse.ArgumentTypeError(f"班组应为：{'、'.join(TEAM_LABELS.values())}") from None


def add_actions(actions: Any) -> None:
    staff = actions.add_parser("staff", help="人员名单（工程、保洁、秩序、绿化、客服）")
    staff.add_argument("--team", type=_team, help="只列出一个班组")
    staff.add_argument("--on-duty", action="store_true", help="只列出上班的人员")
    staff.add_argument("--json", action="store_true", help="以 JSON 输出")
    _db(staff)
    add = actions.add_parser("staff-add", help="人员名单中新增一人（主管）")
    add.add_argument("name", help="姓名")
    add.add_argument("--team", type=_team, required=True, help="班组：工程、保洁、秩序、绿化、客服")
    _person_options(add)
    add.add_argument("--off-duty", action="store_true", help="登记为下班（默认上班）")
    _db(add)
    edit = actions.add_parser("staff-edit", help="修改名单中一人的姓名、班组、电话等（主管）")
    edit.add_argument("name", help="现在的姓名")
    edit.add_argument("--rename", help="新的姓名")
    edit.add_argument("--team", type=_team, help="班组")
    _person_options(edit)
    edit.add_argument("--left", action="store_true", help="已离职（从名单中移除，记录保留）")
    _db(edit)
    duty = actions.add_parser("staff-duty", help="人员上班或下班（派单只派给上班的人）")
    duty.add_argument("name", help="姓名")
    duty.add_argument("duty", choices=list(DUTY), help="上班 或 下班")
    _db(duty)
    categories = actions.add_parser("categories", help="工单类别及其承诺时限")
    categories.add_argument("--all", action="store_true", help="含已停用的类别")
    categories.add_argument("--json", action="store_true", help="以 JSON 输出（时限以分钟计）")
    _db(categories)
    category = actions.add_parser(
        "category", help="新增类别，或修改类别的班组、承诺时限、启用（主管；对此后受理的工单生效）"
    )
    category.add_argument("name", help="类别名称，如 水电")
    category.add_argument("--rename", help="新的名称")
    category.add_argument("--team", type=_team, help="默认班组（新增时必填）")
    for field, option, label in PROMISE_OPTIONS:
        category.add_argument(option, dest=field, help=f"{label}（{SPAN_HELP}）")
    state = category.add_mutually_exclusive_group()
    state.add_argument("--inactive", action="store_true", help="停用（受理时不再可选）")
    state.add_argument("--active", action="store_true", help="重新启用")
    _db(category)


def _person_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--phone", help="电话")
    parser.add_argument("--note", help="备注")
    parser.add_argument("--account", help="对应的程序用户名（此人也登录本程序时）")


def run(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    if args.action == "staff":
        return _list_staff(db, args)
    if args.action == "categories":
        return _list_categories(db, args)
    if args.action == "category":
        return _save_category(db, actor, args)
    return _save_person(db, actor, args)


# staff ------------------------------------------------------------------------------


def _staff_json(s: StaffRow) -> dict[str, object]:
    return {
        "name": s.name,
        "team": s.team.label,
        "phone": s.phone,
        "on_duty": s.on_duty,
        "linked_user": s.user_id is not None,
        "note": s.note,
    }


def _list_staff(db: Database, args: argparse.Namespace) -> int:
    from frontdesk.services import service_desk as desk

    rows = desk.staff(db, team=args.team, on_duty_only=args.on_duty)
    if args.json:
        print(json.dumps([_staff_json(s) for s in rows], ensure_ascii=False))
        return 0
    for s in rows:
        duty = "上班" if s.on_duty else "下班"
        print(f"{s.team.label}\t{s.name}\t{s.phone or '—'}\t{duty}\t{s.note}".rstrip())
    print(f"共 {len(rows)} 人，上班 {sum(s.on_duty for s in rows)} 人")
    return 0


def _person(db: Database, name: str) -> StaffRow:
    from frontdesk.services import service_desk as desk

    matches = [s for s in desk.staff(db) if s.name == name.strip()]
    if not matches:
        raise ValidationError("姓名", f"人员名单中没有“{name.strip()}”（frontdesk ticket staff）")
    if len(matches) > 1:
        raise ValidationError(
            "姓名", f"名单中有 {len(matches)} 位“{name.strip()}”，请在设置界面修改"
        )
    return matches[0]


def _user_id(db: Database, actor: Actor, username: str) -> int:
    from frontdesk.services import service_desk as desk

    for user in desk.linkable_users(db, actor):
        if user.username == username.strip():
            return user.id
    raise ValidationError("对应用户", f"没有在用的用户“{username.strip()}”")


def _save_person(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    from frontdesk.services import service_desk as desk

    if args.action == "staff-duty":
        person = _person(db, args.name)
        desk.set_on_duty(db, actor, person.id, DUTY[args.duty])
        print(f"{person.name}：{'上班' if DUTY[args.duty] else '下班'}")
        return 0
    if args.action == "staff-add":
        data = desk.StaffInput(args.name, args.team, on_duty=not args.off_duty)
        staff_id = None
    else:
        person = _person(db, args.name)
        data = desk.StaffInput(
            args.rename if args.rename is not None else person.name,
            args.team or person.team,
            person.phone,
            person.on_duty,
            not args.left,
            person.user_id,
            person.note,
        )
        staff_id = person.id
    data = replace(
        data,
        phone=data.phone if args.phone is None else args.phone,
        note=data.note if args.note is None else args.note,
        user_id=data.user_id if args.account is None else _user_id(db, actor, args.account),
    )
    desk.save_staff(db, actor, data, staff_id)
    if not data.active:
        print(f"已从人员名单移除：{data.name.strip()}")
    else:
        print(f"已保存：{data.team.label} {data.name.strip()}")
    return 0


# categories -------------------------------------------------------------------------


def _span(text: str, label: str) -> int:
    """Minutes from `30`, `4h`, `24小时`, `2天`."""
    found = _SPAN.fullmatch(text.strip())
    if found is None:
        raise ValidationError(label, f"“{text.strip()}”应为时长，如 30（分钟）、4h、2天")
    number, unit = found.groups()
    return int(number) * _UNIT_MINUTES[(unit or "m").lower()]


def _promises_json(p: CategoryPromises) -> dict[str, int]:
    return {f.name: getattr(p, f.name) for f in fields(p)}


def _promises_text(p: CategoryPromises) -> str:
    from datetime import timedelta

    from frontdesk.domain.service_desk import duration_text

    def span(minutes: int) -> str:
        return duration_text(timedelta(minutes=minutes))

    return (
        f"紧急：到场 {span(p.urgent_arrive_minutes)}，完工 {span(p.urgent_finish_minutes)}，"
        f"回访 {span(p.urgent_callback_minutes)}；一般：到场 {span(p.arrive_minutes)}，"
        f"完工 {span(p.finish_minutes)}，回访 {span(p.callback_minutes)}"
    )


def _list_categories(db: Database, args: argparse.Namespace) -> int:
    from frontdesk.services import service_desk as desk

    rows = desk.categories(db, active_only=not args.all)
    if args.json:
        data = [
            {"name": c.name, "team": c.team.label, "active": c.active} | _promises_json(c.promises)
            for c in rows
        ]
        print(json.dumps(data, ensure_ascii=False))
        return 0
    for c in rows:
        state = "" if c.active else "（已停用）"
        print(f"{c.name}{state}\t{c.team.label}\t{_promises_text(c.promises)}")
    return 0


def _save_category(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    from frontdesk.services import service_desk as desk

    found: CategoryRow | None = next(
        (c for c in desk.categories(db, active_only=False) if c.name == args.name.strip()), None
    )
    if found is None:
        if args.team is None:
            raise ValidationError("班组", f"新增类别“{args.name.strip()}”须写 --team（如 工程）")
        team, promises, active = args.team, CategoryPromises(), True
    else:
        team, promises, active = args.team or found.team, found.promises, found.active
    if args.active or args.inactive:
        active = args.active
    changes = {
        field: _span(getattr(args, field), label)
        for field, _option, label in PROMISE_OPTIONS
        if getattr(args, field) is not None
    }
    data = desk.CategoryInput(
        args.rename if args.rename is not None else args.name,
        team,
        replace(promises, **changes),
        active,
    )
    desk.save_category(db, actor, data, found.id if found else None)
    saved = next(c for c in desk.categories(db, active_only=False) if c.name == data.name.strip())
    state = "" if saved.active else "（已停用）"
    print(f"{'已修改' if found else '已新增'}类别 {saved.name}{state}：{saved.team.label}")
    print(_promises_text(saved.promises))
    return 0
