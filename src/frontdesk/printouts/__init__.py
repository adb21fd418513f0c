"""Documents assembled from the database: services gather the data, documents draw it.

The GUI and the command line call these so both print exactly the same thing.
"""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.documents.base import Letterhead
from frontdesk.documents.cash_report import (
    CashierDay,
    DailyReport,
    MethodLine,
    VoidLine,
    daily_report_pdf,
    daily_report_xlsx,
    report_title,
)
from frontdesk.documents.collection_report import (
    CARRIED_ROW,
    CollectionReport,
    CollectionRow,
    OtherBlock,
    collection_report_pdf,
    collection_report_xlsx,
)
from frontdesk.documents.household_card import CardSection, HouseholdCard, household_card_pdf
from frontdesk.documents.receipt import ReceiptDoc, ReceiptLine, receipt_pdf
from frontdesk.documents.room_summary import BuildingLine, room_summary_pdf
from frontdesk.domain import clock
from frontdesk.domain.area import format_m2
from frontdesk.domain.fees import Paper, PayMethod
from frontdesk.domain.identity import mask_id_number
from frontdesk.domain.issued import DocKind, Issue, Printout, Subject
from frontdesk.domain.money import to_words
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_label
from frontdesk.services import community
from frontdesk.services.access import require
from frontdesk.services.database import Database
from frontdesk.services.fees import cash_close, collection, receipts
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.protection import audit


def letterhead(db: Database) -> Letterhead:
    info = community.get_community(db)
    return Letterhead(info.name, info.company_name, info.address, info.service_phone, info.logo_png)


def room_summary(db: Database, actor: Actor, now: datetime | None = None) -> Printout:
    require(actor, Permission.PRINT_REPORTS)
    lines = [
        BuildingLine(b.building, b.units, b.rooms, b.by_status, b.area_m2_x100)
        for b in structure.summary(db, actor)
    ]
    pdf = room_summary_pdf(letterhead(db), lines, now or clock.now(), actor.display_name)
    return Printout(pdf, Issue(DocKind.ROOM_SUMMARY, "小区房屋统计表"))


def household_card(
    db: Database, actor: Actor, room_id: int, now: datetime | None = None
) -> Printout:
    """The household's card, unmasked only for someone who may unmask it (and audited)."""
    require(actor, Permission.PRINT_REPORTS)
    peek = households.open_file(db, actor, room_id)
    file = households.open_file(db, actor, room_id, reveal=True) if peek.can_reveal else peek
    pdf = household_card_pdf(letterhead(db), card_of(file), now or clock.now(), actor.display_name)
    title = f"户档案卡 {file.room.code}"
    return Printout(pdf, Issue(DocKind.HOUSEHOLD_CARD, title, "", (Subject(room_id=room_id),)))


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def card_of(file: households.HouseholdFile) -> HouseholdCard:
    room = file.room
    people = [
        (
            p.kind.label,
            p.name,
            p.relation.label if p.relation else "",
            p.phone,
            # A kept copy must not undo the encryption at rest: the card shows it masked.
            f"{p.id_type.label if p.id_type else ''} {mask_id_number(p.id_number)}".strip(),
            p.share or (f"{_date(p.lease_start)}至{_date(p.lease_end)}" if p.lease_end else ""),
        )
        for p in file.people
    ]
    sections = (
        CardSection(
            "人员",
            ("类别", "姓名", "关系", "电话", "证件", "份额/租期"),
            tuple(people),
            (0.12, 0.14, 0.1, 0.16, 0.3, 0.18),
        ),
        CardSection(
            "车辆",
            ("车牌号", "品牌型号", "颜色", "车位"),
            tuple((v.plate, v.model, v.colour, v.parking_space) for v in file.vehicles),
            (0.25, 0.35, 0.15, 0.25),
        ),
        CardSection(
            "车位",
            ("车位", "性质", "开始", "结束"),
            tuple(
                (u.space_code, u.kind.label, _date(u.start_on), _date(u.end_on))
                for u in file.parking
            ),
            (0.25, 0.25, 0.25, 0.25),
        ),
        CardSection(
            "宠物",
            ("种类", "名字", "品种", "犬只登记证号", "免疫日期"),
            tuple(
                (p.species, p.name, p.breed, p.licence_no, _date(p.vaccinated_on))
                for p in file.pets
            ),
            (0.12, 0.18, 0.2, 0.28, 0.22),
        ),
        CardSection(
            "关怀对象",
            ("姓名", "类别", "探访周期", "上次探访", "说明"),
            tuple(
                (
                    c.person_name,
                    c.category.label,
                    f"每 {c.visit_every_days} 天",
                    _date(c.last_visit_on),
                    c.note,
                )
                for c in file.care
            ),
            (0.14, 0.14, 0.14, 0.16, 0.42),
        ),
    )
    facts = (
        ("建筑面积", f"{format_m2(room.area_m2_x100)} ㎡"),
        ("类型", room.room_type.label),
        ("状态", room.status.label),
        ("管家", file.butler),
        ("入住日期", _date(file.profile.move_in_on)),
        ("联系偏好", file.profile.contact_preference),
        ("标签", "、".join(file.tags)),
    )
    place = room_label(room.building.removesuffix("栋"), room.unit, room.number)
    return HouseholdCard(room.code, place, facts, sections, file.profile.notes, file.masked)


