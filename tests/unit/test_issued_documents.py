"""The document register (发文登记): every printout recorded with what it is, whom it
is for and its exact bytes; numbering, reprints, filters, the stored files' integrity,
who may look, retention of visitor papers, and the Excel export."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.pdfgen import canvas
from sqlalchemy import select

from frontdesk import printouts
from frontdesk.db.models import AuditEntry, IssuedDocument, IssuedSubject
from frontdesk.documents.base import FONT, register_font
from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.issued import DocKind, Issue, Output, Printout, Subject
from frontdesk.domain.notices import NoticeMode
from frontdesk.domain.periods import Period
from frontdesk.domain.reminders import DEFAULT_WORDING
from frontdesk.domain.renovation import Node
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import NotFound, PermissionDenied, UserError
from frontdesk.printouts import movein as movein_printouts
from frontdesk.printouts import notices as notice_printouts
from frontdesk.printouts import reminders as reminder_printouts
from frontdesk.printouts import renovation as renovation_printouts
from frontdesk.printouts import visitors as visitor_printouts
from frontdesk.services import community
from frontdesk.services.arrears import reminders
from frontdesk.services.arrears.listing import ArrearsFilter
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, payments, refunds
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.fees.refunds import RefundRequest
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.movein import handbook
from frontdesk.services.movein import handover as movein
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.notices.posting import NoticeRequest
from frontdesk.services.notices.register import EXPORT_HEAD, RegisterFilter, StoreProblem
from frontdesk.services.protection import checks
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation import site as renovation_site
from frontdesk.services.renovation.applications import ChargeInput, RenovationInput
from frontdesk.services.visitors.register import VisitInput, register_visit
from frontdesk.services.visitors.settings import purge_visitor_data
from tests.stored_files import (
    document_kept,
    document_path,
    stored_document,
    stored_document_hashes,
)
from tests.unit.fee_fixtures import TODAY, Community, make_community

# 2026-11-25 10:00 in Beijing; the zone is pinned so "a day" is a Beijing day.
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
RENOVATION = "ZX2611-0001"


@pytest.fixture(autouse=True)
def _beijing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import time as time_module

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time_module.tzset()
    yield
    monkeypatch.delenv("TZ")
    time_module.tzset()


def this_year() -> int:
    return clock.now().year


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).astimezone()


def page_texts(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def tiny_pdf(text: str, pages: int = 1) -> bytes:
    """A small PDF of its own, for register rules that need no real document."""
    register_font()
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for n in range(pages):
        c.setFont(FONT, 12)
        c.drawString(72, 720, f"{text} 第{n + 1}页")
        c.showPage()
    c.save()
    return out.getvalue()


def handmade(
    kind: DocKind, title: str, reference: str = "", subjects: tuple[Subject, ...] = (), pages=1
) -> Printout:
    return Printout(
        tiny_pdf(f"{title}|{reference}", pages), Issue(kind, title, reference, subjects)
    )


def record_at(
    db: Database, actor: Actor, printout: Printout, at: datetime, output=Output.PRINTED
) -> str:
    """Registered as if issued at `at` (the service's own backdating hook)."""
    staged = issued_documents.staged_bytes(db, printout.pdf)
    with db.write(actor) as session:
        staged.keep(session)
        return issued_documents.record_in(
            session, actor, printout, staged.sha256, output, at=at
        ).number


def subjects_of(db: Database, number: str) -> list[tuple[int | None, int | None, int | None]]:
    with db.read() as session:
        rows = session.execute(
            select(IssuedSubject.room_id, IssuedSubject.building_id, IssuedSubject.page)
            .join(IssuedDocument, IssuedDocument.id == IssuedSubject.document_id)
            .where(IssuedDocument.number == number)
        ).all()
    return sorted((tuple(r) for r in rows), key=repr)


def numbers(db: Database, actor: Actor, flt: RegisterFilter | None = None) -> list[str]:
    return [r.number for r in issued_documents.list_issued(db, actor, flt or RegisterFilter())]


def sha(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


# the community ------------------------------------------------------------------


@dataclass
class World:
    db: Database
    admin: Actor
    town: Community
    building: int  # 1栋: the town's four rooms
    other_building: int  # 2栋
    other_room: int  # a room in 2栋


@pytest.fixture
def world(db: Database, admin: Actor) -> World:
    town = make_community(db, admin)
    billing.run_billing(db, admin, Period(2026, 10), today=TODAY)
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    households.add_record(
        db, admin, town.occupied, households.PersonInput(PersonKind.OWNER, "周新")
    )
    households.add_record(db, admin, town.vacant, households.PersonInput(PersonKind.OWNER, "李梅"))
    first = structure.list_buildings(db, admin)[0].id
    second = structure.create_building(
        db, admin, structure.NewBuilding("2", "2栋", 1, 1, 2, "90.00")
    ).id
    other_room = structure.room_ids(db, admin, structure.RoomFilter(building_id=second))[0]
    return World(db, admin, town, first, second, other_room)


def pay_all(w: World, room_id: int) -> str:
    view = payments.counter_view(w.db, w.admin, room_id, TODAY)
    bills = tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills)
    total = sum(amount for _, amount in bills)
    request = PaymentRequest(room_id, bills, (TenderInput(PayMethod.CASH, total),))
    return payments.post_payment(w.db, w.admin, request, TODAY).receipt_no


def visit(w: World, room_id: int, at: datetime = NOW, name: str = "王五"):
    data = VisitInput(room_id, name, "139 1234 5678", confirmed_by="业主 周新")
    return register_visit(w.db, w.admin, data, now=at)


def permitted_renovation(w: World) -> int:
    """Applied, approved, paid and permitted: every renovation paper can be printed."""
    data = RenovationInput(
        room_id=w.town.occupied,
        applicant="周新",
        applicant_phone="13812345678",
        contractor="金匠装饰工程有限公司",
        contractor_person="刘工",
        contractor_phone="13900001111",
        starts_on=TODAY + timedelta(days=1),
        ends_on=TODAY + timedelta(days=60),
        scope=("水电改造", "防水", "地面"),
        documents=("装修方案或图纸", "施工单位营业执照或资质", "业主身份证件"),
    )
    renovation = renovations.apply(w.db, w.admin, data, TODAY)
    renovations.review(w.db, w.admin, renovation)
    renovations.approve(
        w.db, w.admin, renovation, [ChargeInput(w.town.deposit, "deposit")], today=TODAY
    )
    pay_all(w, w.town.occupied)
    renovations.issue_permit(w.db, w.admin, renovation)
    return renovation


# each kind of document -----------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    printout: Printout
    kind: DocKind
    title: str
    reference: str
    subjects: list[tuple[int | None, int | None, int | None]]  # (room, building, page)
    shown: str  # printed on the document itself
    number: str = ""  # registered by the printout itself (kept batches)


def room(room_id: int) -> list[tuple[int | None, int | None, int | None]]:
    return [(room_id, None, None)]


def case_room_summary(w: World) -> Expected:
    p = printouts.room_summary(w.db, w.admin)
    return Expected(p, DocKind.ROOM_SUMMARY, "小区房屋统计表", "", [], "2栋")


def case_household_card(w: World) -> Expected:
    p = printouts.household_card(w.db, w.admin, w.town.occupied)
    return Expected(
        p, DocKind.HOUSEHOLD_CARD, "户档案卡 1-1-101", "", room(w.town.occupied), "周新"
    )


def case_receipt(w: World) -> Expected:
    number = pay_all(w, w.town.occupied)
    p = printouts.receipt(w.db, w.admin, number)
    return Expected(p, DocKind.RECEIPT, f"收款收据 {number}", number, room(w.town.occupied), number)


def case_refund(w: World) -> Expected:
    prepaid = PaymentRequest(
        w.town.vacant, (), (TenderInput(PayMethod.CASH, 20000),), prepaid_fen=20000
    )
    payments.post_payment(w.db, w.admin, prepaid, TODAY)
    refund = refunds.post_refund(
        w.db,
        w.admin,
        RefundRequest(w.town.vacant, PayMethod.CASH, "业主搬离", "张三", amount_fen=20000),
        TODAY,
    )
    number = refund.receipt_no
    p = printouts.receipt(w.db, w.admin, number)
    return Expected(p, DocKind.REFUND, f"退款凭证 {number}", number, room(w.town.vacant), number)


def case_daily_report(w: World) -> Expected:
    pay_all(w, w.town.occupied)
    p = printouts.daily_report(w.db, w.admin, TODAY)
    # The cashier has not done the 日结: the register says so, as the paper does.
    title = "收费日报（未日结） 2026-11-25"
    return Expected(p, DocKind.DAILY_REPORT, title, "2026-11-25", [], "2026年11月25日")


def case_collection_report(w: World) -> Expected:
    period = Period(2026, 11)
    p = printouts.collection_report(w.db, w.admin, period)
    return Expected(
        p, DocKind.COLLECTION_REPORT, f"收缴率报表 {period.label}", "2026-11", [], period.label
    )


def case_reminders(w: World) -> Expected:
    drafts = reminders.draft_notices(w.db, w.admin, ArrearsFilter(), today=TODAY)
    assert len(drafts) >= 2
    info = community.get_community(w.db)
    community.update_community(w.db, w.admin, replace(info, company_name="金盾物业服务有限公司"))
    reminders.set_payment_details(
        w.db, w.admin, reminders.PaymentDetails("8:30-17:30", "金盾物业", "工商银行", "4301")
    )
    pdf = reminder_printouts.print_reminders(w.db, w.admin, drafts, 1, today=TODAY, how=Output.KEPT)
    [row] = issued_documents.list_issued(w.db, w.admin, RegisterFilter(kinds=(DocKind.REMINDER,)))
    last = f"CJ-2026-{len(drafts):06d}"
    title = f"{DEFAULT_WORDING[1].title} CJ-2026-000001至{last}（{len(drafts)} 户）"
    subjects = [(d.room_id, None, n) for n, d in enumerate(drafts, 1)]
    return Expected(
        Printout(pdf, Issue(DocKind.REMINDER, title)),
        DocKind.REMINDER,
        title,
        "",
        sorted(subjects, key=repr),
        last,
        row.number,
    )


def case_visitor_pass(w: World) -> Expected:
    row = visit(w, w.town.occupied)
    p = visitor_printouts.visitor_pass(w.db, w.admin, row.id)
    return Expected(
        p,
        DocKind.VISITOR_PASS,
        f"访客单 {row.number}",
        row.number,
        room(w.town.occupied),
        row.number,
    )


def case_roll_call(w: World) -> Expected:
    row = visit(w, w.town.occupied)
    p = visitor_printouts.roll_call(w.db, w.admin, NOW)
    return Expected(p, DocKind.ROLL_CALL, "在场访客点名表 2026-11-25 10:00", "", [], row.number)


def case_move_in(w: World) -> Expected:
    movein.create_batch(
        w.db, w.admin, "2026年12月 1栋集中交付", date(2026, 12, 1), date(2026, 12, 10), [w.building]
    )
    p = movein_printouts.movein_set(w.db, w.admin, w.town.unsold, today=TODAY)
    return Expected(
        p, DocKind.MOVE_IN, "入伙资料 1-1-202", "1-1-202", room(w.town.unsold), "1-1-202"
    )


def case_handbook(w: World) -> Expected:
    _sections, edition = handbook.compose(w.db, TODAY)
    p = movein_printouts.owner_handbook(w.db, w.admin, TODAY)
    return Expected(p, DocKind.HANDBOOK, f"业主手册 {edition}", "", [], "业主手册")


def case_renovation_application(w: World) -> Expected:
    renovation = permitted_renovation(w)
    p = renovation_printouts.application(w.db, w.admin, renovation)
    return Expected(
        p,
        DocKind.RENOVATION_APPLICATION,
        f"装修申请表 {RENOVATION}",
        RENOVATION,
        room(w.town.occupied),
        RENOVATION,
    )


def case_renovation_permit(w: World) -> Expected:
    renovation = permitted_renovation(w)
    p = renovation_printouts.permit(w.db, w.admin, renovation, TODAY)
    return Expected(
        p,
        DocKind.RENOVATION_PERMIT,
        f"装修许可证 {RENOVATION}",
        RENOVATION,
        room(w.town.occupied),
        "XK2611-0001",
    )


def case_worker_passes(w: World) -> Expected:
    renovation = permitted_renovation(w)
    renovation_site.add_worker(
        w.db,
        w.admin,
        renovation,
        renovation_site.WorkerInput("王师傅", "13700002222", "水电工"),
        today=TODAY,
    )
    p = renovation_printouts.passes(w.db, w.admin, renovation, TODAY)
    return Expected(
        p,
        DocKind.WORKER_PASSES,
        f"装修出入证 {RENOVATION}",
        RENOVATION,
        room(w.town.occupied),
        f"{RENOVATION}-01",
    )


def case_rectification(w: World) -> Expected:
    renovation = permitted_renovation(w)
    renovation_site.record_violation(
        w.db,
        w.admin,
        renovation,
        TODAY + timedelta(days=2),
        "垃圾堆放楼道",
        TODAY + timedelta(days=3),
    )
    p = renovation_printouts.rectification(w.db, w.admin, renovation)
    return Expected(
        p,
        DocKind.RECTIFICATION,
        f"整改通知 {RENOVATION}",
        # The notices it holds, each by its own number: new ones make a new paper.
        f"{RENOVATION}/ZG{TODAY + timedelta(days=2):%y%m}-0001",
        room(w.town.occupied),
        "垃圾堆放楼道",
    )


def case_renovation_acceptance(w: World) -> Expected:
    renovation = permitted_renovation(w)
    renovations.start_work(w.db, w.admin, renovation, TODAY + timedelta(days=1))
    renovation_site.record_inspection(
        w.db,
        w.admin,
        renovation,
        Node.PLUMBING,
        TODAY + timedelta(days=5),
        True,
        today=TODAY + timedelta(days=10),
    )
    p = renovation_printouts.acceptance(w.db, w.admin, renovation)
    return Expected(
        p,
        DocKind.RENOVATION_ACCEPTANCE,
        f"竣工验收单 {RENOVATION}",
        RENOVATION,
        room(w.town.occupied),
        RENOVATION,
    )


def case_renovation_guide(w: World) -> Expected:
    _sections, edition = handbook.compose(w.db, TODAY, handbook.GUIDE)
    p = renovation_printouts.guide(w.db, w.admin, TODAY)
    return Expected(p, DocKind.RENOVATION_GUIDE, f"装修指南 {edition}", "", [], "装修指南")


def case_lobby_notice(w: World) -> Expected:
    request = NoticeRequest(
        "lift_maintenance",
        {"维保时间": "2026-11-28 09:00至12:00", "电梯": "1号梯"},
        building_ids=(w.building, w.other_building),
    )
    issued = notice_printouts.issue_notice(w.db, w.admin, request, TODAY)
    return Expected(
        issued.printout,
        DocKind.NOTICE,
        "电梯维保通知（1栋、2栋）",
        "TZ-2026-0001",
        [(None, w.building, 1), (None, w.other_building, 2)],
        "TZ-2026-0001",
        issued.register_number,
    )


def case_letters(w: World) -> Expected:
    request = NoticeRequest(
        "fee_notice",
        {"缴费期间": "2027年度", "缴费截止日期": "2027-01-31"},
        NoticeMode.LETTER,
        building_ids=(w.building,),
    )
    issued = notice_printouts.issue_notice(w.db, w.admin, request, TODAY)
    t = w.town
    # 1-1-101, 1-1-102, 1-1-201 (the unsold 1-1-202 gets no letter), a page each.
    subjects = [(t.occupied, None, 1), (t.vacant, None, 2), (t.new, None, 3)]
    return Expected(
        issued.printout,
        DocKind.LETTER,
        "物业费缴费通知（3 户）",
        "TZ-2026-0001",
        sorted(subjects, key=repr),
        "尊敬的周新业主",
        issued.register_number,
    )


CASES: list[Callable[[World], Expected]] = [
    case_room_summary,
    case_household_card,
    case_receipt,
    case_refund,
    case_daily_report,
    case_collection_report,
    case_reminders,
    case_visitor_pass,
    case_roll_call,
    case_move_in,
    case_handbook,
    case_renovation_application,
    case_renovation_permit,
    case_worker_passes,
    case_rectification,
    case_renovation_acceptance,
    case_renovation_guide,
    case_lobby_notice,
    case_letters,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__.removeprefix("case_") for c in CASES])
