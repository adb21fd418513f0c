"""Reading an office's spreadsheet into import lines (数据导入, step one).

    table = read_table(path, sheet)            # header found among title/notes rows
    setup = suggested_setup(table, fee_items=…) # columns and values guessed
    … the clerk confirms or changes (setup_with_map for the CLI's --map) …
    result = read_lines(path, setup)           # lines, and refusals by row and column

Nothing here touches the database: checking the lines against it and writing them is
the rest of services/onboarding. A row that cannot be read is refused with its row
number, its column's header and the reason, and gives no line at all; a value the
setup does not map is listed once with its count (and refuses its rows).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from frontdesk.domain.onboarding import (
    MAPPED_VALUES,
    Field,
    ImportKind,
    ImportSetup,
    Link,
    ReadResult,
    Refusal,
    Source,
    UnmappedValue,
)
from frontdesk.domain.onboarding.columns import header_key, match_header
from frontdesk.errors import ValidationError

# The reading API in one place (the package exports it lazily): the guesses and the
# table are their own modules.
from frontdesk.services.onboarding.guessing import ColumnGuess as ColumnGuess
from frontdesk.services.onboarding.guessing import distinct_values as distinct_values
from frontdesk.services.onboarding.guessing import guess_columns as guess_columns
from frontdesk.services.onboarding.guessing import guess_kind as guess_kind
from frontdesk.services.onboarding.guessing import suggest_value as suggest_value
from frontdesk.services.onboarding.guessing import suggested_setup as suggested_setup
from frontdesk.services.onboarding.guessing import suggested_values
from frontdesk.services.onboarding.lines import OUR_VALUES, RowReader, Unmapped
from frontdesk.services.onboarding.sheets import SheetTable as SheetTable
from frontdesk.services.onboarding.sheets import read_table as read_table
from frontdesk.services.onboarding.sheets import sheet_names as sheet_names

MAP_OPTION = "--map"
VALUE_OPTION = "值对应"
IGNORED = ("", "-", "忽略", "不导入")


def find_link(path: Path, table: SheetTable) -> Link | None:
    """The owners sheet a sheet's owner numbers point to: another sheet of the file
    with owner numbers and names (None when the sheet has no owner numbers, or no
    other sheet has both)."""
    if not any(g.field is Field.OWNER_NO for g in guess_columns(table)):
        return None
    for name in sheet_names(path):
        if name == table.sheet:
            continue
        try:
            link = link_for(path, name)
        except ValidationError:
            continue
        if Field.NAME in link.columns.values():
            return link
    return None


def link_for(path: Path, sheet: str, header_row: int | None = None) -> Link:
    """Owners kept on another sheet, with that sheet's columns guessed; the owner
    number (业主编号) must be one of them."""
    table = read_table(path, sheet, header_row)
    columns = {g.column: g.field for g in guess_columns(table, ImportKind.PEOPLE) if g.field}
    if Field.OWNER_NO not in columns.values():
        raise ValidationError("关联工作表", f"工作表「{table.sheet}」中没有“业主编号”列")
    return Link(table.sheet, table.header_row, columns)


# reading the lines -------------------------------------------------------------------


class _Refused:
    """Refusals as they come; each unmapped value once, with the rows holding it."""

    def __init__(self) -> None:
        self.refusals: list[Refusal] = []
        self.unmapped: dict[tuple[Field, str], list[Source]] = {}
        self.columns: dict[tuple[Field, str], str] = {}

    def add(self, source: Source, exc: ValidationError | Unmapped) -> None:
        if isinstance(exc, Unmapped):
            key = (exc.field, exc.value)
            sources = self.unmapped.setdefault(key, [])
            if source not in sources:  # an owner joined to two rooms is one row
                sources.append(source)
            self.columns.setdefault(key, exc.column)
        else:
            self.refusals.append(Refusal(source, exc.field, exc.problem))

    def into(self, result: ReadResult, sheet: str) -> None:
        refusals = list(dict.fromkeys(self.refusals))
        for (mapped, value), sources in self.unmapped.items():
            result.unmapped.append(UnmappedValue(mapped, value, len(sources)))
            reason = (
                f"「{value}」没有对应的{mapped.label}（共 {len(sources)} 行），请在“值对应”中选择"
            )
            refusals.append(Refusal(sources[0], self.columns[(mapped, value)], reason))
        refusals.sort(key=lambda r: (r.source.sheet != sheet, r.source.sheet, r.source.row))
        result.refusals.extend(refusals)


@dataclass(frozen=True)
class _Owners:
    """The linked sheet's rows by owner number, and their reader."""

    sheet: str
    reader: RowReader
    rows: dict[str, list[tuple[int, tuple[Any, ...]]]]


