"""The owner roster in Excel (业主名册): the file a developer hands over at delivery,
imported row by row with a report of what was refused; exported in the same layout.

One row per person. Columns are matched by header name, in any order:
房号 类别 姓名 性别 关系 证件类型 证件号码 电话 产权份额 租期开始 租期结束 入住日期 备注
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.engine import Database
from frontdesk.db.models import Building, HouseholdProfile, Person, Room, Unit
from frontdesk.db.protection import require_key
from frontdesk.domain.household import GENDERS, RELATION_LABELS, PersonKind, Relation
from frontdesk.domain.identity import ID_TYPE_LABELS, IdType
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import parse_room_code, room_code
from frontdesk.errors import UserError, ValidationError
from frontdesk.services import xlsx_read
from frontdesk.services.access import require
from frontdesk.services.households.file import PersonInput, person_values
from frontdesk.services.progress import NO_PROGRESS, Progress
from frontdesk.services.steps import write_steps
from frontdesk.services.xlsx import text_cells

COLUMNS = (
    "房号",
    "类别",
    "姓名",
    "性别",
    "关系",
    "证件类型",
    "证件号码",
    "电话",
    "产权份额",
    "租期开始",
    "租期结束",
    "入住日期",
    "备注",
)
REQUIRED = ("房号", "类别", "姓名")
COLUMN_HELP = {
    "房号": "必填。楼栋-单元-房号，如 3-2-1201；也可写 3栋2单元1201。无单元的写 3-1201。",
    "类别": "必填。产权人、住户、租户或紧急联系人（“业主”视同产权人）。",
    "姓名": "必填。不超过 40 个字。",
    "性别": "男或女，可空。",
    "关系": "与产权人的关系：" + "、".join(RELATION_LABELS.values()) + "，可空。",
    "证件类型": "、".join(ID_TYPE_LABELS.values()) + "；填了证件号码而未填类型时按居民身份证校验。",
    "证件号码": "居民身份证须为 18 位且校验位正确（末位可为 X）。",
    "电话": "手机或固定电话，如 13812345678、025-86661234。",
    "产权份额": "产权人的份额，如 100%、50%。",
    "租期开始": "租户的租期，日期如 2025-05-01。",
    "租期结束": "不能早于租期开始。",
    "入住日期": "该户的入住日期（同一房号写一次即可）。",
    "备注": "不超过 200 个字。",
}
KIND_BY_LABEL = {k.label: k for k in PersonKind} | {"业主": PersonKind.OWNER}
RELATION_BY_LABEL = {label: relation for relation, label in RELATION_LABELS.items()}
ID_TYPE_BY_LABEL = {label: id_type for id_type, label in ID_TYPE_LABELS.items()}
SHEET = "业主名册"
PROGRESS_EVERY = 500


@dataclass(frozen=True)
class RejectedRow:
    row_number: int  # as Excel shows it
    room_text: str
    name: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    added: int = 0
    households: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


# reading the workbook ----------------------------------------------------------


def _open_rows(path: Path) -> Iterator[tuple[Any, ...]]:
    """Refused whole when not a sound .xlsx of reasonable size (see xlsx_read)."""
    return xlsx_read.open_rows(path, sheet=SHEET, what="文件")


def _header(rows: Iterator[tuple[Any, ...]]) -> tuple[int, dict[str, int]]:
    """The first row naming at least two roster columns is the header."""
    for number, row in enumerate(rows, 1):
        cells = [_cell_text(c) for c in row]
        columns = {name: cells.index(name) for name in COLUMNS if name in cells}
        if len(columns) >= 2:
            missing = [name for name in REQUIRED if name not in columns]
            if missing:
                raise ValidationError("文件", f"缺少必填列：{'、'.join(missing)}")
            return number, columns
        if number >= 10:
            break
    raise ValidationError("文件", "前 10 行中找不到表头（须有“房号”“姓名”等列，可先下载模板）")


def _cell_text(value: Any) -> str:
    """A header cell, or a refused row's room and name as the report repeats them."""
    return xlsx_read.display_text(value)


def _cell_date(value: Any, column: str) -> date | None:
    return xlsx_read.cell_date(value, column)


def _choice(text: str, options: dict[str, Any], column: str) -> Any:
    if not text:
        return None
    if text not in options:
        raise ValidationError(
            column, f"「{xlsx_read.shown(text)}」不在可选范围内（{'、'.join(options)}）"
        )
    return options[text]


