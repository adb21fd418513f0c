"""数据导入: checking read lines against the database, writing them all or nothing,
a re-run adding nothing, undoing an import whole, and the report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from frontdesk.db.models import Bill, ReceiptSeries
from frontdesk.domain.fees import MeterKind, PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.identity import IdType
from frontdesk.domain.onboarding import (
    ArrearsLine,
    DepositLine,
    HistoryLine,
    ImportKind,
    MeterLine,
    PaidThroughLine,
    PersonLine,
    PrepaidLine,
    ReadResult,
    Refusal,
    RoomKey,
    RoomLine,
    Source,
    Totals,
)
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import PermissionDenied, UserError
from frontdesk.services import onboarding
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, cash_close, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import (
    VehicleInput,
    add_record,
    find_households,
    find_room_id,
    open_file,
    remove_record,
)
from frontdesk.services.onboarding import ImportFile, ImportPlan, undoing, writing
from frontdesk.services.progress import Cancelled, Progress
from frontdesk.services.protection import checks
from tests.unit.fee_fixtures import TODAY, Community, make_community

FILE = ImportFile("旧系统导出.xlsx", "ab" * 32, ("房屋",))
R3 = RoomKey("3", "2", "1201")
R3B = RoomKey("3", "2", "1202")
SHOP = RoomKey("S", None, "101")
OLD = RoomKey("1", "1", "101")  # on file in the fee fixtures' community


def at(row: int, sheet: str = "房屋") -> Source:
    return Source(sheet, row)


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    return make_community(db, admin)


def estate_lines() -> ReadResult:
    """Two flats of a new building, a shop, their owners (one with two names in the
    old system's cell, read as two lines), and one owner of a room already on file."""
    return ReadResult(
        rooms=[
            RoomLine(at(4), R3, area_x100=8950),
            RoomLine(at(5), R3B, floor=12, area_x100=10200, status=RoomStatus.VACANT),
            RoomLine(at(6), SHOP, area_x100=4500, room_type=RoomType.SHOP),
        ],
        people=[
            PersonLine(at(4), R3, "张三", phone="13812345678", move_in_on=date(2021, 5, 1)),
            PersonLine(at(4), R3, "李四", phone="13812345678"),
            PersonLine(at(6), SHOP, "王五", id_number="11010519491231002X"),
            PersonLine(at(7), OLD, "赵六", kind=PersonKind.TENANT, phone="13912345678"),
        ],
        rows_read=4,
    )


def balance_lines() -> ReadResult:
    return ReadResult(
        arrears=[
            ArrearsLine(at(2, "余额"), OLD, "物业服务费", Period(2026, 8), 22375),
            ArrearsLine(at(3, "余额"), OLD, "物业服务费", Period(2026, 9), 22375),
            ArrearsLine(at(4, "余额"), R3, "物业服务费", Period(2026, 9), 20000),
        ],
        prepaid=[PrepaidLine(at(5, "余额"), R3B, 50000)],
        paid_through=[PaidThroughLine(at(5, "余额"), R3B, "物业服务费", Period(2026, 12))],
        deposits=[DepositLine(at(6, "余额"), SHOP, "装修押金", 300000, date(2025, 3, 1))],
        history=[
            HistoryLine(at(2, "历史"), OLD, "物业费", "2025-03", 22375, date(2025, 3, 5), "陈会计"),
            HistoryLine(at(3, "历史"), OLD, "物业费", "2025-03", 22375, date(2025, 3, 5), "陈会计"),
        ],
        meters=[MeterLine(at(2, "抄表"), OLD, MeterKind.WATER, 123450, date(2026, 10, 31))],
    )


def check(db: Database, actor: Actor, read: ReadResult) -> ImportPlan:
    return onboarding.check_import(db, actor, FILE, read)


def imported(db: Database, actor: Actor, read: ReadResult) -> onboarding.ImportDone:
    plan = check(db, actor, read)
    assert plan.refusals == ()
    return onboarding.commit_import(db, actor, plan, buildings_confirmed=True)


def test_rooms_and_owners_are_created_and_matched(db, admin, town) -> None:
    plan = check(db, admin, estate_lines())
    assert plan.new_buildings == ("3", "S")
    assert (plan.new_rooms, plan.matched_rooms) == (3, 0)
    assert (plan.new_people, plan.known_people) == (4, 0)
    assert plan.file_totals.rooms == 3 and plan.file_totals.people == 4
    assert plan.adds == plan.file_totals
    assert ("房屋", "4", "3-2-1201", "人员", "张三（产权人） 138****5678") in plan.preview

    done = onboarding.commit_import(db, admin, plan, buildings_confirmed=True)
    assert done.added.rooms == 3
    assert done.after.rooms == done.before.rooms + 3
    assert done.after.people == done.before.people + 4
    flat = open_file(db, admin, find_room_id(db, admin, "3-2-1201"))
    assert sorted(p.name for p in flat.people) == ["张三", "李四"]
    assert flat.room.floor == 12 and flat.room.area_m2_x100 == 8950
    assert flat.room.status == RoomStatus.OCCUPIED  # owners in the file: lived in
    assert flat.profile.move_in_on == date(2021, 5, 1)
    shop = open_file(db, admin, find_room_id(db, admin, "S-101"))
    assert shop.room.room_type == RoomType.SHOP


def test_new_buildings_wait_for_the_clerks_confirmation(db, admin, town) -> None:
    plan = check(db, admin, estate_lines())
    with pytest.raises(UserError, match="将新建楼栋：3、S"):
        onboarding.commit_import(db, admin, plan, buildings_confirmed=False)
    assert onboarding.office_totals(db, admin).rooms == 4  # the fixtures' four rooms


def test_a_second_run_of_the_same_file_adds_nothing(db, admin, town) -> None:
    first = imported(db, admin, estate_lines())
    imported(db, admin, balance_lines())
    again = check(db, admin, estate_lines())
    assert again.refusals == ()
    assert (again.new_rooms, again.matched_rooms, again.known_people) == (0, 3, 4)
    assert again.adds == Totals()
    done = onboarding.commit_import(db, admin, again, buildings_confirmed=False)
    assert done.batch_id == 0 and done.after == done.before
    assert check(db, admin, balance_lines()).adds == Totals()
    assert len(onboarding.list_imports(db, admin)) == 2
    assert first.batch_id


def test_a_file_with_refused_rows_imports_nothing(db, admin, town) -> None:
    read = estate_lines()
    read.rooms.append(RoomLine(at(9), OLD, area_x100=9000))  # on file with 89.50 ㎡
    read.people.append(PersonLine(at(10), R3, "张三", phone="13812345678"))
    read.people.append(PersonLine(at(11), RoomKey("9", "1", "101"), "钱七"))
    read.refusals.append(Refusal(at(12), "手机", "「1381234」不是电话号码"))
    plan = check(db, admin, read)
    reasons = {(r.source.row, r.column): r.reason for r in plan.refusals}
    assert "文件写的是 90.00 ㎡" in reasons[(9, "建筑面积")]
    assert reasons[(10, "姓名")].startswith("与第 4 行重复")
    assert reasons[(11, "房号（整体）")] == "系统中没有房屋「9-1-101」，文件中也没有它"
    assert (12, "手机") in reasons
    before = onboarding.office_totals(db, admin)
    with pytest.raises(UserError, match="4 处被拒绝"):
        onboarding.commit_import(db, admin, plan, buildings_confirmed=True)
    assert onboarding.office_totals(db, admin) == before
    assert onboarding.list_imports(db, admin) == []


def test_a_person_refused_by_the_rosters_rules_names_the_field(db, admin, town) -> None:
    read = ReadResult(people=[PersonLine(at(3), OLD, "孙八", id_number="110105194912310021")])
    [refusal] = check(db, admin, read).refusals
    assert refusal.column == "证件号码" and refusal.source.row == 3


def test_opening_balances_are_carried_over(db, admin, town) -> None:
    imported(db, admin, estate_lines())
    before = onboarding.office_totals(db, admin)
    done = imported(db, admin, balance_lines())
    assert done.added == Totals(
        arrears_fen=64750,
        arrears_lines=3,
        prepaid_fen=50000,
        deposits_fen=300000,
        history_lines=2,
        history_fen=44750,
        meter_readings=1,
    )
    assert done.after.arrears_fen == before.arrears_fen + 64750
    view = payments.counter_view(db, admin, town.occupied, TODAY)
    carried = [(b.period, b.due_fen, b.description) for b in view.open_bills]
    assert carried == [
        ("2026-08", 22375, "期初欠费（原系统结转）"),
        ("2026-09", 22375, "期初欠费（原系统结转）"),
    ]
    flat = payments.counter_view(db, admin, find_room_id(db, admin, "3-2-1202"), TODAY)
    assert flat.prepaid_fen == 50000


def test_carried_over_money_takes_no_receipt_number_and_no_takings(db, admin, town) -> None:
    numbers = receipt_numbers(db)
    imported(db, admin, estate_lines())
    imported(db, admin, balance_lines())
    assert receipt_numbers(db) == numbers
    day = cash_close.day_totals(db, admin, TODAY)
    assert day.total_fen == 0 and day.cashiers == [] and day.auto_drawn_fen == 0


def receipt_numbers(db: Database) -> dict[str, int]:
    with db.read() as session:
        query = select(ReceiptSeries.code, ReceiptSeries.next_number)
        return {code: number for code, number in session.execute(query)}


def test_arrears_for_a_month_billed_here_are_refused(db, admin, town) -> None:
    billing.run_billing(db, admin, Period(2026, 10), today=TODAY)
    read = ReadResult(
        arrears=[
            ArrearsLine(at(2), OLD, "物业服务费", Period(2026, 9), 22375),
            ArrearsLine(at(3), OLD, "物业服务费", Period(2026, 11), 22375),
            ArrearsLine(at(4), OLD, "车位费", Period(2026, 9), 100),
        ]
    )
    reasons = {r.source.row: r.reason for r in check(db, admin, read).refusals}
    assert reasons == {
        3: "2026年11月已在本系统出账，不能再结转期初欠费",
        4: "没有名为「车位费」的收费项目（请先在收费设置中添加，或在导入时对应到已有项目）",
    }


def test_an_existing_bill_of_that_month_is_named(db, admin, town) -> None:
    billing.run_billing(db, admin, Period(2026, 10), today=TODAY)
    read = ReadResult(arrears=[ArrearsLine(at(2), OLD, "物业服务费", Period(2026, 10), 1)])
    [refusal] = check(db, admin, read).refusals
    assert refusal.reason == "本系统已有 1-1-101 2026年10月的物业服务费账单"


def test_balances_and_meters_need_the_fee_permission(db, admin, town, make_user) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    check(db, supervisor, estate_lines())  # rooms and people: the import permission
    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied):
        check(db, clerk, estate_lines())


