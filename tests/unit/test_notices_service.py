"""Notices through the services: the office's template store, planning and issuing
lobby notices and letters (numbered, kept and registered together, or not at all),
the archive's filters and a lobby notice's copy."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from frontdesk.db.models import IssuedDocument, IssuedSubject, Notice, ReceiptSeries
from frontdesk.domain.household import PersonKind
from frontdesk.domain.issued import DocKind, Output
from frontdesk.domain.notice_templates import LIFT_MAINTENANCE, SHIPPED_TEMPLATES, WATER_OUTAGE
from frontdesk.domain.notices import FieldKind, NoticeField, NoticeMode, NoticeTemplate
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import NotFound, PermissionDenied, UserError, ValidationError
from frontdesk.printouts import notices as notice_printouts
from frontdesk.services import community
from frontdesk.services.database import Database
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.notices import posting as notices
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.notices import templates as notice_templates
from frontdesk.services.notices.posting import NoticeFilter, NoticeRequest
from frontdesk.services.notices.register import RegisterFilter
from tests.stored_files import stored_document_hashes
from tests.unit.fee_fixtures import TODAY, Community, make_community

WATER = {"停水时间": "2026-11-28 08:00至18:00", "停水原因": "二次供水水箱清洗消毒"}
LIFT = {"维保时间": "2026-11-28 09:00至12:00", "电梯": "1号梯"}
FEES = {"缴费期间": "2027年度", "缴费截止日期": "2027-01-31"}


@pytest.fixture(autouse=True)
def _beijing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import time as time_module

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time_module.tzset()
    yield
    monkeypatch.delenv("TZ")
    time_module.tzset()


def pages_of(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour)).astimezone()


@dataclass
class Town:
    rooms: Community  # 1栋: 1-1-101 周新, 1-1-102 李梅, 1-1-201 no owner, 1-1-202 unsold
    one: int
    two: int
    three: int


@pytest.fixture
def town(db: Database, admin: Actor) -> Town:
    rooms = make_community(db, admin)
    community.update_community(
        db,
        admin,
        replace(
            community.get_community(db),
            service_phone="0571-88886666",
            company_name="杭州锦绣物业服务有限公司",
        ),
    )
    households.add_record(
        db, admin, rooms.occupied, households.PersonInput(PersonKind.OWNER, "周新")
    )
    households.add_record(db, admin, rooms.vacant, households.PersonInput(PersonKind.OWNER, "李梅"))
    one = structure.list_buildings(db, admin)[0].id
    two = structure.create_building(db, admin, structure.NewBuilding("2", "2栋", 1, 1, 2, "90")).id
    three = structure.create_building(
        db, admin, structure.NewBuilding("3", "3栋", 1, 1, 2, "90")
    ).id
    return Town(rooms, one, two, three)


def issue(db: Database, actor: Actor, request: NoticeRequest, on: date = TODAY, when=None):
    return notice_printouts.issue_notice(db, actor, request, on, at=when)


def counts(db: Database) -> tuple[int, int]:
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Notice)) or 0,
            session.scalar(select(func.count()).select_from(IssuedDocument)) or 0,
        )


def stored_files(db: Database) -> list[str]:
    """What the document store holds: a server's rows; on a file, every file in its
    folder (a half-written one too)."""
    if db.on_server:
        return sorted(stored_document_hashes(db))
    folder = db.files_dir / "documents"
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


# the template store ----------------------------------------------------------------


def rows_by_key(
    db: Database, with_retired: bool = False
) -> dict[str, notice_templates.TemplateRow]:
    return {
        r.template.key: r for r in notice_templates.list_templates(db, with_retired=with_retired)
    }


def test_the_store_lists_the_shipped_templates_unedited(db) -> None:
    rows = notice_templates.list_templates(db)
    assert [r.template for r in rows] == list(SHIPPED_TEMPLATES)
    assert all(r.shipped and not r.edited and not r.retired for r in rows)
    assert notice_templates.get_template(db, "停水通知") == WATER_OUTAGE
    assert notice_templates.get_template(db, " water_outage ") == WATER_OUTAGE
    with pytest.raises(NotFound, match="没有通知模板“停暖通知”"):
        notice_templates.get_template(db, "停暖通知")


def test_a_supervisor_edits_a_shipped_template_and_resets_it(db, admin, make_user, town) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    body = WATER_OUTAGE.body.replace("敬请谅解", "敬请各位业主谅解")
    saved = notice_templates.save_template(db, supervisor, replace(WATER_OUTAGE, body=body))
    assert saved.key == "water_outage" and saved.body == body
    row = rows_by_key(db)["water_outage"]
    assert (row.shipped, row.edited, row.retired) == (True, True, False)
    assert notice_templates.list_templates(db)[0].template.key == "water_outage"
    # A notice issued now reads as edited…
    issued = issue(db, admin, NoticeRequest("water_outage", WATER))
    assert "敬请各位业主谅解" in pages_of(issued.printout.pdf)[0]

    assert notice_templates.reset_template(db, supervisor, "water_outage") == WATER_OUTAGE
    row = rows_by_key(db)["water_outage"]
    assert (row.edited, row.template) == (False, WATER_OUTAGE)
    # …and the one issued keeps its text whatever happens to the template.
    [archived] = notices.list_notices(db, admin)
    assert "敬请各位业主谅解" in archived.body
    with pytest.raises(UserError, match="系统自带"):
        notice_templates.reset_template(db, supervisor, "custom-1")


def test_retiring_hides_a_template_from_the_list_until_restored(db, make_user) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    notice_templates.set_retired(db, supervisor, "gas_outage", True)
    assert "gas_outage" not in rows_by_key(db)
    row = rows_by_key(db, with_retired=True)["gas_outage"]
    assert (row.retired, row.edited) == (True, False)  # retired, not changed
    assert notice_templates.get_template(db, "停气通知").key == "gas_outage"
    assert len(notice_templates.list_templates(db)) == len(SHIPPED_TEMPLATES) - 1
    with pytest.raises(UserError, match="通知模板“停气通知”已停用"):
        notice_templates.template_to_issue(db, "停气通知")  # not by name or key either
    notice_templates.set_retired(db, supervisor, "gas_outage", False)
    assert notice_templates.template_to_issue(db, "gas_outage").name == "停气通知"
    assert not rows_by_key(db)["gas_outage"].retired
    with pytest.raises(NotFound):
        notice_templates.set_retired(db, supervisor, "no_such", True)


def own_template(
    name: str = "停车场施工通知", body: str = "因{施工内容}，{停用区域}暂停使用。"
) -> NoticeTemplate:
    return NoticeTemplate(
        "",
        name,
        name,
        (
            NoticeField("施工内容", FieldKind.TEXT),
            NoticeField("停用区域", FieldKind.TEXT, required=False, default="地下车库B区"),
        ),
        body,
    )


def test_the_office_adds_its_own_templates_under_new_keys(db, admin, make_user) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    first = notice_templates.save_template(db, supervisor, own_template())
    second = notice_templates.save_template(db, supervisor, own_template("绿化修剪通知"))
    assert (first.key, second.key) == ("custom-1", "custom-2")
    rows = notice_templates.list_templates(db)
    assert [r.template.name for r in rows[-2:]] == ["停车场施工通知", "绿化修剪通知"]
    assert not rows[-1].shipped and not rows[-1].edited
    assert notice_templates.get_template(db, "停车场施工通知") == first
    # An edit of one's own keeps its key.
    renamed = notice_templates.save_template(db, supervisor, replace(first, name="车库施工通知"))
    assert renamed.key == "custom-1"
    assert [r.template.name for r in notice_templates.list_templates(db)[-2:]] == [
        "车库施工通知",
        "绿化修剪通知",
    ]
    with pytest.raises(NotFound):
        notice_templates.save_template(db, supervisor, replace(first, key="custom-9"))


@pytest.mark.parametrize("name", ["停水通知", "停车场施工通知"])
def test_a_second_template_of_the_same_name_is_refused(db, make_user, name) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    notice_templates.save_template(db, supervisor, own_template())
    with pytest.raises(ValidationError) as caught:
        notice_templates.save_template(db, supervisor, own_template(name))
    assert caught.value.field == "模板名称" and name in caught.value.problem
    assert len(notice_templates.list_templates(db)) == len(SHIPPED_TEMPLATES) + 1
    # A shipped template may not take another shipped one's name either.
    with pytest.raises(ValidationError, match="模板名称"):
        notice_templates.save_template(db, supervisor, replace(LIFT_MAINTENANCE, name="停电通知"))


def test_an_unknown_placeholder_is_refused_naming_the_body(db, make_user) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    with pytest.raises(ValidationError) as caught:
        notice_templates.save_template(
            db, supervisor, own_template(body="{施工内容}，见{施工单位}。")
        )
    assert caught.value.field == "通知正文"
    assert "{施工单位}" in caught.value.problem and "{施工内容}" in caught.value.problem
    edited = replace(WATER_OUTAGE, body=WATER_OUTAGE.body + "\n\n{停水地点}")
    with pytest.raises(ValidationError, match="通知正文"):
        notice_templates.save_template(db, supervisor, edited)
    assert notice_templates.list_templates(db)[0].template == WATER_OUTAGE


@pytest.mark.parametrize("role", [Role.CLERK, Role.CASHIER, Role.BUTLER])
def test_only_a_supervisor_changes_templates(db, make_user, role) -> None:
    staff = make_user(role)
    for change in (
        lambda: notice_templates.save_template(db, staff, own_template()),
        lambda: notice_templates.reset_template(db, staff, "water_outage"),
        lambda: notice_templates.set_retired(db, staff, "water_outage", True),
    ):
        with pytest.raises(PermissionDenied):
            change()
    assert [r.template for r in notice_templates.list_templates(db)] == list(SHIPPED_TEMPLATES)


# issuing ----------------------------------------------------------------------------


def test_a_community_wide_notice_is_one_copy_for_everyone(db, admin, town) -> None:
    issued = issue(db, admin, NoticeRequest("lift_maintenance", LIFT))
    assert (issued.number, issued.copies) == (f"TZ-{TODAY.year}-0001", 1)
    [page] = pages_of(issued.printout.pdf)
    assert "尊敬的各位业主、住户：" in page
    assert "停用电梯：各楼栋1号梯" in page  # posted everywhere: each building's lift 1
    assert "2026年11月28日（星期六）9:00至12:00" in page
    assert "1栋各位" not in page and "TZ-2026-0001" in page and "0571-88886666" in page

    row = issued_documents.get_issued(db, admin, issued.register_number)
    assert (row.kind, row.reference, row.output) == (DocKind.NOTICE, issued.number, Output.KEPT)
    assert row.title == "电梯维保通知（全小区）" and row.pages == 1
    # Posted everywhere: each building finds it.
    for building in (town.one, town.two, town.three):
        flt = RegisterFilter(building_id=building)
        assert [r.number for r in issued_documents.list_issued(db, admin, flt)] == [
            issued.register_number
        ]
    [archived] = notices.list_notices(db, admin)
    assert (archived.scope, archived.copies, archived.mode) == ("全小区", 1, NoticeMode.LOBBY)
    assert archived.document_number == issued.register_number


def test_a_notice_for_three_buildings_is_a_page_each_with_its_name(db, admin, town) -> None:
    request = NoticeRequest("lift_maintenance", LIFT, building_ids=(town.three, town.one, town.two))
    issued = issue(db, admin, request)
    pages = pages_of(issued.printout.pdf)
    assert issued.copies == len(pages) == 3
    names = ["1栋", "2栋", "3栋"]  # in building order, whatever order they were picked in
    for page, name in zip(pages, names, strict=True):
        assert f"尊敬的{name}各位业主、住户：" in page
        assert f"停用电梯：{name}1号梯" in page
        assert all(f"尊敬的{other}" not in page for other in names if other != name)
    row = issued_documents.get_issued(db, admin, issued.register_number)
    assert row.title == "电梯维保通知（1栋、2栋、3栋）" and row.pages == 3
    with db.read() as session:
        subjects = session.execute(
            select(IssuedSubject.building_id, IssuedSubject.page)
            .join(IssuedDocument)
            .where(IssuedDocument.number == issued.register_number)
        ).all()
    assert sorted(subjects) == [(town.one, 1), (town.two, 2), (town.three, 3)]
    [archived] = notices.list_notices(db, admin)
    assert (archived.scope, archived.copies) == ("1栋、2栋、3栋", 3)


def test_letters_go_to_each_sold_household_of_a_building(db, admin, town) -> None:
    request = NoticeRequest("fee_notice", FEES, NoticeMode.LETTER, building_ids=(town.one,))
    issued = issue(db, admin, request)
    pages = pages_of(issued.printout.pdf)
    assert issued.copies == len(pages) == 3  # 1-1-202 is unsold
    expected = [
        ("1栋1单元101室", "尊敬的周新业主："),
        ("1栋1单元102室", "尊敬的李梅业主："),
        ("1栋1单元201室", "尊敬的业主、住户："),
    ]
    for page, (place, salutation) in zip(pages, expected, strict=True):
        assert place in page and salutation in page
    assert all("1栋1单元202室" not in page for page in pages)
    row = issued_documents.get_issued(db, admin, issued.register_number)
    assert (row.kind, row.title, row.subject) == (DocKind.LETTER, "物业费缴费通知（3 户）", "3 户")
    with db.read() as session:
        subjects = session.execute(
            select(IssuedSubject.room_id, IssuedSubject.page)
            .join(IssuedDocument)
            .where(IssuedDocument.number == issued.register_number)
        ).all()
    r = town.rooms
    assert sorted(subjects) == sorted([(r.occupied, 1), (r.vacant, 2), (r.new, 3)])
    for room_id in (r.occupied, r.vacant, r.new):
        flt = RegisterFilter(room_id=room_id)
        assert [d.number for d in issued_documents.list_issued(db, admin, flt)] == [
            issued.register_number
        ]
    [archived] = notices.list_notices(db, admin)
    assert (archived.mode, archived.scope, archived.copies) == (NoticeMode.LETTER, "3 户", 3)
    assert archived.event == "2027年1月31日"


def test_a_letter_template_names_the_owner_and_room(db, admin, make_user, town) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    template = notice_templates.save_template(
        db,
        supervisor,
        NoticeTemplate(
            "",
            "水表更换告知",
            "水表更换告知",
            (NoticeField("更换日期", FieldKind.DATE),),
            "{业主}您好：{房号}的水表将于{更换日期}更换。",
        ),
    )
    request = NoticeRequest(
        template.key, {"更换日期": "2026-12-02"}, NoticeMode.LETTER, room_ids=(town.rooms.occupied,)
    )
    [page] = pages_of(issue(db, admin, request).printout.pdf)
    assert "周新您好：1-1-101的水表将于2026年12月2日（星期三）更换。" in page


def test_numbers_run_tz_year_from_one(db, admin, town) -> None:
    numbers = [issue(db, admin, NoticeRequest("lift_maintenance", LIFT)).number for _ in range(3)]
    assert numbers == [f"TZ-{TODAY.year}-{n:04d}" for n in (1, 2, 3)]
    later = issue(db, admin, NoticeRequest("lift_maintenance", LIFT), on=date(2027, 1, 4))
    assert later.number.startswith("TZ-2027-")
    assert [n.number for n in notices.list_notices(db, admin)] == [later.number, *reversed(numbers)]


@pytest.mark.parametrize(
    ("template", "values", "field", "problem"),
    [
        ("water_outage", {"停水时间": WATER["停水时间"]}, "停水原因", "不能为空"),
        (
            "water_outage",
            {**WATER, "停水时间": "2026-11-28 18:00至08:00"},
            "停水时间",
            "结束时间须晚于开始时间",
        ),
        ("water_outage", {**WATER, "停水时间": "明天上午"}, "停水时间", ""),
        ("fee_notice", {**FEES, "缴费截止日期": "2027-02-30"}, "缴费截止日期", "没有"),
        ("water_outage", {**WATER, "停水地点": "1栋"}, "停水地点", "没有这个字段"),
    ],
)
def test_a_bad_value_is_refused_by_name_and_nothing_is_issued(
    db, admin, town, template, values, field, problem
) -> None:
    with pytest.raises(ValidationError) as caught:
        issue(db, admin, NoticeRequest(template, values, building_ids=(town.one,)))
    assert caught.value.field == field and problem in caught.value.problem
    assert counts(db) == (0, 0)
    assert stored_files(db) == []
    assert notices.list_notices(db, admin) == []


def test_a_letter_placeholder_in_a_lobby_notice_is_refused_and_nothing_issued(
    db, admin, make_user, town
) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    template = notice_templates.save_template(
        db, supervisor, own_template(body="{房号}业主：因{施工内容}，{停用区域}暂停使用。")
    )
    request = NoticeRequest(template.key, {"施工内容": "地坪翻新"})
    with pytest.raises(ValidationError) as caught:
        issue(db, admin, request)
    assert caught.value.field == "通知正文" and "{房号}" in caught.value.problem
    assert counts(db) == (0, 0) and stored_files(db) == []
    # The same template as letters is fine.
    letters = replace(request, mode=NoticeMode.LETTER, room_ids=(town.rooms.occupied,))
    assert "1-1-101业主：因地坪翻新" in pages_of(issue(db, admin, letters).printout.pdf)[0]


def test_letters_with_nobody_to_send_to_are_refused(db, admin, town) -> None:
    with pytest.raises(ValidationError, match="发送对象"):
        issue(db, admin, NoticeRequest("fee_notice", FEES, NoticeMode.LETTER))
    # 2栋's rooms are all unsold (new buildings start unsold).
    with pytest.raises(ValidationError, match="发送对象"):
        issue(
            db,
            admin,
            NoticeRequest("fee_notice", FEES, NoticeMode.LETTER, building_ids=(town.two,)),
        )
    assert counts(db) == (0, 0)


def test_an_unsaved_draft_previews_but_is_not_issued(db, admin, town) -> None:
    draft = replace(WATER_OUTAGE, body="草稿：{停水原因}，{停水时间}。")
    request = NoticeRequest("water_outage", WATER, draft=draft, building_ids=(town.one, town.two))
    preview = notice_printouts.preview(db, admin, request, TODAY)
    pages = pages_of(preview)
    assert len(pages) == 2 and "草稿：二次供水水箱清洗消毒" in pages[0]
    assert "预览，未编号" in pages[0]
    with pytest.raises(UserError, match="模板尚未保存"):
        issue(db, admin, request)
    assert counts(db) == (0, 0) and stored_files(db) == []


def test_only_staff_who_issue_notices_may(db, make_user, town) -> None:
    cashier = make_user(Role.CASHIER)
    with pytest.raises(PermissionDenied):
        issue(db, cashier, NoticeRequest("water_outage", WATER))
    clerk = make_user(Role.CLERK)
    issued = issue(db, clerk, NoticeRequest("water_outage", WATER))
    [archived] = notices.list_notices(db, cashier)  # the archive is the counter's
    assert archived.by_name == clerk.display_name == "前台甲"
    assert archived.number == issued.number


# the archive ------------------------------------------------------------------------


@dataclass
class Archive:
    drill: str  # whole community, 11-11, issued 11-05
    lift: str  # 1栋, 11-19, issued 11-16
    water: str  # 2栋 and 3栋, 11-28 to 11-29, issued 11-23
    letters: str  # 1栋's households, 2027-01-31, issued 11-24


@pytest.fixture
def archive(db: Database, admin: Actor, town: Town) -> Archive:
    requests = [
        (
            date(2026, 11, 5),
            NoticeRequest(
                "fire_drill", {"演练时间": "2026-11-11 15:00至16:30", "集合地点": "中心广场"}
            ),
        ),
        (
            date(2026, 11, 16),
            NoticeRequest(
                "lift_maintenance",
                {"维保时间": "2026-11-19 09:00至12:00", "电梯": "2号梯"},
                building_ids=(town.one,),
            ),
        ),
        (
            date(2026, 11, 23),
            NoticeRequest(
                "water_outage",
                {"停水时间": "2026-11-28 22:00至11月29日 06:00", "停水原因": "市政管网 100% 更换"},
                building_ids=(town.two, town.three),
            ),
        ),
        (
            date(2026, 11, 24),
            NoticeRequest("fee_notice", FEES, NoticeMode.LETTER, building_ids=(town.one,)),
        ),
    ]
    numbers = [issue(db, admin, r, on=day, when=at(day)).number for day, r in requests]
    return Archive(*numbers)


def found(db: Database, actor: Actor, **filters: object) -> list[str]:
    return [n.number for n in notices.list_notices(db, actor, NoticeFilter(**filters))]


def test_the_archive_lists_newest_first_with_what_was_announced(db, admin, archive) -> None:
    rows = notices.list_notices(db, admin)
    assert [r.number for r in rows] == [archive.letters, archive.water, archive.lift, archive.drill]
    water = rows[1]
    assert (water.title, water.template_name, water.scope) == ("停水通知", "停水通知", "2栋、3栋")
    assert water.event == "2026年11月28日至2026年11月29日"
    assert water.issued_at == at(date(2026, 11, 23))
    assert "市政管网 100% 更换" in water.body


def test_the_archive_filters_by_building_including_community_wide(db, admin, town, archive) -> None:
    a = archive
    assert found(db, admin, building_id=town.one) == [a.letters, a.lift, a.drill]
    assert found(db, admin, building_id=town.two) == [a.water, a.drill]
    assert found(db, admin, building_id=town.three) == [a.water, a.drill]
    # A building put up after a community-wide notice was posted still counts it.
    later = structure.create_building(
        db, admin, structure.NewBuilding("5", "5栋", 1, 1, 1, "90")
    ).id
    assert found(db, admin, building_id=later) == [a.drill]


def test_the_archive_answers_was_this_announced(db, admin, archive) -> None:
    a = archive
    assert found(db, admin, happening_on=date(2026, 11, 29)) == [a.water]
    assert found(db, admin, happening_on=date(2026, 11, 28)) == [a.water]
    assert found(db, admin, happening_on=date(2026, 11, 27)) == []
    assert found(db, admin, happening_on=date(2026, 11, 19)) == [a.lift]
    assert found(db, admin, happening_on=date(2027, 1, 31)) == [a.letters]


def test_the_archive_filters_by_text_and_issue_dates(db, admin, archive) -> None:
    a = archive
    assert found(db, admin, text="管网") == [a.water]  # in the body
    assert found(db, admin, text="100%") == [a.water]
    assert found(db, admin, text="%") == [a.water]  # taken literally
    assert found(db, admin, text="消防") == [a.drill]  # in the title
    assert found(db, admin, text=a.lift) == [a.lift]  # the number
    assert found(db, admin, since=date(2026, 11, 16), until=date(2026, 11, 23)) == [a.water, a.lift]
    assert found(db, admin, until=date(2026, 11, 15)) == [a.drill]
    assert found(db, admin, since=date(2026, 11, 25)) == []
    assert found(db, admin, building_id=None, happening_on=date(2026, 11, 11), text="演练") == [
        a.drill
    ]


def test_a_lobby_notice_copy_is_the_pdf_issued_but_letters_are_refused(
    db, admin, make_user, town
) -> None:
    posted = issue(db, admin, NoticeRequest("water_outage", WATER, building_ids=(town.one,)))
    letters = issue(
        db, admin, NoticeRequest("fee_notice", FEES, NoticeMode.LETTER, building_ids=(town.one,))
    )
    clerk = make_user(Role.CLERK)  # the counter answers with the notice itself
    copy = notices.notice_copy(db, clerk, posted.number)
    assert copy.pdf == posted.printout.pdf
    assert (copy.issue.kind, copy.issue.reference) == (DocKind.NOTICE, posted.number)
    with pytest.raises(UserError, match="业户信函载有住户信息"):
        notices.notice_copy(db, clerk, letters.number)
    with pytest.raises(NotFound, match="TZ-1999-0001"):
        notices.notice_copy(db, clerk, "TZ-1999-0001")


def test_notice_and_register_entry_are_recorded_together(db, admin, town) -> None:
    issued = issue(db, admin, NoticeRequest("water_outage", WATER, building_ids=(town.one,)))
    with db.read() as session:
        notice = session.scalar(select(Notice).where(Notice.number == issued.number))
        document = session.get(IssuedDocument, notice.document_id)
        values = json.loads(notice.values_json)
        (series,) = session.execute(
            select(ReceiptSeries.next_number).where(ReceiptSeries.code == "TZ")
        ).one()
    assert document.number == issued.register_number
    assert document.reference == issued.number
    assert values["停水时间"] == "2026-11-28 08:00/2026-11-28 18:00"
    assert (notice.event_start, notice.event_end) == (date(2026, 11, 28), date(2026, 11, 28))
    assert series == 2
    assert (
        issued_documents.open_issued(db, admin, issued.register_number).pdf == issued.printout.pdf
    )


def test_a_notice_that_prints_the_phone_needs_the_phone(db, admin) -> None:
    """Not "请致电物业服务中心：。": the clerk is told which 小区信息 field to fill in."""
    assert community.get_community(db).service_phone == ""
    with pytest.raises(ValidationError, match="服务中心电话：小区信息中还没有填写"):
        notices.plan(db, admin, NoticeRequest("water_outage", WATER), TODAY)


# -- 物业费缴费通知: each household's own amount ---------------------------------------


def test_each_fee_letter_states_its_households_amount_and_has_its_own_number(
    db, admin, town
) -> None:
    """area × price × months by item, the vacancy reduction, the total in words; and
    TZ-…-0001, -0002, -0003 on the three letters."""
    values = {**FEES, "计费起始月份": "2027-01", "计费月数": "12"}
    request = NoticeRequest("fee_notice", values, NoticeMode.LETTER, building_ids=(town.one,))
    issued = issue(db, admin, request)
    occupied, vacant, new = pages_of(issued.printout.pdf)
    # 89.50 ㎡ × 2.50 = 223.75 a month (the price since July 2026), twelve months.
    assert "物业服务费：89.50㎡×2.50元/㎡/月=223.75元/月×12个月=2,685.00元" in occupied
    assert "生活垃圾处理费：1户×10.00元/户/月=10.00元/月×12个月=120.00元" in occupied
    assert "应缴金额合计：2,805.00元（人民币贰仟捌佰零伍元整）" in occupied
    assert "计费期间：2027年1月起12个月" in occupied
    # Vacant: 30 % off each month, rounded to the fen as the bills are (67.13 × 12).
    assert "物业服务费减免（空置房物业服务费按七成收取）：-805.56元" in vacant
    assert "应缴金额合计：1,999.44元" in vacant
    assert "应缴金额合计：2,805.00元" in new
    numbers = [re.search(r"编号：(TZ-\d{4}-\d{4}-\d{4})", page) for page in (occupied, vacant, new)]
    assert [m.group(1) if m else None for m in numbers] == [
        f"{issued.number}-0001",
        f"{issued.number}-0002",
        f"{issued.number}-0003",
    ]


def test_a_fee_letter_shows_a_price_change_and_a_part_month_on_their_own_lines(
    db, admin, town
) -> None:
    values = {**FEES, "计费起始月份": "2026-06", "计费月数": "2"}
    request = NoticeRequest(
        "fee_notice", values, NoticeMode.LETTER, room_ids=(town.rooms.occupied,)
    )
    [page] = pages_of(issue(db, admin, request).printout.pdf)
    assert "物业服务费（2026年6月）：89.50㎡×2.20元/㎡/月=196.90元" in page
    assert "物业服务费（2026年7月）：89.50㎡×2.50元/㎡/月=223.75元" in page
    values = {**FEES, "计费起始月份": "2026-11", "计费月数": "2"}
    request = NoticeRequest("fee_notice", values, NoticeMode.LETTER, room_ids=(town.rooms.new,))
    [page] = pages_of(issue(db, admin, request).printout.pdf)
    # Handed over on 16 November: 15 of 30 days, as the November bill charges it.
    assert "物业服务费（2026年11月16日起15天，按日折算）：111.88元" in page
    assert "物业服务费（2026年12月）：89.50㎡×2.50元/㎡/月=223.75元" in page


def test_a_posted_fee_notice_lists_the_standards_and_next_month_by_default(db, admin, town) -> None:
    """No household's figures on a lobby wall: the prices with their units; 计费起始月份
    left at 下月 is the month after the issue date."""
    issued = issue(db, admin, NoticeRequest("fee_notice", FEES, NoticeMode.LOBBY))
    [page] = pages_of(issued.printout.pdf)
    assert "物业服务费：2.50元/㎡/月（按房屋建筑面积每月计收）" in page
    assert "按各户建筑面积（户数）和上述标准计算12个月" in page
    assert "计费期间：2026年12月起12个月" in page  # issued 2026-11-25


@pytest.mark.parametrize(
    ("field", "value"), [("计费起始月份", "明年"), ("计费月数", "0"), ("计费月数", "一年")]
)
def test_a_fee_letter_with_bad_months_is_refused_by_name(db, admin, town, field, value) -> None:
    before = counts(db)
    request = NoticeRequest(
        "fee_notice", {**FEES, field: value}, NoticeMode.LETTER, building_ids=(town.one,)
    )
    with pytest.raises(ValidationError) as caught:
        issue(db, admin, request)
    assert caught.value.field == field
    assert counts(db) == before
