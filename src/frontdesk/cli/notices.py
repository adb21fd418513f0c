"""Commands for notices, the document register and the database check:
`print notice`, `notice-templates`, `notices`, `documents`, `check`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, building_ids, location_arg
from frontdesk.domain.issued import DocKind
from frontdesk.domain.notices import NoticeMode
from frontdesk.errors import UserError

_KINDS = {kind.label: kind for kind in DocKind} | {kind.value: kind for kind in DocKind}


def add_notice_print(documents: Any, day: Any) -> None:
    """`print notice …` beside the other documents."""
    notice = documents.add_parser("notice", help="通知：张贴通知（可按楼栋各一份）或业户信函")
    notice.add_argument("template", help="模板名称或代号，如 停水通知、water_outage")
    notice.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="字段=内容",
        help="填写模板字段，可重复，如 --var 停水时间='2026-11-28 08:00至18:00'",
    )
    notice.add_argument(
        "--building", action="append", default=[], help="楼栋编号，可重复；不写为全小区"
    )
    notice.add_argument("--letters", action="store_true", help="给所选楼栋的每户各出一封信函")
    notice.add_argument("--date", type=day, help="发布日期（默认今天）")
    notice.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    notice.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")


def add_commands(commands: Any, day: Any) -> None:
    templates = commands.add_parser("notice-templates", help="列出通知模板及其字段")
    templates.add_argument("--json", action="store_true", help="以 JSON 输出")
    templates.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    archive = commands.add_parser("notices", help="已发布的通知（存档）")
    archive.add_argument("--building", help="楼栋编号：只列出在该楼张贴（含全小区）的通知")
    archive.add_argument("--on", type=day, help="所通知的事项涉及这一天")
    archive.add_argument("--text", default="", help="标题或正文包含的文字")
    archive.add_argument("--json", action="store_true", help="以 JSON 输出")
    archive.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    register = commands.add_parser("documents", help="发文登记：查找、导出、取回存档文件")
    register.add_argument("--kind", help="种类，如 收款收据、张贴通知")
    register.add_argument("--from", dest="since", type=day, help="开始日期")
    register.add_argument("--to", dest="until", type=day, help="结束日期")
    register.add_argument("--room", help="房号，如 3-2-1201")
    register.add_argument("--text", default="", help="登记号、标题或编号包含的文字")
    register.add_argument("--export", type=Path, help="导出为 Excel 文件")
    register.add_argument("--copy", metavar="登记号", help="取回这份文件的存档原件")
    register.add_argument("--out", type=Path, help="与 --copy 一起：原件保存到此文件")
    register.add_argument("--json", action="store_true", help="以 JSON 输出")
    register.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    check = commands.add_parser("check", help="检查数据库完整性、审计链和存档文件")
    check.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def _variables(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UserError(f"--var 应写作 字段=内容，收到“{pair}”")
        values[name.strip()] = value
    return values


def print_notice(args: argparse.Namespace) -> int:
    from frontdesk.printouts import notices as notice_printouts
    from frontdesk.services.database import opened
    from frontdesk.services.notices import posting as notices
    from frontdesk.services.notices import templates as notice_templates

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        template = notice_templates.template_to_issue(db, args.template)
        mode = NoticeMode.LETTER if args.letters else NoticeMode.LOBBY
        if mode is NoticeMode.LETTER and not args.building:
            raise UserError("业户信函须用 --building 指定楼栋。")
        request = notices.NoticeRequest(
            template.key,
            _variables(args.var),
            mode,
            building_ids=building_ids(db, actor, args.building),
        )
        issued = notice_printouts.issue_notice(db, actor, request, args.date)
    args.out.write_bytes(issued.printout.pdf)
    print(
        f"已发布 {issued.number}《{template.name}》{issued.copies} 份，"
        f"发文登记号 {issued.register_number}；已生成 {args.out}"
    )
    return 0


def list_templates(args: argparse.Namespace) -> int:
    from frontdesk.services.database import opened
    from frontdesk.services.notices import templates as notice_templates

    with opened(args.db) as db:
        rows = notice_templates.list_templates(db)
    if args.json:
        data = [
            {
                "key": r.template.key,
                "name": r.template.name,
                "title": r.template.title,
                "fields": [
                    {"name": f.name, "kind": f.kind.label, "required": f.required, "hint": f.hint}
                    for f in r.template.fields
                ],
            }
            for r in rows
        ]
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        t = row.template
        print(f"{t.name}（{t.key}）")
        for f in t.fields:
            need = "必填" if f.required and not f.default else "选填"
            hint = f"，如 {f.hint}" if f.hint else ""
            print(f"    {f.name}：{f.kind.label}，{need}{hint}")
    return 0


def list_archive(args: argparse.Namespace) -> int:
    from frontdesk.domain.clock import local_time
    from frontdesk.services.database import opened
    from frontdesk.services.notices import posting as notices

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        ids = building_ids(db, actor, [args.building] if args.building else [])
        flt = notices.NoticeFilter(
            building_id=ids[0] if ids else None, happening_on=args.on, text=args.text
        )
        rows = notices.list_notices(db, actor, flt)
    if args.json:
        data = [
            {
                "number": r.number,
                "title": r.title,
                "mode": r.mode.label,
                "scope": r.scope,
                "copies": r.copies,
                "event": r.event,
                "issued_at": local_time(r.issued_at),
                "by": r.by_name,
                "document": r.document_number,
            }
            for r in rows
        ]
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        print(
            f"{r.number}  {local_time(r.issued_at, seconds=False)}  {r.title}  {r.scope}  "
            f"{r.event}  {r.by_name}"
        )
    print(f"共 {len(rows)} 份通知")
    return 0


def list_documents(args: argparse.Namespace) -> int:
    from frontdesk.domain.clock import local_time
    from frontdesk.services.database import opened
    from frontdesk.services.households import structure
    from frontdesk.services.notices import register as issued_documents

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        if args.copy:
            return _copy_out(db, args)
        kind = _KINDS.get(args.kind) if args.kind else None
        if args.kind and kind is None:
            raise UserError(
                f"没有“{args.kind}”这种文件；可选：" + "、".join(k.label for k in DocKind)
            )
        room_id = structure.find_room_id(db, actor, args.room) if args.room else None
        flt = issued_documents.RegisterFilter(
            kinds=(kind,) if kind else (),
            since=args.since,
            until=args.until,
            room_id=room_id,
            text=args.text,
        )
        rows = issued_documents.list_issued(db, actor, flt)
    if args.export:
        issued_documents.write_register_xlsx(rows, args.export)
        print(f"已导出 {len(rows)} 条到 {args.export}")
        return 0
    if args.json:
        data = [
            {
                "number": r.number,
                "kind": r.kind.label,
                "title": r.title,
                "reference": r.reference,
                "subject": r.subject,
                "by": r.by_name,
                "issued_at": local_time(r.issued_at),
                "output": r.output.label,
                "pages": r.pages,
                "reprint_of": r.reprint_of or None,
                "erased": r.purged,
            }
            for r in rows
        ]
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        again = f"（重印自 {r.reprint_of}）" if r.reprint_of else ""
        print(
            f"{r.number}  {local_time(r.issued_at, seconds=False)}  {r.kind.label}  "
            f"{r.title}{again}  {r.subject}  {r.by_name}"
        )
    print(f"共 {len(rows)} 条")
    return 0


def _copy_out(db: Any, args: argparse.Namespace) -> int:
    from frontdesk.services.notices import register as issued_documents

    actor = signin.actor(db, args)
    if args.out is None:
        raise UserError("取回原件须用 --out 指定保存的文件。")
    printout = issued_documents.open_issued(db, actor, args.copy)
    args.out.write_bytes(printout.pdf)
    print(f"已取回 {args.copy}《{printout.issue.title}》到 {args.out}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from frontdesk.services.database import opened
    from frontdesk.services.protection import checks

    with opened(args.db) as db:
        report = checks.check_database(db)
    for line in report.passed:
        print(f"通过  {line}")
    for line in report.problems:
        print(f"问题  {line}", file=sys.stderr)
    if report.problems:
        print(f"检查未通过：发现 {len(report.problems)} 个问题。", file=sys.stderr)
        return 1
    print("检查通过。")
    return 0