# money -------------------------------------------------------------------------


def receipt(
    db: Database,
    actor: Actor,
    number: str,
    paper: Paper | None = None,
    copies: tuple[str, ...] | None = None,
) -> Printout:
    """The receipt as it would print now: once a print has been logged it is marked
    补打 with the number of this print and its time. Rendering logs nothing;
    `log_receipt_print` does, when it reaches paper or a file."""
    settings = receipts.receipt_settings(db)
    view = receipts.receipt_view(db, actor, number)
    doc = receipt_doc(view, copies or settings.copies, carbonless=settings.carbonless)
    pdf = receipt_pdf(letterhead(db), doc, paper or settings.paper)
    kind = DocKind.REFUND if view.is_refund else DocKind.RECEIPT
    issue = Issue(kind, f"{doc.title} {view.number}", view.number, (Subject(view.room_id),))
    return Printout(pdf, issue)


def log_receipt_print(db: Database, actor: Actor, number: str, paper: Paper | None = None) -> None:
    receipts.record_print(db, actor, number, paper or receipts.receipt_settings(db).paper)


def receipt_doc(
    view: receipts.ReceiptView,
    copies: tuple[str, ...],
    *,
    carbonless: bool = False,
    now: datetime | None = None,
) -> ReceiptDoc:
    """The paper of a receipt view, as its next print (`view.prints + 1`) made `now`."""
    issued = view.issued_at.astimezone()
    printed = (now or clock.now()).astimezone()
    refund_of = "；".join(
        f"{r.number}（{r.issued_on.year}年{r.issued_on.month}月{r.issued_on.day}日）"
        for r in view.refunded
    )
    if view.renovation:
        refund_of = "；".join(filter(None, [refund_of, f"装修押金 装修编号 {view.renovation}"]))
    refund_of = "；".join(filter(None, [refund_of, view.opening_deposit]))
    return ReceiptDoc(
        title="退款凭证" if view.is_refund else "收款收据",
        number=view.number,
        issued_on=f"{issued.year}年{issued.month}月{issued.day}日",
        issued_at=f"{issued:%Y-%m-%d %H:%M}",
        payer=view.payer,
        room=view.room,
        lines=tuple(
            ReceiptLine(i.item, i.period, i.quantity, i.unit_price, i.amount_fen, i.note)
            for i in view.items
        ),
        total_fen=view.total_fen,
        total_words=to_words(view.total_fen),
        methods=view.methods,
        cashier=view.cashier,
        copies=copies,
        print_no=view.prints + 1,
        printed_at=f"{printed:%Y-%m-%d %H:%M}",
        voided=view.voided,
        form_number=view.form_number,
        invoice=view.invoice,
        remark=view.remark,
        breakdown=view.breakdown,
        refund_of=refund_of,
        payee_account=view.payee_account_on_paper,
        carbonless=carbonless,
    )


def method_lines(takings: cash_close.Takings) -> tuple[MethodLine, ...]:
    """Taken, voided, refunded and net by method; 预存抵扣 moved no money at the counter
    and is not a line to tick against a statement."""
    return tuple(
        MethodLine(
            method.label,
            takings.taken_by_method.get(method, 0),
            takings.voided_by_method.get(method, 0),
            takings.refunded_by_method.get(method, 0),
        )
        for method in takings.methods()
        if method != PayMethod.PREPAID
    )