def test_each_printout_is_registered_as_what_it_is_with_its_exact_bytes(
    world: World, case: Callable[[World], Expected]
) -> None:
    db, admin = world.db, world.admin
    got = case(world)
    pdf = got.printout.pdf
    assert got.shown in "".join(page_texts(pdf))
    number = got.number or issued_documents.record(db, admin, got.printout, Output.PRINTED)
    assert re.fullmatch(rf"FW-{this_year()}-\d{{6}}", number)

    row = issued_documents.get_issued(db, admin, number)
    assert (row.kind, row.title, row.reference) == (got.kind, got.title, got.reference)
    assert row.pages == pdf_pages(pdf) >= 1
    assert row.size == len(pdf)
    assert row.output == (Output.KEPT if got.number else Output.PRINTED)
    assert (row.by_name, row.reprint_of, row.purged) == (admin.display_name, "", False)
    assert subjects_of(db, number) == got.subjects

    assert stored_document(db, sha(pdf)) == pdf
    again = issued_documents.open_issued(db, admin, number)
    assert again.pdf == pdf
    assert (again.issue.kind, again.issue.title) == (got.kind, got.title)
    for room_id in {r for r, _b, _p in got.subjects if r is not None}:
        assert number in numbers(db, admin, RegisterFilter(room_id=room_id))


