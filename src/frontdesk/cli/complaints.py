"""Complaints (投诉) from the command line: `ticket add --kind 投诉 --department 秩序
--handler 赵队长 --deadline 2026-12-01T18:00`, `ticket reply GD… --text …`,
`ticket deadline GD… --to … --reason …`, `ticket supervise GD… --note …` (督办, with
a new person or deadline if given) and `ticket escalations [--json]`: the overdue
complaints a supervisor sees."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from frontdesk.cli.args import DB_HELP, location_arg
from frontdesk.domain.service_desk import Team, duration_text

if TYPE_CHECKING:
    from frontdesk.domain.roles import Actor
    from frontdesk.services.database import Database
    from frontdesk.services.service_desk import EscalationRow

ACTIONS = ("reply", "deadline", "supervise", "escalations")
TEAMS = {t.value: t for t in Team} | {t.label: t for t in Team}
TEAM_HELP = "工程、保洁、秩序、绿化、客服"


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def deadline_arg(text: str) -> datetime:
    """`2026-12-01T18:00` or `2026-12-01 18:00`, local time unless an offset is given."""
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"期限应写作 2026-12-01T18:00（本地时间），收到 {text}"
        ) from None
    return at.astimezone() if at.tzinfo is None else at


def team_arg(text: str) -> Team:
    try:
        return TEAMS[text.strip()]
    except KeyError:
        raise argparse.ArgumentTypeError(f"部门应为：{TEAM_HELP}") from None


def add_intake_options(add: argparse.ArgumentParser) -> None:
    """`ticket add`'s options for a complaint."""
    add.add_argument("--department", type=team_arg, help=f"投诉的责任部门：{TEAM_HELP}")
    add.add_argument("--handler", help="投诉的责任人（人员名单中的姓名）")
    add.add_argument(
        "--deadline", type=deadline_arg, help="投诉的处理期限（主管），如 2026-12-01T18:00"
    )


def intake_fields(db: Database, args: argparse.Namespace) -> dict[str, Any]:
    """The OrderInput fields `ticket add`'s complaint options give."""
    from frontdesk.cli.tickets import _staff_id

    return {
        "department": args.department,
        "handler_id": _staff_id(db, args.handler),
        "deadline": args.deadline,
    }


def add_actions(actions: Any) -> None:
    reply = actions.add_parser("reply", help="投诉答复：答复内容（完成投诉处理）")
    reply.add_argument("number", help="工单编号")
    reply.add_argument("--text", required=True, help="答复内容")
    reply.add_argument("--by", default="", help="答复人（默认为责任人）")
    _db(reply)
    deadline = actions.add_parser("deadline", help="修改投诉的处理期限（主管，须写原因）")
    deadline.add_argument("number", help="工单编号")
    deadline.add_argument("--to", type=deadline_arg, required=True, help="新期限")
    deadline.add_argument("--reason", required=True, help="原因")
    _db(deadline)
    supervise = actions.add_parser("supervise", help="督办逾期投诉（主管）：意见，可改派、改期限")
    supervise.add_argument("number", help="工单编号")
    supervise.add_argument("--note", required=True, help="督办意见")
    supervise.add_argument("--handler", help="改派给（人员名单中的姓名）")
    supervise.add_argument("--department", type=team_arg, help=f"改派部门：{TEAM_HELP}")
    supervise.add_argument("--deadline", type=deadline_arg, help="新期限")
    supervise.add_argument("--reason", default="", help="改期限原因")
    _db(supervise)
    escalations = actions.add_parser("escalations", help="升级/逾期投诉（超过处理期限未答复）")
    escalations.add_argument("--json", action="store_true", help="以 JSON 输出")
    _db(escalations)


def run(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    from frontdesk.cli.tickets import _staff_id
    from frontdesk.domain.clock import local_time
    from frontdesk.services import service_desk as desk

    if args.action == "escalations":
        return _escalations(desk.escalations(db, actor), args.json)
    order = desk.find_number(db, actor, args.number)
    if args.action == "reply":
        desk.reply(db, actor, order, args.text, replied_by=args.by)
    elif args.action == "deadline":
        desk.set_deadline(db, actor, order, args.to, args.reason)
    else:  # supervise
        desk.supervise(
            db,
            actor,
            order,
            desk.Supervision(
                args.note,
                staff_id=_staff_id(db, args.handler),
                team=args.department,
                deadline=args.deadline,
                deadline_reason=args.reason,
            ),
        )
    facts = desk.complaint_facts(db, actor, order)
    row = desk.order_facts(db, actor, order).row
    handler = facts.handler or (facts.department.label if facts.department else "—")
    if facts.replied_at is not None:
        when = local_time(facts.replied_at, seconds=False)
        print(f"{row.number}：已答复（{facts.replied_by}，{when}）")
    else:
        due = local_time(facts.deadline, seconds=False, empty="暂停中")
        print(f"{row.number}：{row.status.label}，责任人 {handler}，期限 {due}")
    return 0


def _escalation_json(e: EscalationRow) -> dict[str, object]:
    r = e.row
    return {
        "number": r.number,
        "category": r.category,
        "where": r.where,
        "description": r.description,
        "department": r.team.label if r.team else "",
        "handler": r.staff,
        "status": r.status.label,
        "deadline": e.deadline.isoformat(),
        "late_minutes": int(e.late_by.total_seconds() // 60),
        "supervised": e.supervised,
        "supervised_at": e.supervised_at.isoformat() if e.supervised_at else None,
        "supervised_by": e.supervised_by,
    }


def _escalations(rows: list[EscalationRow], as_json: bool) -> int:
    from frontdesk.domain.clock import local_time

    if as_json:
        print(json.dumps([_escalation_json(e) for e in rows], ensure_ascii=False))
        return 0
    for e in rows:
        r = e.row
        handler = r.staff or (r.team.label if r.team else "未指派")
        handled = f"已督办（{e.supervised_by}）" if e.supervised else "待督办"
        print(
            f"{r.number}\t{r.category}\t{r.where or '—'}\t{handler}"
            f"\t期限 {local_time(e.deadline, seconds=False)}\t超时 {duration_text(e.late_by)}"
            f"\t{handled}\t{r.description}"
        )
    waiting = sum(not e.supervised for e in rows)
    print(f"逾期投诉 {len(rows)} 件，其中待督办 {waiting} 件")
    return 0
