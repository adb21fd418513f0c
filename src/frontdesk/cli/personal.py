"""`frontdesk person find | export | erase`: one person's rights over their data
(《个人信息保护法》查阅复制与删除), through the same service the settings screen uses."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, location_arg
from frontdesk.errors import UserError

if TYPE_CHECKING:
    from frontdesk.services.personal.rights import PersonRecordRef


def add_commands(commands: Any) -> None:
    person = commands.add_parser("person", help="个人信息：查找、导出（查阅复制）、删除某人的信息")
    actions = person.add_subparsers(
        dest="person_action", metavar="操作", required=True, parser_class=type(person)
    )
    find = actions.add_parser("find", help="列出保存有此人信息的全部记录")
    _criteria(find)
    find.add_argument("--json", action="store_true", help="以 JSON 输出")
    export = actions.add_parser("export", help="把此人的全部记录导出为 Excel，交本人查阅复制")
    _criteria(export)
    export.add_argument("--requester", default="", help="申请人（默认按姓名）")
    export.add_argument("--out", type=Path, required=True, help="输出的 .xlsx 文件")
    erase = actions.add_parser("erase", help="删除或匿名化可以删除的记录（收费记录依法保留）")
    _criteria(erase)
    erase.add_argument("--reason", required=True, help="删除原因，如 本人书面申请")
    erase.add_argument("--yes", action="store_true", help="不再询问，直接删除")


def _criteria(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", default="", help="姓名（完全相同）")
    parser.add_argument("--phone", default="", help="电话")
    parser.add_argument("--id", dest="id_number", default="", help="证件号码")
    parser.add_argument(
        "--all", action="store_true", help="也包括仅姓名或仅电话相同的候选记录（请先核对）"
    )
    parser.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def _line(ref: PersonRecordRef) -> str:
    what = "可删除" if ref.erasable else "保留"
    mark = "【候选】" if ref.candidate else ""
    return (
        f"{mark}{ref.label}\t{ref.room_code or '—'}\t{ref.name}\t{ref.phone or '—'}\t"
        f"{ref.dates or '—'}\t{ref.matched}\t{what}：{ref.reason}"
    )


def _json(ref: PersonRecordRef) -> dict[str, object]:
    return {
        "kind": ref.kind.value,
        "label": ref.label,
        "record_id": ref.record_id,
        "room": ref.room_code,
        "name": ref.name,
        "phone": ref.phone,
        "dates": ref.dates,
        "matched": ref.matched,
        "candidate": ref.candidate,
        "erasable": ref.erasable,
        "reason": ref.reason,
    }


def _chosen(refs: Sequence[PersonRecordRef], everything: bool) -> list[PersonRecordRef]:
    return [r for r in refs if everything or not r.candidate]


def _print_left_out(refs: Sequence[PersonRecordRef], everything: bool) -> None:
    left_out = [r for r in refs if r.candidate and not everything]
    if left_out:
        print(f"另有 {len(left_out)} 条候选记录（仅姓名或电话相同）未包括；核对后可加 --all：")
        for r in left_out:
            print("  " + _line(r))


def _confirmed(erasable: int) -> bool:
    try:
        answer = input(f"确认删除以上 {erasable} 条记录中的个人信息？此操作不能撤销。[是/否] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("是", "y", "yes")


def run(args: argparse.Namespace) -> int:
    from frontdesk.services.database import opened
    from frontdesk.services.personal import export as personal_export
    from frontdesk.services.personal import rights as personal_data

    query = personal_data.make_query(args.name, args.phone, args.id_number)
    with opened(args.db) as db:
        actor = signin.actor(db, args)
        refs = personal_data.find_person(
            db, actor, name=args.name, phone=args.phone, id_number=args.id_number
        )
        if args.person_action == "find":
            return _find(refs, args.json)
        chosen = _chosen(refs, args.all)
        if not chosen:
            _print_left_out(refs, args.all)
            raise UserError("没有找到此人的记录。")
        if args.person_action == "export":
            count = personal_export.export_person(
                db, actor, chosen, args.out, query=query, requester=args.requester or args.name
            )
            print(f"已导出 {count} 条记录到 {args.out}（含完整个人信息，仅交本人）。")
            _print_left_out(refs, args.all)
            return 0
        return _erase(db, chosen, refs, args, query)


def _find(refs: Sequence[PersonRecordRef], as_json: bool) -> int:
    if as_json:
        print(json.dumps([_json(r) for r in refs], ensure_ascii=False))
        return 0
    if not refs:
        print("没有找到此人的记录。")
        return 0
    for r in refs:
        print(_line(r))
    certain = sum(not r.candidate for r in refs)
    erasable = sum(r.erasable for r in refs if not r.candidate)
    candidates = len(refs) - certain
    print(f"共 {len(refs)} 条，其中确认 {certain} 条（可删除 {erasable} 条），候选 {candidates} 条")
    return 0


def _erase(
    db: Any,
    chosen: Sequence[PersonRecordRef],
    refs: Sequence[PersonRecordRef],
    args: argparse.Namespace,
    query: Any,
) -> int:
    from frontdesk.services.personal import erase as personal_erase

    actor = signin.actor(db, args)
    erasable = [r for r in chosen if r.erasable]
    kept = [r for r in chosen if not r.erasable]
    print(f"将删除或匿名化 {len(erasable)} 条：")
    for r in erasable:
        print("  " + _line(r))
    if kept:
        print(f"将保留 {len(kept)} 条：")
        for r in kept:
            print("  " + _line(r))
    _print_left_out(refs, args.all)
    if not erasable:
        raise UserError("没有可以删除的记录。")
    if not args.yes and not _confirmed(len(erasable)):
        print("已取消，未删除任何记录。")
        return 1
    report = personal_erase.erase_person(db, actor, chosen, args.reason, query=query)
    counts = "、".join(f"{label} {n}" for label, n in report.counts.items())
    print(f"已删除 {len(report.erased)} 条记录中的个人信息（{counts}）。")
    if report.documents:
        print(f"已删除 {report.documents} 份访客单、点名表、快递标签的存档内容（发文登记保留）。")
    for line in report.standing:
        print(f"保留：{line}")
    if not report.complete:
        print("另一台电脑正在读取数据库，旧内容尚未从日志文件中抹去；下次清理时会自动完成。")
    sys.stdout.flush()
    return 0
