"""`frontdesk import FILE.xlsx`: an office's spreadsheet (rooms, owners, opening balances,
payment history, meter readings) read, checked and imported all or nothing;
`frontdesk imports` lists the imports so far and `frontdesk import-undo N` takes one
back whole while nothing has touched its data.

What the command prints follows the wizard's pages: the columns matched, the file's
totals, the new buildings (confirmed with --yes), the refused rows, the totals after.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, location_arg, positive_arg
from frontdesk.domain.clock import local_time
from frontdesk.domain.onboarding import ImportKind
from frontdesk.domain.onboarding.choices import kinds_text, value_choices
from frontdesk.errors import UserError

if TYPE_CHECKING:
    from frontdesk.domain.onboarding import ImportSetup, Totals
    from frontdesk.domain.roles import Actor
    from frontdesk.services.database import Database
    from frontdesk.services.onboarding import ImportPlan, ImportRow
    from frontdesk.services.onboarding.reading import SheetTable

# Exit codes beyond 0 (imported, or a clean dry run) and 1 (refused rows, nothing written).
NEEDS_CONFIRMATION = 3  # new buildings listed: run again with --yes


def add_commands(commands: Any) -> None:
    importing = commands.add_parser(
        "import", help="数据导入：房屋、业主、期初余额、历史缴费、水电表读数（.xlsx）"
    )
    importing.add_argument("file", type=Path, help="原系统导出或手工整理的 .xlsx")
    _add_import_options(importing, with_kind=True)

    alias = commands.add_parser("import-households", help="导入业主名册（即 import --kind people）")
    alias.add_argument("file", type=Path, help="业主名册 .xlsx")
    _add_import_options(alias, with_kind=False)

    listing = commands.add_parser("imports", help="历次数据导入（可否撤销）")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    undo = commands.add_parser("import-undo", help="撤销一次数据导入（尚未收费或出账时）")
    undo.add_argument("batch", type=positive_arg, help="导入编号（见 frontdesk imports）")
    undo.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def _add_import_options(parser: argparse.ArgumentParser, *, with_kind: bool) -> None:
    parser.add_argument("--sheet", help="工作表名称（默认第一张）")
    if with_kind:
        parser.add_argument(
            "--kind",
            choices=[k.value for k in ImportKind],
            default=ImportKind.AUTO.value,
            help="表中的内容：auto 自动识别（默认）、rooms 房屋、people 业主与住户、"
            "balances 期初余额、history 历史缴费、meters 水电表读数",
        )
    else:
        parser.set_defaults(kind=ImportKind.PEOPLE.value)
    parser.add_argument(
        "--map",
        nargs="+",
        default=[],
        metavar="列名=字段",
        help="改定列的含义，如 --map 栋号=楼栋 房间=room_number 备注2=（字段写“不导入”则不读）",
    )
    parser.add_argument(
        "--value",
        nargs="+",
        default=[],
        metavar="字段:原值=我们的值",
        help="改定原系统用词的对应，如 --value 收费项目:垃圾清运费=生活垃圾处理费",
    )
    parser.add_argument("--mapping", metavar="名称", help="使用以前保存的对应关系")
    parser.add_argument("--save-mapping", metavar="名称", help="导入后把本次的对应关系保存为此名称")
    parser.add_argument(
        "--link-sheet", metavar="工作表", help="业主在另一张表上，按业主编号关联（默认自动查找）"
    )
    parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    parser.add_argument("--report", type=Path, metavar="OUT.xlsx", help="把检查结果另存为 .xlsx")
    parser.add_argument("--yes", action="store_true", help="确认新建文件中出现的楼栋")
    parser.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def run_import(args: argparse.Namespace) -> int:
    from frontdesk.services import onboarding
    from frontdesk.services.database import opened
    from frontdesk.services.onboarding import reading

    path: Path = args.file
    with opened(args.db) as db:
        actor = signin.actor(db, args)
        table = reading.read_table(path, args.sheet)
        setup = _setup(db, actor, table, args)
        _print_columns(table, setup)
        read = reading.read_lines(path, setup)
        sheets = [table.sheet] + ([setup.link.sheet] if setup.link else [])
        plan = onboarding.check_import(db, actor, onboarding.file_of(path, sheets), read)
        _print_plan(plan)
        code = _verdict(plan, args)
        done = None
        if code == 0 and not args.dry_run:
            done = onboarding.commit_import(db, actor, plan, buildings_confirmed=args.yes)
            if args.save_mapping:
                text = reading.setup_to_json(setup, table)
                onboarding.save_mapping(db, actor, args.save_mapping, setup.kind, text)
    if args.report:
        onboarding.write_report(args.report, plan, done)
        print(f"检查结果已保存到 {args.report}")
    if done is not None and not done.batch_id:
        print("文件中的数据都已在本系统中，没有新增。")
    elif done is not None:
        print(f"已导入（导入编号 {done.batch_id}）。本系统的合计：")
        _print_totals({"导入前": done.before, "本次导入": done.added, "导入后": done.after})
        if args.save_mapping:
            print(f"对应关系已保存为“{args.save_mapping}”。")
    return code


def _setup(db: Database, actor: Actor, table: SheetTable, args: argparse.Namespace) -> ImportSetup:
    """The clerk's choices: a saved mapping or the guess, then each --map on top."""
    from frontdesk.services import onboarding
    from frontdesk.services.fees import items
    from frontdesk.services.onboarding import reading
    from frontdesk.services.onboarding.choosing import starting_setup

    saved_json = None
    if args.mapping:
        saved = {m.name: m.setup_json for m in onboarding.saved_mappings(db, actor)}
        if args.mapping not in saved:
            raise UserError(f"没有名为“{args.mapping}”的对应关系。")
        saved_json = saved[args.mapping]
    link = (
        reading.link_for(args.file, args.link_sheet)
        if args.link_sheet
        else reading.find_link(args.file, table)
    )
    setup = starting_setup(
        args.file,
        table,
        ImportKind(args.kind),
        saved_json=saved_json,
        fee_items=[item.name for item in items.list_fee_items(db, active_only=True)],
        link=link,
    )
    setup = reading.setup_with_map(table, setup, args.map)
    return reading.setup_with_values(setup, args.value)