def read_lines(path: Path, setup: ImportSetup) -> ReadResult:
    """Every data row of the sheet read into lines, or refused; the linked owners sheet
    joined by owner number. A row with nothing in the chosen columns but a note (a
    remark beside the table, a page number) is passed over, not refused. A link naming
    only its sheet (the CLI's --link-sheet) has that sheet's columns and values guessed."""
    if setup.link is not None and not setup.link.columns:
        guessed = link_for(path, setup.link.sheet, setup.link.header_row)
        setup = setup_with_link(path, setup, guessed)
    table = read_table(path, setup.sheet, setup.header_row)
    kind = guess_kind(setup.columns) if setup.kind is ImportKind.AUTO else setup.kind
    reader = RowReader(table.sheet, table.headers, setup, kind)
    rows = [(number, cells) for number, cells in table.rows if reader.has_content(cells)]
    result = ReadResult(rows_read=len(rows))
    refused = _Refused()
    owners = _owners(path, setup) if setup.link else None
    for number, cells in rows:
        try:
            reader.read_row(number, cells, result)
            if owners is not None:
                _join_owners(reader, owners, cells, result, refused)
        except (Unmapped, ValidationError) as exc:
            refused.add(Source(table.sheet, number), exc)
    refused.into(result, table.sheet)
    return result


def _owners(path: Path, setup: ImportSetup) -> _Owners:
    link = setup.link
    assert link is not None  # only asked for with a link
    table = read_table(path, link.sheet, link.header_row)
    number_columns = [i for i, f in link.columns.items() if f is Field.OWNER_NO]
    if not number_columns:
        raise ValidationError("关联工作表", f"工作表「{table.sheet}」未指定“业主编号”列")
    people = ImportSetup(kind=ImportKind.PEOPLE, columns=link.columns, values=setup.values)
    owners = _Owners(table.sheet, RowReader(table.sheet, table.headers, people, people.kind), {})
    column = number_columns[0]
    for number, cells in table.rows:
        key = RowReader.key_text(cells[column] if column < len(cells) else None)
        if key:
            owners.rows.setdefault(key, []).append((number, cells))
    return owners


def _join_owners(
    reader: RowReader,
    owners: _Owners,
    cells: tuple[Any, ...],
    result: ReadResult,
    refused: _Refused,
) -> None:
    owner_no = reader.owner_no(cells)
    if not owner_no:
        return
    rows = owners.rows.get(owner_no)
    if not rows:
        raise ValidationError(
            reader.header_of(Field.OWNER_NO),
            f"「{owner_no}」在工作表「{owners.sheet}」中找不到",
        )
    room = reader.room_of(cells)
    for owner_row, owner_cells in rows:
        try:
            result.people.extend(owners.reader.people_of(owner_row, owner_cells, room))
        except (Unmapped, ValidationError) as exc:
            refused.add(Source(owners.sheet, owner_row), exc)