def test_a_stored_document_is_kept_once_however_often_it_is_issued(world: World) -> None:
    db, admin = world.db, world.admin
    printout = printouts.room_summary(db, admin, NOW)
    first = issued_documents.record(db, admin, printout, Output.PRINTED)
    second = issued_documents.record(db, admin, printout, Output.SAVED)
    assert first != second
    assert stored_document_hashes(db) == {sha(printout.pdf)}


def test_page_count_reads_the_page_tree_of_a_many_page_pdf() -> None:
    for pages in (1, 2, 7):
        assert issued_documents.page_count(tiny_pdf("页数", pages)) == pages
    assert issued_documents.page_count(b"not a pdf") == 0


# numbering and reprints ----------------------------------------------------------


def test_numbers_run_from_one_each_year_without_gaps(world: World) -> None:
    db, admin = world.db, world.admin
    year = this_year()
    issued = [
        issued_documents.record(db, admin, handmade(DocKind.ROOM_SUMMARY, f"表{n}"), Output.SAVED)
        for n in range(1, 6)
    ]
    assert issued == [f"FW-{year}-{n:06d}" for n in range(1, 6)]
    last_year = record_at(
        db, admin, handmade(DocKind.ROOM_SUMMARY, "去年的表"), local(date(year - 1, 12, 31), 23, 50)
    )
    assert last_year == f"FW-{year - 1}-000001"
    after = issued_documents.record(db, admin, handmade(DocKind.ROOM_SUMMARY, "表6"), Output.SAVED)
    assert after == f"FW-{year}-000006"
    assert numbers(db, admin) == [after, last_year, *reversed(issued)]


