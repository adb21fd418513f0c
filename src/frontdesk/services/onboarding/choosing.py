"""The setup a clerk starts from, the same for the wizard and `frontdesk import`: a
saved mapping (its kind, unless the clerk chose another) or the guesses from the
headers, with the owners' sheet linked when owners are kept apart; and the values the
clerk is asked to map."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from frontdesk.domain.onboarding import Field, ImportKind, ImportSetup, Link
from frontdesk.services.onboarding.guessing import distinct_values, suggested_setup
from frontdesk.services.onboarding.reading import setup_from_json, setup_with_link
from frontdesk.services.onboarding.sheets import SheetTable, read_table


def starting_setup(
    path: Path,
    table: SheetTable,
    kind: ImportKind,
    *,
    saved_json: str | None = None,
    fee_items: Sequence[str] = (),
    link: Link | None = None,
) -> ImportSetup:
    if saved_json is not None:
        setup = setup_from_json(saved_json, table, fee_items)
        if kind is not ImportKind.AUTO:
            setup = replace(setup, kind=kind)
    else:
        setup = suggested_setup(table, kind, fee_items)
    return setup_with_link(path, setup, link, fee_items) if link is not None else setup


def values_to_map(
    path: Path, table: SheetTable, setup: ImportSetup
) -> dict[Field, list[tuple[str, int]]]:
    """Each distinct value of the mapped columns, with its count, of the sheet and of its
    owners sheet together (性别 may be on either), most frequent first."""
    found: dict[Field, Counter[str]] = {}
    parts = [distinct_values(table, setup)]
    if setup.link is not None:
        link = setup.link
        owners = read_table(path, link.sheet, link.header_row)
        parts.append(distinct_values(owners, ImportSetup(ImportKind.PEOPLE, columns=link.columns)))
    for part in parts:
        for mapped, counted in part.items():
            found.setdefault(mapped, Counter()).update(dict(counted))
    return {mapped: counter.most_common() for mapped, counter in found.items() if counter}
