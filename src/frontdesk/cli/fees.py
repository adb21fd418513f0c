"""Commands for fees: `bill` (a month's bills), `arrears` (who owes what) and
`report daily | collection` (the cashier's reports as PDF or Excel), `report service`
(the service desk's month) and `report monthly` (物业工作月报, or the year's figures)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from frontdesk.cli import signin
from frontdesk.cli.args import (
    DB_HELP,
    ChineseArgumentParser,
    building_ids,
    day_arg,
    location_arg,
    period_arg,
)
from frontdesk.domain.money import format_yuan
from frontdesk.errors import UserError


def add_commands(commands: Any) -> None:
    bill = commands.add_parser("bill", help="生成某月账单")
    bill.add_argument("--period", type=period_arg, required=True, help="账期，如 2026-11")
    bill.add_argument("--dry-run", action="store_true", help="只显示将生成的账单，不写入")
    bill.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    owing = commands.add_parser("arrears", help="欠费清单")
    owing.add_argument("--building", help="楼栋编号，如 3")
    owing.add_argument("--min-months", type=int, default=0, help="至少欠费月数")
    owing.add_argument("--json", action="store_true", help="以 JSON 输出")
    owing.add_argument("--xlsx", type=Path, help="导出为 Excel 文件")
    owing.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    report = commands.add_parser("report", help="报表（PDF 或 Excel）")
    reports = report.add_subparsers(
        dest="report", metavar="报表", required=True, parser_class=ChineseArgumentParser
    )
    daily = reports.add_parser("daily", help="收费日报")
    daily.add_argument("--date", type=day_arg, required=True, help="日期，如 2026-11-25")
    daily.add_argument("--out", type=Path, required=True, help="输出的 .pdf 或 .xlsx")
    daily.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    rate = reports.add_parser("collection", help="收缴率报表")
    rate.add_argument("--period", type=period_arg, required=True, help="账期，如 2026-11")
    rate.add_argument("--out", type=Path, required=True, help="输出的 .pdf 或 .xlsx")
    rate.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    service = reports.add_parser("service", help="客服服务月报（工单）")
    service.add_argument("--period", type=period_arg, required=True, help="月份，如 2026-11")
    service.add_argument("--out", type=Path, required=True, help="输出的 .pdf 或 .xlsx")
    service.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    monthly = reports.add_parser("monthly", help="物业工作月报（或 --year 年度工作总结的数据）")
    span = monthly.add_mutually_exclusive_group(required=True)
    span.add_argument("--period", type=period_arg, help="月份，如 2026-11")
    span.add_argument("--year", type=year_arg, help="年份，如 2026")
    monthly.add_argument("--out", type=Path, required=True, help="输出的 .pdf 或 .xlsx")
    monthly.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def year_arg(text: str) -> int:
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2099):
        raise argparse.ArgumentTypeError(f"年份应写作 2026，收到 {text}")
    return int(text)


def _excel_or_pdf(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise UserError(f"输出文件应以 .pdf 或 .xlsx 结尾：{path.name}")
    return suffix == ".xlsx"


def run_bill(args: argparse.Namespace) -> int:
    from frontdesk.services.database import opened
    from frontdesk.services.fees import billing

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        result = billing.run_billing(db, actor, args.period, dry_run=args.dry_run)
    verb = "将生成" if args.dry_run else "已生成"
    print(
        f"{args.period.label}：{verb} {result.bills} 笔账单，"
        f"合计 {format_yuan(result.total_fen)} 元；已有账单 {result.already_billed} 笔未重复生成。"
    )
    for item in result.by_item:
        print(f"  {item.fee_item}\t{item.bills} 笔\t{format_yuan(item.due_fen)} 元")
    if result.paid_in_old_system:
        print(f"原系统已缴至本月或以后：{result.paid_in_old_system} 笔未生成。")
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


def list_arrears(args: argparse.Namespace) -> int:
    from frontdesk.services.arrears import listing as arrears
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        flt = arrears.ArrearsFilter(
            building_id=building_ids(db, actor, [args.building])[0] if args.building else None,
            min_months=args.min_months,
        )
        report = arrears.arrears_report(db, actor, flt)
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


def make_report(args: argparse.Namespace) -> int:
    from frontdesk import printouts
    from frontdesk.domain.issued import Output
    from frontdesk.services.database import opened
    from frontdesk.services.notices import register as issued_documents

    excel = _excel_or_pdf(args.out)
    if args.report == "service":
        return _service_report(args, excel)
    if args.report == "monthly":
        return _monthly_report(args, excel)
    with opened(args.db) as db:
        actor = signin.actor(db, args)
        if excel:
            data = (
                printouts.daily_report_excel(db, actor, args.date)
                if args.report == "daily"
                else printouts.collection_report_excel(db, actor, args.period)
            )
            args.out.write_bytes(data)
            print(f"已生成 {args.out}")
            return 0
        printout = (
            printouts.daily_report(db, actor, args.date)
            if args.report == "daily"
            else printouts.collection_report(db, actor, args.period)
        )
        args.out.write_bytes(printout.pdf)
        number = issued_documents.record(db, actor, printout, Output.EXPORTED)
    print(f"已生成 {args.out}，发文登记号 {number}")
    return 0


def _service_report(args: argparse.Namespace, excel: bool) -> int:
    """客服服务月报: the month's work orders, as a PDF (registered, as the other reports)
    or a workbook."""
    from frontdesk.domain.issued import Output
    from frontdesk.printouts import service_report
    from frontdesk.services.database import opened
    from frontdesk.services.notices import register as issued_documents

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        if excel:
            args.out.write_bytes(service_report.service_report_excel(db, actor, args.period))
            print(f"已生成 {args.out}")
            return 0
        printout = service_report.service_report(db, actor, args.period)
        args.out.write_bytes(printout.pdf)
        number = issued_documents.record(db, actor, printout, Output.EXPORTED)
    print(f"已生成 {args.out}，发文登记号 {number}")
    return 0


def _monthly_report(args: argparse.Namespace, excel: bool) -> int:
    """物业工作月报 (or the year's): as a PDF, registered as the other reports, or a
    workbook."""
    from frontdesk.domain.issued import Output
    from frontdesk.printouts import monthly_report
    from frontdesk.services.database import opened
    from frontdesk.services.notices import register as issued_documents

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        if excel:
            data = monthly_report.monthly_report_excel(db, actor, args.period, args.year)
            args.out.write_bytes(data)
            print(f"已生成 {args.out}")
            return 0
        printout = monthly_report.monthly_report(db, actor, args.period, args.year)
        args.out.write_bytes(printout.pdf)
        number = issued_documents.record(db, actor, printout, Output.EXPORTED)
    print(f"已生成 {args.out}，发文登记号 {number}")
    return 0
