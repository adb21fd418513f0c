"""The setup a clerk starts from, the same for the wizard and `frontdesk import`: a
saved mapping (its kind, unless the clerk chose another) or the guesses from the
headers, with the owners' sheet linked when owners are kept apart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from frontdesk.domain.onboarding import ImportKind, ImportSetup
from frontdesk.services.onboarding.guessing import suggested_setup
from frontdesk.services.onboarding.reading import link_for, setup_from_json
from frontdesk.services.onboarding.sheets import SheetTable


def starting_setup(
    path: Path,
    table: SheetTable,
    kind: ImportKind,
    *,
    saved_json: str | None = None,
    fee_items: Sequence[str] = (),
    link_sheet: str | None = None,
) -> ImportSetup:
    if saved_json is not None:
        setup = setup_from_json(saved_json, table)
        if kind is not ImportKind.AUTO:
            setup = replace(setup, kind=kind)
    else:
        setup = suggested_setup(table, kind, fee_items)
    return replace(setup, link=link_for(path, link_sheet)) if link_sheet else setup