def _print_columns(table: SheetTable, setup: ImportSetup) -> None:
    print(f"工作表“{table.sheet}”：表头在第 {table.header_row} 行，数据 {len(table.rows)} 行。")
    if setup.link is not None:
        print(f"业主在工作表“{setup.link.sheet}”中，按业主编号关联。")
    print(f"识别为：{setup.kind.label}。各列的含义：")
    for column, header in enumerate(table.headers):
        if not header:
            continue
        field = setup.columns.get(column)
        print(f"  {header}\t→ {field.label if field else '（不导入）'}")
    _print_values(table, setup)


def _print_values(table: SheetTable, setup: ImportSetup) -> None:
    """The office's words and ours, so a wrong match is seen before anything is written
    (--value mends one)."""
    from frontdesk.services.onboarding import reading

    matches = reading.value_matches(table, setup)
    if not matches:
        return
    print("原系统的用词（--value 字段:原值=我们的值 可改）：")
    for field, office, ours, count in matches:
        labels = dict(value_choices(field))
        shown = labels.get(ours, ours) if ours else "（未对应，这些行不能导入）"
        print(f"  {field.label}：{office}\t→ {shown}\t{count} 行")


def _print_plan(plan: ImportPlan) -> None:
    print(f"读取数据 {plan.read.rows_read} 行：")
    _print_totals({"文件合计": plan.file_totals, "本次新增": plan.adds})
    if plan.new_buildings:
        print(f"将新建楼栋 {len(plan.new_buildings)} 栋：{'、'.join(plan.new_buildings)}")
    for refusal in dict.fromkeys(plan.refusals):  # a row's lines may repeat its refusal
        column = f"“{refusal.column}”列" if refusal.column else ""
        print(f"第 {refusal.source.row} 行{column}（{refusal.source.sheet}）：{refusal.reason}")


def _verdict(plan: ImportPlan, args: argparse.Namespace) -> int:
    if plan.refusals:
        count = len(dict.fromkeys(plan.refusals))
        print(f"有 {count} 处不能导入，整个文件未导入。请改正后重试。")
        return 1
    if args.dry_run:
        print("（试运行，未写入数据库）")
        return 0
    if plan.new_buildings and not args.yes:
        print("文件中有尚未建立的楼栋。请核对上面的楼栋清单，确认无误后加 --yes 重新运行。")
        return NEEDS_CONFIRMATION
    return 0


def _print_totals(columns: dict[str, Totals]) -> None:
    """The figures to tick against the old system's, one column per set of totals."""
    from frontdesk.services.onboarding.report import total_rows

    print("  项目\t\t" + "\t".join(columns))
    for label, *values in total_rows(columns):
        print(f"  {label}\t" + "\t".join(values))


def run_imports(args: argparse.Namespace) -> int:
    from frontdesk.services import onboarding
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        rows = onboarding.list_imports(db, actor)
    if args.json:
        print(json.dumps([_import_json(r) for r in rows], ensure_ascii=False))
        return 0
    if not rows:
        print("还没有数据导入。")
    for r in rows:
        shown = local_time(r.imported_at, seconds=False)
        print(
            f"{r.batch_id}\t{shown}\t{r.imported_by}\t{r.file_name}\t{kinds_text(r.kinds)}\t{_state(r)}"
        )
    return 0


def _state(row: ImportRow) -> str:
    if row.undone_at is not None:
        return "已撤销"
    return f"不可撤销：{row.undo_refusal}" if row.undo_refusal else "可撤销"


def _import_json(row: ImportRow) -> dict[str, object]:
    from frontdesk.services.onboarding.report import total_rows

    return {
        "id": row.batch_id,
        "file": row.file_name,
        "sheets": row.sheets,
        "kinds": kinds_text(row.kinds),
        "imported_at": local_time(row.imported_at),
        "imported_by": row.imported_by,
        "added": {label: value for label, value in total_rows({"": row.totals})},
        "undone_at": local_time(row.undone_at) or None,
        "undo_refusal": row.undo_refusal or None,
    }


def run_undo(args: argparse.Namespace) -> int:
    from frontdesk.services import onboarding
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        removed = onboarding.undo_import(db, actor, args.batch)
    print(f"已撤销导入 {args.batch}。")
    _print_totals({"删除": removed})
    return 0
