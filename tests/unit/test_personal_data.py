"""People's rights over their personal data: find one person everywhere, hand them a
copy, erase what may be erased and keep what the law keeps; every act audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text
from stdnum.cn import ric

from frontdesk.db.models import AuditEntry, IssuedDocument, Renovation, RenovationWorker
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import CareCategory, PersonKind, Relation
from frontdesk.domain.issued import Output
from frontdesk.domain.periods import Period
from frontdesk.domain.renovation import Status
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.printouts import visitors as visitor_printouts
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.personal.erase import ERASED_NAME, erase_person
from frontdesk.services.personal.export import export_person
from frontdesk.services.personal.rights import RecordKind, find_person, make_query
from frontdesk.services.visitors.bookings import BookingInput, create_booking
from frontdesk.services.visitors.register import VisitInput, register_visit, sign_out
from frontdesk.services.visitors.settings import VisitorSettings, set_visitor_settings
from frontdesk.services.visitors.watchlist import WatchInput, add_watch, remove_watch
from tests.stored_files import document_kept
from tests.unit.fee_fixtures import TODAY, make_community

# 2026-11-25 10:00 in Beijing (fee_fixtures.TODAY).
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
PHONE = "13912345678"
OTHER_PHONE = "13700001111"


def resident_id(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


TENANT_ID = resident_id("11010119900307451")
OWNER_ID = resident_id("44030419751201123")


@pytest.fixture(autouse=True)
def _beijing(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as time_module

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time_module.tzset()
    yield
    monkeypatch.delenv("TZ")
    time_module.tzset()


@dataclass(frozen=True)
class World:
    db: Database
    admin: Actor
    room: int
    owner: int
    tenant: int
    visit_number: str
    pass_sha256: str
    stranger_visit: int
    payment: int
    worker: int


def _visit(room: int, name: str, phone: str, **more: object) -> VisitInput:
    return VisitInput(room, name, phone, confirmed_by="业主 张三", **more)  # type: ignore[arg-type]


@pytest.fixture
def world(db: Database, admin: Actor, make_user) -> World:
    town = make_community(db, admin)
    room = town.occupied
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    owner = households.add_record(
        db,
        admin,
        room,
        households.PersonInput(
            PersonKind.OWNER, "张三", Relation.SELF, id_number=OWNER_ID, phone="13800000001"
        ),
    )
    tenant = households.add_record(
        db,
        admin,
        room,
        households.PersonInput(
            PersonKind.TENANT,
            "李四",
            Relation.TENANT,
            gender="男",
            id_number=TENANT_ID,
            phone="139-1234-5678",
            lease_start=date(2024, 1, 1),
            lease_end=date(2025, 12, 31),
            lives_here=False,
            note="原租户，钥匙已交回",
        ),
    )
    households.add_record(db, admin, room, households.CareInput("李四", CareCategory.ALONE))
    set_visitor_settings(db, admin, VisitorSettings(require_id=True))
    visit = register_visit(
        db,
        admin,
        _visit(room, "李四", "139 1234 5678", id_number=TENANT_ID, plate="粤B12345"),
        now=NOW - timedelta(days=3),
    )
    sign_out(db, admin, visit.number, now=NOW - timedelta(days=3) + timedelta(hours=1))
    printout = visitor_printouts.visitor_pass(db, admin, visit.id)
    issued_documents.record(db, admin, printout, Output.PRINTED)
    with db.read() as session:
        sha = session.scalar(
            select(IssuedDocument.sha256).where(IssuedDocument.reference == visit.number)
        )
    # Another 李四 with another phone and document: someone else.
    stranger = register_visit(
        db,
        admin,
        _visit(room, "李四", OTHER_PHONE, id_number=resident_id("32010219880808123")),
        now=NOW - timedelta(days=2),
    )
    sign_out(db, admin, stranger.number, now=NOW - timedelta(days=2) + timedelta(hours=1))
    create_booking(
        db,
        admin,
        BookingInput(
            room, "李四", PHONE, TODAY - timedelta(days=1), time(9), time(18), "业主 张三"
        ),
        now=NOW - timedelta(days=2),
    )
    watch = add_watch(
        db,
        admin,
        WatchInput("曾拖欠租金后失联", TODAY + timedelta(days=30), name="李四", phone=PHONE),
        today=TODAY - timedelta(days=10),
    )
    remove_watch(db, admin, watch)
    cashier = make_user(Role.CASHIER)
    view = payments.counter_view(db, cashier, room, TODAY)
    posted = payments.post_payment(
        db,
        cashier,
        PaymentRequest(
            room,
            tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills),
            (TenderInput(PayMethod.CASH, sum(b.outstanding_fen for b in view.open_bills)),),
            payer="李四",
        ),
        TODAY,
    )
    with db.write(admin) as session:
        renovation = Renovation(
            room_id=room,
            number="ZX2601-0001",
            applicant="张三",
            applicant_phone="13800000001",
            contractor="某某装饰公司",
            contractor_person="王五",
            contractor_phone="13600000000",
            starts_on=date(2026, 1, 5),
            ends_on=date(2026, 3, 5),
            scope="墙面",
            status=Status.CLOSED.value,
            created_by="管理员",
        )
        session.add(renovation)
        session.flush()
        worker = RenovationWorker(
            room_id=room,
            renovation_id=renovation.id,
            name="李四",
            phone=PHONE,
            trade="木工",
            id_number=TENANT_ID,
            pass_no="ZX2601-0001-01",
            returned_on=date(2026, 3, 5),
        )
        session.add(worker)
        session.flush()
        worker_id = worker.id
    return World(
        db,
        admin,
        room,
        owner,
        tenant,
        visit.number,
        sha or "",
        stranger.id,
        posted.payment_id,
        worker_id,
    )


def kinds(refs) -> set[RecordKind]:
    return {r.kind for r in refs}


def test_the_document_number_alone_finds_every_record_that_holds_it(world: World) -> None:
    refs = find_person(world.db, world.admin, id_number=TENANT_ID.lower(), now=NOW)
    assert kinds(refs) == {RecordKind.PERSON, RecordKind.VISIT, RecordKind.WORKER}
    assert all(not r.candidate and r.matched == "证件号码" for r in refs)
    person = next(r for r in refs if r.kind == RecordKind.PERSON)
    assert (person.label, person.room_code, person.name) == ("租户", "1-1-101", "李四")
    assert person.phone == "139****5678"  # masked on screen
    assert person.erasable and "已删除" in person.reason
    assert "2025-12-31" in person.dates
    worker = next(r for r in refs if r.kind == RecordKind.WORKER)
    assert worker.erasable and "ZX2601-0001" in worker.dates


def test_name_and_phone_find_the_person_and_list_name_only_records_as_candidates(
    world: World,
) -> None:
    refs = find_person(world.db, world.admin, name="李四", phone="139 1234 5678", now=NOW)
    certain = {r.kind for r in refs if not r.candidate}
    assert certain == {
        RecordKind.PERSON,
        RecordKind.VISIT,
        RecordKind.BOOKING,
        RecordKind.WATCH,
        RecordKind.WORKER,
    }
    candidates = {r.kind: r for r in refs if r.candidate}
    assert set(candidates) == {RecordKind.CARE, RecordKind.PAYMENT}
    assert candidates[RecordKind.CARE].matched == "仅姓名相同"
    assert refs[-1].candidate  # certain matches first
    # The other 李四 (another phone) is someone else; the owner is not 李四 at all.
    visits = [r for r in refs if r.kind == RecordKind.VISIT]
    assert len(visits) == 1 and world.stranger_visit not in {r.record_id for r in visits}
    payment = candidates[RecordKind.PAYMENT]
    assert not payment.erasable and "会计档案" in payment.reason


def test_a_name_alone_lists_everyone_of_that_name_as_candidates(world: World) -> None:
    refs = find_person(world.db, world.admin, name="李四", now=NOW)
    visits = {r.record_id for r in refs if r.kind == RecordKind.VISIT}
    assert world.stranger_visit in visits and len(visits) == 2
    assert all(r.candidate and r.matched == "仅姓名相同" for r in refs)


def test_owners_and_current_residents_are_found_but_kept(world: World) -> None:
    (owner,) = find_person(world.db, world.admin, id_number=OWNER_ID, now=NOW)
    assert owner.label == "产权人" and not owner.erasable and "产权人" in owner.reason
    households.add_record(
        world.db,
        world.admin,
        world.room,
        households.PersonInput(PersonKind.RESIDENT, "赵六", Relation.CHILD, phone="13500000000"),
    )
    (resident,) = find_person(world.db, world.admin, name="赵六", phone="13500000000", now=NOW)
    assert not resident.erasable and resident.reason == "现住户：搬离后方可删除"


def test_criteria_are_checked_and_the_permission_is_required(world: World, make_user) -> None:
    with pytest.raises(ValidationError, match="至少填写一项"):
        find_person(world.db, world.admin)
    with pytest.raises(ValidationError, match="电话"):
        find_person(world.db, world.admin, phone="12345")
    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied, match="个人信息查阅与删除"):
        find_person(world.db, clerk, name="李四")
    supervisor = make_user(Role.SUPERVISOR)
    assert find_person(world.db, supervisor, id_number=TENANT_ID, now=NOW)


def _audit(db: Database, entity: str = "personal_data") -> list[AuditEntry]:
    with db.read() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
            )
        )


def test_the_copy_holds_the_full_values_and_the_log_only_masked_ones(
    world: World, tmp_path: Path
) -> None:
    query = make_query("李四", PHONE, TENANT_ID)
    refs = find_person(world.db, world.admin, name="李四", phone=PHONE, id_number=TENANT_ID)
    path = tmp_path / "copy.xlsx"
    count = export_person(world.db, world.admin, refs, path, query=query, requester="李四", now=NOW)
    assert count == len(refs)
    book = load_workbook(path)
    assert book.sheetnames[0] == "说明"
    assert {"户档案人员", "访客登记", "访客预约", "访客黑名单", "装修工人", "关怀对象"} <= set(
        book.sheetnames
    )
    cover = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert cover["申请人"] == "李四"
    assert TENANT_ID in cover["查询条件"] and "管理员" in cover["经办人"]
    people = list(book["户档案人员"].iter_rows(values_only=True))
    assert people[0][:4] == ("房屋", "身份", "与户关系", "姓名")
    assert people[1][3:8] == ("李四", "男", "居民身份证", TENANT_ID, PHONE)
    visits = list(book["访客登记"].iter_rows(values_only=True))
    assert visits[1][0] == world.visit_number and TENANT_ID in visits[1] and "粤B12345" in visits[1]
    money = list(book["收款记录（付款人）"].iter_rows(values_only=True))
    assert money[1][2] == "李四"
    (entry,) = _audit(world.db)
    assert entry.action == "export" and entry.summary.startswith("个人信息查阅复制")
    logged = entry.summary + entry.changes
    assert TENANT_ID not in logged and PHONE not in logged and "李四" not in logged
    assert "110***********" in entry.summary and "139****5678" in entry.summary


def _raw(db: Database, sql: str, **params: object) -> list[tuple]:
    with db.read() as session:
        return [tuple(r) for r in session.execute(text(sql), params)]


def test_erasing_a_former_tenant_and_her_visits_leaves_nothing_of_her_in_those_rows(
    world: World,
) -> None:
    query = make_query("李四", PHONE, TENANT_ID)
    refs = find_person(world.db, world.admin, name="李四", phone=PHONE, id_number=TENANT_ID)
    assert document_kept(world.db, world.pass_sha256)
    report = erase_person(world.db, world.admin, refs, "本人书面申请删除", query=query, now=NOW)
    assert report.counts == {
        "户档案人员": 1,
        "访客登记": 1,
        "访客预约": 1,
        "访客黑名单": 1,
        "装修工人": 1,
        "关怀对象": 1,
    }
    assert {r.kind for r in report.kept} == {RecordKind.PAYMENT}
    assert "会计档案" in report.kept[0].reason
    assert report.documents == 1 and report.complete
    assert not document_kept(world.db, world.pass_sha256)
    assert any("审计日志" in line for line in report.standing)

    (person,) = _raw(
        world.db,
        "SELECT name, name_pinyin, name_initials, name_mixed, gender, id_type, id_number,"
        " phone, note, lives_here, lease_end FROM person WHERE id = :id",
        id=world.tenant,
    )
    # (raw rows: SQLite gives its stored text and 0, a server a date and False)
    assert person[:10] == (ERASED_NAME, "", "", "", "", "", "", "", "", 0)
    assert str(person[10]) == "2025-12-31"
    # Nor do the keyed tokens of her phone's tails point at her any more.
    tokens = "SELECT count(*) FROM phone_lookup WHERE entity = 'person' AND row_id = :id"
    assert _raw(world.db, tokens, id=world.tenant) == [(0,)]
    (visit,) = _raw(
        world.db,
        "SELECT visitor_name, visitor_phone, id_type, id_number, plate, note, purged_at IS NULL"
        " FROM visit WHERE number = :n",
        n=world.visit_number,
    )
    assert visit == ("", "", "", "", "", "", 0)
    assert _raw(world.db, "SELECT visitor_name, visitor_phone FROM visit_booking") == [("", "")]
    assert _raw(world.db, "SELECT name, phone, id_number FROM watch_entry") == [("", "", "")]
    assert _raw(world.db, "SELECT name, phone, id_number, pass_no FROM renovation_worker") == [
        (ERASED_NAME, "", "", "ZX2601-0001-01")
    ]
    assert _raw(world.db, "SELECT count(*) FROM care_need") == [(0,)]
    for table, column in (("person", "phone"), ("visit", "visitor_phone")):
        rows = _raw(world.db, f"SELECT count(*) FROM {table} WHERE {column} LIKE '%12345678'")
        assert rows == [(0,)]
    # The register keeps its entry of the pass; only the stored file is gone.
    (purged,) = _raw(
        world.db,
        "SELECT purged_at IS NOT NULL FROM issued_document WHERE reference = :n",
        n=world.visit_number,
    )
    assert purged == (1,)
    # The other 李四 and the owner are untouched.
    assert _raw(
        world.db, "SELECT visitor_name FROM visit WHERE id = :id", id=world.stranger_visit
    ) == [("李四",)]
    assert _raw(world.db, "SELECT name FROM person WHERE id = :id", id=world.owner) == [("张三",)]
    assert find_person(world.db, world.admin, id_number=TENANT_ID, now=NOW) == []


def test_money_records_keep_their_payer_and_the_erasure_is_audited(world: World) -> None:
    before = _raw(world.db, "SELECT * FROM payment")
    receipts = _raw(world.db, "SELECT * FROM receipt")
    query = make_query("李四", PHONE, "")
    refs = find_person(world.db, world.admin, name="李四", phone=PHONE, now=NOW)
    erase_person(world.db, world.admin, refs, "本人申请", query=query, now=NOW)
    assert _raw(world.db, "SELECT * FROM payment") == before
    assert _raw(world.db, "SELECT * FROM receipt") == receipts
    assert _raw(world.db, "SELECT payer FROM payment") == [("李四",)]
    entries = _audit(world.db)
    overall = next(e for e in entries if e.room_id is None)
    assert overall.action == "delete"
    assert "户档案人员 1" in overall.summary and "访客登记 1" in overall.summary
    assert "保留" in overall.summary and "收款记录（付款人） 1" in overall.summary
    assert "原因：本人申请" in overall.summary
    assert PHONE not in overall.summary + overall.changes and "李四" not in overall.summary
    filed = [e for e in entries if e.room_id == world.room]
    assert len(filed) == 1 and "本户" in filed[0].summary
    # No change entry of the ORM hook copied the old values into the log.
    assert not [e for e in _audit(world.db, "person") if e.at == NOW or "已删除" in e.changes]


def test_an_owner_alone_is_refused_and_nothing_changes(world: World) -> None:
    refs = find_person(world.db, world.admin, id_number=OWNER_ID, now=NOW)
    with pytest.raises(UserError, match=r"没有可以删除的记录.*产权人"):
        erase_person(world.db, world.admin, refs, "本人申请", now=NOW)
    assert _raw(world.db, "SELECT name FROM person WHERE id = :id", id=world.owner) == [("张三",)]
    assert _audit(world.db) == []


def test_a_reason_is_required(world: World) -> None:
    refs = find_person(world.db, world.admin, id_number=TENANT_ID, now=NOW)
    with pytest.raises(ValidationError, match="删除原因"):
        erase_person(world.db, world.admin, refs, "  ", now=NOW)


def test_nothing_is_half_saved_when_one_record_may_no_longer_be_erased(world: World) -> None:
    refs = find_person(world.db, world.admin, id_number=TENANT_ID, now=NOW)
    # The tenant moves back in between the search and the erasure.
    households.update_record(
        world.db,
        world.admin,
        world.tenant,
        households.PersonInput(
            PersonKind.TENANT, "李四", Relation.TENANT, id_number=TENANT_ID, phone=PHONE
        ),
    )
    with pytest.raises(UserError, match=r"现租户.*未删除任何记录"):
        erase_person(world.db, world.admin, refs, "本人申请", now=NOW)
    assert _raw(
        world.db, "SELECT visitor_name FROM visit WHERE number = :n", n=world.visit_number
    ) == [("李四",)]
    assert _raw(world.db, "SELECT name FROM renovation_worker") == [("李四",)]
    assert document_kept(world.db, world.pass_sha256)
    assert _audit(world.db) == []


def test_a_visitor_still_inside_is_kept_until_signed_out(world: World) -> None:
    register_visit(
        world.db,
        world.admin,
        _visit(world.room, "孙七", "13300000000", id_number=resident_id("11010519850101001")),
        now=NOW,
    )
    (inside,) = find_person(world.db, world.admin, name="孙七", phone="13300000000", now=NOW)
    assert not inside.erasable and "签离" in inside.reason


def test_a_refund_is_found_by_the_account_holder_as_well_as_the_payee(db, admin) -> None:
    from frontdesk.services.fees import refunds

    town = make_community(db, admin)
    request = PaymentRequest(
        town.occupied, (), (TenderInput(PayMethod.CASH, 30000),), prepaid_fen=30000
    )
    payments.post_payment(db, admin, request, TODAY)
    refunds.post_refund(
        db,
        admin,
        refunds.RefundRequest(
            town.occupied,
            PayMethod.TRANSFER,
            "业主搬离，退还预存",
            "张三",
            amount_fen=30000,
            account_name="王五",
            bank="中国工商银行滨江支行",
            account_no="6222 0212 3456 7890 123",
        ),
        TODAY,
    )
    refs = find_person(db, admin, name="王五", now=NOW)
    assert [r.kind for r in refs] == [RecordKind.REFUND]