# importing -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    room_id: int
    values: dict[str, Any]
    move_in_on: date | None


def _room_ids(session: Session) -> dict[str, int]:
    query = (
        select(Room.id, Building.code, Unit.code, Room.number)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
    )
    return {room_code(b, u, n): room_id for room_id, b, u, n in session.execute(query)}


def _room_id(text: str, rooms: dict[str, int]) -> int:
    wanted = parse_room_code(text)
    if wanted is None or not wanted.room:
        raise ValidationError("房号", f"「{text}」不是房号（如 3-2-1201）")
    code = room_code(wanted.building, wanted.unit, wanted.room.upper())
    if code not in rooms:
        raise ValidationError("房号", f"小区中没有房屋「{code}」")
    return rooms[code]


def _parse(row: tuple[Any, ...], columns: dict[str, int], rooms: dict[str, int]) -> _Parsed:
    def cell(name: str) -> Any:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else None

    def text(name: str) -> str:
        return xlsx_read.cell_text(cell(name), name)

    gender = text("性别")
    if gender not in GENDERS:
        raise ValidationError("性别", "只能填男或女")
    person = PersonInput(
        kind=_choice(text("类别"), KIND_BY_LABEL, "类别") or _missing("类别"),
        name=text("姓名"),
        relation=_choice(text("关系"), RELATION_BY_LABEL, "关系"),
        gender=gender,
        id_type=_choice(text("证件类型"), ID_TYPE_BY_LABEL, "证件类型"),
        id_number=text("证件号码"),
        phone=text("电话"),
        share=text("产权份额"),
        lease_start=_cell_date(cell("租期开始"), "租期开始"),
        lease_end=_cell_date(cell("租期结束"), "租期结束"),
        note=text("备注"),
    )
    room_id = _room_id(text("房号"), rooms)
    return _Parsed(room_id, person_values(person), _cell_date(cell("入住日期"), "入住日期"))


def _missing(column: str) -> PersonKind:
    raise ValidationError(column, "不能为空")


def person_keys(room_id: int, values: dict[str, Any]) -> list[tuple[int, str, str]]:
    """What makes a person the same person: name with ID number, or name with phone.
    Names compare in NFC (a name stored before names were normalised, too)."""
    name = unicodedata.normalize("NFC", values["name"])
    keys = []
    if values["id_number"]:
        keys.append((room_id, name, "id:" + values["id_number"]))
    if values["phone"]:
        keys.append((room_id, name, "tel:" + values["phone"]))
    if not keys:
        keys.append((room_id, name, ""))
    return keys


ON_FILE = 0  # the row number `known` gives a person already in the database


def people_on_file(session: Session) -> dict[tuple[int, str, str], int]:
    known: dict[tuple[int, str, str], int] = {}
    # People who left are history: the same person coming back is added anew.
    query = select(Person.room_id, Person.name, Person.id_number, Person.phone).where(
        Person.left_on.is_(None)
    )
    for room_id, name, id_number, phone in session.execute(query):
        keys = person_keys(room_id, {"name": name, "id_number": id_number, "phone": phone})
        known.update(dict.fromkeys(keys, ON_FILE))
    return known


def import_roster(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    progress: Progress = NO_PROGRESS,
) -> ImportReport:
    """Validate every row, then add the accepted ones all or nothing (none on a dry run).

    The rows are read and checked outside the write lock (a read transaction never blocks
    a counter), then written in short steps (`write_steps`): a payment at another counter
    waits for one step, never for the whole roster. A failure or a cancel part way undoes
    the steps already committed, so the roster is in the file whole or not at all; a small
    roster is one step, one transaction."""
    require(actor, Permission.IMPORT_HOUSEHOLDS)
    with db.read():
        require_key()  # duplicates are judged on whole numbers, and the new ones sealed
    rows = _open_rows(path)
    header_row, columns = _header(rows)
    data = [(n, r) for n, r in enumerate(rows, header_row + 1) if any(_cell_text(c) for c in r)]
    with db.read() as session:
        report, accepted = _check(session, data, columns, progress)
    if dry_run:
        return report
    summary = (
        f"导入业主名册「{path.name}」：{report.added} 人，{report.households} 户，"
        f"拒绝 {len(report.rejected)} 行"
    )

    def finish(session: Session) -> None:
        _set_move_ins(session, accepted)
        write_entry(session.connection(), actor, "import", "person", "", summary)

    added: list[int] = []

    def add(session: Session, batch: list[_Parsed]) -> None:
        _refuse_added_meanwhile(session, batch)
        people = [Person(room_id=p.room_id, **p.values) for p in batch]
        session.add_all(people)
        session.flush()
        added.extend(person.id for person in people)

    try:
        write_steps(db, actor, accepted, add, finish, progress)
    except BaseException:
        _undo(db, actor, added, path.name)
        raise
    return report