def test_a_later_copy_with_the_same_kind_and_reference_is_a_reprint_of_the_first(
    world: World,
) -> None:
    db, admin = world.db, world.admin
    receipt_no = pay_all(world, world.town.occupied)
    first_print = printouts.receipt(db, admin, receipt_no)
    first = issued_documents.record(db, admin, first_print, Output.PRINTED)
    printouts.log_receipt_print(db, admin, receipt_no)
    second_print = printouts.receipt(db, admin, receipt_no)
    assert second_print.pdf != first_print.pdf and "补打" in "".join(page_texts(second_print.pdf))
    second = issued_documents.record(db, admin, second_print, Output.PRINTED)
    third = issued_documents.record(db, admin, second_print, Output.SAVED)
    assert issued_documents.get_issued(db, admin, first).reprint_of == ""
    assert issued_documents.get_issued(db, admin, second).reprint_of == first
    assert issued_documents.get_issued(db, admin, third).reprint_of == first  # not `second`

    # Another kind with the same reference, or no reference at all, is no reprint.
    refund_like = issued_documents.record(
        db, admin, handmade(DocKind.REFUND, "退款凭证", receipt_no), Output.PRINTED
    )
    plain = [
        issued_documents.record(db, admin, printouts.room_summary(db, admin), Output.PRINTED)
        for _ in range(2)
    ]
    for number in (refund_like, *plain):
        assert issued_documents.get_issued(db, admin, number).reprint_of == ""