def setup_with_link(
    path: Path, setup: ImportSetup, link: Link, fee_items: Sequence[str] = ()
) -> ImportSetup:
    """The setup reading its owners from `link`, with the owners sheet's values (性别
    1/2 …) suggested where the setup maps none. The wizard lists those values with
    distinct_values(read_table(path, link.sheet, link.header_row),
    ImportSetup(ImportKind.PEOPLE, columns=link.columns))."""
    table = read_table(path, link.sheet, link.header_row)
    linked = ImportSetup(ImportKind.PEOPLE, link.sheet, table.header_row, dict(link.columns))
    values = {f: dict(v) for f, v in setup.values.items()}
    for mapped, suggested in suggested_values(table, linked, tuple(fee_items)).items():
        values[mapped] = suggested | values.get(mapped, {})
    return replace(setup, link=link, values=values)


# the clerk's choices -----------------------------------------------------------------


def _field_named(text: str) -> Field | None:
    wanted = text.strip()
    for candidate in Field:
        if wanted in (candidate.value, candidate.label):
            return candidate
    if wanted in IGNORED:
        return None
    usual = match_header(wanted)  # a usual column name: 欠费 for 欠费金额
    if usual.exact and len(usual.fields) == 1:
        return usual.fields[0]
    names = "、".join(f.label for f in Field)
    raise ValidationError(MAP_OPTION, f"「{wanted}」不是可导入的字段（可用：{names}；或写“忽略”）")


def _column_named(table: SheetTable, text: str) -> int:
    wanted = header_key(text)
    for index, header in enumerate(table.headers):
        if header and (header == text.strip() or header_key(header) == wanted):
            return index
    heads = "、".join(h for h in table.headers if h)
    raise ValidationError(MAP_OPTION, f"文件中没有列「{text.strip()}」（有：{heads}）")


def setup_with_map(table: SheetTable, setup: ImportSetup, pairs: Sequence[str]) -> ImportSetup:
    """The setup with the CLI's `--map 列名=字段` pairs applied (字段: a field's name,
    its Chinese label or a usual column name for it; 忽略 leaves the column out). A
    field given to a column is taken from any other column."""
    columns = dict(setup.columns)
    for pair in pairs:
        column_text, sign, field_text = pair.partition("=")
        if not sign or not column_text.strip():
            raise ValidationError(MAP_OPTION, f"「{pair}」应写成 列名=字段，如 楼号=楼栋")
        index = _column_named(table, column_text)
        chosen = _field_named(field_text)
        columns.pop(index, None)
        if chosen is not None:
            columns = {i: f for i, f in columns.items() if f is not chosen}
            columns[index] = chosen
    return replace(setup, columns=dict(sorted(columns.items())))


def setup_with_values(setup: ImportSetup, pairs: Sequence[str]) -> ImportSetup:
    """The setup with the CLI's value pairs "字段:原值=我们的值" applied (收费项目:垃圾清运费=
    生活垃圾处理费, 房屋类型:商业=商铺 or =shop): 字段 a mapped field's name or label,
    我们的值 our value or its label (a fee item by its name)."""
    values = {mapped: dict(ours) for mapped, ours in setup.values.items()}
    for pair in pairs:
        field_text, colon, rest = pair.replace("：", ":").partition(":")
        office, sign, ours_text = rest.rpartition("=")
        if not colon or not sign or not office.strip() or not ours_text.strip():
            raise ValidationError(
                VALUE_OPTION,
                f"「{pair}」应写成 字段:原值=我们的值，如 收费项目:垃圾清运费=生活垃圾处理费",
            )
        mapped = _mapped_field(field_text)
        values.setdefault(mapped, {})[office.strip()] = _our_value(mapped, ours_text.strip())
    return replace(setup, values=values)


def _mapped_field(text: str) -> Field:
    wanted = text.strip()
    for candidate in MAPPED_VALUES:
        if wanted in (candidate.value, candidate.label):
            return candidate
    names = "、".join(f.label for f in MAPPED_VALUES)
    raise ValidationError(VALUE_OPTION, f"「{wanted}」不是可对应取值的字段（可用：{names}）")


