"""Guessing what a sheet's columns and values mean, for the clerk to confirm.

Each column's header is matched to the usual names (domain/onboarding/columns.py); a
header that can mean two fields is settled by the sheet's kind or, for 房号 / 房间, by
its values (3-2-1201 is a whole code, 1201 a flat's number); what is still open comes
back with its alternatives and no field.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from frontdesk.domain.onboarding import MAPPED_VALUES, Field, ImportKind, ImportSetup
from frontdesk.domain.onboarding.cells import text_of
from frontdesk.domain.onboarding.columns import match_header, pick_for_kind, suggest
from frontdesk.domain.onboarding.room_codes import read_room_code
from frontdesk.services.onboarding.sheets import SheetTable

SAMPLES = 3
_CODE_ROWS = 20  # values looked at to tell whole room codes from flats' numbers
_ROOM_FIELDS = frozenset({Field.ROOM_CODE, Field.ROOM_NUMBER})
_KIND_SIGNS: tuple[tuple[ImportKind, frozenset[Field]], ...] = (
    (
        ImportKind.METERS,
        frozenset(
            {Field.WATER_READING, Field.ELECTRICITY_READING, Field.READING, Field.METER_KIND}
        ),
    ),
    (ImportKind.HISTORY, frozenset({Field.AMOUNT, Field.PAID_ON, Field.CASHIER, Field.RECEIPT_NO})),
    (
        ImportKind.BALANCES,
        frozenset(
            {
                Field.ARREARS,
                Field.PREPAID,
                Field.PAID_THROUGH,
                Field.DEPOSIT,
                Field.PERIOD_FROM,
                Field.PERIOD_TO,
                Field.FEE_ITEM,
                Field.PERIOD,
            }
        ),
    ),
    (
        ImportKind.ROOMS,
        frozenset({Field.AREA, Field.FLOOR, Field.ROOM_TYPE, Field.ROOM_STATUS, Field.HANDOVER_ON}),
    ),
    (
        ImportKind.PEOPLE,
        frozenset({Field.NAME, Field.PERSON_KIND, Field.RELATION, Field.GENDER, Field.ID_NUMBER}),
    ),
)


@dataclass(frozen=True)
class ColumnGuess:
    """One column: its header, the field it is taken for (None: not imported, or to be
    chosen among `alternatives`), and its first values."""

    column: int
    header: str
    field: Field | None
    alternatives: tuple[Field, ...]
    samples: tuple[str, ...]


def guess_kind(columns: Mapping[int, Field]) -> ImportKind:
    """What a sheet with these columns holds: meters, history, balances, rooms, people,
    first sign first (a balances sheet often shows the area; a rooms sheet seldom
    money). Any sheet is read for every line its columns hold: `--kind rooms` reads a
    rooms sheet's prepaid column too."""
    fields = set(columns.values())
    for kind, signs in _KIND_SIGNS:
        if fields & signs:
            return kind
    return ImportKind.ROOMS


def guess_columns(table: SheetTable, kind: ImportKind = ImportKind.AUTO) -> list[ColumnGuess]:
    """Each headed column with the field it is taken for."""
    found: dict[int, tuple[Field, ...]] = {}
    for index, header in enumerate(table.headers):
        if header:
            found[index] = match_header(header).fields
    has_building = any(fields == (Field.BUILDING,) for fields in found.values())
    for index, fields in found.items():
        if _ROOM_FIELDS & set(fields):
            found[index] = (_room_field(table, index, has_building),)
    sure = {index: fields[0] for index, fields in found.items() if len(fields) == 1}
    sheet_kind = guess_kind(sure) if kind is ImportKind.AUTO else kind
    taken: set[Field] = set()
    guesses = []
    for index, fields in found.items():
        field = fields[0] if len(fields) == 1 else pick_for_kind(fields, sheet_kind)
        alternatives: tuple[Field, ...] = fields if len(fields) > 1 else ()
        if field is not None and field in taken and field is not Field.NOTE:
            alternatives = (field,)  # a second 电话: the clerk says which
            field = None
        if field is not None:
            taken.add(field)
        guesses.append(
            ColumnGuess(index, table.headers[index], field, alternatives, _samples(table, index))
        )
    return guesses


