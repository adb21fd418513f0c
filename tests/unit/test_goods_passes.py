"""物品放行条: the rules, issuing with warnings, the gate check (once only), cancelling,
the day's list, the home-screen line, the handover item and the retention purge."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from frontdesk.db.models import AuditEntry
from frontdesk.domain.goods_passes import (
    Applicant,
    Consent,
    PassState,
    parse_items,
    parse_pass_number,
    pass_number,
)
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import NotFound, PermissionDenied, UserError, ValidationError
from frontdesk.services import goods_passes
from frontdesk.services.database import Database
from frontdesk.services.fees import billing
from frontdesk.services.goods_passes import GoodsPassInput, GoodsPassSettings
from frontdesk.services.today.lines import Severity
from tests.unit.fee_fixtures import TODAY, Community, make_community

# 2026-11-25 10:00 in Beijing.
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _beijing(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as time_module

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time_module.tzset()
    yield
    monkeypatch.delenv("TZ")
    time_module.tzset()


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    return make_community(db, admin)


def application(room: int, **changes: object) -> GoodsPassInput:
    values: dict[str, object] = {
        "room_id": room,
        "applicant_name": "张三",
        "applicant_phone": "139 1234 5678",
        "items": "冰箱 1 台\n双人床 1 张",
        "window_start": NOW,
        "window_end": NOW + timedelta(hours=4),
        "plate": "苏A 12345",
    }
    values.update(changes)
    return GoodsPassInput(**values)  # type: ignore[arg-type]


# the rules --------------------------------------------------------------------------


def test_numbers_are_read_however_typed_or_scanned() -> None:
    assert pass_number(date(2026, 12, 7), 3) == "FX-261207003"
    for typed in ("FX-261207003", "fx261207003", "FX 261207 003", "261207003"):
        assert parse_pass_number(typed) == "FX-261207003"
    for wrong in ("FX-26120700", "FK-261207003", "", "FX-２６１２０７００３"):
        with pytest.raises(ValidationError):
            parse_pass_number(wrong)


def test_items_are_one_a_line_and_limited() -> None:
    assert parse_items("冰箱 1 台；沙发 1 张\n\n") == ("冰箱 1 台", "沙发 1 张")
    with pytest.raises(ValidationError, match="至少"):
        parse_items(" \n ")
    with pytest.raises(ValidationError, match="最多"):
        parse_items("\n".join(f"箱子 {i}" for i in range(21)))


# issuing ----------------------------------------------------------------------------


def test_an_owner_gets_a_numbered_pass(db: Database, admin: Actor, town: Community) -> None:
    first = goods_passes.issue_pass(db, admin, application(town.occupied), now=NOW)
    second = goods_passes.issue_pass(db, admin, application(town.occupied), now=NOW)
    assert (first.number, second.number) == ("FX-261125001", "FX-261125002")
    assert first.room_code == "1-1-101"
    assert first.items == ("冰箱 1 台", "双人床 1 张")
    assert first.plate == "苏A12345"
    assert first.phone == "139****5678"
    assert first.state == PassState.OPEN
    assert first.warnings == ""


def test_a_tenant_needs_the_owners_consent(db: Database, admin: Actor, town: Community) -> None:
    tenant = application(town.occupied, applicant=Applicant.TENANT)
    with pytest.raises(ValidationError, match="业主如何同意"):
        goods_passes.issue_pass(db, admin, tenant, now=NOW)
    with pytest.raises(ValidationError, match="同意的业主"):
        goods_passes.issue_pass(
            db, admin, application(town.occupied, applicant="tenant", consent="phone"), now=NOW
        )
    assert goods_passes.list_passes(db, admin, TODAY, now=NOW) == []
    row = goods_passes.issue_pass(
        db,
        admin,
        application(
            town.occupied, applicant=Applicant.TENANT, consent=Consent.PHONE, consent_by="李四"
        ),
        now=NOW,
    )
    assert row.consent_text == "电话确认（李四）"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"items": ""}, "放行物品"),
        ({"applicant_name": " "}, "申请人"),
        ({"applicant_phone": ""}, "申请人电话"),
        ({"plate": "ABC"}, "车牌号"),
        ({"window_end": NOW - timedelta(hours=1)}, "放行时间"),
        ({"window_end": NOW + timedelta(days=4)}, "放行时间"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    db: Database, admin: Actor, town: Community, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        goods_passes.issue_pass(db, admin, application(town.occupied, **changes), now=NOW)
    assert caught.value.field == field
    assert goods_passes.list_passes(db, admin, TODAY, now=NOW) == []


def test_arrears_and_renovation_warn_but_never_refuse(
    db: Database, admin: Actor, town: Community
) -> None:
    for month in (9, 10):
        billing.run_billing(db, admin, Period(2026, month), today=TODAY)
    warnings = goods_passes.household_warnings(db, admin, town.occupied, TODAY)
    assert len(warnings) == 1 and warnings[0].startswith("该户欠费 ")
    row = goods_passes.issue_pass(db, admin, application(town.occupied), now=NOW)
    assert row.warnings == warnings[0]
    assert row.state == PassState.OPEN


def test_only_counter_roles_issue_passes(db: Database, make_user, town: Community) -> None:
    cashier = make_user(Role.CASHIER)
    with pytest.raises(PermissionDenied):
        goods_passes.issue_pass(db, cashier, application(town.occupied), now=NOW)
    clerk = make_user(Role.CLERK)
    assert goods_passes.issue_pass(db, clerk, application(town.occupied), now=NOW).number


# the gate ---------------------------------------------------------------------------


def test_a_pass_lets_goods_out_once(db: Database, admin: Actor, town: Community) -> None:
    row = goods_passes.issue_pass(db, admin, application(town.occupied), now=NOW)
    later = NOW + timedelta(minutes=30)
    used = goods_passes.check_at_gate(db, admin, "fx 261125001", now=later)
    assert used.state == PassState.USED and used.used_by == admin.display_name
    with pytest.raises(UserError, match="已于 2026-11-25 10:30 放行"):
        goods_passes.check_at_gate(db, admin, row.number, now=later + timedelta(minutes=5))
    assert goods_passes.find_pass(db, admin, row.number).used_at == later
    with pytest.raises(NotFound, match="FX-261125009"):
        goods_passes.check_at_gate(db, admin, "FX-261125009", now=later)


def test_the_gate_refuses_outside_the_window(db: Database, admin: Actor, town: Community) -> None:
    tomorrow = NOW + timedelta(days=1)
    goods_passes.issue_pass(
        db,
        admin,
        application(town.occupied, window_start=tomorrow, window_end=tomorrow + timedelta(hours=2)),
        now=NOW,
    )
    with pytest.raises(UserError, match="现在还不能放行"):
        goods_passes.check_at_gate(db, admin, "FX-261125001", now=NOW)
    with pytest.raises(UserError, match="过期"):
        goods_passes.check_at_gate(db, admin, "FX-261125001", now=tomorrow + timedelta(hours=4))
    assert goods_passes.find_pass(db, admin, "FX-261125001").used_at is None


def test_a_cancelled_pass_is_refused_at_the_gate(
    db: Database, admin: Actor, town: Community
) -> None:
    goods_passes.issue_pass(db, admin, application(town.occupied), now=NOW)
    with pytest.raises(ValidationError, match="作废原因"):
        goods_passes.cancel_pass(db, admin, "FX-261125001", " ", now=NOW)
    cancelled = goods_passes.cancel_pass(db, admin, "FX-261125001", "不搬了", now=NOW)
    assert cancelled.state == PassState.CANCELLED
    with pytest.raises(UserError, match="作废"):
        goods_passes.check_at_gate(db, admin, "FX-261125001", now=NOW)


# lists, home screen, handover ---------------------------------------------------------


def test_the_days_list_and_the_open_line(db: Database, admin: Actor, town: Community) -> None:
    goods_passes.issue_pass(db, admin, application(town.occupied), now=NOW)
    goods_passes.issue_pass(db, admin, application(town.vacant), now=NOW)
    goods_passes.check_at_gate(db, admin, "FX-261125002", now=NOW)
    assert [r.number for r in goods_passes.list_passes(db, admin, TODAY, now=NOW)] == [
        "FX-261125001",
        "FX-261125002",
    ]
    assert goods_passes.list_passes(db, admin, TODAY - timedelta(days=1), now=NOW) == []
    (line,) = goods_passes.today_lines(db, admin, NOW)
    assert (line.key, line.count, line.severity) == ("goods_passes_open", 1, Severity.WARN)
    assert line.lead.area == "counter" and line.lead.tab == "物品放行"
    item = goods_passes.handover_item(db, admin, NOW)
    assert item.count == 1
    assert item.details == ("FX-261125001 1-1-101 冰箱 1 台 等 2 件 11-25 10:00–14:00",)


def test_an_expired_pass_leaves_the_open_list(db: Database, admin: Actor, town: Community) -> None:
    goods_passes.issue_pass(db, admin, application(town.occupied), now=NOW)
    later = NOW + timedelta(hours=6)
    assert goods_passes.open_passes(db, admin, now=later) == []
    assert goods_passes.handover_item(db, admin, later).count == 0
    assert goods_passes.find_pass(db, admin, "FX-261125001", now=later).state == PassState.EXPIRED


# retention ----------------------------------------------------------------------------


def test_personal_data_is_purged_after_the_period(
    db: Database, admin: Actor, town: Community
) -> None:
    old = NOW - timedelta(days=400)
    goods_passes.issue_pass(
        db,
        admin,
        application(town.occupied, window_start=old, window_end=old + timedelta(hours=2)),
        now=old,
    )
    goods_passes.issue_pass(db, admin, application(town.vacant), now=NOW)
    assert goods_passes.purge_personal_data(db, admin, now=NOW, dry_run=True) == 1
    assert goods_passes.find_pass(db, admin, "FX-251021001").applicant_name == "张三"
    assert goods_passes.purge_personal_data(db, admin, now=NOW) == 1
    purged = goods_passes.find_pass(db, admin, "FX-251021001")
    assert (purged.applicant_name, purged.phone, purged.plate) == ("（已按期清除）", "", "")
    assert purged.items == ("冰箱 1 台", "双人床 1 张") and purged.purged
    kept = goods_passes.find_pass(db, admin, "FX-261125001")
    assert kept.applicant_name == "张三"
    assert goods_passes.purge_personal_data(db, admin, now=NOW) == 0
    with db.read() as session:
        entries = session.scalars(
            select(AuditEntry.summary).where(AuditEntry.action == "purge")
        ).all()
    assert any("1 张物品放行条" in e for e in entries)


def test_the_retention_setting_is_checked(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="保存天数"):
        goods_passes.set_goods_pass_settings(db, admin, GoodsPassSettings(retention_days=10))
    goods_passes.set_goods_pass_settings(db, admin, GoodsPassSettings(retention_days=100))
    assert goods_passes.goods_pass_settings(db).retention_days == 100


# personal data rights ------------------------------------------------------------------


def test_an_applicant_is_found_exported_and_erased_once_the_pass_is_used(
    db: Database, admin: Actor, town: Community, tmp_path
) -> None:
    from openpyxl import load_workbook

    from frontdesk.services.personal.erase import erase_person
    from frontdesk.services.personal.export import export_person
    from frontdesk.services.personal.rights import RecordKind, find_person

    goods_passes.issue_pass(db, admin, application(town.occupied), now=NOW)
    (ref,) = find_person(db, admin, name="张三", phone="13912345678", now=NOW)
    assert ref.kind == RecordKind.GOODS_PASS and ref.label == "物品放行条申请人 FX-261125001"
    assert not ref.erasable and "尚未使用" in ref.reason
    with pytest.raises(UserError, match="没有可以删除的记录"):
        erase_person(db, admin, [ref], "本人要求", now=NOW)

    path = tmp_path / "copy.xlsx"
    assert export_person(db, admin, [ref], path, now=NOW) == 1
    sheet = load_workbook(path)["物品放行条申请人"]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "13912345678" in values and "冰箱 1 台；双人床 1 张" in values

    goods_passes.check_at_gate(db, admin, "FX-261125001", now=NOW)
    (ref,) = find_person(db, admin, name="张三", now=NOW)
    assert ref.erasable
    report = erase_person(db, admin, [ref], "本人要求", now=NOW)
    assert len(report.erased) == 1
    erased = goods_passes.find_pass(db, admin, "FX-261125001")
    assert (erased.applicant_name, erased.phone, erased.plate) == ("（已按期清除）", "", "")
    assert find_person(db, admin, name="张三", now=NOW) == []


def test_a_window_across_midnight_names_its_end_day() -> None:
    from frontdesk.domain.goods_passes import window_text

    assert window_text(NOW, NOW + timedelta(hours=4)) == "11-25 10:00–14:00"
    assert (
        window_text(NOW + timedelta(hours=10), NOW + timedelta(hours=15))
        == "11-25 20:00–11-26 01:00"
    )
