"""Command line: no subcommand opens the GUI; the rest are admin tools.

Every subcommand calls the same services the GUI does. Qt is imported only by
the commands that need it, so `frontdesk stats` stays fast and headless.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from frontdesk import __version__
from frontdesk.cli import audit, backups, keys, notices, personal
from frontdesk.cli.notices import add_commands, add_notice_print
from frontdesk.domain.fees import Paper
from frontdesk.domain.money import format_yuan
from frontdesk.domain.periods import Period, PeriodFormatError
from frontdesk.domain.visitors import PassPaper
from frontdesk.errors import FrontDeskError, UserError

if TYPE_CHECKING:
    from frontdesk.services.database import Database
    from frontdesk.services.issued_documents import Printout
    from frontdesk.services.visitors import VisitRow

_ARGPARSE_ZH = (
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid int value: (.*)", r"参数 \1 须为整数，收到 \2"),
    (
        r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)",
        r"参数 \1 无效：\2（可选：\3）",
    ),
    (r"argument (\S+): expected one argument", r"参数 \1 后面需要一个值"),
    (r"argument (\S+): (.*)", r"参数 \1：\2"),
)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its error messages in Chinese (usage text stays as generated)."""

    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _ARGPARSE_ZH:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误：{message}\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"须为正整数：{text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"须为正整数：{text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="frontdesk", description="物业前台 FrontDesk")
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    parser.add_argument("--db", type=Path, help="数据库文件（默认在用户数据文件夹）")
    commands = parser.add_subparsers(
        dest="command", metavar="命令", parser_class=ChineseArgumentParser
    )

    demo = commands.add_parser("demo", help="生成演示小区数据库")
    demo.add_argument("path", type=Path, help="新数据库文件的路径")
    demo.add_argument("--households", type=_positive, default=2000, help="住宅户数（默认 2000）")
    demo.add_argument("--seed", type=int, default=1, help="随机种子（同一种子生成相同数据）")

    stats = commands.add_parser("stats", help="以 JSON 输出各类记录数")
    stats.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")

    selftest = commands.add_parser("selftest", help="离屏打开所有界面并截图")
    selftest.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    selftest.add_argument("--screenshots", type=Path, help="保存截图（PNG）的文件夹")

    importing = commands.add_parser("import-households", help="从 Excel 导入业主名册")
    importing.add_argument("file", type=Path, help="业主名册 .xlsx")
    importing.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    importing.add_argument("--report", type=Path, help="把未导入的行另存为 .xlsx")
    importing.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")

    exporting = commands.add_parser("export-households", help="把全部住户导出为 Excel 业主名册")
    exporting.add_argument("file", type=Path, help="输出的 .xlsx")
    exporting.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")

    template = commands.add_parser("roster-template", help="生成空白的业主名册模板")
    template.add_argument("file", type=Path, help="输出的 .xlsx")

    find = commands.add_parser("find", help="查找住户（房号、姓名、拼音、电话尾号、车牌）")
    find.add_argument("query", help="要查找的内容")
    find.add_argument("--json", action="store_true", help="以 JSON 输出")
    find.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")

    printing = commands.add_parser("print", help="生成 PDF 文档")
    documents = printing.add_subparsers(
        dest="document", metavar="文档", required=True, parser_class=ChineseArgumentParser
    )
    rooms = documents.add_parser("rooms", help="小区房屋统计表")
    rooms.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    rooms.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    card = documents.add_parser("household", help="户档案卡")
    card.add_argument("room", help="房号，如 3-2-1201")
    card.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    card.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    receipt = documents.add_parser("receipt", help="收据（再次打印标注“补打”）")
    receipt.add_argument("number", help="收据号，如 SJ00000012")
    receipt.add_argument("--paper", choices=[p.value for p in Paper], help="纸张（默认按设置）")
    receipt.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    receipt.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")

    notices = documents.add_parser("reminders", help="催缴通知（批量，一个 PDF）")
    notices.add_argument("--building", help="楼栋编号，如 3")
    notices.add_argument("--min-months", type=int, default=0, help="至少欠费月数")
    notices.add_argument(
        "--level", type=int, choices=(1, 2, 3), default=1, help="1 温馨提示，2 催缴通知单，3 催告函"
    )
    notices.add_argument("--deadline", type=_day, help="缴费期限（默认 15 天后）")
    notices.add_argument("--two-per-page", action="store_true", help="每张 A4 印两份，中间裁切线")
    notices.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    notices.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")

    pass_ = documents.add_parser("visitor-pass", help="访客单（80/58 毫米小票或 A6）")
    pass_.add_argument("visit", help="访客单号，如 FK2611250003")
    pass_.add_argument(
        "--paper", choices=[p.value for p in PassPaper], help="纸张（默认按访客设置）"
    )
    pass_.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    pass_.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")

    movein_set = documents.add_parser(
        "movein", help="入伙资料：入伙通知书、办理清单、验房记录表、钥匙移交确认单"
    )
    movein_set.add_argument("room", help="房号，如 5-1-1202")
    movein_set.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    movein_set.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    permit = documents.add_parser("permit", help="装修许可证（张贴在入户门上）")
    permit.add_argument("renovation", help="装修编号，如 ZX2611-0003")
    permit.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    permit.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    guide = documents.add_parser("renovation-guide", help="装修指南")
    guide.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    guide.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    handbook = documents.add_parser("handbook", help="业主手册")
    handbook.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    handbook.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")

    add_notice_print(documents, _day)
    add_commands(commands, _day)
    backups.add_commands(commands)
    keys.add_commands(commands)
    audit.add_commands(commands, _day)
    personal.add_commands(commands)

    visits = commands.add_parser("visitors", help="访客登记（默认今天全部）")
    visits.add_argument("--inside", action="store_true", help="只列出在场访客")
    visits.add_argument("--date", type=_day, help="日期，如 2026-11-25（默认今天）")
    visits.add_argument("--json", action="store_true", help="以 JSON 输出")
    visits.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")

    works = commands.add_parser("renovations", help="装修登记（施工中、逾期、待验收节点、违规）")
    works.add_argument("--active", action="store_true", help="只列出施工期内的装修")
    works.add_argument("--json", action="store_true", help="以 JSON 输出")
    works.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")

    purge = commands.add_parser("purge-visitors", help="清除超过保存期限的访客个人信息")
    purge.add_argument("--dry-run", action="store_true", help="只统计，不清除")
    purge.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")

    bill = commands.add_parser("bill", help="生成某月账单")
    bill.add_argument("--period", type=_period, required=True, help="账期，如 2026-11")
    bill.add_argument("--dry-run", action="store_true", help="只显示将生成的账单，不写入")
    bill.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")

    owing = commands.add_parser("arrears", help="欠费清单")
    owing.add_argument("--building", help="楼栋编号，如 3")
    owing.add_argument("--min-months", type=int, default=0, help="至少欠费月数")
    owing.add_argument("--json", action="store_true", help="以 JSON 输出")
    owing.add_argument("--xlsx", type=Path, help="导出为 Excel 文件")
    owing.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")

    report = commands.add_parser("report", help="收费报表（PDF 或 Excel）")
    reports = report.add_subparsers(
        dest="report", metavar="报表", required=True, parser_class=ChineseArgumentParser
    )
    daily = reports.add_parser("daily", help="收费日报")
    daily.add_argument("--date", type=_day, required=True, help="日期，如 2026-11-25")
    daily.add_argument("--out", type=Path, required=True, help="输出的 .pdf 或 .xlsx")
    daily.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    rate = reports.add_parser("collection", help="收缴率报表")
    rate.add_argument("--period", type=_period, required=True, help="账期，如 2026-11")
    rate.add_argument("--out", type=Path, required=True, help="输出的 .pdf 或 .xlsx")
    rate.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="数据库文件")
    return parser


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodFormatError:
        raise argparse.ArgumentTypeError(f"账期应写作 2026-11，收到 {text}") from None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写作 2026-11-25，收到 {text}") from None