def _samples(table: SheetTable, index: int) -> tuple[str, ...]:
    samples: list[str] = []
    for _, cells in table.rows:
        text = text_of(cells[index]) if index < len(cells) else ""
        if text:
            samples.append(text)
            if len(samples) == SAMPLES:
                break
    return tuple(samples)


def _room_field(table: SheetTable, index: int, has_building: bool) -> Field:
    """A whole code (3-2-1201, 3栋2单元1201, S-101) or a flat's number (1201)."""
    values = [text_of(cells[index]) for _, cells in table.rows[:_CODE_ROWS] if index < len(cells)]
    values = [value for value in values if value]
    whole = sum(
        1
        for value in values
        if not re.fullmatch(r"[0-9]+", value)
        and (not has_building or not re.fullmatch(r"[0-9A-Za-z]+", value))
        and read_room_code(value) is not None
    )
    if values and whole * 2 >= len(values):
        return Field.ROOM_CODE
    return Field.ROOM_NUMBER if has_building else Field.ROOM_CODE


def distinct_values(table: SheetTable, setup: ImportSetup) -> dict[Field, list[tuple[str, int]]]:
    """Each value of the mapped fields (types, statuses, kinds, sexes, items, meters)
    once, with how many rows hold it, most frequent first."""
    found: dict[Field, Counter[str]] = {}
    for index, field in setup.columns.items():
        if field not in MAPPED_VALUES:
            continue
        counter = found.setdefault(field, Counter())
        for _, cells in table.rows:
            text = text_of(cells[index]) if index < len(cells) else ""
            if text:
                counter[text] += 1
    return {field: counter.most_common() for field, counter in found.items()}


def suggest_value(field: Field, value: str, fee_items: Sequence[str] = ()) -> str | None:
    """Our value for the office's word (住房 -> residence, 租客 -> tenant, 1 -> 男; with
    the office's fee items, 物业管理费 -> 物业服务费)."""
    return suggest(field, value, tuple(fee_items))


def suggested_setup(
    table: SheetTable, kind: ImportKind = ImportKind.AUTO, fee_items: Sequence[str] = ()
) -> ImportSetup:
    """The setup the guesses make: columns with a field, the sheet's kind, each value
    with a suggestion mapped; the fee item of a sheet that names none in a column."""
    columns = {g.column: g.field for g in guess_columns(table, kind) if g.field is not None}
    setup = ImportSetup(
        kind=guess_kind(columns) if kind is ImportKind.AUTO else kind,
        sheet=table.sheet,
        header_row=table.header_row,
        columns=columns,
    )
    items = tuple(fee_items)
    values = suggested_values(table, setup, items)
    return replace(setup, values=values, default_fee_item=_default_item(table, columns, items))


def suggested_values(
    table: SheetTable, setup: ImportSetup, fee_items: tuple[str, ...] = ()
) -> dict[Field, dict[str, str]]:
    """Each distinct value of the setup's mapped columns with a suggestion, mapped."""
    values: dict[Field, dict[str, str]] = {}
    for field, counted in distinct_values(table, setup).items():
        if field is Field.FEE_ITEM and setup.kind is ImportKind.HISTORY:
            continue  # history keeps the old system's item names as written
        mapped = {value: suggest(field, value, fee_items) for value, _ in counted}
        values[field] = {value: ours for value, ours in mapped.items() if ours is not None}
    return values


def _default_item(table: SheetTable, columns: Mapping[int, Field], items: tuple[str, ...]) -> str:
    if Field.FEE_ITEM in columns.values() or not items:
        return ""
    if len(items) == 1:
        return items[0]
    headers = "".join(table.headers[index] for index in columns)
    named = [item for item in items if item in headers or item[:2] in headers]
    return named[0] if len(named) == 1 else ""