def test_a_reprint_from_the_register_points_at_the_root_and_keeps_subjects(world: World) -> None:
    db, admin = world.db, world.admin
    t = world.town
    letters = handmade(
        DocKind.LETTER,
        "停水通知（2 户）",
        "TZ-2026-0007",
        (Subject(room_id=t.occupied, page=1), Subject(room_id=t.vacant, page=2)),
        pages=2,
    )
    root = issued_documents.record(db, admin, letters, Output.KEPT)
    copy = Printout(tiny_pdf("同一封信，另印"), letters.issue)
    later = issued_documents.record(db, admin, copy, Output.PRINTED)
    assert issued_documents.get_issued(db, admin, later).reprint_of == root

    reprint = issued_documents.record_reprint(db, admin, later)
    row = issued_documents.get_issued(db, admin, reprint)
    assert row.reprint_of == root  # the original, not the copy it was printed from
    assert row.output == Output.REPRINTED
    assert (row.kind, row.title, row.reference) == (
        DocKind.LETTER,
        "停水通知（2 户）",
        "TZ-2026-0007",
    )
    source = issued_documents.get_issued(db, admin, later)
    assert (row.pages, row.size) == (source.pages, source.size) == (1, len(copy.pdf))
    assert (
        subjects_of(db, reprint)
        == subjects_of(db, later)
        == [(t.occupied, None, 1), (t.vacant, None, 2)]
    )
    assert issued_documents.open_issued(db, admin, reprint).pdf == copy.pdf
    assert (
        issued_documents.get_issued(
            db, admin, issued_documents.record_reprint(db, admin, root)
        ).reprint_of
        == root
    )
    with pytest.raises(NotFound, match="FW-1999-000001"):
        issued_documents.record_reprint(db, admin, "FW-1999-000001")


def test_a_second_rectification_notice_for_new_violations_is_not_a_reprint(world: World) -> None:
    db, admin = world.db, world.admin
    renovation = permitted_renovation(world)
    found = TODAY + timedelta(days=2)
    first_violation = renovation_site.record_violation(
        db, admin, renovation, found, "垃圾堆放楼道", found + timedelta(days=1)
    )
    first = issued_documents.record(
        db, admin, renovation_printouts.rectification(db, admin, renovation), Output.PRINTED
    )
    renovation_site.resolve_violation(
        db, admin, first_violation, found + timedelta(days=1), "已清运"
    )
    renovation_site.record_violation(
        db,
        admin,
        renovation,
        found + timedelta(days=5),
        "擅自改动燃气管道",
        found + timedelta(days=6),
    )
    second_notice = renovation_printouts.rectification(db, admin, renovation)
    text = "".join(page_texts(second_notice.pdf))
    assert "擅自改动燃气管道" in text and "垃圾堆放楼道" not in text  # another notice
    second = issued_documents.record(db, admin, second_notice, Output.PRINTED)
    assert second != first
    assert issued_documents.get_issued(db, admin, second).reprint_of == ""


# finding -------------------------------------------------------------------------


@dataclass
class Filed:
    receipt: str  # 1-1-101 (1栋), 2026-11-20 10:00
    card: str  # 2栋 room, 2026-11-21 00:30 Beijing (still 11-20 in UTC)
    notice: str  # posted in 1栋, 2026-11-22
    percent: str  # title with %, 2026-11-23
    underscore: str  # title and reference with _, 2026-11-23