def _refuse_added_meanwhile(session: Session, batch: list[_Parsed]) -> None:
    """A person another counter added to one of these rooms since the check."""
    rooms = sorted({p.room_id for p in batch})
    query = select(Person.room_id, Person.name, Person.id_number, Person.phone).where(
        Person.room_id.in_(rooms), Person.left_on.is_(None)
    )
    known = set()
    for room_id, name, id_number, phone in session.execute(query):
        known.update(person_keys(room_id, {"name": name, "id_number": id_number, "phone": phone}))
    for parsed in batch:
        if known.intersection(person_keys(parsed.room_id, parsed.values)):
            raise UserError(
                f"导入期间有人在档案中登记了「{parsed.values['name']}」，"
                "本次导入已全部撤销，请重新导入。"
            )


def _undo(db: Database, actor: Actor, added: list[int], file_name: str) -> None:
    """Remove the people a failed import had added, in short steps like the import
    (`added` may name people of a step that rolled back: they are simply not found)."""
    if not added:
        return
    removed = [0]

    def remove(session: Session, batch: list[int]) -> None:
        for person in session.scalars(select(Person).where(Person.id.in_(batch))):
            session.delete(person)  # each removal audited, like each addition
            removed[0] += 1

    def note(session: Session) -> None:
        write_entry(
            session.connection(),
            actor,
            "import",
            "person",
            "",
            f"导入业主名册「{file_name}」未完成，已撤销已写入的 {removed[0]} 人",
        )

    write_steps(db, actor, added, remove, note)


def _check(
    session: Session,
    data: list[tuple[int, tuple[Any, ...]]],
    columns: dict[str, int],
    progress: Progress,
) -> tuple[ImportReport, list[_Parsed]]:
    report = ImportReport(rows=len(data))
    rooms, known = _room_ids(session), people_on_file(session)
    accepted: list[_Parsed] = []
    for done, (number, row) in enumerate(data, 1):
        if done % PROGRESS_EVERY == 0:
            progress.step(done, len(data))
        reason = _accept(number, row, columns, rooms, known, accepted)
        if reason:
            report.rejected.append(
                RejectedRow(
                    number, _column(row, columns, "房号"), _column(row, columns, "姓名"), reason
                )
            )
    progress.step(len(data), len(data))
    report.added = len(accepted)
    report.households = len({p.room_id for p in accepted})
    return report, accepted


def _column(row: tuple[Any, ...], columns: dict[str, int], name: str) -> str:
    index = columns[name]
    return _cell_text(row[index]) if index < len(row) else ""


def _accept(
    number: int,
    row: tuple[Any, ...],
    columns: dict[str, int],
    rooms: dict[str, int],
    known: dict[tuple[int, str, str], int],
    accepted: list[_Parsed],
) -> str:
    """ "" when the row is accepted (and remembered), else the reason in Chinese."""
    try:
        parsed = _parse(row, columns, rooms)
    except ValidationError as exc:
        return exc.message
    keys = person_keys(parsed.room_id, parsed.values)
    earlier = [known[key] for key in keys if key in known]
    if earlier:
        return _duplicate_reason(min(earlier))
    known.update(dict.fromkeys(keys, number))
    accepted.append(parsed)
    return ""


def _duplicate_reason(earlier_row: int) -> str:
    same = "同房号、同姓名且证件号码或电话相同"
    if earlier_row == ON_FILE:
        return f"该人员已在档案中（{same}）"
    return f"与第 {earlier_row} 行重复（{same}）"


