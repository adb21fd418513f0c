"""One person's copy of their data (查阅复制, 《个人信息保护法》第四十五条).

An Excel workbook with the full values (it is their own data): a cover sheet, then
one sheet per kind of record. Each export is an audit entry with masked data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db import models
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.protection import require_key
from frontdesk.domain.clock import local_time
from frontdesk.domain.household import Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.money import format_yuan
from frontdesk.domain.names import mask_name
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.surveys import Dimension
from frontdesk.domain.text import clean_name
from frontdesk.errors import NotFound, UserError
from frontdesk.services.access import require
from frontdesk.services.households.structure import room_places
from frontdesk.services.personal.rights import (
    KIND_LABELS,
    PersonQuery,
    PersonRecordRef,
    RecordKind,
    counts_text,
    day_text,
    ids_by_kind,
    write_audit,
)
from frontdesk.services.xlsx import Sheet, write_book

_HEADS: dict[RecordKind, tuple[tuple[str, ...], tuple[int, ...]]] = {
    RecordKind.FINDER: (
        ("登记号", "物品", "拾获时间", "拾获地点", "拾获人", "电话", "存放位置"),
        (16, 30, 18, 16, 10, 16, 14),
    ),
    RecordKind.CLAIMANT: (
        ("登记号", "物品", "认领时间", "认领人", "电话", "证件号码", "身份核验", "经办人"),
        (16, 30, 18, 10, 16, 22, 16, 10),
    ),
    RecordKind.GOODS_PASS: (
        (
            *("放行条号", "房屋", "申请人身份", "姓名", "电话", "业主同意", "同意的业主"),
            *("放行物品", "车牌", "放行时段", "开具时间", "放行时间", "备注"),
        ),
        (16, 12, 10, 10, 16, 10, 10, 30, 12, 30, 18, 18, 30),
    ),
    RecordKind.PERSON: (
        (
            *("房屋", "身份", "与户关系", "姓名", "性别", "证件类型", "证件号码", "电话"),
            *("产权份额", "租期开始", "租期结束", "在此居住", "备注", "迁出日期", "迁出原因"),
        ),
        (12, 10, 10, 10, 6, 16, 22, 16, 10, 12, 12, 10, 30, 12, 12),
    ),
    RecordKind.VISIT: (
        (
            *("访客单号", "到访房屋", "姓名", "电话", "证件类型", "证件号码", "车牌", "人数"),
            *("事由", "到访时间", "离开时间", "登记人", "备注"),
        ),
        (16, 12, 10, 16, 16, 22, 12, 6, 12, 18, 18, 10, 30),
    ),
    RecordKind.BOOKING: (
        ("预约码", "房屋", "姓名", "电话", "人数", "事由", "预约日期", "时段", "预约人", "备注"),
        (10, 12, 10, 16, 6, 12, 12, 14, 10, 30),
    ),
    RecordKind.WATCH: (
        ("姓名", "电话", "证件号码", "车牌", "原因", "有效期至", "登记时间", "撤销时间"),
        (10, 16, 22, 12, 30, 12, 18, 18),
    ),
    RecordKind.WORKER: (
        ("出入证号", "房屋", "装修编号", "姓名", "电话", "工种", "证件号码", "挂失", "交回"),
        (18, 12, 14, 10, 16, 10, 22, 12, 12),
    ),
    RecordKind.CARE: (
        ("房屋", "姓名", "类别", "说明", "探访周期（天）", "上次探访"),
        (12, 10, 12, 40, 14, 12),
    ),
    RecordKind.APPLICANT: (
        ("装修编号", "房屋", "身份", "姓名", "电话", "施工单位", "开工", "完工", "状态"),
        (14, 12, 14, 10, 16, 24, 12, 12, 12),
    ),
    RecordKind.PAYMENT: (
        ("房屋", "收款时间", "付款人", "金额（元）", "收款员", "备注"),
        (12, 18, 12, 12, 10, 30),
    ),
    RecordKind.REFUND: (
        ("房屋", "退款时间", "领款人", "金额（元）", "原因", "经办人", "户名", "开户行", "账号"),
        (12, 18, 12, 12, 30, 10, 12, 24, 24),
    ),
    RecordKind.SURVEY: (
        ("调查", "期间", "房屋", "答卷时间", "方式", "评分", "意见建议"),
        (24, 14, 12, 18, 8, 40, 40),
    ),
    RecordKind.KEY_LENDING: (
        ("钥匙编号", "房屋", "借用人", "电话", "单位", "事由", "借出时间", "归还时间", "备注"),
        (10, 12, 10, 16, 16, 8, 18, 18, 30),
    ),
    RecordKind.ITEM_LOAN: (
        ("借用物品", "数量", "房屋", "借用人", "电话", "借出时间", "应还日期", "归还时间", "备注"),
        (12, 6, 12, 10, 16, 18, 12, 18, 30),
    ),
    RecordKind.CALLER: (
        ("工单编号", "房屋", "类型", "联系人", "电话", "受理时间", "问题描述", "状态", "照片"),
        (14, 12, 12, 10, 16, 18, 40, 10, 30),
    ),
    RecordKind.PARCEL: (
        (
            *("快递登记号", "房屋", "快递公司", "快递单号", "收件人", "货架", "收件时间"),
            *("取件时间", "取件人", "代取", "核验方式", "备注"),
        ),
        (16, 12, 10, 20, 10, 8, 18, 18, 10, 6, 10, 30),
    ),
    RecordKind.CERTIFICATE: (
        ("证明编号", "类别", "房屋", "证明对象", "用途", "证明内容", "开具时间", "经办人", "状态"),
        (16, 16, 12, 20, 14, 60, 18, 10, 24),
    ),
}
_SHEET_OF = {kind: kind for kind in RecordKind} | {RecordKind.CONTRACTOR: RecordKind.APPLICANT}
_SHEET_TITLES = KIND_LABELS | {RecordKind.APPLICANT: "装修申请与施工"}


# one row per record, every personal value whole ---------------------------------------


def _yesno(value: bool) -> str:
    return "是" if value else "否"


def _id_type(value: str) -> str:
    return IdType(value).label if value else ""


def _time(at: datetime | None) -> str:
    return local_time(at, seconds=False)


def _person_row(session: Session, r: models.Person, code: str) -> list[object]:
    relation = Relation(r.relation).label if r.relation else ""
    return [
        code,
        r.kind.label,
        relation,
        r.name,
        r.gender,
        _id_type(r.id_type),
        r.id_number,
        r.phone,
        r.share,
        day_text(r.lease_start),
        day_text(r.lease_end),
        _yesno(r.lives_here),
        r.note,
        day_text(r.left_on),
        r.left_reason,
    ]


def _visit_row(session: Session, r: models.Visit, code: str) -> list[object]:
    return [
        r.number,
        code,
        r.visitor_name,
        r.visitor_phone,
        _id_type(r.id_type),
        r.id_number,
        r.plate,
        r.party_size,
        r.purpose.label,
        _time(r.arrived_at),
        _time(r.left_at),
        r.registered_by,
        r.note,
    ]


def _booking_row(session: Session, r: models.VisitBooking, code: str) -> list[object]:
    window = f"{r.window_start:%H:%M}–{r.window_end:%H:%M}"
    return [
        r.code,
        code,
        r.visitor_name,
        r.visitor_phone,
        r.party_size,
        r.purpose.label,
        day_text(r.expected_on),
        window,
        r.booked_by,
        r.note,
    ]


def _watch_row(session: Session, r: models.WatchEntry, code: str) -> list[object]:
    return [
        r.name,
        r.phone,
        r.id_number,
        r.plate,
        r.reason,
        day_text(r.expires_on),
        _time(r.added_at),
        _time(r.removed_at),
    ]


def _worker_row(session: Session, r: models.RenovationWorker, code: str) -> list[object]:
    renovation = session.get(models.Renovation, r.renovation_id)
    number = renovation.number if renovation else ""
    return [
        r.pass_no,
        code,
        number,
        r.name,
        r.phone,
        r.trade,
        r.id_number,
        day_text(r.lost_on),
        day_text(r.returned_on),
    ]


def _care_row(session: Session, r: models.CareNeed, code: str) -> list[object]:
    return [
        code,
        r.person_name,
        r.category.label,
        r.note,
        r.visit_every_days,
        day_text(r.last_visit_on),
    ]


def _renovation_row(r: models.Renovation, code: str, kind: RecordKind) -> list[object]:
    applicant = kind == RecordKind.APPLICANT
    return [
        r.number,
        code,
        "申请人（租户）" if applicant and r.applicant_is_tenant else kind.label,
        r.applicant if applicant else r.contractor_person,
        r.applicant_phone if applicant else r.contractor_phone,
        r.contractor,
        day_text(r.starts_on),
        day_text(r.ends_on),
        r.status.label,
    ]


def _applicant_row(session: Session, r: models.Renovation, code: str) -> list[object]:
    return _renovation_row(r, code, RecordKind.APPLICANT)


def _contractor_row(session: Session, r: models.Renovation, code: str) -> list[object]:
    return _renovation_row(r, code, RecordKind.CONTRACTOR)


def _payment_row(session: Session, r: models.Payment, code: str) -> list[object]:
    return [code, _time(r.posted_at), r.payer, format_yuan(r.total_fen), r.cashier_name, r.note]


def _refund_row(session: Session, r: models.Refund, code: str) -> list[object]:
    return [
        code,
        _time(r.refunded_at),
        r.payee,
        format_yuan(r.amount_fen),
        r.reason,
        r.cashier_name,
        r.payee_account_name,
        r.payee_bank,
        r.payee_account_no,  # the person's own copy: whole, as every value here
    ]


def _caller_row(session: Session, r: models.WorkOrder, code: str) -> list[object]:
    return [
        r.number,
        code,
        r.kind.label,
        r.caller_name,
        r.caller_phone,
        _time(r.taken_at),
        r.description,
        r.status.label,
        "、".join(
            session.scalars(
                select(models.WorkOrderPhoto.filename)
                .where(models.WorkOrderPhoto.work_order_id == r.id)
                .order_by(models.WorkOrderPhoto.id)
            )
        ),
    ]


def _survey_row(session: Session, r: models.SurveyHousehold, code: str) -> list[object]:
    survey = session.get(models.Survey, r.survey_id)
    scores = session.execute(
        select(models.SurveyScore.dimension, models.SurveyScore.score)
        .where(models.SurveyScore.survey_household_id == r.id)
        .order_by(models.SurveyScore.id)
    )
    return [
        survey.name if survey else "",
        survey.period if survey else "",
        code,
        _time(r.answered_at),
        "纸质问卷" if r.paper else "电话",
        "；".join(f"{Dimension(d).label} {s}分" for d, s in scores),
        r.open_answer,
    ]


def _goods_pass_row(session: Session, r: models.GoodsPass, code: str) -> list[object]:
    return [
        r.number,
        code,
        r.applicant_kind.label,
        r.applicant_name,
        r.applicant_phone,
        r.consent.label if r.consent else "",
        r.consent_by,
        "；".join(r.items.split("\n")),
        r.plate,
        f"{_time(r.window_start)} 至 {_time(r.window_end)}",
        _time(r.issued_at),
        _time(r.used_at),
        r.note,
    ]


def _parcel_row(session: Session, r: models.Parcel, code: str) -> list[object]:
    return [
        r.number,
        code,
        r.courier,
        r.tracking,
        r.recipient,
        r.shelf,
        _time(r.received_at),
        _time(r.collected_at),
        r.collector,
        "是" if r.by_proxy else "",
        r.identity_check.label if r.identity_check else "",
        r.note,
    ]


def _key_lending_row(session: Session, r: models.KeyLending, code: str) -> list[object]:
    key = session.get(models.HeldKey, r.key_id)
    return [
        key.tag if key is not None else "",
        code,
        r.borrower,
        r.borrower_phone,
        r.borrower_company,
        r.scope.label,
        _time(r.out_at),
        _time(r.returned_at),
        r.note,
    ]


def _item_loan_row(session: Session, r: models.ItemLoan, code: str) -> list[object]:
    item = session.get(models.LendableItem, r.item_id)
    return [
        item.name if item is not None else "",
        r.quantity,
        code,
        r.borrower,
        r.borrower_phone,
        _time(r.out_at),
        day_text(r.due_on),
        _time(r.returned_at),
        r.note,
    ]


def _finder_row(session: Session, r: models.LostItem, code: str) -> list[object]:
    found = f"{r.category.label}：{r.description}"
    return [
        r.number,
        found,
        _time(r.found_at),
        r.found_place,
        r.finder_name,
        r.finder_phone,
        r.kept_place,
    ]


def _claimant_row(session: Session, r: models.LostItem, code: str) -> list[object]:
    check = r.id_check.label if r.id_check else ""
    return [
        r.number,
        f"{r.category.label}：{r.description}",
        _time(r.claimed_at),
        r.claimant_name,
        r.claimant_phone,
        r.claimant_id_number,
        check,
        r.handed_by,
    ]


def _certificate_row(session: Session, r: models.Certificate, code: str) -> list[object]:
    state = f"{_time(r.revoked_at)} 作废：{r.revoke_reason}" if r.revoked_at else "有效"
    return [
        r.number,
        r.kind.label,
        code,
        r.holder,
        r.purpose,
        r.statement,
        _time(r.issued_at),
        r.issued_by,
        state,
    ]


# each kind: the table it is read from, and its row
_ROWS: dict[RecordKind, tuple[Any, Callable[[Session, Any, str], list[object]]]] = {
    RecordKind.PERSON: (models.Person, _person_row),
    RecordKind.VISIT: (models.Visit, _visit_row),
    RecordKind.BOOKING: (models.VisitBooking, _booking_row),
    RecordKind.WATCH: (models.WatchEntry, _watch_row),
    RecordKind.WORKER: (models.RenovationWorker, _worker_row),
    RecordKind.CARE: (models.CareNeed, _care_row),
    RecordKind.APPLICANT: (models.Renovation, _applicant_row),
    RecordKind.CONTRACTOR: (models.Renovation, _contractor_row),
    RecordKind.PAYMENT: (models.Payment, _payment_row),
    RecordKind.REFUND: (models.Refund, _refund_row),
    RecordKind.CALLER: (models.WorkOrder, _caller_row),
    RecordKind.SURVEY: (models.SurveyHousehold, _survey_row),
    RecordKind.GOODS_PASS: (models.GoodsPass, _goods_pass_row),
    RecordKind.FINDER: (models.LostItem, _finder_row),
    RecordKind.CLAIMANT: (models.LostItem, _claimant_row),
    RecordKind.PARCEL: (models.Parcel, _parcel_row),
    RecordKind.KEY_LENDING: (models.KeyLending, _key_lending_row),
    RecordKind.ITEM_LOAN: (models.ItemLoan, _item_loan_row),
    RecordKind.CERTIFICATE: (models.Certificate, _certificate_row),
}


def _full_row(session: Session, kind: RecordKind, record_id: int, code: str) -> list[object]:
    """Every personal value of one record, whole."""
    model, row = _ROWS[kind]
    r = session.get(model, record_id)
    if r is None:
        raise NotFound("有记录已被删除或修改，请重新查找后再导出。")
    require_key()  # whole ID numbers and phones, or nothing
    return row(session, r, code)


# the workbook ----------------------------------------------------------------------


def _grouped_rows(
    db: Database, refs: Sequence[PersonRecordRef]
) -> dict[RecordKind, list[list[object]]]:
    """The full rows, under the kind of sheet they go on."""
    grouped: dict[RecordKind, list[list[object]]] = {}
    with db.read() as session:
        places = room_places(session, (r.room_id for r in refs if r.room_id is not None))
        for ref in refs:
            code = places.get(ref.room_id, ("", ""))[0] if ref.room_id is not None else ""
            row = _full_row(session, ref.kind, ref.record_id, code)
            grouped.setdefault(_SHEET_OF[ref.kind], []).append(row)
    return grouped


def _cover(
    actor: Actor,
    refs: Sequence[PersonRecordRef],
    query: PersonQuery | None,
    requester: str,
    now: datetime,
) -> Sheet:
    """The first sheet: what this file is, for whom, and who made it."""
    rows: list[list[object]] = [
        ["文件", "个人信息查阅复制（《个人信息保护法》第四十五条）"],
        ["申请人", requester],
        ["查询条件", query.full() if query else ""],
        ["导出时间", local_time(now)],
        ["经办人", f"{actor.display_name}（{actor.username}）"],
        ["记录数", f"共 {len(refs)} 条：{counts_text(refs)}"],
        ["说明", "本文件含完整的个人信息，仅交本人，请妥善保管。"],
    ]
    return "说明", ("项目", "内容"), rows, (12, 70)


def _record_export(
    db: Database,
    actor: Actor,
    refs: Sequence[PersonRecordRef],
    query: PersonQuery | None,
    requester: str,
    now: datetime,
) -> None:
    who = f"，申请人 {mask_name(requester)}" if requester else ""
    criteria = f"（{query.masked()}）" if query else ""
    summary = f"个人信息查阅复制{criteria}：导出 {len(refs)} 条记录（{counts_text(refs)}）{who}"
    with db.write(actor) as session:
        write_audit(session, actor, "export", summary, {"records": ids_by_kind(refs)}, now)


def export_person(
    db: Database,
    actor: Actor,
    refs: Sequence[PersonRecordRef],
    path: Path,
    *,
    query: PersonQuery | None = None,
    requester: str = "",
    now: datetime | None = None,
) -> int:
    """The person's copy (查阅复制): a cover sheet and one sheet per kind, with the
    full values. Audited with masked data; returns how many records were written."""
    require(actor, Permission.MANAGE_PERSONAL_DATA)
    if not refs:
        raise UserError("没有可导出的记录。")
    requester = clean_name(requester, "申请人", 40)
    now = now or utcnow()
    grouped = _grouped_rows(db, refs)
    sheets = [_cover(actor, refs, query, requester, now)]
    for kind in RecordKind:
        if kind in grouped:
            head, widths = _HEADS[kind]
            sheets.append((_SHEET_TITLES[kind][:31], head, grouped[kind], widths))
    write_book(path, sheets)
    _record_export(db, actor, refs, query, requester, now)
    return len(refs)