@pytest.fixture
def filed(world: World) -> Filed:
    db, admin, t = world.db, world.admin, world.town
    return Filed(
        record_at(
            db,
            admin,
            handmade(DocKind.RECEIPT, "收款收据 SJ00000009", "SJ00000009", (Subject(t.occupied),)),
            local(date(2026, 11, 20), 10),
        ),
        record_at(
            db,
            admin,
            handmade(DocKind.HOUSEHOLD_CARD, "户档案卡 2-1-101", "", (Subject(world.other_room),)),
            local(date(2026, 11, 21), 0, 30),
        ),
        record_at(
            db,
            admin,
            handmade(
                DocKind.NOTICE,
                "停水通知（1栋）",
                "TZ-2026-0003",
                (Subject(building_id=world.building),),
            ),
            local(date(2026, 11, 22), 9),
        ),
        record_at(
            db,
            admin,
            handmade(DocKind.ROOM_SUMMARY, "收缴率达到 100% 的楼栋"),
            local(date(2026, 11, 23), 9),
        ),
        record_at(
            db,
            admin,
            handmade(DocKind.DAILY_REPORT, "收费日报 A_B", "2026_11"),
            local(date(2026, 11, 23), 17),
        ),
    )


def test_the_register_filters_by_kind_and_local_days(world: World, filed: Filed) -> None:
    db, admin, f = world.db, world.admin, filed
    assert numbers(db, admin) == [f.underscore, f.percent, f.notice, f.card, f.receipt]
    assert numbers(db, admin, RegisterFilter(kinds=(DocKind.RECEIPT,))) == [f.receipt]
    both = RegisterFilter(kinds=(DocKind.RECEIPT, DocKind.NOTICE))
    assert numbers(db, admin, both) == [f.notice, f.receipt]
    # Days are Beijing days: the card issued at 00:30 on the 21st is on the 21st.
    assert numbers(db, admin, RegisterFilter(until=date(2026, 11, 20))) == [f.receipt]
    assert numbers(
        db, admin, RegisterFilter(since=date(2026, 11, 21), until=date(2026, 11, 21))
    ) == [f.card]
    assert numbers(db, admin, RegisterFilter(since=date(2026, 11, 23))) == [f.underscore, f.percent]
    assert numbers(db, admin, RegisterFilter(since=date(2026, 11, 24))) == []
    assert numbers(db, admin, RegisterFilter(limit=2)) == [f.underscore, f.percent]


def test_the_register_filters_by_room_and_building(world: World, filed: Filed) -> None:
    db, admin, f = world.db, world.admin, filed
    assert numbers(db, admin, RegisterFilter(room_id=world.town.occupied)) == [f.receipt]
    assert numbers(db, admin, RegisterFilter(room_id=world.other_room)) == [f.card]
    assert numbers(db, admin, RegisterFilter(room_id=world.town.vacant)) == []
    # A building: posted there, or issued for one of its rooms.
    assert numbers(db, admin, RegisterFilter(building_id=world.building)) == [f.notice, f.receipt]
    assert numbers(db, admin, RegisterFilter(building_id=world.other_building)) == [f.card]
    rows = {r.number: r for r in issued_documents.list_issued(db, admin)}
    assert (rows[f.receipt].subject, rows[f.card].subject, rows[f.notice].subject) == (
        "1-1-101",
        "2-1-101",
        "1栋",
    )
    assert rows[f.percent].subject == ""


def test_text_search_takes_percent_and_underscore_literally(world: World, filed: Filed) -> None:
    db, admin, f = world.db, world.admin, filed
    assert numbers(db, admin, RegisterFilter(text="%")) == [f.percent]
    assert numbers(db, admin, RegisterFilter(text="100%")) == [f.percent]
    assert numbers(db, admin, RegisterFilter(text="_")) == [f.underscore]
    assert numbers(db, admin, RegisterFilter(text="2026_11")) == [f.underscore]  # the reference
    assert numbers(db, admin, RegisterFilter(text=" TZ-2026-0003 ")) == [f.notice]
    assert numbers(db, admin, RegisterFilter(text=f.card)) == [f.card]  # the register number
    assert numbers(db, admin, RegisterFilter(text="停电")) == []


# integrity ------------------------------------------------------------------------


