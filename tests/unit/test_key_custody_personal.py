"""钥匙托管 in the personal-data tools: a borrower found by name and phone, copied whole
into the person's workbook, kept while the key is out and erased once it is back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from frontdesk.errors import UserError
from frontdesk.services import key_custody as keys
from frontdesk.services.personal.erase import erase_person
from frontdesk.services.personal.export import export_person
from frontdesk.services.personal.rights import RecordKind, find_person
from tests.unit.test_key_custody import held, lending

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
PHONE = "13912345678"


def test_a_borrower_is_found_copied_kept_while_out_and_erased_once_back(
    db, admin, tmp_path: Path
) -> None:
    from frontdesk.services.households import structure

    building = structure.create_building(
        db, admin, structure.NewBuilding("3", "3栋", 2, 1, 2, "89.50")
    )
    room = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]
    tag = keys.receive_key(db, admin, held(room), now=NOW).tag
    keys.lend_key(db, admin, lending(tag), now=NOW)

    (out,) = find_person(db, admin, name="李师傅", phone=PHONE, now=NOW)
    assert (out.kind, out.room_code, out.phone) == (
        RecordKind.KEY_LENDING,
        "3-1-101",
        "139****5678",
    )
    assert not out.erasable and "尚未归还" in out.reason
    with pytest.raises(UserError, match="钥匙尚未归还：归还后方可删除"):
        erase_person(db, admin, [out], "本人要求删除", now=NOW)
    assert keys.key_history(db, admin, tag, NOW)[1][0].borrower == "李师傅"

    keys.return_key(db, admin, tag, now=NOW + timedelta(hours=1))
    (back,) = find_person(db, admin, name="李师傅", phone=PHONE, now=NOW)
    assert back.erasable
    path = tmp_path / "copy.xlsx"
    assert export_person(db, admin, [back], path, requester="李师傅", now=NOW) == 1
    sheet = load_workbook(path)["钥匙借用"]
    assert next(sheet.iter_rows(min_row=2, values_only=True))[:4] == (
        tag,
        "3-1-101",
        "李师傅",
        PHONE,
    )
    assert [r.kind for r in erase_person(db, admin, [back], "本人要求删除", now=NOW).erased] == [
        RecordKind.KEY_LENDING
    ]
    (erased,) = keys.key_history(db, admin, tag, NOW)[1]
    assert (erased.borrower, erased.phone, erased.company) == ("（已按期清除）", "", "")
    assert find_person(db, admin, name="李师傅", phone=PHONE, now=NOW) == []