def test_an_import_is_undone_whole_and_the_check_still_passes(db, admin, town) -> None:
    before = onboarding.office_totals(db, admin)
    first = imported(db, admin, estate_lines())
    second = imported(db, admin, balance_lines())
    assert checks.check_database(db).ok, checks.check_database(db).problems
    rows = onboarding.list_imports(db, admin)
    assert [r.batch_id for r in rows] == [second.batch_id, first.batch_id]
    assert rows[0].undo_refusal == ""
    assert rows[1].undo_refusal.startswith("导入的房屋此后已有")  # the balances' rooms

    removed = onboarding.undo_import(db, admin, second.batch_id)
    assert removed == second.added
    removed = onboarding.undo_import(db, admin, first.batch_id)
    assert removed.rooms == 3 and removed.people == 4
    assert onboarding.office_totals(db, admin) == before
    report = checks.check_database(db)
    assert report.ok, report.problems
    assert [r.undo_refusal for r in onboarding.list_imports(db, admin)] == ["已撤销", "已撤销"]
    with pytest.raises(UserError, match="已撤销"):
        onboarding.undo_import(db, admin, first.batch_id)
    # undone, the same file can come in again
    assert imported(db, admin, estate_lines()).added.rooms == 3


def test_undo_is_refused_once_a_carried_over_bill_is_paid(db, admin, town) -> None:
    done = imported(db, admin, balance_lines_on_file())
    bill = payments.counter_view(db, admin, town.occupied, TODAY).open_bills[0]
    payments.post_payment(
        db,
        admin,
        PaymentRequest(
            town.occupied, ((bill.bill_id, 22375),), (TenderInput(PayMethod.CASH, 22375),)
        ),
        TODAY,
    )
    [row] = onboarding.list_imports(db, admin)
    assert row.undo_refusal == "导入的账单此后已有收款分配记录"
    with pytest.raises(UserError, match="不能撤销这次导入：导入的账单此后已有收款分配记录"):
        onboarding.undo_import(db, admin, done.batch_id)
    assert checks.check_database(db).ok