def void_lines(takings: cash_close.Takings, day: date) -> tuple[VoidLine, ...]:
    return tuple(
        VoidLine(
            void.number,
            void.amount_fen,
            "" if void.taken_on == day else f"{void.taken_on.month}月{void.taken_on.day}日",
        )
        for void in takings.voided_receipts
    )


def _day_report(db: Database, actor: Actor, day: date) -> DailyReport:
    totals = cash_close.day_totals(db, actor, day)
    cashiers = tuple(
        CashierDay(
            row.takings.cashier,
            method_lines(row.takings),
            len(row.takings.receipts),
            row.takings.receipts[0] if row.takings.receipts else "",
            row.takings.receipts[-1] if row.takings.receipts else "",
            void_lines(row.takings, day),
            row.takings.refunds_fen,
            row.takings.cash_expected_fen,
            row.cash_counted_fen,
            f"{row.closed_at.astimezone():%H:%M}" if row.closed_at else "",
            row.takings.prepaid_drawn_fen,
        )
        for row in totals.cashiers
    )
    return DailyReport(
        f"{day.year}年{day.month}月{day.day}日",
        cashiers,
        tuple((name, collection.label, fen) for name, collection, fen in totals.by_item),
        tuple((collection.label, fen) for collection, fen in totals.by_collection()),
        totals.total_fen,
        to_words(totals.total_fen),
        actor.display_name,
        totals.closed,
        audit.chain_position(db).text(),
        totals.auto_drawn_fen,
        totals.auto_drawn_rooms,
    )


def daily_report(db: Database, actor: Actor, day: date) -> Printout:
    report = _day_report(db, actor, day)
    pdf = daily_report_pdf(letterhead(db), report, clock.now())
    title = f"{report_title(report)} {day:%Y-%m-%d}"
    return Printout(pdf, Issue(DocKind.DAILY_REPORT, title, day.isoformat()))


def daily_report_excel(db: Database, actor: Actor, day: date) -> bytes:
    return daily_report_xlsx(_day_report(db, actor, day))


def collection_row(line: collection.CollectionLine) -> CollectionRow:
    return CollectionRow(line.name, line.billed_fen, line.collected_fen, line.reduced_fen)


def _collection_report(db: Database, actor: Actor, period: Period) -> CollectionReport:
    figures = collection.collection_figures(db, actor, period)
    now = clock.now()
    total = figures.total
    # 期初欠费 carried over (数据导入): its row and note while any is collected or open
    carried = figures.carried_collected_fen or figures.carried_open_fen
    carried_row = ((CARRIED_ROW, figures.carried_collected_fen),) if carried else ()
    others = tuple(
        OtherBlock(
            subtotal.collection.label if subtotal.collection else "",
            tuple(
                collection_row(line)
                for line in figures.other_items
                if line.collection == subtotal.collection
            ),
            collection_row(subtotal),
        )
        for subtotal in figures.other_totals()
    )
    report = CollectionReport(
        period.label,
        f"统计截至 {now:%Y-%m-%d %H:%M}",
        tuple(collection_row(line) for line in figures.by_building),
        tuple(collection_row(line) for line in figures.own_items),
        collection_row(total),
        (
            (f"{period.year}年往月欠费", figures.this_year_arrears_fen),
            (f"{period.year - 1}年及以前欠费", figures.prior_years_arrears_fen),
            *carried_row,
        ),
        collection.TARGET_RATE,
        actor.display_name,
        others,
        total.reduced_at_billing_fen,
        total.reduced_later_fen,
        figures.carried_open_fen if carried else None,
    )
    return report


def collection_report(db: Database, actor: Actor, period: Period) -> Printout:
    report = _collection_report(db, actor, period)
    pdf = collection_report_pdf(letterhead(db), report, clock.now())
    issue = Issue(DocKind.COLLECTION_REPORT, f"收缴率报表 {period.label}", str(period))
    return Printout(pdf, issue)


def collection_report_excel(db: Database, actor: Actor, period: Period) -> bytes:
    return collection_report_xlsx(_collection_report(db, actor, period))