def _excel_or_pdf(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise UserError(f"输出文件应以 .pdf 或 .xlsx 结尾：{path.name}")
    return suffix == ".xlsx"


def _cmd_demo(args: argparse.Namespace) -> int:
    from frontdesk.services import demo

    started = time.perf_counter()
    result = demo.build_demo(args.path, args.households, args.seed, progress=print)
    print("通知和发文登记…")
    _demo_notices(args.path)
    elapsed = time.perf_counter() - started
    print(
        f"演示数据已写入 {result.path}：{result.households} 户，{result.buildings} 栋，"
        f"{result.rooms} 间房屋，用时 {elapsed:.1f} 秒。"
    )
    names = [u for u, _ in demo.DEMO_USERS] + [demo.SECOND_CASHIER]
    print(f"演示账户：{', '.join(names)}，密码均为 {demo.DEMO_PASSWORD}")
    return 0


def _demo_notices(path: Path) -> None:
    from frontdesk.printouts.demo_notices import add_demo_notices
    from frontdesk.services.database import open_at

    db = open_at(path)
    try:
        add_demo_notices(db)
    finally:
        db.dispose()


def _cmd_stats(args: argparse.Namespace) -> int:
    from frontdesk.services import stats
    from frontdesk.services.database import open_at

    db = open_at(args.db)
    try:
        print(json.dumps(stats.counts(db), ensure_ascii=False))
    finally:
        db.dispose()
    return 0


def _printout(db: Database, args: argparse.Namespace) -> Printout:
    from frontdesk import printouts
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import structure

    if args.document == "household":
        return printouts.household_card(db, SYSTEM, structure.find_room_id(db, SYSTEM, args.room))
    if args.document == "visitor-pass":
        from frontdesk.printouts import visitors as visitor_printouts
        from frontdesk.services import visitors

        visit = visitors.find_visit(db, SYSTEM, args.visit)
        paper_choice = PassPaper(args.paper) if args.paper else None
        return visitor_printouts.visitor_pass(db, SYSTEM, visit.id, paper_choice)
    if args.document == "movein":
        from frontdesk.printouts import movein as movein_printouts

        room_id = structure.find_room_id(db, SYSTEM, args.room)
        return movein_printouts.movein_set(db, SYSTEM, room_id)
    if args.document in ("permit", "renovation-guide"):
        from frontdesk.printouts import renovation as renovation_printouts
        from frontdesk.services import renovation_views

        if args.document == "renovation-guide":
            return renovation_printouts.guide(db, SYSTEM)
        renovation_id = renovation_views.find_number(db, SYSTEM, args.renovation)
        return renovation_printouts.permit(db, SYSTEM, renovation_id)
    if args.document == "handbook":
        from frontdesk.printouts import movein as movein_printouts

        return movein_printouts.owner_handbook(db, SYSTEM)
    if args.document == "receipt":
        paper = Paper(args.paper) if args.paper else None
        return printouts.receipt(db, SYSTEM, args.number, paper)
    return printouts.room_summary(db, SYSTEM)


def _cmd_print(args: argparse.Namespace) -> int:
    from frontdesk import printouts
    from frontdesk.domain.issued import Output
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import issued_documents
    from frontdesk.services.database import open_at

    if args.document == "notice":
        from frontdesk.cli.notices import print_notice

        return print_notice(args)
    db = open_at(args.db)
    try:
        if args.document == "reminders":
            args.out.write_bytes(_reminders_pdf(db, args))
            print(f"已生成 {args.out}")
            return 0
        printout = _printout(db, args)
        args.out.write_bytes(printout.pdf)
        number = issued_documents.record(db, SYSTEM, printout, Output.EXPORTED)
        if args.document == "receipt":
            paper = Paper(args.paper) if args.paper else None
            printouts.log_receipt_print(db, SYSTEM, args.number, paper)
    finally:
        db.dispose()
    print(f"已生成 {args.out}，发文登记号 {number}")
    return 0


def _cmd_bill(args: argparse.Namespace) -> int:
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import billing
    from frontdesk.services.database import open_at

    db = open_at(args.db)
    try:
        result = billing.run_billing(db, SYSTEM, args.period, dry_run=args.dry_run)
    finally:
        db.dispose()
    verb = "将生成" if args.dry_run else "已生成"
    print(
        f"{args.period.label}：{verb} {result.bills} 笔账单，"
        f"合计 {format_yuan(result.total_fen)} 元；已有账单 {result.already_billed} 笔未重复生成。"
    )
    for item in result.by_item:
        print(f"  {item.fee_item}\t{item.bills} 笔\t{format_yuan(item.due_fen)} 元")
    if result.rooms_without_reading:
        print(f"注意：{result.rooms_without_reading} 户上月有读数、本月未抄表，未生成表计费用。")
    if result.prepaid_rooms:
        drawn = format_yuan(result.prepaid_drawn_fen)
        print(f"预存自动抵扣：{result.prepaid_rooms} 户，共 {drawn} 元。")
    if args.dry_run:
        for row in result.rows[:20]:
            print(
                f"  {row.room_code}\t{row.fee_item}\t{row.description}\t{format_yuan(row.due_fen)}"
            )
        if result.bills > 20:
            print(f"  ……（共 {result.bills} 笔）")
        print("（试运行，未写入数据库）")
    return 0


def _cmd_arrears(args: argparse.Namespace) -> int:
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import arrears
    from frontdesk.services.database import open_at

    db = open_at(args.db)
    try:
        flt = arrears.ArrearsFilter(
            building_id=building_ids(db, [args.building])[0] if args.building else None,
            min_months=args.min_months,
        )
        report = arrears.arrears_report(db, SYSTEM, flt)
    finally:
        db.dispose()
    if args.xlsx:
        arrears.write_arrears_xlsx(report, args.xlsx)
        print(f"已导出 {len(report.rows)} 户到 {args.xlsx}")
    elif args.json:
        rows = [
            {
                "room": r.room_code,
                "owner": r.owner,
                "phone": r.phone,
                "butler": r.butler,
                "total_fen": r.total_fen,
                "by_item_fen": r.by_item,
                "oldest_period": r.oldest_period,
                "months": r.months,
                "aging": r.bucket.label,
                "late_fee_fen": r.late_fee_fen,
                "last_reminder": r.last_reminder,
                "limitation": r.limitation,
            }
            for r in report.rows
        ]
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for r in report.rows:
            owed = format_yuan(r.total_fen)
            print(f"{r.room_code}\t{r.owner}\t{owed}\t{r.months} 个月\t{r.bucket.label}")
        print(f"共 {len(report.rows)} 户，欠费合计 {format_yuan(report.total_fen)} 元")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from frontdesk import printouts
    from frontdesk.domain.issued import Output
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import issued_documents
    from frontdesk.services.database import open_at

    excel = _excel_or_pdf(args.out)
    db = open_at(args.db)
    try:
        if excel:
            data = (
                printouts.daily_report_excel(db, SYSTEM, args.date)
                if args.report == "daily"
                else printouts.collection_report_excel(db, SYSTEM, args.period)
            )
            args.out.write_bytes(data)
            print(f"已生成 {args.out}")
            return 0
        printout = (
            printouts.daily_report(db, SYSTEM, args.date)
            if args.report == "daily"
            else printouts.collection_report(db, SYSTEM, args.period)
        )
        args.out.write_bytes(printout.pdf)
        number = issued_documents.record(db, SYSTEM, printout, Output.EXPORTED)
    finally:
        db.dispose()
    print(f"已生成 {args.out}，发文登记号 {number}")
    return 0


def building_ids(db: Database, codes: Sequence[str]) -> tuple[int, ...]:
    """Buildings by the codes typed (3, 12…), refusing one that does not exist."""
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import structure

    by_code = {b.code: b.id for b in structure.list_buildings(db, SYSTEM)}
    missing = [code for code in codes if code not in by_code]
    if missing:
        raise UserError(f"没有编号为“{missing[0]}”的楼栋。")
    return tuple(by_code[code] for code in codes)


def _reminders_pdf(db: Database, args: argparse.Namespace) -> bytes:
    from frontdesk import printouts
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import arrears, reminders

    flt = arrears.ArrearsFilter(
        building_id=building_ids(db, [args.building])[0] if args.building else None,
        min_months=args.min_months,
    )
    drafts = reminders.draft_notices(db, SYSTEM, flt)
    pdf = printouts.print_reminders(
        db, SYSTEM, drafts, args.level, deadline=args.deadline, two_per_page=args.two_per_page
    )
    total = format_yuan(sum(d.total_fen for d in drafts))
    print(f"{len(drafts)} 户，欠费合计 {total} 元；已记入催缴记录。")
    return pdf


def _visit_json(row: VisitRow) -> dict[str, object]:
    from frontdesk.domain.clock import local_time

    return {
        "number": row.number,
        "room": row.room_code,
        "visitor": row.visitor,
        "phone": row.phone,
        "party_size": row.party_size,
        "plate": row.plate,
        "purpose": row.purpose.label,
        "confirmation": row.confirmation_text,
        "arrived_at": local_time(row.arrived_at),
        "expected_leave_at": local_time(row.expected_leave_at),
        "left_at": local_time(row.left_at) or None,
        "state": row.state.label,
        "frequent": row.frequent,
        "watch_hit": row.watch_hit,
    }


def _cmd_visitors(args: argparse.Namespace) -> int:
    from frontdesk.domain.clock import local_clock
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import visitor_history, visitors
    from frontdesk.services.database import open_at

    day = args.date or date.today()
    db = open_at(args.db)
    try:
        if args.inside:
            rows = visitors.inside_now(db, SYSTEM).rows
        else:
            flt = visitor_history.VisitFilter(day_from=day, day_to=day)
            rows = list(reversed(visitor_history.search_visits(db, SYSTEM, flt)))
    finally:
        db.dispose()
    if args.json:
        print(json.dumps([_visit_json(r) for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        left = local_clock(r.left_at) if r.left_at else r.state.label
        print(
            f"{r.number}\t{r.room_code}\t{r.visitor}\t{r.phone}\t{r.party_size} 人\t"
            f"{r.purpose.label}\t{local_clock(r.arrived_at)}–{left}"
        )
    people = sum(r.party_size for r in rows)
    scope = "在场" if args.inside else f"{day:%Y-%m-%d}"
    print(f"{scope}：共 {len(rows)} 批 {people} 人")
    return 0


def _cmd_renovations(args: argparse.Namespace) -> int:
    from frontdesk.domain.renovation import ACTIVE
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import renovation_views
    from frontdesk.services.database import open_at

    db = open_at(args.db)
    try:
        rows = renovation_views.list_renovations(db, SYSTEM, active_only=args.active)
    finally:
        db.dispose()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "number": r.number,
                        "room": r.room_code,
                        "status": r.status.label,
                        "contractor": r.contractor,
                        "starts_on": r.starts_on.isoformat(),
                        "ends_on": r.ends_on.isoformat(),
                        "days_left": r.days_left,
                        "overdue": r.overdue,
                        "nodes_due": list(r.nodes_due),
                        "open_violations": r.open_violations,
                        "unpaid_fen": r.unpaid_fen,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
            )
        )
        return 0
    for r in rows:
        working = r.status in ACTIVE
        left = (
            (f"逾期 {-r.days_left} 天" if r.overdue else f"剩 {r.days_left} 天") if working else "—"
        )
        due = "、".join(r.nodes_due) if working and r.nodes_due else "—"
        print(
            f"{r.number}\t{r.room_code}\t{r.status.label}\t{r.starts_on:%m-%d}–{r.ends_on:%m-%d}"
            f"\t{left}\t待验收：{due}\t违规 {r.open_violations}"
        )
    print(f"共 {len(rows)} 户装修，其中逾期 {sum(r.overdue for r in rows)} 户")
    return 0


def _cmd_purge_visitors(args: argparse.Namespace) -> int:
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import visitor_settings
    from frontdesk.services.database import open_at

    db = open_at(args.db)
    try:
        result = visitor_settings.purge_visitor_data(db, SYSTEM, dry_run=args.dry_run)
    finally:
        db.dispose()
    verb = "将清除" if args.dry_run else "已清除"
    print(
        f"{verb} {result.before:%Y-%m-%d} 以前 {result.visits} 条访客登记、"
        f"{result.bookings} 条预约、{result.watch_entries} 条已失效黑名单中的个人信息。"
    )
    if result.documents:
        deleted = "将删除" if args.dry_run else "已删除"
        print(f"{deleted} {result.documents} 份访客单、点名表的存档内容（发文登记保留）。")
    if not result.complete:
        print("另一台电脑正在读取数据库，旧内容尚未从日志文件中抹去；下次清理时会自动完成。")
    if args.dry_run:
        print("（试运行，未改动数据库）")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import roster
    from frontdesk.services.database import open_at

    db = open_at(args.db)
    try:
        report = roster.import_roster(db, SYSTEM, args.file, dry_run=args.dry_run)
    finally:
        db.dispose()
    verb = "可导入" if args.dry_run else "导入"
    print(
        f"读取 {report.rows} 行，{verb} {report.added} 人，涉及 {report.households} 户，"
        f"拒绝 {len(report.rejected)} 行。"
    )
    for row in report.rejected:
        print(f"第 {row.row_number} 行（{row.room_text} {row.name}）：{row.reason}")
    if args.dry_run:
        print("（试运行，未写入数据库）")
    if args.report:
        roster.write_report(report, args.report)
        print(f"未导入的行已保存到 {args.report}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import roster
    from frontdesk.services.database import open_at

    db = open_at(args.db)
    try:
        count = roster.export_roster(db, SYSTEM, args.file)
    finally:
        db.dispose()
    print(f"已导出 {count} 人到 {args.file}")
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from frontdesk.services import roster

    roster.write_template(args.file)
    print(f"已生成模板 {args.file}")
    return 0


def _cmd_find(args: argparse.Namespace) -> int:
    from frontdesk.domain.roles import SYSTEM
    from frontdesk.services import search
    from frontdesk.services.database import open_at

    db = open_at(args.db)
    try:
        hits = search.find_households(db, SYSTEM, args.query)
    finally:
        db.dispose()
    if args.json:
        rows = [
            {
                "room": h.room_code,
                "place": h.place,
                "owners": list(h.owners),
                "status": h.status.label,
                "matched": h.matched,
            }
            for h in hits
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not hits:
        print("没有找到匹配的住户。")
    for h in hits:
        owners = "、".join(h.owners) or "无产权人登记"
        print(f"{h.room_code}\t{owners}\t{h.status.label}\t{h.matched}")
    return 0


def _cmd_gui(args: argparse.Namespace) -> int:
    from frontdesk.gui.app import run

    return run(args.db)


def _cmd_selftest(args: argparse.Namespace) -> int:
    from frontdesk.gui.selftest import run_selftest

    return run_selftest(args.db, args.screenshots)


_COMMANDS = {
    None: _cmd_gui,
    "demo": _cmd_demo,
    "stats": _cmd_stats,
    "selftest": _cmd_selftest,
    "print": _cmd_print,
    "import-households": _cmd_import,
    "export-households": _cmd_export,
    "roster-template": _cmd_template,
    "find": _cmd_find,
    "bill": _cmd_bill,
    "report": _cmd_report,
    "arrears": _cmd_arrears,
    "visitors": _cmd_visitors,
    "purge-visitors": _cmd_purge_visitors,
    "renovations": _cmd_renovations,
    "notice-templates": notices.list_templates,
    "notices": notices.list_archive,
    "documents": notices.list_documents,
    "check": notices.run_check,
    "backup": backups.run_backup,
    "restore": backups.run_restore,
    "key": keys.run,
    "audit": audit.export,
    "person": personal.run,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except FrontDeskError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"错误：无法读写文件 {exc.filename or ''}（{exc.strerror}）", file=sys.stderr)
        return 1