def test_undo_is_refused_after_a_billing_run(db, admin, town) -> None:
    done = imported(db, admin, balance_lines_on_file())
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    with pytest.raises(UserError, match="导入之后已生成过账单"):
        onboarding.undo_import(db, admin, done.batch_id)


def balance_lines_on_file() -> ReadResult:
    """Balances of the fixtures' own rooms only."""
    lines = balance_lines()
    return ReadResult(arrears=lines.arrears[:2], history=lines.history, meters=lines.meters)


def test_an_imported_reading_is_the_next_months_previous(db, admin, town) -> None:
    imported(db, admin, balance_lines_on_file())
    with db.read() as session:
        assert session.scalar(select(func.count(Bill.id)).where(Bill.import_id.is_not(None))) == 2
    from frontdesk.services.fees import meters

    grid = meters.reading_grid(db, admin, town.water, Period(2026, 11), 1)
    occupied = next(row for row in grid if row.room_id == town.occupied)
    assert occupied.previous_x100 == 123450


def test_mappings_are_saved_by_name_and_replaced(db, admin) -> None:
    onboarding.save_mapping(db, admin, "旧物业系统", ImportKind.ROOMS, '{"columns": {}}')
    onboarding.save_mapping(db, admin, "旧物业系统", ImportKind.PEOPLE, '{"columns": {"姓名": 1}}')
    [saved] = onboarding.saved_mappings(db, admin)
    assert (saved.name, saved.kind, saved.setup_json) == (
        "旧物业系统",
        ImportKind.PEOPLE,
        '{"columns": {"姓名": 1}}',
    )
    assert saved.saved_by == "管理员"
    with pytest.raises(UserError, match="映射名称"):
        onboarding.save_mapping(db, admin, " ", ImportKind.ROOMS, "{}")


