"""Dates and states on the papers agree with the record (issue 17, §4 and §5): the
permit's 发证日期, permits and passes of stopped or finished works, each 整改通知's
own number, the move-in notice and key dates, overdue defects, when a renovation
worker's visit ends, and the roll call's whole phone numbers."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.db.models import AuditEntry
from frontdesk.domain import clock
from frontdesk.domain.household import PersonKind
from frontdesk.domain.movein import Step
from frontdesk.domain.renovation import Status, permit_refusal, working_day_end
from frontdesk.domain.roles import Actor
from frontdesk.domain.visitors import Confirmation, Purpose, confirmation_phrase
from frontdesk.errors import UserError, ValidationError
from frontdesk.printouts import movein as movein_printouts
from frontdesk.printouts import renovation as renovation_printouts
from frontdesk.printouts import visitors as visitor_printouts
from frontdesk.services.database import Database
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.movein import defects
from frontdesk.services.movein import handover as movein
from frontdesk.services.movein.defects import DefectInput
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation import site as renovation_site
from frontdesk.services.visitors import register as visitors
from frontdesk.services.visitors.register import VisitInput
from tests.unit.fee_fixtures import TODAY, Community, make_community
from tests.unit.test_renovations import approved, pay_everything

START = TODAY + timedelta(days=1)  # the works of application() run START .. TODAY + 60
END = TODAY + timedelta(days=60)


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    return make_community(db, admin)


@pytest.fixture
def permitted(db: Database, admin: Actor, town: Community) -> int:
    """Approved, paid, and its permit issued on TODAY."""
    renovation = approved(db, admin, town, _fee(db, admin))
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, renovation, today=TODAY)
    return renovation


def _fee(db: Database, admin: Actor) -> int:
    from frontdesk.domain.fees import Collection, FeeMethod
    from frontdesk.services.fees import items as fees

    item = fees.add_fee_item(db, admin, "装修垃圾清运费", "装修", FeeMethod.ONE_OFF, Collection.OWN)
    fees.add_price_plan(db, admin, item, 3_000_000, date(2020, 1, 1))
    return item


# -- 装修许可证 and 出入证 ----------------------------------------------------------------------


def test_the_permit_carries_the_day_it_was_issued_not_the_day_it_is_printed(
    db, admin, permitted
) -> None:
    printed_on = TODAY + timedelta(days=9)
    clock.freeze(datetime.combine(printed_on, time(10)).astimezone())
    text = flat(text_of(renovation_printouts.permit(db, admin, permitted, printed_on).pdf))
    assert f"发证日期：{TODAY:%Y年%m月%d日}" in text
    assert f"{printed_on:%Y年%m月%d日}" not in text


def test_a_permit_and_passes_of_stopped_works_are_refused(db, admin, permitted) -> None:
    renovations.start_work(db, admin, permitted, START)
    renovation_site.add_worker(
        db,
        admin,
        permitted,
        renovation_site.WorkerInput("王建军", "13712345678", "水电工"),
        today=START,
    )
    assert renovation_printouts.passes(db, admin, permitted, START).pdf  # valid: printed
    renovation_site.record_violation(
        db, admin, permitted, START, "擅自拆改承重墙", START + timedelta(days=3), stop_work=True
    )
    with pytest.raises(UserError, match=r"停工整改.*装修许可证暂停有效"):
        renovation_printouts.permit(db, admin, permitted, START)
    with pytest.raises(UserError, match=r"停工整改.*装修出入证暂停有效"):
        renovation_printouts.passes(db, admin, permitted, START)


def test_a_permit_past_its_end_date_is_refused(db, admin, permitted) -> None:
    assert renovation_printouts.permit(db, admin, permitted, END).pdf  # its last day
    with pytest.raises(UserError, match=f"装修期已于 {END:%Y-%m-%d} 结束.*已失效"):
        renovation_printouts.permit(db, admin, permitted, END + timedelta(days=1))
    with pytest.raises(UserError, match="已失效"):
        renovation_printouts.passes(db, admin, permitted, END + timedelta(days=1))


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Status.STOPPED, "停工整改"),
        (Status.COMPLETED, "已竣工验收，装修许可证已失效"),
        (Status.SETTLED, "押金已结算，装修许可证已失效"),
        (Status.CLOSED, "已关闭，装修许可证已失效"),
        (Status.APPROVED, "尚未发装修许可证"),
    ],
)
def test_only_permitted_works_under_way_print_a_valid_permit(status: Status, words: str) -> None:
    assert words in permit_refusal(status, END, TODAY, "装修许可证")
    for valid in (Status.PERMITTED, Status.IN_PROGRESS):
        assert permit_refusal(valid, END, TODAY, "装修许可证") == ""


# -- 整改通知 ----------------------------------------------------------------------------------


def test_each_rectification_notice_has_its_own_number_and_date(db, admin, permitted) -> None:
    renovations.start_work(db, admin, permitted, START)
    first_day, second_day = START, START + timedelta(days=4)
    renovation_site.record_violation(
        db, admin, permitted, first_day, "垃圾堆放楼道", first_day + timedelta(days=2)
    )
    renovation_site.record_violation(
        db, admin, permitted, second_day, "周六使用电锤", second_day + timedelta(days=1)
    )
    numbers = [v.notice_no for v in renovation_site.list_violations(db, admin, permitted)]
    prefix = f"ZG{first_day:%y%m}-"
    assert numbers[0] == f"{prefix}0001"
    assert len(set(numbers)) == 2 and all(re.fullmatch(r"ZG\d{4}-\d{4}", n) for n in numbers)
    printout = renovation_printouts.rectification(db, admin, permitted)
    pages = [flat(page) for page in pages_of(printout.pdf)]
    assert len(pages) == 2  # one notice a page
    for page, number, day, problem in zip(
        pages, numbers, (first_day, second_day), ("垃圾堆放楼道", "周六使用电锤"), strict=True
    ):
        assert f"编号：{number}" in page and problem in page
        assert f"{day:%Y-%m-%d}" in page
        assert "装修编号：ZX" in page  # the renovation's number only in the facts
    assert printout.issue.reference.endswith("、".join(numbers))


# -- 入伙资料 ----------------------------------------------------------------------------------


def test_movein_papers_keep_the_notice_date_and_the_day_the_keys_changed_hands(
    db, admin, town
) -> None:
    notice_day = TODAY - timedelta(days=20)
    building = structure.list_buildings(db, admin)[0].id
    movein.create_batch(
        db,
        admin,
        "尾盘交付",
        TODAY - timedelta(days=10),
        TODAY + timedelta(days=5),
        [building],
        today=notice_day,
    )
    room = town.unsold
    households.add_record(
        db, admin, room, households.PersonInput(PersonKind.OWNER, "周新", phone="13812340000")
    )
    keys_at = datetime.combine(TODAY - timedelta(days=3), time(10, 30)).astimezone()
    movein.record_step(db, admin, room, Step.KEYS, {"keys": {"入户门钥匙": 3}}, keys_at)
    defects.add_defect(
        db,
        admin,
        room,
        DefectInput(
            "卫生间", "防水", "卫生间地漏周边渗水", "施工单位", keys_at.date(), TODAY - timedelta(2)
        ),
    )
    printed_on = TODAY + timedelta(days=1)
    pages = [
        flat(p) for p in pages_of(movein_printouts.movein_set(db, admin, room, printed_on).pdf)
    ]
    invitation = next(p for p in pages if "入伙通知书" in p)
    assert f"{notice_day:%Y年%m月%d日}" in invitation
    assert f"{printed_on:%Y年%m月%d日}" not in invitation
    checklist = next(p for p in pages if "钥匙" in p and "办理清单" in p)
    handed = next(p for p in pages if "移交日期" in p)
    assert f"移交日期：{keys_at:%Y-%m-%d}" in handed
    assert f"{keys_at:%Y-%m-%d}" in checklist  # the same day on the checklist
    inspection = next(p for p in pages if "验房记录表" in p)
    overdue = (printed_on - (TODAY - timedelta(days=2))).days
    assert f"待整改超期{overdue}天" in inspection and "其中已超期1项" in inspection


def test_a_step_cannot_be_recorded_in_the_future(db, admin, town) -> None:
    later = clock.now() + timedelta(hours=2)
    with pytest.raises(ValidationError, match="办理时间"):
        movein.record_step(db, admin, town.unsold, Step.HANDBOOK, {}, later)


# -- 装修施工 visits ---------------------------------------------------------------------------


def _worker_visit(db: Database, admin: Actor, room: int, at: datetime) -> datetime:
    data = VisitInput(
        room,
        "王建军",
        "13712345678",
        purpose=Purpose.RENOVATION,
        confirmation=Confirmation.PHONE,
        confirmed_by="持装修出入证 ZX2611-0001-01",
    )
    return visitors.register_visit(db, admin, data, now=at).expected_leave_at


def test_a_renovation_visit_ends_with_the_permitted_working_hours(db, admin, town) -> None:
    day = clock.today()
    arrived = datetime.combine(day, time(16, 14)).astimezone()
    leave = _worker_visit(db, admin, town.occupied, arrived)
    assert leave.astimezone() == datetime.combine(day, time(18, 0)).astimezone()
    # Half an hour before the end, half an hour of work: not an hour past the end.
    last_minutes = datetime.combine(day, time(17, 30)).astimezone()
    leave = _worker_visit(db, admin, town.occupied, last_minutes)
    assert leave.astimezone() == datetime.combine(day, time(18, 0)).astimezone()
    late = datetime.combine(day, time(18, 30)).astimezone()
    assert _worker_visit(db, admin, town.occupied, late) == late + timedelta(hours=1)
    settings = renovations.RenovationSettings(60, "工作日 8:30–12:00、14:00–18:30")
    renovations.set_renovation_settings(db, admin, settings)
    leave = visitors.usual_leave(db, Purpose.RENOVATION, arrived)
    assert leave == datetime.combine(day, time(18, 30)).astimezone()
    # Other visits keep their usual stay.
    assert visitors.usual_leave(db, Purpose.FAMILY, arrived) == arrived + timedelta(hours=3)


def test_working_hours_must_name_their_times(db, admin) -> None:
    assert working_day_end("工作日 8:00–12:00、14:00–18:00；周末不得施工") == time(18, 0)
    with pytest.raises(ValidationError, match="允许施工时间"):
        renovations.set_renovation_settings(
            db, admin, renovations.RenovationSettings(60, "工作日白天")
        )


# -- 在场访客点名表 and the pass wording --------------------------------------------------------


def test_the_roll_call_has_whole_phones_an_assembly_point_and_counts(db, admin, town) -> None:
    households.add_record(
        db,
        admin,
        town.occupied,
        households.PersonInput(PersonKind.OWNER, "徐敏军", phone="13905710001"),
    )
    at = clock.now() - timedelta(minutes=30)
    visitors.register_visit(
        db,
        admin,
        VisitInput(town.occupied, "李四", "13812345678", party_size=3, confirmed_by="业主 徐敏军"),
        now=at,
    )
    printout = visitor_printouts.roll_call(db, admin, assembly_point="中心广场")
    text = flat(text_of(printout.pdf))
    assert "13812345678" in text and "13905710001" in text  # whole, to phone them
    assert "业主徐敏军" in text
    assert "集合点：中心广场" in text
    assert "应到：3人" in text and "已清点：" in text and "未找到：" in text
    assert "结束后由清点人收回销毁" in text
    with db.read() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "reveal", AuditEntry.entity == "visit")
        ).one()
    assert "在场访客点名表" in entry.summary


@pytest.mark.parametrize(
    ("confirmation", "who", "phrase"),
    [
        (Confirmation.PHONE, "业主 徐敏军", "业主徐敏军电话确认"),
        (Confirmation.BOOKING, "业主 徐敏军", "业主徐敏军预约"),
        (Confirmation.ESCORTED, "", "业主陪同"),
        (Confirmation.PHONE, "持装修出入证 ZX2611-0001-01", "持装修出入证 ZX2611-0001-01"),
    ],
)
def test_the_confirmation_reads_as_a_clerk_says_it(
    confirmation: Confirmation, who: str, phrase: str
) -> None:
    assert confirmation_phrase(confirmation, who) == phrase


def test_the_58mm_pass_keeps_a_bracket_on_one_line_and_reads_naturally() -> None:
    from frontdesk.documents.base import Letterhead
    from frontdesk.documents.visitor_pass import VisitorPassDoc, visitor_pass_pdf
    from frontdesk.domain.visitors import PassPaper

    doc = VisitorPassDoc(
        number="FK2612060012",
        place="2栋4单元1201室",
        visitor="欧阳娜娜",
        phone="138****5678",
        party_size=1,
        plate="",
        purpose="探亲访友",
        confirmation=confirmation_phrase(Confirmation.PHONE, "业主 徐敏军"),
        arrived_at="2026-12-06 16:14",
        valid_until="2026-12-06 19:14",
        clerk="前台 李四",
        note="送生日蛋糕（冷藏，请勿倒置）并取回钥匙；携带电锤（已告知施工时间）",
    )
    pdf = visitor_pass_pdf(Letterhead("锦绣华庭"), doc, PassPaper.ROLL_58)
    lines = [line.strip() for page in pages_of(pdf) for line in page.splitlines()]
    assert any("（冷藏，请勿倒置）" in line for line in lines), lines
    assert any("（已告知施工时间）" in line for line in lines), lines
    assert any("业主徐敏军电话确认" in line for line in lines), lines