@pytest.mark.sqlite_only  # damages the file itself (a server's rows: test_file_store)
def test_an_altered_stored_file_is_refused_and_named_by_the_checks(world: World) -> None:
    db, admin = world.db, world.admin
    printout = printouts.room_summary(db, admin, NOW)
    number = issued_documents.record(db, admin, printout, Output.PRINTED)
    untouched = issued_documents.record(
        db, admin, handmade(DocKind.HANDBOOK, "业主手册 2026年版"), Output.PRINTED
    )
    assert issued_documents.verify_store(db) == []
    assert checks.check_database(db).ok

    path = document_path(db, sha(printout.pdf))
    path.write_bytes(printout.pdf.replace(b"%%EOF", b"%%EOF\n% changed"))
    with pytest.raises(UserError, match="已被改动"):
        issued_documents.open_issued(db, admin, number)
    assert issued_documents.verify_store(db) == [
        StoreProblem(number, "小区房屋统计表", "存档文件内容与登记的哈希不符")
    ]
    report = checks.check_database(db)
    assert not report.ok
    assert report.problems == [f"发文存档 {number}《小区房屋统计表》：存档文件内容与登记的哈希不符"]
    assert untouched not in " ".join(report.problems)
    assert issued_documents.open_issued(db, admin, untouched).pdf.startswith(b"%PDF")


@pytest.mark.sqlite_only  # damages the file itself (a server's rows: test_file_store)
def test_a_missing_stored_file_is_refused_and_named_by_the_checks(world: World) -> None:
    db, admin = world.db, world.admin
    printout = handmade(DocKind.RECEIPT, "收款收据 SJ00000001", "SJ00000001")
    number = issued_documents.record(db, admin, printout, Output.PRINTED)
    document_path(db, sha(printout.pdf)).unlink()
    with pytest.raises(NotFound, match="不见了"):
        issued_documents.open_issued(db, admin, number)
    assert issued_documents.verify_store(db) == [
        StoreProblem(number, "收款收据 SJ00000001", "存档文件缺失")
    ]
    assert checks.check_database(db).problems == [
        f"发文存档 {number}《收款收据 SJ00000001》：存档文件缺失"
    ]


def test_opening_a_stored_document_is_audited(world: World, make_user) -> None:
    db, admin = world.db, world.admin
    supervisor = make_user(Role.SUPERVISOR)
    number = issued_documents.record(
        db, admin, printouts.household_card(db, admin, world.town.occupied), Output.PRINTED
    )

    def views() -> list[AuditEntry]:
        with db.read() as session:
            return list(
                session.scalars(
                    select(AuditEntry).where(
                        AuditEntry.action == "view", AuditEntry.entity == "issued_document"
                    )
                )
            )

    assert views() == []
    issued_documents.list_issued(db, supervisor)
    issued_documents.get_issued(db, supervisor, number)
    assert views() == []  # finding is not looking inside
    issued_documents.open_issued(db, supervisor, number)
    [entry] = views()
    assert entry.username == supervisor.username
    assert number in entry.summary and "户档案卡 1-1-101" in entry.summary


@pytest.mark.parametrize("role", [Role.CLERK, Role.CASHIER, Role.BUTLER])
def test_only_a_supervisor_may_look_in_the_register(world: World, make_user, role: Role) -> None:
    db = world.db
    staff = make_user(role)
    # Anyone's print is registered, under their name…
    number = issued_documents.record(db, staff, printouts.room_summary(db, staff), Output.PRINTED)
    with db.read() as session:
        by_name = session.scalar(
            select(IssuedDocument.by_name).where(IssuedDocument.number == number)
        )
    assert by_name == staff.display_name
    # …but the register itself is not theirs to read.
    for look in (
        lambda: issued_documents.list_issued(db, staff),
        lambda: issued_documents.get_issued(db, staff, number),
        lambda: issued_documents.open_issued(db, staff, number),
        lambda: issued_documents.record_reprint(db, staff, number),
        lambda: issued_documents.room_documents(db, staff, world.town.occupied),
    ):
        with pytest.raises(PermissionDenied):
            look()
    assert numbers(db, make_user(Role.SUPERVISOR)) == [number]


# retention ------------------------------------------------------------------------


def test_a_visitor_purge_erases_old_visitor_papers_and_keeps_their_entries(world: World) -> None:
    db, admin, t = world.db, world.admin, world.town
    old = NOW - timedelta(days=200)
    old_visit = visit(world, t.occupied, at=old, name="赵六")
    old_pass = visitor_printouts.visitor_pass(db, admin, old_visit.id)
    old_roll = visitor_printouts.roll_call(db, admin, old + timedelta(minutes=5))
    old_summary = printouts.room_summary(db, admin, old)
    recent_visit = visit(world, t.occupied, at=NOW - timedelta(days=1), name="钱七")
    recent_pass = visitor_printouts.visitor_pass(db, admin, recent_visit.id)
    erased = [record_at(db, admin, old_pass, old), record_at(db, admin, old_roll, old)]
    kept_summary = record_at(db, admin, old_summary, old)
    kept_pass = record_at(db, admin, recent_pass, NOW - timedelta(days=1))

    result = purge_visitor_data(db, admin, now=NOW)
    assert result.documents == 2
    for number, printout in zip(erased, (old_pass, old_roll), strict=True):
        assert not document_kept(db, sha(printout.pdf))
        row = issued_documents.get_issued(db, admin, number)
        assert row.purged and row.kind in (DocKind.VISITOR_PASS, DocKind.ROLL_CALL)
        with pytest.raises(UserError, match="已按保存期限删除"):
            issued_documents.open_issued(db, admin, number)
        with pytest.raises(UserError, match="不能重印"):
            issued_documents.record_reprint(db, admin, number)
    assert issued_documents.open_issued(db, admin, kept_pass).pdf == recent_pass.pdf
    assert issued_documents.open_issued(db, admin, kept_summary).pdf == old_summary.pdf
    assert not issued_documents.get_issued(db, admin, kept_summary).purged
    # Nothing erased counts as a problem, and the next run has nothing to do.
    assert issued_documents.verify_store(db) == []
    assert checks.check_database(db).ok
    assert purge_visitor_data(db, admin, now=NOW).documents == 0
    assert len(numbers(db, admin)) == 4