def test_the_report_holds_totals_refusals_and_new_buildings(db, admin, town, tmp_path) -> None:
    read = estate_lines()
    read.refusals.append(Refusal(at(12), "手机", "=1381234 不是电话号码"))
    plan = check(db, admin, read)
    path = tmp_path / "报告.xlsx"
    onboarding.write_report(path, plan)
    book = load_workbook(path)
    summary = [tuple(c for c in row if c is not None) for row in book["汇总"].values]
    assert ("房屋（间）", "3", "3") in summary
    assert [row for row in book["拒绝"].values][1] == ("房屋", 12, "手机", "=1381234 不是电话号码")
    assert book["拒绝"]["D2"].data_type == "s"
    assert [row[0] for row in book["新建楼栋"].values] == ["楼栋编号", "3", "S"]
    done = onboarding.commit_import(db, admin, replace(plan, refusals=()), buildings_confirmed=True)
    onboarding.write_report(path, plan, done)
    assert ("房屋（间）", "3", "4", "3", "7") in [
        tuple(c for c in row if c is not None) for row in load_workbook(path)["汇总"].values
    ]


def test_file_of_names_the_file_by_its_digest(tmp_path: Path) -> None:
    path = tmp_path / "旧系统.xlsx"
    path.write_bytes(b"PK-not-really")
    found = onboarding.file_of(path, ["房屋", "业主"])
    assert found.name == "旧系统.xlsx" and found.sheets == ("房屋", "业主")
    assert len(found.sha256) == 64


def test_imported_people_are_found_by_pinyin_and_phone_tail(db, admin, town) -> None:
    imported(db, admin, estate_lines())
    by_initials = {hit.room_code for hit in find_households(db, admin, "zs")}
    assert "3-2-1201" in by_initials
    by_tail = {hit.room_code: hit.matched for hit in find_households(db, admin, "5678")}
    assert by_tail["3-2-1201"].endswith("电话尾号 5678")


def test_a_commit_matches_again_what_changed_since_its_check(db, admin, town) -> None:
    first, second = check(db, admin, estate_lines()), check(db, admin, estate_lines())
    onboarding.commit_import(db, admin, first, buildings_confirmed=True)
    done = onboarding.commit_import(db, admin, second, buildings_confirmed=True)
    assert done.batch_id == 0 and done.added == Totals()
    assert len(onboarding.list_imports(db, admin)) == 1


def test_a_passport_number_is_not_checked_as_a_resident_card(db, admin, town) -> None:
    line = PersonLine(at(3), OLD, "Anna Smith", id_number="E12345678", id_type=IdType.PASSPORT)
    plan = check(db, admin, ReadResult(people=[line]))
    assert plan.refusals == () and plan.new_people == 1


def test_rooms_and_their_balances_in_one_import_are_undone_together(db, admin, town) -> None:
    read, money = estate_lines(), balance_lines()
    read.arrears, read.prepaid, read.deposits = money.arrears, money.prepaid, money.deposits
    before = onboarding.office_totals(db, admin)
    preview = check(db, admin, read).preview
    assert [row[0] for row in preview] == ["房屋"] * 7 + ["余额"] * 5  # the file's order
    done = imported(db, admin, read)
    assert done.added.arrears_lines == 3 and done.added.rooms == 3
    onboarding.undo_import(db, admin, done.batch_id)
    assert onboarding.office_totals(db, admin) == before
    report = checks.check_database(db)
    assert report.ok, report.problems