def _our_value(mapped: Field, text: str) -> str:
    if mapped is Field.FEE_ITEM:
        return text  # an item of the office's: checked against the fee items later
    ours = OUR_VALUES[mapped]
    if text in ours:
        return ours[text]
    names = "、".join([label for label in ours if label not in ours.values()] or list(ours))
    raise ValidationError(VALUE_OPTION, f"「{text}」不是{mapped.label}的取值（可用：{names}）")


def value_matches(table: SheetTable, setup: ImportSetup) -> list[tuple[Field, str, str, int]]:
    """Each distinct value of the setup's mapped columns: (field, the office's value, ours
    or "" when neither the setup nor our own words cover it, how many rows hold it)."""
    found = []
    for mapped, counted in distinct_values(table, setup).items():
        chosen = setup.values.get(mapped, {})
        own = OUR_VALUES.get(mapped, {})
        for office, count in counted:
            if mapped is Field.FEE_ITEM and setup.kind is ImportKind.HISTORY:
                ours = chosen.get(office) or office  # history keeps the old names
            else:
                ours = chosen.get(office, own.get(office, ""))
            found.append((mapped, office, ours, count))
    return found


def setup_to_json(setup: ImportSetup, table: SheetTable) -> str:
    """The setup as saved under a name: columns by their header text, so that next
    month's export with a column moved is still read right; a header the clerk left
    out is saved as "" (left out again next time, not guessed)."""
    columns = {header: "" for header in table.headers if header}
    columns |= {
        table.headers[i]: f.value for i, f in setup.columns.items() if i < len(table.headers)
    }
    saved: dict[str, Any] = {
        "kind": setup.kind.value,
        "columns": columns,
        "values": {f.value: dict(values) for f, values in setup.values.items()},
        "default_fee_item": setup.default_fee_item,
    }
    if setup.link is not None:
        saved["link"] = {
            "sheet": setup.link.sheet,
            "columns": {str(i): f.value for i, f in setup.link.columns.items()},
        }
    return json.dumps(saved, ensure_ascii=False, sort_keys=True)


def setup_from_json(text: str, table: SheetTable, fee_items: Sequence[str] = ()) -> ImportSetup:
    """A saved setup for this file's table, the table's own sheet and header row: the
    saved choice for each header it knows, the usual guess for each header it does
    not (a mapping saved on 欠费明细 used on 已缴至 still reads 已缴至), the saved
    value maps over the suggestions for this table's values."""
    try:
        saved = json.loads(text)
        kind = ImportKind(saved.get("kind", ImportKind.AUTO.value))
        by_header = {h: i for i, h in reversed(list(enumerate(table.headers))) if h}
        chosen = {
            by_header[header]: Field(value) if value else None
            for header, value in saved.get("columns", {}).items()
            if header in by_header
        }
        saved_values = {Field(f): dict(v) for f, v in saved.get("values", {}).items()}
        link = None
        if "link" in saved:
            link_columns = {int(i): Field(v) for i, v in saved["link"]["columns"].items()}
            link = Link(str(saved["link"]["sheet"]), None, link_columns)
        default_item = str(saved.get("default_fee_item", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ValidationError("导入方案", "保存的方案已损坏，请重新对应各列") from None
    guessed = suggested_setup(table, kind, fee_items)
    taken = {f for f in chosen.values() if f is not None and f is not Field.NOTE}
    columns = {i: f for i, f in chosen.items() if f is not None}
    columns |= {i: f for i, f in guessed.columns.items() if i not in chosen and f not in taken}
    kind = guess_kind(columns) if kind is ImportKind.AUTO else kind
    setup = replace(guessed, kind=kind, columns=dict(sorted(columns.items())))
    values = suggested_values(table, setup, tuple(fee_items))
    for mapped, ours in saved_values.items():
        values[mapped] = values.get(mapped, {}) | ours
    return replace(
        setup,
        values=values,
        link=link,
        default_fee_item=default_item or guessed.default_fee_item,
    )