def test_a_dry_run_counts_the_visitor_papers_a_purge_would_erase(world: World) -> None:
    db, admin = world.db, world.admin
    old = NOW - timedelta(days=200)
    row = visit(world, world.town.occupied, at=old)
    number = record_at(db, admin, visitor_printouts.visitor_pass(db, admin, row.id), old)
    preview = purge_visitor_data(db, admin, now=NOW, dry_run=True)
    assert preview.visits == 1
    assert not issued_documents.get_issued(db, admin, number).purged  # nothing done
    assert preview.documents == purge_visitor_data(db, admin, now=NOW).documents == 1


def test_a_visitor_pass_goes_with_its_visit_however_late_it_was_reprinted(
    world: World,
) -> None:
    db, admin = world.db, world.admin
    old = NOW - timedelta(days=200)
    row = visit(world, world.town.occupied, at=old, name="孙八")
    first = record_at(db, admin, visitor_printouts.visitor_pass(db, admin, row.id), old)
    # Reprinted from the register yesterday, and printed again from the visit today.
    with db.write(admin) as session:
        original = session.scalar(select(IssuedDocument).where(IssuedDocument.number == first))
        assert original is not None
        copy = Printout(b"", issued_documents.issue_of_document(session, original))
        reprint = issued_documents.record_in(
            session,
            admin,
            copy,
            original.sha256,
            Output.REPRINTED,
            original.id,
            at=NOW - timedelta(days=1),
        ).number
    again = visitor_printouts.visitor_pass(db, admin, row.id)
    later = record_at(db, admin, again, NOW - timedelta(hours=1))
    stored = {sha(again.pdf), original.sha256}
    assert all(document_kept(db, sha256) for sha256 in stored)

    result = purge_visitor_data(db, admin, now=NOW)

    assert result.visits == 1 and result.documents == 3
    for number in (first, reprint, later):
        assert issued_documents.get_issued(db, admin, number).purged, number
    assert not any(document_kept(db, sha256) for sha256 in stored)  # 孙八's pass is gone
    assert issued_documents.verify_store(db) == []


# export ---------------------------------------------------------------------------


def test_the_register_exports_to_excel_row_for_row(
    world: World, filed: Filed, tmp_path: Path
) -> None:
    db, admin = world.db, world.admin
    reprint = issued_documents.record_reprint(db, admin, filed.receipt)
    rows = issued_documents.list_issued(db, admin)
    path = tmp_path / "发文登记.xlsx"
    issued_documents.write_register_xlsx(rows, path)
    sheet = load_workbook(path).active
    assert sheet.title == "发文登记"
    values = [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert tuple(values[0]) == EXPORT_HEAD
    assert len(values) == 1 + len(rows) == 7
    for r, line in zip(rows, values[1:], strict=True):
        assert line == [
            r.number,
            r.kind.label,
            r.title,
            r.reference,
            r.subject,
            r.by_name,
            local_time(r.issued_at, seconds=False),
            r.output.label,
            r.pages,
            r.reprint_of,
        ]
    by_number = {line[0]: line for line in values[1:]}
    assert by_number[reprint][1:5] == ["收款收据", "收款收据 SJ00000009", "SJ00000009", "1-1-101"]
    assert by_number[reprint][7] == "登记簿重印" and by_number[reprint][9] == filed.receipt
    assert by_number[filed.card][6] == "2026-11-21 00:30"
    assert by_number[filed.percent][2] == "收缴率达到 100% 的楼栋"


def test_an_erased_entry_says_so_in_the_export(world: World, tmp_path: Path) -> None:
    db, admin = world.db, world.admin
    row = visit(world, world.town.occupied, at=NOW - timedelta(days=200))
    number = record_at(
        db, admin, visitor_printouts.visitor_pass(db, admin, row.id), NOW - timedelta(days=200)
    )
    purge_visitor_data(db, admin, now=NOW)
    path = tmp_path / "x.xlsx"
    issued_documents.write_register_xlsx(issued_documents.list_issued(db, admin), path)
    [line] = list(load_workbook(path).active.iter_rows(min_row=2, values_only=True))
    assert line[0] == number
    assert line[7] == "打印（存档内容已按期删除）"
