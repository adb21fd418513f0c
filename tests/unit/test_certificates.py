"""Certificates (证明开具): what each kind may say and when it is refused, numbering,
the verification code, verifying against the register, revoking, and the paper."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.db.models import AuditEntry
from frontdesk.domain.certificates import (
    CODE_ALPHABET,
    CertificateKind,
    Standing,
    clean_code,
    qr_text,
    read_scan,
    shown_code,
)
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.issued import DocKind
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.printouts import certificates as certificate_printouts
from frontdesk.services.certificates import issuing, register
from frontdesk.services.certificates.issuing import CertificateRequest
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, refunds
from frontdesk.services.fees.refunds import DeductionInput, RefundRequest
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.notices import register as issued_documents
from tests.unit.fee_fixtures import TODAY, Community, make_community
from tests.unit.test_renovations import pay_everything

pytestmark = pytest.mark.clock(TODAY)
OWNER_ID = "110101199003074514"
AT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    town = make_community(db, admin)
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    households.add_record(
        db,
        admin,
        town.occupied,
        households.PersonInput(PersonKind.OWNER, "张三", Relation.SELF, id_number=OWNER_ID),
    )
    return town


def issue(db: Database, actor: Actor, request: CertificateRequest, at: datetime = AT):
    return certificate_printouts.issue(db, actor, request, at=at)


def flat(pdf: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)


# the words and the code --------------------------------------------------------


def test_a_code_is_read_back_however_it_was_typed_or_scanned() -> None:
    assert shown_code("K7QM3XPA") == "K7QM-3XPA"
    assert clean_code(" k7qm-3xpa ") == "K7QM3XPA"
    scanned = qr_text("ZM2611250001", "K7QM3XPA", "锦绣华庭物业服务中心", "025-86661234")
    assert read_scan(scanned) == ("ZM2611250001", "K7QM3XPA")
    assert read_scan("ZM2611250001") is None
    assert not set("01OIL") & set(CODE_ALPHABET)


# 物业费结清证明 ---------------------------------------------------------------------


def test_a_paid_up_certificate_is_refused_while_bills_are_open_with_the_amounts(
    db, admin, town
) -> None:
    request = CertificateRequest(CertificateKind.PAID_UP, town.occupied, "办理房屋过户")
    owed = issuing.owed_lines(db, admin, town.occupied)
    assert [line.fee_item for line in owed] == ["物业服务费", "生活垃圾处理费"]
    with pytest.raises(UserError, match=r"物业服务费 2026年11月 223\.75 元.*合计 233\.75 元"):
        issue(db, admin, request)
    assert register.list_certificates(db, admin) == []
    assert issued_documents.list_issued(db, admin) == []


def test_once_paid_the_certificate_states_the_month_paid_through(db, admin, town) -> None:
    pay_everything(db, admin, town.occupied)
    request = CertificateRequest(CertificateKind.PAID_UP, town.occupied, "办理房屋过户")
    issued = issue(db, admin, request)
    assert issued.number == "ZM2611250001"
    assert len(issued.code) == 8 and set(issued.code) <= set(CODE_ALPHABET)
    text = flat(issued.printout.pdf)
    for words in (
        "物业费结清证明",
        "编号：ZM2611250001",
        "产权人张三",
        "已缴纳至2026年11月",
        "无拖欠",
        "本证明仅用于办理房屋过户，他用无效。",
        "特此证明。",
        "（盖章）",
        "2026年11月25日",
        f"核验码：{shown_code(issued.code)}",
    ):
        assert words in text
    assert not re.search(r"[A-Za-z]{3,}", text.replace(shown_code(issued.code), ""))
    [document] = issued_documents.list_issued(db, admin)
    assert (document.kind, document.number, document.reference) == (
        DocKind.CERTIFICATE,
        issued.register_number,
        issued.number,
    )


def test_numbers_run_per_day(db, admin, town) -> None:
    pay_everything(db, admin, town.occupied)
    request = CertificateRequest(CertificateKind.PAID_UP, town.occupied)
    numbers = [issue(db, admin, request).number, issue(db, admin, request).number]
    numbers.append(issue(db, admin, request, AT + timedelta(days=1)).number)
    assert numbers == ["ZM2611250001", "ZM2611250002", "ZM2611260001"]


# 居住证明 ---------------------------------------------------------------------------


def test_a_residence_certificate_names_who_lives_there_since_when(db, admin, town) -> None:
    room = town.occupied
    with pytest.raises(ValidationError, match="张三的入住日期"):
        issue(db, admin, CertificateRequest(CertificateKind.RESIDENCE, room))
    households.update_profile(db, admin, room, households.ProfileInput(date(2019, 5, 12)))
    child = households.add_record(
        db, admin, room, households.PersonInput(PersonKind.RESIDENT, "张小明", Relation.CHILD)
    )
    households.add_record(
        db,
        admin,
        room,
        households.PersonInput(PersonKind.EMERGENCY, "王五", Relation.RELATIVE),
    )
    everyone = issue(db, admin, CertificateRequest(CertificateKind.RESIDENCE, room, "子女入学"))
    text = flat(everyone.printout.pdf)
    assert "居住证明" in text and "110***********4514" in text
    assert "张小明产权人子女未登记2019年5月12日" in text and "王五" not in text
    assert OWNER_ID not in text
    only = issue(
        db, admin, CertificateRequest(CertificateKind.RESIDENCE, room, person_ids=(child,))
    )
    row = register.get_certificate(db, admin, only.number)
    assert row.holder == "张小明" and "张三" not in row.statement


# 装修押金已退证明 ---------------------------------------------------------------------


def test_a_deposit_certificate_waits_for_the_refund_and_states_what_was_kept(
    db, admin, town
) -> None:
    room = town.occupied
    request = CertificateRequest(CertificateKind.DEPOSIT_REFUNDED, room)
    with pytest.raises(UserError, match="没有装修押金记录"):
        issue(db, admin, request)
    deposit = _renovation_deposit(db, admin, town)
    with pytest.raises(UserError, match="押金尚未退还"):
        issue(db, admin, request)
    refunds.post_refund(
        db,
        admin,
        RefundRequest(
            room,
            PayMethod.CASH,
            "装修押金退还",
            "张三",
            deposit_bill_id=deposit,
            deductions=(DeductionInput(50000, "公共楼道墙面污损修复"),),
        ),
        TODAY,
    )
    text = flat(issue(db, admin, request).printout.pdf)
    for words in (
        "装修押金已退证明",
        "已交纳装修押金人民币3000.00元（大写：叁仟元整）",
        "扣除公共楼道墙面污损修复费用500.00元后，退还人民币2500.00元（大写：贰仟伍佰元整）",
        "无未退押金",
    ):
        assert words in text


def _renovation_deposit(db: Database, admin: Actor, town: Community) -> int:
    from frontdesk.services.renovation import applications as renovations
    from frontdesk.services.renovation import views as renovation_views
    from frontdesk.services.renovation.applications import ChargeInput, RenovationInput

    renovation = renovations.apply(
        db,
        admin,
        RenovationInput(
            room_id=town.occupied,
            applicant="张三",
            applicant_phone="13812345678",
            contractor="金匠装饰工程有限公司",
            contractor_person="刘工",
            contractor_phone="13900001111",
            starts_on=TODAY + timedelta(days=1),
            ends_on=TODAY + timedelta(days=60),
            scope=("水电改造",),
            documents=("装修方案或图纸", "施工单位营业执照或资质", "业主身份证件"),
        ),
        TODAY,
    )
    renovations.review(db, admin, renovation)
    renovations.approve(db, admin, renovation, [ChargeInput(town.deposit, "deposit")], today=TODAY)
    pay_everything(db, admin, town.occupied)
    [deposit] = renovation_views.bill_ids(db, renovation, "deposit")
    return deposit


# verifying and revoking -------------------------------------------------------------


def test_the_register_answers_only_to_the_right_code(db, admin, town) -> None:
    pay_everything(db, admin, town.occupied)
    issued = issue(db, admin, CertificateRequest(CertificateKind.PAID_UP, town.occupied))
    good = register.verify_certificate(db, admin, issued.number.lower(), shown_code(issued.code))
    assert good.standing is Standing.VALID and good.certificate is not None
    assert good.certificate.holder == "张三" and "物业费结清证明" in good.text
    wrong = "A" if issued.code[-1] != "A" else "B"
    forged = register.verify_certificate(db, admin, issued.number, issued.code[:-1] + wrong)
    assert forged.standing is Standing.WRONG_CODE and forged.certificate is None
    assert "张三" not in forged.text
    missing = register.verify_certificate(db, admin, "ZM2611259999", issued.code)
    assert missing.standing is Standing.NOT_FOUND
    scanned = qr_text(issued.number, issued.code, "测试小区物业服务中心", "")
    assert register.verify_certificate(db, admin, scanned).standing is Standing.VALID
    with pytest.raises(ValidationError, match="核验码"):
        register.verify_certificate(db, admin, issued.number, "")


def test_a_revoked_certificate_says_so_and_why_and_cannot_be_revoked_again(db, admin, town) -> None:
    pay_everything(db, admin, town.occupied)
    issued = issue(db, admin, CertificateRequest(CertificateKind.PAID_UP, town.occupied))
    with pytest.raises(ValidationError, match="作废原因"):
        register.revoke_certificate(db, admin, issued.number, "  ")
    register.revoke_certificate(db, admin, issued.number, "产权人姓名有误，已重新开具")
    answer = register.verify_certificate(db, admin, issued.number, issued.code)
    assert answer.standing is Standing.REVOKED
    assert "产权人姓名有误，已重新开具" in answer.text
    with pytest.raises(UserError, match=r"已于 .* 由管理员作废，不能重复作废"):
        register.revoke_certificate(db, admin, issued.number, "再次作废")
    with db.read() as session:
        logged = " ".join(
            str(entry.changes)
            for entry in session.scalars(
                select(AuditEntry).where(AuditEntry.entity == "certificate")
            )
        )
    assert "产权人姓名有误" in logged and issued.code not in logged


def test_a_butler_issues_only_for_their_own_buildings(db, admin, town, make_user) -> None:
    butler = make_user(Role.BUTLER)
    pay_everything(db, admin, town.occupied)
    with pytest.raises(PermissionDenied, match="负责范围"):
        issue(db, butler, CertificateRequest(CertificateKind.PAID_UP, town.occupied))
    [building] = structure.list_buildings(db, admin)
    households.assign_butler(db, admin, building.id, butler.user_id)
    assert issue(db, butler, CertificateRequest(CertificateKind.PAID_UP, town.occupied)).number
    assert len(register.list_certificates(db, butler)) == 1


# personal data ------------------------------------------------------------------------


def test_the_personal_data_tools_find_export_and_keep_a_certificate(
    db, admin, town, tmp_path
) -> None:
    from openpyxl import load_workbook

    from frontdesk.services.personal import erase_person, export_person, find_person
    from frontdesk.services.personal.rights import RecordKind, make_query

    pay_everything(db, admin, town.occupied)
    issued = issue(db, admin, CertificateRequest(CertificateKind.PAID_UP, town.occupied))
    refs = [r for r in find_person(db, admin, name="张三") if r.kind is RecordKind.CERTIFICATE]
    [ref] = refs
    assert not ref.erasable and "供银行、学校等来电核验" in ref.reason
    assert issued.number in ref.dates and ref.label == "开具的证明（物业费结清证明）"
    path = tmp_path / "copy.xlsx"
    export_person(db, admin, refs, path, query=make_query("张三"), requester="张三")
    rows = list(load_workbook(path)["开具的证明"].iter_rows(values_only=True))
    assert rows[1][:4] == (issued.number, "物业费结清证明", "1-1-101", "张三")
    with pytest.raises(UserError, match="没有可以删除的记录。开具的证明"):
        erase_person(db, admin, refs, "本人申请", query=make_query("张三"))
    assert register.get_certificate(db, admin, issued.number).holder == "张三"


def test_a_long_list_of_residents_runs_on_above_the_verification_strip() -> None:
    from frontdesk.documents.base import Letterhead
    from frontdesk.documents.certificate import CertificateDoc, certificate_pdf

    rows = tuple((f"住户{i}", "产权人子女", "未登记", "2019年5月12日") for i in range(30))
    doc = CertificateDoc(
        "居住证明",
        "ZM2611250001",
        "K7QM-3XPA",
        ("兹证明，下列人员居住于本小区1栋1单元101室，情况属实：",),
        (("姓名", "身份", "证件号码", "居住起始日期"), *rows),
        issuer=("测试小区物业服务中心",),
        issued_on="2026年11月25日",
        qr_text="ZM2611250001 K7QM3XPA",
    )
    pages = PdfReader(io.BytesIO(certificate_pdf(Letterhead("测试小区"), doc))).pages
    assert len(pages) == 2
    first = re.sub(r"\s+", "", pages[0].extract_text())
    assert "核验码：K7QM-3XPA" in first and "住户29" not in first
    assert "特此证明。" in re.sub(r"\s+", "", pages[1].extract_text())
