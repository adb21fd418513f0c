"""`frontdesk tickets` (the work orders, open or overdue first) and `frontdesk ticket
add|dispatch|transfer|return|arrive|pause|resume|finish|callback|close|reopen|show`:
an order through its whole life from a script or a phone system, with the rules the
desk's screen follows (the same services). The staff register and the categories:
cli/service_desk_settings.py; paid repairs and the paper: cli/repairs.py."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli import complaints, order_photos, repairs, service_desk_settings, signin
from frontdesk.cli.args import DB_HELP, location_arg
from frontdesk.domain.appointments import parse_slot
from frontdesk.domain.service_desk import KIND_LABELS, Channel, Kind, Team, Urgency
from frontdesk.errors import ValidationError

if TYPE_CHECKING:
    from frontdesk.domain.roles import Actor
    from frontdesk.services.database import Database
    from frontdesk.services.service_desk import ComplaintFacts, OrderFacts, OrderRow

# what --kind, --channel and --team accept: the stored value or the Chinese word
KINDS = {k.value: k for k in Kind} | {
    "户内报修": Kind.REPAIR_HOME,
    "公区报修": Kind.REPAIR_PUBLIC,
    **{label: kind for kind, label in KIND_LABELS.items()},
}
CHANNELS = {c.value: c for c in Channel} | {c.label: c for c in Channel}
TEAMS = {t.value: t for t in Team} | {t.label: t for t in Team}


def _choice(table: dict[str, Any], what: str) -> Any:
    def parse(text: str) -> Any:
        try:
            return table[text.strip()]
        except KeyError:
            raise argparse.ArgumentTypeError(
                f"{what}应为：{'、'.join(dict.fromkeys(str(k) for k in table))}"
            ) from None

    return parse


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def add_commands(commands: Any) -> None:
    tickets = commands.add_parser("tickets", help="工单列表（报修、投诉、咨询、建议、表扬）")
    tickets.add_argument("--open", action="store_true", help="只列出未关闭的工单（先到期的在前）")
    tickets.add_argument("--overdue", action="store_true", help="只列出已超时的工单")
    tickets.add_argument("--kind", type=_choice(KINDS, "类型"), help="工单类型，如 投诉、户内报修")
    tickets.add_argument("--room", help="房号，如 3-2-1201")
    tickets.add_argument("--json", action="store_true", help="以 JSON 输出")
    _db(tickets)

    ticket = commands.add_parser("ticket", help="受理、派单、到场、完工、回访、关闭一张工单")
    actions = ticket.add_subparsers(dest="action", metavar="操作", required=True)
    add = actions.add_parser("add", help="受理新工单")
    add.add_argument(
        "--kind",
        type=_choice(KINDS, "类型"),
        required=True,
        help="户内报修、公区报修、投诉、咨询、建议、表扬",
    )
    add.add_argument("--category", required=True, help="类别，如 水电、噪音")
    add.add_argument("--description", required=True, help="问题描述")
    add.add_argument(
        "--channel",
        type=_choice(CHANNELS, "来源"),
        default=Channel.PHONE,
        help="来电（默认）、来访、管家转、业主群、巡查发现",
    )
    add.add_argument("--urgent", action="store_true", help="紧急")
    add.add_argument("--room", help="房号（户内报修的房屋，或来电业主的房屋）")
    add.add_argument("--building", help="公区位置的楼栋编号，如 3")
    add.add_argument("--place", default="", help="公区位置：楼层、区域")
    add.add_argument("--name", default="", help="联系人")
    add.add_argument("--phone", default="", help="联系电话")
    add.add_argument("--anonymous", action="store_true", help="匿名（投诉、建议、表扬）")
    add.add_argument(
        "--appointment",
        default="",
        help="户内报修的预约上门时段，如 “12-08 14:00-16:00” 或 “2026-12-08 14:00-16:00”",
    )
    add.add_argument("--photo", type=Path, action="append", default=[], help="照片（可多次）")
    complaints.add_intake_options(add)
    add.add_argument("--json", action="store_true", help="以 JSON 输出编号和重复工单")
    _db(add)
    for name, help_text, reason in (
        ("dispatch", "派单给人员或班组", False),
        ("transfer", "转单（须写原因）", True),
    ):
        step = actions.add_parser(name, help=help_text)
        step.add_argument("number", help="工单编号，如 GD-2612-0001（不分大小写，可省略连字符）")
        step.add_argument("--staff", help="处理人姓名（人员名单中的）")
        step.add_argument(
            "--team", type=_choice(TEAMS, "班组"), help="班组：工程、保洁、秩序、绿化、客服"
        )
        step.add_argument(
            "--reason" if reason else "--note",
            required=reason,
            default="",
            help="原因" if reason else "派单说明",
        )
        _db(step)
    for name, help_text, option, required in (
        ("return", "退单回前台（须写原因）", "--reason", True),
        ("arrive", "到场", None, False),
        ("pause", "暂停计时（须写原因）", "--reason", True),
        ("resume", "恢复计时", None, False),
        ("close", "关闭（未回访的须写原因）", "--reason", False),
        ("reopen", "重新打开（须写原因）", "--reason", True),
        ("show", "查看工单及全部处理记录", None, False),
    ):
        step = actions.add_parser(name, help=help_text)
        step.add_argument("number", help="工单编号，如 GD-2612-0001（不分大小写，可省略连字符）")
        if option:
            step.add_argument(option, required=required, default="", help="原因")
        if name == "show":
            step.add_argument("--json", action="store_true", help="以 JSON 输出")
        _db(step)
    finish = actions.add_parser("finish", help="完工（处理结果、材料）")
    finish.add_argument("number", help="工单编号")
    finish.add_argument("--work", required=True, help="处理结果（投诉、咨询为答复内容）")
    finish.add_argument("--materials", default="", help="使用材料")
    finish.add_argument("--paid", default="", help=repairs.PAID_HELP)
    _db(finish)
    repairs.add_actions(actions)
    service_desk_settings.add_actions(actions)
    order_photos.add_actions(actions)
    complaints.add_actions(actions)
    callback = actions.add_parser("callback", help="回访：三项评分，或 --failed 记一次未接通")
    callback.add_argument("number", help="工单编号")
    group = callback.add_mutually_exclusive_group(required=True)
    group.add_argument("--scores", help="响应速度,处理质量,服务态度 各 1–5 分，如 5,5,4")
    group.add_argument("--failed", action="store_true", help="回访未接通")
    callback.add_argument("--words", default="", help="业主意见")
    _db(callback)


# tickets ------------------------------------------------------------------------------


def _row_json(r: OrderRow) -> dict[str, object]:
    return {
        "number": r.number,
        "kind": r.kind.label,
        "channel": r.channel.label,
        "category": r.category,
        "urgency": r.urgency.label,
        "status": r.status.label,
        "paused": r.paused,
        "where": r.where,
        "room": r.room_code,
        "description": r.description,
        "staff": r.staff,
        "team": r.team.label if r.team else "",
        "taken_at": r.taken_at.isoformat(),
        "taken_by": r.taken_by,
        "stage": r.stage.label if r.stage else "",
        "due_at": r.due_at.isoformat() if r.due_at else None,
        "light": r.light.label if r.light else "",
        "overdue": r.overdue,
        "remaining_minutes": int(r.remaining.total_seconds() // 60) if r.remaining else None,
    }


def _clock_text(r: OrderRow) -> str:
    from frontdesk.domain.service_desk import clock_words

    return clock_words(r.stage, r.remaining, r.paused) or "—"


def list_tickets(args: argparse.Namespace) -> int:
    from frontdesk.services import service_desk as desk
    from frontdesk.services.database import opened
    from frontdesk.services.households import structure

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        room_id = structure.find_room_id(db, actor, args.room) if args.room else None
        rows = desk.list_orders(
            db,
            actor,
            open_only=args.open,
            overdue_only=args.overdue,
            kind=args.kind,
            room_id=room_id,
        )
    if args.json:
        print(json.dumps([_row_json(r) for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        print(
            f"{r.number}\t{r.kind.label}\t{r.category}\t{r.where or '—'}\t{r.status.label}"
            f"\t{r.staff or (r.team.label if r.team else '—')}\t{_clock_text(r)}\t{r.description}"
        )
    print(f"共 {len(rows)} 张工单，其中超时 {sum(r.overdue for r in rows)} 张")
    return 0


# ticket -------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        if args.action == "add":
            return _add(db, actor, args)
        if args.action in repairs.ACTIONS:
            return repairs.run(db, actor, args)
        if args.action in service_desk_settings.ACTIONS:
            return service_desk_settings.run(db, actor, args)
        if args.action in order_photos.ACTIONS:
            return order_photos.run(db, actor, args)
        if args.action in complaints.ACTIONS:
            return complaints.run(db, actor, args)
        return _step(db, actor, args)


def _add(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    from frontdesk.services import service_desk as desk
    from frontdesk.services.households import structure

    slot = parse_slot(args.appointment)
    room_id = structure.find_room_id(db, actor, args.room) if args.room else None
    building_id = _building_id(db, args.building) if args.building else None
    taken = desk.take_order(
        db,
        actor,
        desk.OrderInput(
            kind=args.kind,
            channel=args.channel,
            category_id=desk.category_id(db, args.category),
            description=args.description,
            urgency=Urgency.URGENT if args.urgent else Urgency.NORMAL,
            room_id=room_id,
            place_building_id=building_id,
            place=args.place,
            caller_name=args.name,
            caller_phone=args.phone,
            anonymous=args.anonymous,
            appointment_from=slot[0] if slot else None,
            appointment_to=slot[1] if slot else None,
            photos=tuple(args.photo),
            **complaints.intake_fields(db, args),
        ),
    )
    if args.json:
        repeats = [
            {"number": r.number, "status": r.status.label, "taken_at": r.taken_at.isoformat()}
            for r in taken.repeats
        ]
        print(json.dumps({"number": taken.number, "repeats": repeats}, ensure_ascii=False))
        return 0
    print(f"已受理工单 {taken.number}")
    if taken.repeats:
        earlier = "、".join(f"{r.number}（{r.status.label}）" for r in taken.repeats)
        print(f"注意：30 天内同一位置已有工单 {earlier}")
    return 0


def _building_id(db: Database, code: str) -> int:
    from sqlalchemy import select

    from frontdesk.db.models import Building

    with db.read() as session:
        found = session.scalar(select(Building.id).where(Building.code == code.strip()))
    if found is None:
        raise ValidationError("楼栋", f"没有编号为 {code.strip()} 的楼栋")
    return found


def _staff_id(db: Database, name: str | None) -> int | None:
    from frontdesk.services import service_desk as desk

    if not name:
        return None
    matches = [s.id for s in desk.staff(db) if s.name == name.strip()]
    if len(matches) != 1:
        problem = "人员名单中没有此人" if not matches else "名单中有同名人员，请在前台界面选择"
        raise ValidationError("处理人", problem)
    return matches[0]


def _step(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    from frontdesk.services import service_desk as desk

    order = desk.find_number(db, actor, args.number)
    action = args.action
    if action == "show":
        return _show(desk.order_facts(db, actor, order), args.json)
    if action == "dispatch":
        desk.dispatch(
            db, actor, order, staff_id=_staff_id(db, args.staff), team=args.team, note=args.note
        )
    elif action == "transfer":
        desk.transfer(
            db, actor, order, args.reason, staff_id=_staff_id(db, args.staff), team=args.team
        )
    elif action == "return":
        desk.return_to_desk(db, actor, order, args.reason)
    elif action == "arrive":
        desk.arrive(db, actor, order)
    elif action == "pause":
        desk.pause(db, actor, order, args.reason)
    elif action == "resume":
        desk.resume(db, actor, order)
    elif action == "finish" and args.paid:
        lines = repairs.parse_lines(db, args.paid)
        desk.finish_paid(db, actor, order, args.work, lines, args.materials)
    elif action == "finish":
        desk.finish(db, actor, order, args.work, args.materials)
    elif action == "callback":
        return _callback(db, actor, order, args)
    elif action == "close":
        desk.close(db, actor, order, args.reason)
    else:  # reopen
        desk.reopen(db, actor, order, args.reason)
    facts = desk.order_facts(db, actor, order)
    print(f"{facts.row.number}：{facts.row.status.label}")
    return 0


def _callback(db: Database, actor: Actor, order: int, args: argparse.Namespace) -> int:
    from frontdesk.services import service_desk as desk

    if args.failed:
        tries = desk.callback_failed(db, actor, order, args.words)
        print(f"已记录回访未接通（第 {tries} 次）")
        return 0
    parts = [p.strip() for p in args.scores.replace("，", ",").split(",")]
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValidationError("满意度评分", "请写三个 1–5 的分数，如 5,5,4")
    speed, quality, attitude = (int(p) for p in parts)
    satisfied = desk.callback(
        db, actor, order, desk.CallbackInput(speed, quality, attitude, args.words)
    )
    print("回访满意" if satisfied else "回访不满意，工单已退回前台重新处理")
    return 0


def _slot_json(facts: OrderFacts) -> dict[str, str] | None:
    if facts.appointment_from is None or facts.appointment_to is None:
        return None
    return {"from": facts.appointment_from.isoformat(), "to": facts.appointment_to.isoformat()}


def _slot_text(start: datetime, end: datetime) -> str:
    """2026-12-08 14:00-16:00 in local time, as `--appointment` takes it."""
    start, end = start.astimezone(), end.astimezone()
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} 至 {end:%Y-%m-%d %H:%M}"


def _complaint_json(c: ComplaintFacts | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "department": c.department.label if c.department else "",
        "handler": c.handler,
        "deadline": c.deadline.isoformat() if c.deadline else None,
        "reply": c.reply,
        "replied_by": c.replied_by,
        "replied_at": c.replied_at.isoformat() if c.replied_at else None,
        "supervised_by": c.supervised_by,
        "supervised_at": c.supervised_at.isoformat() if c.supervised_at else None,
    }


def _show(facts: OrderFacts, as_json: bool) -> int:
    from frontdesk.domain.clock import local_time
    from frontdesk.domain.phone import mask_phone
    from frontdesk.domain.service_desk import step_label

    events = [
        {
            "step": step_label(e.step, facts.row.kind),
            "at": e.at.isoformat(),
            "by": e.done_by,
            "to": e.staff or (e.team.label if e.team else ""),
            "note": e.note,
            "scores": list(e.scores) if e.scores else None,
        }
        for e in facts.events
    ]
    if as_json:
        data = _row_json(facts.row) | {
            "caller": facts.caller_name,
            "phone": mask_phone(facts.caller_phone),
            "appointment": _slot_json(facts),
            "work_done": facts.work_done,
            "materials": facts.materials,
            "scores": list(facts.scores) if facts.scores else None,
            "satisfied": facts.satisfied,
            "charges": [
                {
                    "total_fen": c.total_fen,
                    "labour_fen": c.labour_fen,
                    "materials_fen": c.materials_fen,
                    "state": c.state.value,
                    "receipts": list(c.receipts),
                }
                for c in facts.charges
            ],
            "events": events,
            "complaint": _complaint_json(facts.complaint),
        }
        print(json.dumps(data, ensure_ascii=False))
        return 0
    r = facts.row
    print(f"{r.number}  {r.kind.label}·{r.category}  {r.urgency.label}  {r.status.label}")
    print(
        f"位置：{r.where or '—'}  "
        f"联系人：{facts.caller_name or '—'} {mask_phone(facts.caller_phone)}"
    )
    print(f"问题：{r.description}")
    if facts.appointment_from and facts.appointment_to:
        print(f"预约：{_slot_text(facts.appointment_from, facts.appointment_to)}")
    print(f"计时：{_clock_text(r)}")
    if facts.complaint is not None:
        c = facts.complaint
        who = "，".join(x for x in (c.department.label if c.department else "", c.handler) if x)
        print(f"责任：{who or '—'}  处理期限：{local_time(c.deadline, seconds=False, empty='—')}")
        if c.reply:
            print(f"答复：{c.reply}（{c.replied_by}，{local_time(c.replied_at, seconds=False)}）")
        if c.supervised_at:
            print(f"督办：{c.supervised_by}，{local_time(c.supervised_at, seconds=False)}")
    for charge in facts.charges:
        print(repairs.charge_text(charge))
    for e in facts.events:
        to = e.staff or (e.team.label if e.team else "")
        step = step_label(e.step, r.kind)
        print(
            f"  {local_time(e.at, seconds=False)} {step}{f' → {to}' if to else ''}"
            f"（{e.done_by}）{f'：{e.note}' if e.note else ''}"
        )
    return 0
