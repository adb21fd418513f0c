"""Renovations: the application's rules, the workflow's allowed and refused moves,
node inspections and violations, the deposit and fees through the cashier, workers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from frontdesk.domain.fees import Collection, FeeMethod, PayMethod
from frontdesk.domain.renovation import Node, Status
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.services.database import Database
from frontdesk.services.fees import items as fees
from frontdesk.services.fees import payments, receipts, refunds
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.fees.refunds import DeductionInput, RefundRequest
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation import site as renovation_site
from frontdesk.services.renovation import views as renovation_views
from frontdesk.services.renovation.applications import ChargeInput, RenovationInput
from tests.unit.fee_fixtures import TODAY, Community, make_community

LATER = TODAY + timedelta(days=60)  # "today" for the steps the test dates ahead
pytestmark = pytest.mark.clock(TODAY)
EVERY_DOCUMENT = ("装修方案或图纸", "施工单位营业执照或资质", "业主身份证件")


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    return make_community(db, admin)


@pytest.fixture
def management_fee(db: Database, admin: Actor) -> int:
    item = fees.add_fee_item(db, admin, "装修垃圾清运费", "装修", FeeMethod.ONE_OFF, Collection.OWN)
    fees.add_price_plan(db, admin, item, 3_000_000, date(2020, 1, 1))  # 300 元
    return item


def application(room: int, **changes: object) -> RenovationInput:
    values: dict[str, object] = {
        "room_id": room,
        "applicant": "张三",
        "applicant_phone": "13812345678",
        "contractor": "金匠装饰工程有限公司",
        "contractor_person": "刘工",
        "contractor_phone": "13900001111",
        "starts_on": TODAY + timedelta(days=1),
        "ends_on": TODAY + timedelta(days=60),
        "scope": ("水电改造", "防水", "地面"),
        "documents": EVERY_DOCUMENT,
    }
    values.update(changes)
    return RenovationInput(**values)  # type: ignore[arg-type]


def approved(db, admin, town, management_fee) -> int:
    renovation = renovations.apply(db, admin, application(town.occupied), TODAY)
    renovations.review(db, admin, renovation)
    renovations.approve(
        db,
        admin,
        renovation,
        [ChargeInput(town.deposit, "deposit"), ChargeInput(management_fee, "fee")],
        today=TODAY,
    )
    return renovation


def pay_everything(db, admin, room: int) -> str:
    view = payments.counter_view(db, admin, room, TODAY)
    bills = tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills)
    total = sum(a for _, a in bills)
    request = PaymentRequest(room, bills, (TenderInput(PayMethod.WECHAT, total),))
    return payments.post_payment(db, admin, request, TODAY).receipt_no


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"scope": ("承重墙拆改",)}, "装修项目", "物业不能审批"),
        ({"scope": ("外立面改动", "地面")}, "装修项目", "规划部门"),
        ({"scope": ()}, "装修项目", "至少选择一项"),
        ({"ends_on": TODAY}, "计划完工日期", "不能早于开工日期"),
        ({"ends_on": TODAY + timedelta(days=120)}, "计划完工日期", "超过本小区规定的最长 90 天"),
        ({"starts_on": TODAY - timedelta(days=1)}, "计划开工日期", "不能早于今天"),
        ({"contractor_phone": "123"}, "施工负责人电话", "不是有效"),
    ],
)
def test_an_application_breaking_a_rule_is_refused_and_nothing_saved(
    db, admin, town, changes, field, text
) -> None:
    with pytest.raises(ValidationError) as caught:
        renovations.apply(db, admin, application(town.occupied, **changes), TODAY)
    assert caught.value.field == field and text in caught.value.message
    assert renovation_views.list_renovations(db, admin) == []


def test_the_workflow_refuses_skipped_steps(db, admin, town, management_fee) -> None:
    renovation = renovations.apply(db, admin, application(town.occupied), TODAY)
    assert renovation_views.list_renovations(db, admin)[0].number == "ZX2611-0001"
    with pytest.raises(ValidationError, match="“已提交”的装修不能直接改为“已批准”"):
        renovations.approve(db, admin, renovation, [ChargeInput(town.deposit, "deposit")])
    renovations.review(db, admin, renovation)
    with pytest.raises(ValidationError, match="“已初审”的装修不能直接改为“已发许可证”"):
        renovations.issue_permit(db, admin, renovation)
    with pytest.raises(ValidationError, match="装修押金"):
        renovations.approve(db, admin, renovation, [ChargeInput(management_fee, "fee")])


def test_approval_needs_the_papers_and_a_tenant_the_owners_authority(db, admin, town) -> None:
    tenant = renovations.apply(
        db, admin, application(town.occupied, applicant_is_tenant=True), TODAY
    )
    renovations.review(db, admin, tenant)
    with pytest.raises(ValidationError) as caught:
        renovations.approve(db, admin, tenant, [ChargeInput(town.deposit, "deposit")], today=TODAY)
    assert caught.value.field == "业主授权委托书"
    assert renovation_views.list_renovations(db, admin)[0].status == Status.REVIEWED


def test_the_permit_waits_for_the_cashier(db, admin, town, management_fee) -> None:
    renovation = approved(db, admin, town, management_fee)
    row = renovation_views.list_renovations(db, admin)[0]
    assert row.unpaid_fen == 300000 + 30000  # 装修押金 3000 元, 清运费 300 元
    with pytest.raises(UserError, match="请先在收费页收取"):
        renovations.issue_permit(db, admin, renovation)
    pay_everything(db, admin, town.occupied)
    assert renovations.issue_permit(db, admin, renovation) == "XK2611-0001"


def started(db, admin, town, management_fee) -> tuple[int, date, str]:
    """Approved, paid, its permit issued and work started the day after:
    (the renovation, the day work started, the receipt of its charges)."""
    renovation = approved(db, admin, town, management_fee)
    paid = pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, renovation)
    start = TODAY + timedelta(days=1)
    renovations.start_work(db, admin, renovation, start)
    return renovation, start, paid


def history(db, admin, renovation: int) -> list[str]:
    return [e.label for e in renovation_views.history(db, admin, renovation)]


UNTIL_WORK = ["已提交", "已初审", "已批准", "已发许可证", "施工中"]


def test_the_deposit_receipt_says_what_it_is_for_and_when_it_comes_back(
    db, admin, town, management_fee
) -> None:
    approved(db, admin, town, management_fee)
    paid = pay_everything(db, admin, town.occupied)
    number = renovation_views.list_renovations(db, admin)[0].number
    assert (
        f"押金 3,000.00 元（装修押金 3,000.00 元，装修编号 {number}，验收合格后凭本收据无息退还）"
        in receipts.receipt_view(db, admin, paid).breakdown
    )


def test_work_starts_no_earlier_than_the_permit_allows(db, admin, town, management_fee) -> None:
    renovation = approved(db, admin, town, management_fee)
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, renovation)
    with pytest.raises(ValidationError, match="许可证自"):
        renovations.start_work(db, admin, renovation, TODAY)
    renovations.start_work(db, admin, renovation, TODAY + timedelta(days=1))
    assert renovation_views.list_renovations(db, admin)[0].status == Status.IN_PROGRESS
    assert history(db, admin, renovation) == UNTIL_WORK


def test_a_stop_work_order_holds_the_renovation_until_it_is_resolved(
    db, admin, town, management_fee
) -> None:
    renovation, start, _ = started(db, admin, town, management_fee)
    stop = renovation_site.record_violation(
        db,
        admin,
        renovation,
        start + timedelta(days=11),
        "周日施工噪声扰民",
        start + timedelta(days=12),
        stop_work=True,
    )
    assert renovation_views.list_renovations(db, admin)[0].status == Status.STOPPED
    with pytest.raises(ValidationError, match="“停工整改”的装修不能直接改为“已竣工验收”"):
        renovations.complete(db, admin, renovation, start + timedelta(days=40), today=LATER)
    renovation_site.resolve_violation(db, admin, stop, start + timedelta(days=12), "已停工并致歉")
    assert renovation_views.list_renovations(db, admin)[0].status == Status.IN_PROGRESS
    assert history(db, admin, renovation) == [*UNTIL_WORK, "停工整改", "复工"]


def test_completion_waits_for_open_violations_then_for_failed_inspections(
    db, admin, town, management_fee
) -> None:
    renovation, start, _ = started(db, admin, town, management_fee)
    failed = renovation_site.record_inspection(
        db,
        admin,
        renovation,
        Node.PLUMBING,
        start + timedelta(days=10),
        False,
        "强弱电同管",
        start + timedelta(days=13),
        today=LATER,
    )
    assert failed
    other = renovation_site.record_violation(
        db,
        admin,
        renovation,
        start + timedelta(days=12),
        "垃圾堆放楼道",
        start + timedelta(days=13),
    )
    with pytest.raises(UserError, match="未整改完毕的违规"):
        renovations.complete(db, admin, renovation, start + timedelta(days=40), today=LATER)
    renovation_site.resolve_violation(db, admin, other, start + timedelta(days=13), "已清运")
    with pytest.raises(ValidationError, match="水电隐蔽工程验收：上次验收不合格"):
        renovations.complete(db, admin, renovation, start + timedelta(days=40), today=LATER)
    for node in (Node.PLUMBING, Node.WATERPROOF, Node.MIDTERM):
        renovation_site.record_inspection(
            db, admin, renovation, node, start + timedelta(days=14), True, today=LATER
        )
    assert renovation_views.list_renovations(db, admin)[0].nodes_due == ()
    renovations.complete(db, admin, renovation, start + timedelta(days=40), today=LATER)
    # Neither an inspection nor a resolved violation's remedy is a step of its own.
    assert history(db, admin, renovation) == [*UNTIL_WORK, "违规", "已竣工验收"]


def test_the_deposit_comes_back_less_deductions_before_the_renovation_is_settled(
    db, admin, town, management_fee
) -> None:
    renovation, start, paid = started(db, admin, town, management_fee)
    number = renovation_views.list_renovations(db, admin)[0].number
    for node in (Node.PLUMBING, Node.WATERPROOF, Node.MIDTERM):
        renovation_site.record_inspection(
            db, admin, renovation, node, start + timedelta(days=14), True, today=LATER
        )
    renovations.complete(db, admin, renovation, start + timedelta(days=40), today=LATER)
    with pytest.raises(UserError, match="请先在收费页办理押金退款"):
        renovations.settle(db, admin, renovation)
    [deposit] = renovation_views.bill_ids(db, renovation, "deposit")
    with pytest.raises(ValidationError, match="扣款合计超过押金金额"):
        refunds.post_refund(
            db,
            admin,
            RefundRequest(
                town.occupied,
                PayMethod.CASH,
                "装修押金退还",
                "张三",
                deposit_bill_id=deposit,
                deductions=(DeductionInput(300001, "损坏电梯轿厢"),),
            ),
            TODAY,
        )
    refund = refunds.post_refund(
        db,
        admin,
        RefundRequest(
            town.occupied,
            PayMethod.CASH,
            "装修押金退还",
            "张三",
            deposit_bill_id=deposit,
            deductions=(DeductionInput(50000, "公共楼道墙面污损修复"),),
        ),
        TODAY,
    )
    assert refund.amount_fen == 250000 and refund.receipt_no.startswith("TK")
    voucher = receipts.receipt_view(db, admin, refund.receipt_no)
    assert voucher.renovation == number and [r.number for r in voucher.refunded] == [paid]
    renovations.settle(db, admin, renovation)
    renovations.close(db, admin, renovation)
    assert history(db, admin, renovation) == [*UNTIL_WORK, "已竣工验收", "押金已结算", "已关闭"]


def test_an_extension_moves_the_end_and_is_on_record(db, admin, town, management_fee) -> None:
    renovation = approved(db, admin, town, management_fee)
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, renovation)
    with pytest.raises(ValidationError, match="延期至"):
        renovations.extend(db, admin, renovation, TODAY, "材料延误")
    renovations.extend(db, admin, renovation, TODAY + timedelta(days=75), "瓷砖到货延误")
    assert renovation_views.list_renovations(db, admin)[0].ends_on == TODAY + timedelta(days=75)
    assert "瓷砖到货延误" in renovation_views.history(db, admin, renovation)[-1].note


def test_workers_passes_and_the_gate(db, admin, town, management_fee) -> None:
    renovation = approved(db, admin, town, management_fee)
    with pytest.raises(UserError, match="许可证有效期内"):
        renovation_site.add_worker(
            db, admin, renovation, renovation_site.WorkerInput("王师傅", "13700002222", "水电工")
        )
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, renovation)
    worker = renovation_site.add_worker(
        db,
        admin,
        renovation,
        renovation_site.WorkerInput("王师傅", "13700002222", "水电工", "110101199003074514"),
        pass_fee_item=management_fee,
    )
    [row] = renovation_site.list_workers(db, admin, renovation)
    assert (row.pass_no, row.phone, row.id_number) == (
        "ZX2611-0001-01",
        "137****2222",
        "110***********4514",
    )
    assert renovation_views.list_renovations(db, admin)[0].unpaid_fen == 30000
    at_gate = renovation_site.valid_pass(db, "137 0000 2222", TODAY + timedelta(days=2))
    assert at_gate is not None and at_gate.room_id == town.occupied
    assert renovation_site.valid_pass(db, "13700002222", TODAY + timedelta(days=90)) is None
    renovation_site.report_lost(db, admin, worker, TODAY)
    assert renovation_site.valid_pass(db, "13700002222", TODAY + timedelta(days=2)) is None


def test_a_clerk_applies_but_only_a_supervisor_approves(db, town, make_user) -> None:
    clerk = make_user(Role.CLERK)
    renovation = renovations.apply(db, clerk, application(town.occupied), TODAY)
    renovations.review(db, clerk, renovation)
    with pytest.raises(PermissionDenied):
        renovations.approve(db, clerk, renovation, [ChargeInput(town.deposit, "deposit")])
    with pytest.raises(PermissionDenied):
        renovations.apply(db, make_user(Role.CASHIER), application(town.occupied), TODAY)


def test_the_guide_is_composed_from_its_own_sections_and_the_settings(db, admin, town) -> None:
    from frontdesk.services.movein import handbook

    renovations.set_renovation_settings(
        db, admin, renovations.RenovationSettings(60, "工作日 8:30–12:00、14:00–18:30")
    )
    sections, _edition = handbook.compose(db, TODAY, handbook.GUIDE)
    assert [s.title for s in sections][:2] == ["一、办理流程", "二、施工时间与工期"]
    text = "\n".join(s.body for s in sections)
    assert "工作日 8:30–12:00、14:00–18:30" in text and "最长 60 天" in text
    assert "{" not in text
    handbook.save_section(db, admin, "hours", "施工时间", "每天 9 点后施工。", handbook.GUIDE)
    assert handbook.sections(db, handbook.GUIDE)[1].title == "施工时间"
    assert handbook.sections(db)[1].title == "物业服务中心"  # the owner handbook is untouched


def test_the_building_browser_shows_a_room_under_renovation(
    db, admin, town, management_fee
) -> None:
    from frontdesk.services.households import structure

    renovation = approved(db, admin, town, management_fee)
    assert not structure.room_rows(db, admin, [town.occupied])[0].renovating
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, renovation)
    assert structure.room_rows(db, admin, [town.occupied, town.vacant])[0].renovating
    assert not structure.room_rows(db, admin, [town.vacant])[0].renovating


def test_the_review_holes_stay_closed(db, admin, town, management_fee) -> None:
    with pytest.raises(ValidationError, match="押金类收费项目"):
        other = renovations.apply(db, admin, application(town.vacant), TODAY)
        renovations.review(db, admin, other)
        renovations.approve(db, admin, other, [ChargeInput(management_fee, "deposit")])
    renovation = approved(db, admin, town, management_fee)
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, renovation)
    with pytest.raises(UserError, match="只有施工中的装修可以停工整改"):
        renovation_site.record_violation(
            db, admin, renovation, TODAY, "未开工先拆墙", TODAY, stop_work=True
        )
    start = TODAY + timedelta(days=1)
    renovations.start_work(db, admin, renovation, start)
    renovation_site.add_worker(
        db, admin, renovation, renovation_site.WorkerInput("王师傅", "13700002222", "水电工")
    )
    renovation_site.record_violation(
        db, admin, renovation, start, "噪声扰民", start, stop_work=True
    )
    with pytest.raises(UserError, match="停工整改，不能开工"):
        renovations.start_work(db, admin, renovation, start)
    assert renovation_site.valid_pass(db, "13700002222", start) is None  # stopped: not at the gate
    with pytest.raises(UserError, match="不在停工整改中"):
        renovation_site.add_worker(
            db, admin, renovation, renovation_site.WorkerInput("李师傅", "13700003333", "瓦工")
        )
    with pytest.raises(ValidationError, match="每次最多延期 60 天"):
        renovations.extend(db, admin, renovation, TODAY + timedelta(days=121), "工期紧")


def test_an_extension_request_waits_for_a_supervisor(db, admin, town, management_fee, make_user):
    renovation = approved(db, admin, town, management_fee)
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, renovation)
    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied):
        renovations.extend(db, clerk, renovation, TODAY + timedelta(days=70), "瓷砖延误")
    renovations.request_extension(db, clerk, renovation, TODAY + timedelta(days=70), "瓷砖延误")
    row = renovation_views.list_renovations(db, admin)[0]
    assert (row.pending_end, row.pending_reason) == (TODAY + timedelta(days=70), "瓷砖延误")
    assert row.ends_on == TODAY + timedelta(days=60)
    renovations.refuse_extension(db, admin, renovation, "工期已足够")
    assert renovation_views.list_renovations(db, admin)[0].pending_end is None
    with pytest.raises(UserError, match="没有待审批的延期申请"):
        renovations.refuse_extension(db, admin, renovation, "再拒")


def test_passes_are_returned_or_lost_before_settling(db, admin, town, management_fee, tmp_path):
    deposit_item = fees.add_fee_item(db, admin, "出入证押金", "装修", FeeMethod.DEPOSIT)
    fees.add_price_plan(db, admin, deposit_item, 500_000, date(2020, 1, 1))  # 50 元
    renovation = approved(db, admin, town, management_fee)
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, renovation)
    start = TODAY + timedelta(days=1)
    renovations.start_work(db, admin, renovation, start)
    kept, back = (
        renovation_site.add_worker(
            db,
            admin,
            renovation,
            renovation_site.WorkerInput(name, phone, "水电工"),
            pass_deposit_item=deposit_item,
        )
        for name, phone in (("王师傅", "13700002222"), ("李师傅", "13700003333"))
    )
    pay_everything(db, admin, town.occupied)
    photo = tmp_path / "闭水.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 32)
    inspection = renovation_site.record_inspection(
        db, admin, renovation, Node.WATERPROOF, start, True, today=LATER
    )
    renovation_site.add_photo(db, admin, renovation, photo, inspection_id=inspection)
    assert [p.title for p in renovation_site.list_photos(db, admin, renovation)] == [
        "装修 ZX2611-0001：防水闭水试验（48 小时）"
    ]
    for node in (Node.PLUMBING, Node.MIDTERM):
        renovation_site.record_inspection(db, admin, renovation, node, start, True, today=LATER)
    renovations.complete(db, admin, renovation, start + timedelta(days=20), today=LATER)
    [deposit] = renovation_views.bill_ids(db, renovation, "deposit")
    refunds.post_refund(
        db,
        admin,
        RefundRequest(town.occupied, PayMethod.CASH, "装修押金", "张三", deposit_bill_id=deposit),
        TODAY,
    )
    with pytest.raises(UserError, match="尚未交回或挂失"):
        renovations.settle(db, admin, renovation)
    renovation_site.report_lost(db, admin, kept, TODAY)
    renovation_site.return_pass(db, admin, back, TODAY)
    kept_bill, back_bill = renovation_views.bill_ids(db, renovation, "pass_deposit")
    with pytest.raises(UserError, match="已挂失，其押金按规定不予退还"):
        refunds.post_refund(
            db,
            admin,
            RefundRequest(
                town.occupied, PayMethod.CASH, "出入证押金", "张三", deposit_bill_id=kept_bill
            ),
            TODAY,
        )
    with pytest.raises(UserError, match="已交回的出入证押金尚未退还"):
        renovations.settle(db, admin, renovation)
    refunds.post_refund(
        db,
        admin,
        RefundRequest(
            town.occupied, PayMethod.CASH, "出入证押金", "张三", deposit_bill_id=back_bill
        ),
        TODAY,
    )
    renovations.settle(db, admin, renovation)
