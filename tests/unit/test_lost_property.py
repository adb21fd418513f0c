"""失物招领: recording an item found (with its photo), a claim (identity checked, signed
for, once only), disposal after the keeping period, the lists, the home-screen line,
the handover item, the retention purge and the personal-data tools."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.db.models import AuditEntry
from frontdesk.domain.lost_property import (
    Category,
    Disposal,
    IdCheck,
    ItemState,
    parse_item_number,
)
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import NotFound, PermissionDenied, UserError, ValidationError
from frontdesk.services import lost_property
from frontdesk.services.database import Database
from frontdesk.services.lost_property import ClaimInput, FoundInput, LostPropertySettings
from frontdesk.services.today.lines import Severity
from tests.unit.photos import png

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
RESIDENT_ID = "110101199003074514"


@pytest.fixture(autouse=True)
def _beijing(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as time_module

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time_module.tzset()
    yield
    monkeypatch.delenv("TZ")
    time_module.tzset()


def found(**changes: object) -> FoundInput:
    values: dict[str, object] = {
        "category": Category.KEYS,
        "description": "黑色钥匙串，3 把钥匙带小熊挂件",
        "found_at": NOW - timedelta(hours=2),
        "found_place": "3 栋大堂",
        "kept_place": "前台抽屉 A1",
        "finder_name": "保洁 王阿姨",
        "finder_phone": "13900001111",
    }
    values.update(changes)
    return FoundInput(**values)  # type: ignore[arg-type]


def claim(**changes: object) -> ClaimInput:
    values: dict[str, object] = {
        "claimant_name": "张三",
        "claimant_phone": "139 1234 5678",
        "id_check": IdCheck.ID_CARD,
        "id_number": RESIDENT_ID,
        "signed": True,
    }
    values.update(changes)
    return ClaimInput(**values)  # type: ignore[arg-type]


def test_numbers_are_read_however_typed() -> None:
    for typed in ("SW-261125001", "sw261125001", "261125001"):
        assert parse_item_number(typed) == "SW-261125001"
    with pytest.raises(ValidationError, match="SW-"):
        parse_item_number("FX-261125001")


def test_an_item_found_is_numbered_with_its_photo(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    photo = png(tmp_path / "keys.png")
    first = lost_property.record_found(db, admin, found(), photo=photo, now=NOW)
    second = lost_property.record_found(db, admin, found(finder_name="", finder_phone=""), now=NOW)
    assert (first.number, second.number) == ("SW-261125001", "SW-261125002")
    assert first.has_photo and not second.has_photo
    assert lost_property.item_photo(db, admin, first.number) == photo.read_bytes()
    with pytest.raises(NotFound):
        lost_property.item_photo(db, admin, second.number)
    assert first.finder_phone == "139****1111"
    assert first.state == ItemState.HELD and first.due_on == date(2026, 12, 25)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": " "}, "物品描述"),
        ({"found_place": ""}, "拾获地点"),
        ({"kept_place": ""}, "存放位置"),
        ({"finder_phone": "12"}, "拾获人电话"),
        ({"found_at": NOW + timedelta(hours=1)}, "拾获时间"),
    ],
)
def test_bad_input_names_the_field(
    db: Database, admin: Actor, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        lost_property.record_found(db, admin, found(**changes), now=NOW)
    assert caught.value.field == field
    assert lost_property.list_items(db, admin, now=NOW) == []


def test_a_claim_is_checked_signed_and_happens_once(db: Database, admin: Actor) -> None:
    item = lost_property.record_found(db, admin, found(), now=NOW)
    with pytest.raises(ValidationError, match="证件号码"):
        lost_property.claim_item(db, admin, item.number, claim(id_number=""), now=NOW)
    with pytest.raises(ValidationError, match="签字"):
        lost_property.claim_item(db, admin, item.number, claim(signed=False), now=NOW)
    assert lost_property.find_item(db, admin, item.number).state == ItemState.HELD
    claimed = lost_property.claim_item(db, admin, item.number, claim(), now=NOW)
    assert claimed.state == ItemState.CLAIMED
    assert (claimed.claimant, claimed.claimant_id) == ("张三", "110***********4514")
    assert claimed.handed_by == admin.display_name
    with pytest.raises(UserError, match="已于 2026-11-25 10:00 由 张三 认领"):
        lost_property.claim_item(db, admin, item.number, claim(claimant_name="李四"), now=NOW)
    with pytest.raises(UserError, match="认领"):
        lost_property.dispose_item(db, admin, item.number, Disposal.POLICE, "民警 刘", now=NOW)
    with pytest.raises(NotFound, match="SW-261125009"):
        lost_property.claim_item(db, admin, "SW-261125009", claim(), now=NOW)


def test_disposal_waits_for_the_keeping_period(db: Database, admin: Actor) -> None:
    keys = lost_property.record_found(db, admin, found(), now=NOW)
    phone = lost_property.record_found(db, admin, found(category=Category.ELECTRONICS), now=NOW)
    with pytest.raises(ValidationError, match="期满前只能移交派出所"):
        lost_property.dispose_item(db, admin, keys.number, Disposal.DISCARDED, "", now=NOW)
    later = NOW + timedelta(days=31)
    with pytest.raises(ValidationError, match="只能移交派出所"):
        lost_property.dispose_item(db, admin, phone.number, Disposal.DONATED, "", now=later)
    with pytest.raises(ValidationError, match="处理说明"):
        lost_property.dispose_item(db, admin, phone.number, Disposal.POLICE, "", now=later)
    given = lost_property.dispose_item(
        db, admin, phone.number, Disposal.POLICE, "城东派出所 民警 刘明 回执 0012", now=later
    )
    assert given.state == ItemState.DISPOSED and given.outcome == "移交派出所（12-26）"
    with pytest.raises(UserError, match="已于 2026-12-26 移交派出所"):
        lost_property.claim_item(db, admin, phone.number, claim(), now=later)
    thrown = lost_property.dispose_item(db, admin, keys.number, Disposal.DISCARDED, "", now=later)
    assert thrown.state == ItemState.DISPOSED


def test_lists_line_and_handover(db: Database, admin: Actor) -> None:
    old = lost_property.record_found(db, admin, found(description="蓝色雨伞"), now=NOW)
    later = NOW + timedelta(days=30)
    fresh = lost_property.record_found(
        db, admin, found(found_at=later - timedelta(hours=1)), now=later
    )
    rows = lost_property.list_items(db, admin, now=later)
    assert [r.number for r in rows] == [fresh.number, old.number]
    (due,) = lost_property.list_items(db, admin, due_only=True, now=later)
    assert due.number == old.number and due.state == ItemState.DUE
    (line,) = lost_property.today_lines(db, admin, later)
    assert (line.key, line.count, line.severity) == ("lost_items_due", 1, Severity.WARN)
    assert (line.lead.area, line.lead.tab) == ("counter", "失物招领")
    item = lost_property.handover_item(db, admin, later)
    assert item.count == 2 and item.text == "保管中的失物 2 件，其中保管期满 1 件"
    assert item.details[0] == f"{old.number} 蓝色雨伞（前台抽屉 A1）"


def test_only_counter_roles_keep_the_register(db: Database, make_user) -> None:
    cashier = make_user(Role.CASHIER)
    with pytest.raises(PermissionDenied):
        lost_property.record_found(db, cashier, found(), now=NOW)


def test_people_are_purged_after_the_period(db: Database, admin: Actor) -> None:
    lost_property.set_lost_property_settings(
        db, admin, LostPropertySettings(keep_days=30, retention_days=90)
    )
    item = lost_property.record_found(db, admin, found(), now=NOW)
    lost_property.claim_item(db, admin, item.number, claim(), now=NOW)
    held = lost_property.record_found(db, admin, found(), now=NOW)
    much_later = NOW + timedelta(days=120)
    assert lost_property.purge_personal_data(db, admin, now=NOW + timedelta(days=30)) == 0
    assert lost_property.purge_personal_data(db, admin, now=much_later, dry_run=True) == 1
    assert lost_property.purge_personal_data(db, admin, now=much_later) == 1
    erased = lost_property.find_item(db, admin, item.number, now=much_later)
    assert (erased.finder, erased.claimant, erased.claimant_phone) == (
        "（已按期清除）",
        "（已按期清除）",
        "",
    )
    assert erased.description.startswith("黑色钥匙串") and erased.claimed_at is not None
    assert lost_property.find_item(db, admin, held.number).finder == "保洁 王阿姨"
    with db.read() as session:
        summaries = session.scalars(select(AuditEntry.summary).where(AuditEntry.action == "purge"))
        assert any("1 件失物" in s for s in summaries)
    with pytest.raises(ValidationError, match="保管天数"):
        lost_property.set_lost_property_settings(db, admin, LostPropertySettings(keep_days=1))


def test_finders_and_claimants_in_the_personal_data_tools(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from frontdesk.services.personal.erase import erase_person
    from frontdesk.services.personal.export import export_person
    from frontdesk.services.personal.rights import RecordKind, find_person

    item = lost_property.record_found(db, admin, found(finder_name="张三"), now=NOW)
    (finder,) = find_person(db, admin, name="张三", now=NOW)
    assert finder.kind == RecordKind.FINDER and not finder.erasable
    lost_property.claim_item(db, admin, item.number, claim(), now=NOW)
    refs = find_person(db, admin, name="张三", now=NOW)
    assert {r.kind for r in refs} == {RecordKind.FINDER, RecordKind.CLAIMANT}
    assert all(r.erasable for r in refs)
    (claimant,) = find_person(db, admin, id_number=RESIDENT_ID, now=NOW)
    assert claimant.kind == RecordKind.CLAIMANT

    path = tmp_path / "copy.xlsx"
    assert export_person(db, admin, refs, path, now=NOW) == 2
    book = load_workbook(path)
    values = [c for row in book["失物认领人"].iter_rows(values_only=True) for c in row]
    assert RESIDENT_ID in values and "13912345678" in values

    erase_person(db, admin, refs, "本人要求", now=NOW)
    assert find_person(db, admin, name="张三", now=NOW) == []
    row = lost_property.find_item(db, admin, item.number)
    assert (row.finder, row.finder_phone, row.claimant_phone, row.claimant_id) == ("", "", "", "")
    assert row.claimed_at is not None