def test_an_undo_stopped_part_way_says_so_and_finishes_when_asked_again(
    db, admin, town, monkeypatch
) -> None:
    read, money = estate_lines(), balance_lines()
    read.arrears = money.arrears
    before = onboarding.office_totals(db, admin)
    done = imported(db, admin, read)
    flat = find_room_id(db, admin, "3-2-1201")
    car = add_record(db, admin, flat, VehicleInput("浙A12345"))
    # as if the car was registered between the undo's check and its last steps
    monkeypatch.setattr(undoing, "undo_refusal", lambda *_args, **_kwargs: "")
    with pytest.raises(UserError, match="撤销未全部完成：导入的房屋此后已有车辆记录"):
        onboarding.undo_import(db, admin, done.batch_id)
    monkeypatch.undo()
    [row] = onboarding.list_imports(db, admin)
    assert row.undone_at is None and row.undo_refusal == "导入的房屋此后已有车辆记录"
    assert checks.check_database(db).ok  # the carried-over bills went whole
    remove_record(db, admin, VehicleInput, car)
    onboarding.undo_import(db, admin, done.batch_id)
    assert onboarding.office_totals(db, admin) == before
    assert checks.check_database(db).ok


def test_texts_longer_than_their_columns_are_refused(db, admin, town) -> None:
    read = ReadResult(
        rooms=[RoomLine(at(2), RoomKey("3", "2", "1" * 21))],
        history=[HistoryLine(at(3), OLD, "物业费", "2025-03", 100, cashier="陈" * 41)],
        deposits=[DepositLine(at(4), OLD, "装修押金" * 6, 100)],
    )
    reasons = {(r.source.row, r.column): r.reason for r in check(db, admin, read).refusals}
    assert reasons == {
        (2, "房间号"): "不能超过 20 个字（现有 21 个字）",
        (3, "收费员"): "不能超过 40 个字（现有 41 个字）",
        (4, "押金类别"): "不能超过 20 个字（现有 24 个字）",
    }


def test_the_first_billing_run_bills_the_imported_rooms_and_skips_carried_months(
    db, admin, town
) -> None:
    read = estate_lines()
    read.arrears = [ArrearsLine(at(2, "余额"), R3, "物业服务费", Period(2026, 11), 20000)]
    imported(db, admin, read)
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    flat = payments.counter_view(db, admin, find_room_id(db, admin, "3-2-1201"), TODAY)
    service = [
        (b.period, b.due_fen, b.description)
        for b in flat.open_bills
        if b.fee_item_id == town.service
    ]
    assert service == [("2026-11", 20000, "期初欠费（原系统结转）")]
    vacant = payments.counter_view(db, admin, find_room_id(db, admin, "3-2-1202"), TODAY)
    assert {b.fee_item_id for b in vacant.open_bills} == {town.service, town.rubbish}


def test_undo_is_refused_once_an_imported_prepaid_balance_moved(db, admin, town) -> None:
    done = imported(db, admin, ReadResult(prepaid=[PrepaidLine(at(2), OLD, 50000)]))
    payments.post_payment(
        db,
        admin,
        PaymentRequest(town.occupied, (), (TenderInput(PayMethod.CASH, 100),), prepaid_fen=100),
        TODAY,
    )
    with pytest.raises(UserError, match="导入的期初预存此后已有收支"):
        onboarding.undo_import(db, admin, done.batch_id)


class CancelAt(Progress):
    """Cancels at the n-th step: the steps before it are already committed."""

    def __init__(self, at_step: int) -> None:
        super().__init__()
        self.steps = 0
        self.at_step = at_step

    def step(self, done: int, total: int) -> None:
        self.steps += 1
        if self.steps == self.at_step:
            self.cancel()
        super().step(done, total)


def test_an_import_stopped_part_way_leaves_nothing_behind(db, admin, town, monkeypatch) -> None:
    monkeypatch.setattr(writing, "STEP_SECONDS", 0)  # one chunk a step: several steps
    read, money = estate_lines(), balance_lines()
    read.arrears = money.arrears
    before = onboarding.office_totals(db, admin)
    plan = check(db, admin, read)
    with pytest.raises(Cancelled):
        onboarding.commit_import(db, admin, plan, buildings_confirmed=True, progress=CancelAt(6))
    assert onboarding.office_totals(db, admin) == before
    [row] = onboarding.list_imports(db, admin)
    assert row.undone_at is not None
    assert checks.check_database(db).ok