def _set_move_ins(session: Session, accepted: list[_Parsed]) -> None:
    move_ins = {p.room_id: p.move_in_on for p in accepted if p.move_in_on}
    if move_ins:
        profiles = {
            profile.room_id: profile
            for profile in session.scalars(
                select(HouseholdProfile).where(HouseholdProfile.room_id.in_(list(move_ins)))
            )
        }
        for room_id, move_in_on in move_ins.items():
            profile = profiles.get(room_id) or HouseholdProfile(room_id=room_id)
            profile.move_in_on = move_in_on
            session.add(profile)


# exporting -----------------------------------------------------------------------


def export_roster(db: Database, actor: Actor, path: Path, progress: Progress = NO_PROGRESS) -> int:
    """Every person on file, IDs and phones whole, in the import layout; returns the count.

    The audit entry is written once the file is saved, and the file is removed if anything
    fails after it was opened (cancel, a failed entry): no export without its trace.
    """
    require(actor, Permission.IMPORT_HOUSEHOLDS)
    require(actor, Permission.REVEAL_PERSONAL_DATA)
    with db.read() as session:
        require_key()  # never 「（已加密）」 in a roster, nor a file without its numbers
        people = _export_rows(session)
    out = path.open("wb")  # a folder that is gone or a file locked by Excel fails here
    try:
        with out:
            _save_rows(people, out, progress)
        with db.write(actor) as session:
            write_entry(
                session.connection(),
                actor,
                "export",
                "person",
                "",
                f"导出业主名册「{path.name}」：{len(people)} 人（含完整证件号码和电话）",
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return len(people)


def _save_rows(people: list[tuple[Any, ...]], out: BinaryIO, progress: Progress) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append(COLUMNS)
    try:
        for done, row in enumerate(people, 1):
            sheet.append(text_cells(sheet, row))
            if done % PROGRESS_EVERY == 0:
                progress.step(done, len(people))
    except BaseException:
        sheet.close()  # else openpyxl's row writer complains when it is collected
        raise
    book.save(out)


def _export_rows(session: Session) -> list[tuple[Any, ...]]:
    query = (
        select(Person, Room, Building, Unit, HouseholdProfile)
        .join(Room, Person.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .outerjoin(HouseholdProfile, HouseholdProfile.room_id == Room.id)
        .where(Person.left_on.is_(None))  # the roster of today; history stays in the file
        .order_by(
            Building.sort_key, Building.code, Unit.sort_key, Room.floor, Room.number, Person.id
        )
    )
    rows = []
    for person, room, building, unit, profile in session.execute(query):
        rows.append(
            (
                room_code(building.code, unit.code if unit else None, room.number),
                person.kind.label,
                person.name,
                person.gender,
                Relation(person.relation).label if person.relation else "",
                IdType(person.id_type).label if person.id_type else "",
                person.id_number,
                person.phone,
                person.share,
                person.lease_start,
                person.lease_end,
                profile.move_in_on if profile else None,
                person.note,
            )
        )
    return rows


# the template and the report -------------------------------------------------------


def write_template(path: Path) -> None:
    """An empty roster with the header, two example rows, drop-downs and a 说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        (
            "3-2-1201",
            "产权人",
            "张三",
            "男",
            "本人",
            "居民身份证",
            "11010519491231002X",
            "13812345678",
            "100%",
            None,
            None,
            date(2024, 5, 1),
            "",
        )
    )
    sheet.append(
        ("3-2-1201", "住户", "李梅", "女", "配偶", "", "", "13912345678", "", None, None, None, "")
    )
    for column, width in zip(
        "ABCDEFGHIJKLM", (12, 10, 10, 6, 8, 22, 22, 16, 10, 12, 12, 12, 20), strict=True
    ):
        sheet.column_dimensions[column].width = width
    for column, options in (
        ("B", KIND_BY_LABEL),
        ("D", ["男", "女"]),
        ("E", RELATION_BY_LABEL),
        ("F", ID_TYPE_BY_LABEL),
    ):
        rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
        rule.add(f"{column}2:{column}5000")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    notes.append(("列名", "说明"))
    for name in COLUMNS:
        notes.append((name, COLUMN_HELP[name]))
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 90
    book.save(path)


def write_report(report: ImportReport, path: Path) -> None:
    """The refused rows, to send back to whoever prepared the roster."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("未导入的行")
    sheet.append(("行号", "房号", "姓名", "原因"))
    for row in report.rejected:
        sheet.append(text_cells(sheet, (row.row_number, row.room_text, row.name, row.reason)))
    book.save(path)
