"""Move-in: batches and progress, the checklist's rules, completing a handover,
the inspection defects' lifecycle and the owner handbook's composition."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from frontdesk.domain.fees import PayMethod
from frontdesk.domain.handbook import DEFAULT_SECTIONS
from frontdesk.domain.household import PersonKind
from frontdesk.domain.movein import DefectStatus, Progress, Step
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.services.database import Database
from frontdesk.services.fees import payments, voids
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.movein import defects, handbook
from frontdesk.services.movein import handover as movein
from frontdesk.services.movein import steps as movein_steps
from frontdesk.services.movein.defects import DefectInput
from tests.unit.fee_fixtures import TODAY, Community, make_community


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    return make_community(db, admin)


@pytest.fixture
def batch(db: Database, admin: Actor, town: Community) -> int:
    building = structure.list_buildings(db, admin)[0].id
    return movein.create_batch(
        db, admin, "2026年12月 1栋集中交付", date(2026, 12, 1), date(2026, 12, 10), [building]
    )


def owner_on_file(db: Database, admin: Actor, room_id: int) -> None:
    households.add_record(
        db,
        admin,
        room_id,
        households.PersonInput(PersonKind.OWNER, "周新", phone="13812340000"),
    )


def paid_receipt(db: Database, admin: Actor, room_id: int) -> str:
    request = PaymentRequest(
        room_id, (), (TenderInput(PayMethod.CASH, 50000),), prepaid_fen=50000, payer="周新"
    )
    return payments.post_payment(db, admin, request, TODAY).receipt_no


def every_step(db: Database, admin: Actor, room_id: int) -> None:
    owner_on_file(db, admin, room_id)
    details = {
        Step.DOCUMENTS: {"items": ["购房合同", "业主身份证件"]},
        Step.AGREEMENTS: {"items": ["临时管理规约", "前期物业服务协议"]},
        Step.OWNER_FILE: {},
        Step.FEES: {"receipts": [paid_receipt(db, admin, room_id)]},
        Step.METERS: {"readings": {"水表": "12.5", "电表": "3"}},
        Step.KEYS: {"keys": {"入户门钥匙": 3, "信报箱钥匙": 1}},
        Step.HANDBOOK: {"edition": "2026年版"},
    }
    for step, detail in details.items():
        movein.record_step(db, admin, room_id, step, detail)


def test_a_batch_takes_the_residences_not_yet_handed_over(db, admin, town, batch) -> None:
    board = movein.batch_board(db, admin, batch)
    assert [r.room_id for r in board.rows] == [town.unsold]
    assert board.rows[0].progress == Progress.NOT_BOOKED
    with pytest.raises(UserError, match="没有待交付"):
        movein.create_batch(
            db,
            admin,
            "重复",
            date(2026, 12, 1),
            date(2026, 12, 2),
            [structure.list_buildings(db, admin)[0].id],
        )
    with pytest.raises(ValidationError, match="结束日期"):
        movein.create_batch(db, admin, "倒序", date(2026, 12, 2), date(2026, 12, 1), [1])


def test_progress_follows_the_appointment_steps_and_completion(db, admin, town, batch) -> None:
    room = town.unsold
    movein.set_appointment(
        db,
        admin,
        room,
        datetime(2026, 12, 2, 1, 30, tzinfo=UTC),
        now=datetime(2026, 11, 25, tzinfo=UTC),
    )
    assert movein.batch_board(db, admin, batch).rows[0].progress == Progress.BOOKED
    movein.record_step(db, admin, room, Step.HANDBOOK, {"edition": "2026年版"})
    assert movein.batch_board(db, admin, batch).rows[0].progress == Progress.IN_PROGRESS
    with pytest.raises(ValidationError, match="预约时间"):
        movein.set_appointment(db, admin, room, datetime(2020, 1, 1, tzinfo=UTC))


def test_completing_needs_every_required_step_and_sets_the_room(db, admin, town, batch) -> None:
    room = town.unsold
    movein.record_step(db, admin, room, Step.HANDBOOK, {})
    with pytest.raises(ValidationError) as missing:
        movein.complete_handover(db, admin, room, date(2026, 11, 20))
    assert missing.value.field == Step.DOCUMENTS.label
    every_step(db, admin, room)
    assert movein.checklist(db, admin, room).missing == []
    movein.complete_handover(db, admin, room, date(2026, 11, 20))
    row = structure.room_rows(db, admin, [room])[0]
    assert (row.status, row.handover_on) == (RoomStatus.HANDED_OVER, date(2026, 11, 20))
    assert households.open_file(db, admin, room).profile.move_in_on == date(2026, 11, 20)
    assert movein.batch_board(db, admin, batch).rows[0].progress == Progress.HANDED_OVER
    with pytest.raises(UserError, match="不能再改"):
        movein.record_step(db, admin, room, Step.CARDS, {"cards": ["A1234"]})
    movein.mark_moved_in(db, admin, room)
    assert movein.batch_board(db, admin, batch).rows[0].progress == Progress.MOVED_IN


@pytest.mark.parametrize(
    ("step", "detail", "field"),
    [
        (Step.DOCUMENTS, {"items": ["业主身份证件"]}, "购房合同或不动产权证"),
        (Step.DOCUMENTS, {"items": ["购房合同"]}, "业主身份证件"),
        (Step.AGREEMENTS, {"items": ["临时管理规约"]}, "《前期物业服务协议》"),
        (Step.OWNER_FILE, {}, "业主档案"),
        (Step.FEES, {"receipts": []}, "首期费用收据"),
        (Step.FEES, {"receipts": ["SJ99999999"]}, "首期费用收据"),
        (Step.METERS, {"readings": {"水表": "-1"}}, "水表底数"),
        (Step.METERS, {"readings": {}}, "水表底数"),
        (Step.KEYS, {"keys": {"入户门钥匙": -1}}, "入户门钥匙数量"),
        (Step.KEYS, {"keys": {}}, "入户门钥匙数量"),
        (Step.CARDS, {"cards": ["12", ""]}, "门禁卡号"),
        (Step.CARDS, {"cards": ["A1234", "A1234"]}, "门禁卡号"),
    ],
)
def test_a_step_with_bad_input_names_the_field_and_saves_nothing(
    db, admin, town, batch, step, detail, field
) -> None:
    with pytest.raises(ValidationError) as caught:
        movein.record_step(db, admin, town.unsold, step, detail)
    assert caught.value.field == field
    assert not movein.checklist(db, admin, town.unsold).row(step).done


def test_a_voided_or_other_rooms_receipt_does_not_count_as_first_fees(
    db, admin, town, batch
) -> None:
    other = paid_receipt(db, admin, town.occupied)
    with pytest.raises(ValidationError, match=other):
        movein.record_step(db, admin, town.unsold, Step.FEES, {"receipts": [other]})
    mine = paid_receipt(db, admin, town.unsold)
    assert [r.number for r in movein_steps.fee_receipts(db, admin, town.unsold)] == [mine]
    voids.void_receipt(db, admin, mine, "收错户", TODAY)
    assert movein_steps.fee_receipts(db, admin, town.unsold) == []


def test_a_cashier_reads_the_checklist_but_does_not_keep_it(db, town, batch, make_user) -> None:
    cashier = make_user(Role.CASHIER)
    assert movein.checklist(db, cashier, town.unsold).progress == Progress.NOT_BOOKED
    with pytest.raises(PermissionDenied):
        movein.record_step(db, cashier, town.unsold, Step.HANDBOOK, {})


def defect(found: date, deadline: date) -> DefectInput:
    return DefectInput("卫生间", "防水", "淋浴区墙角渗水", "施工单位", found, deadline)


def test_a_defect_is_fixed_rechecked_and_closed_and_overdue_counts_days(db, admin, town) -> None:
    room = town.unsold
    with pytest.raises(ValidationError, match="整改期限"):
        defects.add_defect(db, admin, room, defect(date(2026, 11, 20), date(2026, 11, 19)))
    late = defects.add_defect(db, admin, room, defect(date(2026, 11, 1), date(2026, 11, 15)))
    soon = defects.add_defect(db, admin, room, defect(date(2026, 11, 20), date(2026, 12, 5)))
    rows = defects.list_defects(db, admin, today=TODAY)
    assert [(r.id, r.overdue_days) for r in rows] == [(late, 10), (soon, 0)]
    defects.mark_fixed(db, admin, late, date(2026, 11, 24), "重做防水层")
    with pytest.raises(ValidationError, match="新的整改期限"):
        defects.recheck(db, admin, late, date(2026, 11, 25), False, "仍渗水")
    defects.recheck(db, admin, late, date(2026, 11, 25), False, "仍渗水", date(2026, 12, 1))
    row = next(r for r in defects.list_defects(db, admin, today=TODAY) if r.id == late)
    assert (row.status, row.deadline, row.rechecks, row.overdue_days) == (
        DefectStatus.OPEN,
        date(2026, 12, 1),
        1,
        0,
    )
    defects.mark_fixed(db, admin, late, date(2026, 11, 30), "再次闭水试验合格")
    defects.recheck(db, admin, late, date(2026, 12, 1), True)
    assert [r.id for r in defects.list_defects(db, admin, open_only=True, today=TODAY)] == [soon]
    with pytest.raises(UserError, match="已关闭"):
        defects.mark_fixed(db, admin, late, date(2026, 11, 20), "再修")


def test_a_defect_photo_is_kept_with_the_room_file(db, admin, town, tmp_path) -> None:
    found = defects.add_defect(db, admin, town.unsold, defect(TODAY, TODAY + timedelta(days=7)))
    photo = tmp_path / "渗水.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    photo_id = defects.add_photo(db, admin, found, photo)
    assert [p.filename for p in defects.list_photos(db, admin, found)] == ["渗水.png"]
    assert defects.photo_path(db, admin, photo_id).read_bytes() == photo.read_bytes()
    assert defects.list_defects(db, admin)[0].photos == 1


def test_the_handbook_fills_placeholders_and_fee_standards(db, admin, town) -> None:
    sections, edition = handbook.compose(db, TODAY)
    assert [s.title for s in sections][:2] == ["一、欢迎入住", "二、物业服务中心"]
    assert edition == "2026年版"
    text = "\n".join(s.body for s in sections)
    assert "{" not in text
    fees_text = next(s.body for s in sections if s.key == "fees")
    assert "- 物业服务费：2.50 元/㎡/月（按房屋建筑面积每月计收）" in fees_text  # July's, not 2.20
    assert "- 装修押金：3,000.00 元/户（押金，不属于物业收费，验收合格后无息退还" in fees_text
    assert "预交 3 个月物业服务费" in fees_text
    assert "测试小区" in sections[0].body


def test_a_section_with_an_unknown_placeholder_is_refused_by_name(db, admin, town) -> None:
    with pytest.raises(ValidationError, match=re.escape("未知的占位符 {停车场电话}")):
        handbook.save_section(db, admin, "parking", "车辆与停车", "请致电 {停车场电话}")
    assert handbook.sections(db)[5].body == DEFAULT_SECTIONS[5].body
    handbook.save_section(db, admin, "parking", "停车须知", "{小区名称}地库限高 2.2 米。")
    added = handbook.save_section(db, admin, "", "快递代收", "快递柜在 {小区地址}。")
    rows = handbook.sections(db)
    assert rows[5].title == "停车须知" and rows[5].edited
    assert rows[-1].key == added and not rows[-1].shipped
    handbook.reset_section(db, admin, "parking")
    handbook.reset_section(db, admin, added)
    rows = handbook.sections(db)
    assert rows[5].title == DEFAULT_SECTIONS[5].title and len(rows) == len(DEFAULT_SECTIONS)


def test_only_a_supervisor_edits_the_handbook(db, town, make_user) -> None:
    with pytest.raises(PermissionDenied):
        handbook.save_section(db, make_user(Role.CLERK), "faq", "常见问题", "问：？")
    handbook.save_section(db, make_user(Role.SUPERVISOR), "faq", "常见问题", "问：？答：！")


def test_a_room_handed_over_long_ago_has_no_move_in_to_do(db, admin, town) -> None:
    with pytest.raises(UserError, match="已于 2020-05-01 交房"):
        movein.record_step(db, admin, town.occupied, Step.HANDBOOK, {})
    sheet = movein.checklist(db, admin, town.occupied)
    assert not sheet.has_record and sheet.handover_on == date(2020, 5, 1)


def test_fee_receipts_show_what_was_paid_and_by_whom(db, admin, town, batch) -> None:
    number = paid_receipt(db, admin, town.unsold)
    [receipt] = movein_steps.fee_receipts(db, admin, town.unsold)
    assert (receipt.number, receipt.total_fen, receipt.payer) == (number, 50000, "周新")


def test_a_handover_after_the_months_run_gets_that_months_bills(db, admin, town, batch) -> None:
    from frontdesk.domain.periods import Period
    from frontdesk.services.fees import billing, ledger

    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    room = town.unsold
    every_step(db, admin, room)  # 500 元 of 预存 among them
    movein.complete_handover(db, admin, room, date(2026, 11, 16))
    with db.read() as session:
        lines = [line for line in ledger.bill_lines(session, room_id=room)]
        balance = ledger.prepaid_balance(session, room)
    assert sorted((line.period, line.due_fen) for line in lines) == [
        ("2026-11", 500),  # 生活垃圾处理费, 15 of 30 days
        ("2026-11", 11188),  # 89.50 m² × 2.50, 15 of 30 days
    ]
    assert all(line.outstanding_fen == 0 for line in lines)  # drawn from the 预存
    assert balance == 50000 - 500 - 11188


def test_an_occupied_room_without_a_handover_date_is_not_pulled_into_a_batch(
    db, admin, town
) -> None:
    structure.update_room(
        db,
        admin,
        town.occupied,
        structure.RoomChange("89.50", RoomType.RESIDENCE, RoomStatus.OCCUPIED, None),
    )
    building = structure.list_buildings(db, admin)[0].id
    batch = movein.create_batch(
        db, admin, "批次", date(2026, 11, 1), date(2026, 11, 30), [building]
    )
    assert [r.room_id for r in movein.batch_board(db, admin, batch).rows] == [town.unsold]
    with pytest.raises(UserError, match="已入住"):
        movein.record_step(db, admin, town.occupied, Step.HANDBOOK, {})


def test_completion_checks_the_first_fees_again(db, admin, town, batch) -> None:
    room = town.unsold
    every_step(db, admin, room)
    receipt = movein.checklist(db, admin, room).row(Step.FEES).detail["receipts"][0]
    voids.void_receipt(db, admin, receipt, "收错", TODAY)
    with pytest.raises(ValidationError, match="不是本户有效的收款收据"):
        movein.complete_handover(db, admin, room, date(2026, 11, 20))
    assert movein.checklist(db, admin, room).completed_on is None


def test_a_butler_keeps_the_move_ins_of_their_own_buildings(db, town, batch, make_user) -> None:
    butler = make_user(Role.BUTLER)
    with pytest.raises(PermissionDenied, match="负责"):
        movein.record_step(db, butler, town.unsold, Step.HANDBOOK, {})
    with pytest.raises(PermissionDenied, match="负责"):
        defects.add_defect(db, butler, town.unsold, defect(TODAY, TODAY))


def test_an_access_card_goes_to_one_room_only(db, admin, town, batch) -> None:
    other = structure.create_building(
        db, admin, structure.NewBuilding("2", "2栋", 1, 1, 1, "89.50")
    )
    second = movein.create_batch(
        db, admin, "二批", date(2026, 11, 1), date(2026, 11, 30), [other.id]
    )
    other_room = movein.batch_board(db, admin, second).rows[0].room_id
    movein.record_step(db, admin, town.unsold, Step.CARDS, {"cards": ["A1234567"]})
    with pytest.raises(ValidationError, match="A1234567 已发给 1-1-202"):
        movein.record_step(db, admin, other_room, Step.CARDS, {"cards": ["A1234567"]})


def test_the_handbook_fee_block_gives_each_price_its_unit_and_says_what_it_is(
    db, admin, town
) -> None:
    from frontdesk.domain.fees import Collection, FeeMethod
    from frontdesk.services.fees import items as fees

    card = fees.add_fee_item(db, admin, "门禁卡工本费", "其他收费", FeeMethod.ONE_OFF, unit="元/张")
    fund = fees.add_fee_item(
        db, admin, "公共维修资金", "公共维修资金", FeeMethod.ONE_OFF, Collection.MAINTENANCE_FUND
    )
    fees.set_fee_item_unit(db, admin, fund, "元/㎡")
    fees.add_price_plan(db, admin, card, 200000, date(2020, 1, 1))
    fees.add_price_plan(db, admin, fund, 1000000, date(2020, 1, 1))
    text = handbook.fee_standards(db, TODAY)
    lines = text.splitlines()
    assert "- 物业服务费：2.50 元/㎡/月（按房屋建筑面积每月计收）" in lines
    assert "- 生活垃圾处理费：10.00 元/户/月" in lines
    assert "- 水费：4.10 元/吨（按表计用量计收，代收代缴）" in lines
    assert "- 门禁卡工本费：20.00 元/张（一次性收费，发生时收取）" in lines
    assert "- 装修押金：3,000.00 元/户（押金，不属于物业收费，验收合格后无息退还）" in lines
    [fund_line] = [line for line in lines if line.startswith("- 公共维修资金")]
    assert fund_line.startswith("- 公共维修资金：按房屋建筑面积每㎡ 100.00 元，一次性交存")
    assert "属全体业主所有，不属于物业服务费" in fund_line
    # Amounts alike: two decimals with thousands separators, never 3000.00 beside 2.50.
    assert not re.search(r"\d{4}\.\d{2}", text)


def test_the_emergency_page_gives_a_number_for_each_line_or_leaves_it_out(db, admin, town) -> None:
    def emergency() -> str:
        sections, _edition = handbook.compose(db, TODAY)
        return next(s.body for s in sections if s.key == "emergency")

    text = emergency()
    assert "- 停电、电力故障：95598（供电服务热线）" in text
    for missing in ("燃气", "供水", "电梯困人救援"):
        assert not any(missing in line for line in text.splitlines() if line.startswith("- "))
    assert not re.search(r"：\s*(（|$)", text, re.M)  # no entry without its number
    values = handbook.HandbookValues(
        gas_phone="0571 96777", water_phone="0571-87654321", lift_phone="96333"
    )
    handbook.set_handbook_values(db, admin, values)
    text = emergency()
    assert "- 燃气泄漏抢修：0571-96777（" in text
    assert "- 停水、供水故障：0571-87654321" in text
    assert "- 电梯困人救援：96333（" in text
    with pytest.raises(ValidationError) as caught:
        handbook.set_handbook_values(db, admin, handbook.HandbookValues(lift_phone="救援"))
    assert caught.value.field == "电梯困人救援电话"
