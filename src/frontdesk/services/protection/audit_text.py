"""Audit entries in words: field changes as `姓名：张三 → 李四`.

Entries store column names and raw values (stable across releases, and hashed as
written); this module is the one place that turns them into what a clerk reads: every
field under a Chinese label, amounts in yuan, times in local time, users by name,
coded values in their Chinese words. The audit screen, the household file's history
and the Excel export all read entries through it.

Every column the log can hold needs a label: tests/unit/test_audit_text.py fails on a
column of any audited table (or a key a service writes by hand) that has none.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Enum, Time, TypeDecorator

from frontdesk.db.base import Base
from frontdesk.db.bulk_audit import BULK_ACTION
from frontdesk.domain import service_desk as desk
from frontdesk.domain.backups import format_size
from frontdesk.domain.clock import local_time
from frontdesk.domain.fees import MONEY_SERIES, PayMethod
from frontdesk.domain.household import Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.money import format_unit_price, format_yuan
from frontdesk.domain.movein import Step
from frontdesk.domain.renovation import BILL_PURPOSE_LABELS, EVENT_LABELS, STATUS_LABELS
from frontdesk.domain.roles import SYSTEM
from frontdesk.domain.setting_names import SETTING_FIELDS, SETTING_NAMES
from frontdesk.services.movein.steps import step_summary
from frontdesk.services.personal.rights import KIND_LABELS
from frontdesk.services.protection.audit import AuditRow
from frontdesk.services.protection.data_key import KeeperMode

# Tables that are the log itself: never written into an entry's changes.
UNLOGGED_TABLES = frozenset({"audit_log", "audit_head"})

FIELD_LABELS = {
    # records in general
    "id": "编号",
    "code": "编号",
    "name": "名称",
    "title": "标题",
    "note": "备注",
    "notes": "备注",
    "kind": "类别",
    "category": "类别",
    "status": "状态",
    "reason": "原因",
    "description": "说明",
    "detail": "办理内容",
    "sort_key": "排序",
    "position": "排序",
    "created_at": "创建时间",
    "created_by": "创建人",
    "updated_at": "修改时间",
    "updated_by": "修改人",
    "recorded_at": "登记时间",
    "recorded_by": "登记人",
    "purged_at": "个人信息清除时间",
    "room_id": "房屋",
    "person_id": "住户编号",
    "day": "营业日",
    "at": "时间",
    "by": "经办人",
    "by_id": "经办人",
    "by_name": "经办人",
    # the community, settings, users
    "address": "地址",
    "service_phone": "服务中心电话",
    "company_name": "物业公司名称",
    "logo_png": "标志图片",
    "seal_png": "印章图片",
    "key": "设置项",
    "value": "值",
    "username": "用户名",
    "display_name": "姓名",
    "role": "角色",
    "active": "启用",
    "password_hash": "密码",
    "failed_logins": "连续输错次数",
    "locked_until": "锁定至",
    "last_login_at": "最后登录",
    "user_id": "管家",
    # buildings and rooms
    "floors": "楼层数",
    "building_id": "楼栋",
    "unit_id": "单元",
    "number": "编号",
    "floor": "楼层",
    "area_m2_x100": "建筑面积",
    "room_type": "房屋类型",
    "butler_id": "管家",
    "handover_on": "交付日期",
    # the household file
    "relation": "关系",
    "gender": "性别",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "phone": "电话",
    "share": "产权份额",
    "lease_start": "租期开始",
    "lease_end": "租期结束",
    "lives_here": "在此居住",
    "left_on": "迁出日期",
    "left_reason": "迁出原因",
    "name_pinyin": "姓名拼音",
    "name_initials": "姓名首字母",
    "name_mixed": "姓名拼音简写",
    "plate": "车牌号",
    "model": "品牌型号",
    "colour": "颜色",
    "parking_space": "车位",
    "space_id": "车位",
    "species": "种类",
    "breed": "品种",
    "licence_no": "犬只登记证号",
    "vaccinated_on": "免疫日期",
    "person_name": "关怀对象",
    "visit_every_days": "探访周期（天）",
    "last_visit_on": "上次探访",
    "move_in_on": "入住日期",
    "contact_preference": "联系偏好",
    "tags": "标签",
    "start_on": "开始日期",
    "end_on": "结束日期",
    "filename": "文件名",
    "sha256": "文件校验码",
    "size": "文件大小",
    "added_at": "添加时间",
    "added_by": "添加人",
    "contacted_on": "联系日期",
    "channel": "方式",
    "topic": "事由",
    "outcome": "结果",
    "follow_up_on": "跟进日期",
    # fees
    "fee_item_id": "收费项目",
    "method": "方式",
    "collection": "收款性质",
    "meter_kind": "表计类别",
    "unit": "计价单位",
    "unit_price": "单价",
    "multiplier": "倍率",
    "starts_on": "开始日期",
    "ends_on": "结束日期",
    "room_status": "适用房屋状态",
    "percent_off": "减免比例（%）",
    "period": "账期",
    "run_at": "生成时间",
    "run_by": "生成人",
    "bills": "账单数",
    "total_fen": "合计金额",
    "previous_x100": "上次读数",
    "current_x100": "本次读数",
    "read_on": "抄表日期",
    "read_by": "抄表人",
    "run_id": "账单生成批次",
    "quantity_x100": "数量",
    "amount_fen": "金额",
    "due_fen": "应收金额",
    "reduction_fen": "减免金额",
    "reduction_reason": "减免原因",
    "open_fen": "未收金额",
    "bill_id": "账单编号",
    "payment_id": "收款编号",
    "cashier_id": "收费员",
    "cashier_name": "收费员",
    "payer": "交款人",
    "posted_at": "收款时间",
    "tendered_fen": "实收金额",
    "change_fen": "找零",
    "reference": "参考号",
    "receipt_id": "收据编号",
    "void_id": "作废记录编号",
    "voided_at": "作废时间",
    "granted_at": "批准时间",
    "granted_by": "批准人",
    "up_to": "减免截至",
    "series": "编号段",
    "next_number": "下一个编号",
    "form_number": "纸质收据号",
    "issued_at": "开具时间",
    "refund_id": "退款编号",
    "paper": "纸张",
    "printed_at": "打印时间",
    "printed_by": "打印人",
    "invoice_number": "发票号码",
    "invoice_date": "开票日期",
    "gross_fen": "退款总额",
    "deductions_fen": "扣款金额",
    "payee": "收款人",
    "payee_bank": "开户银行",
    "payee_account_name": "账户名",
    "payee_account_no": "银行账号",
    "refunded_at": "退款时间",
    "closed_at": "结账时间",
    "cash_expected_fen": "应有现金",
    "cash_counted_fen": "实点现金",
    "summary": "汇总",
    # arrears: a notice printed, its delivery, a supervisor's override
    "level": "催缴级别",
    "promised_on": "承诺缴费日期",
    "written": "书面催缴",
    "debt_keys": "所催欠费",
    "document_page": "所在页",
    "document_sha256": "文件校验码",
    "owed_fen": "当时欠费",
    "notice_number": "通知编号",
    "delivery": "送达状态",
    "delivered_on": "送达日期",
    "delivery_method": "送达方式",
    "tracking_number": "邮件单号",
    "signer": "签收人",
    "signer_relation": "与业主关系",
    "delivery_by_name": "登记送达人",
    "override_reason": "特批原因",
    "override_by_name": "特批人",
    # issued documents and notices
    "document_id": "发文登记",
    "output": "出具方式",
    "pages": "页数",
    "page": "页码",
    "reprint_of_id": "补打自",
    "body": "正文",
    "fields_json": "填写项",
    "retired": "已停用",
    "mode": "方式",
    "scope": "范围",
    "whole_community": "全小区",
    "copies": "份数",
    "event_start": "事项开始日期",
    "event_end": "事项结束日期",
    "template_key": "模板",
    "template_name": "模板名称",
    "values_json": "填写内容",
    "notice_id": "通知",
    # move-in
    "batch_id": "交付批次",
    "appointment_at": "预约时间",
    "notice_on": "通知日期",
    "completed_on": "完成日期",
    "completed_by": "办理人",
    "handover_id": "入伙办理",
    "step": "手续",
    "done_at": "办理时间",
    "done_by": "办理人",
    "step_id": "入伙手续",
    "disputed": "与他户重复待核实",
    "area": "部位",
    "responsible": "责任单位",
    "found_on": "发现日期",
    "deadline": "整改期限",
    "fixed_on": "整改完成日期",
    "fix_note": "整改说明",
    "checked_on": "复验日期",
    "checked_by": "复验人",
    "check_note": "复验说明",
    "rechecks": "复验次数",
    "defect_id": "验房问题",
    "attachment_id": "附件",
    # renovation
    "applicant": "申请人",
    "applicant_phone": "申请人电话",
    "applicant_is_tenant": "申请人为租户",
    "contractor": "施工单位",
    "contractor_person": "施工负责人",
    "contractor_phone": "施工负责人电话",
    "documents": "提交材料",
    "permit_no": "许可证号",
    "permit_issued_on": "许可证发放日期",
    "renovation_id": "装修",
    "node": "验收节点",
    "inspected_on": "验收日期",
    "inspector": "验收人",
    "passed": "合格",
    "inspection_id": "装修验收",
    "notice_no": "整改通知书编号",
    "stop_work": "停工整改",
    "resolution": "处理结果",
    "resolved_on": "处理日期",
    "violation_id": "装修违规",
    "purpose": "用途",
    "worker_id": "装修工人",
    "trade": "工种",
    "pass_no": "出入证号",
    "lost_on": "挂失日期",
    "returned_on": "交回日期",
    # visitors
    "visitor_name": "访客姓名",
    "visitor_phone": "访客电话",
    "party_size": "人数",
    "expected_on": "预约日期",
    "window_start": "预约时段开始",
    "window_end": "预约时段结束",
    "booked_by": "预约登记人",
    "cancelled_at": "取消时间",
    "cancelled_by": "取消人",
    "booking_id": "预约",
    "arrived_at": "到访时间",
    "expected_leave_at": "预计离开时间",
    "left_at": "离开时间",
    "left_by": "签离人",
    "registered_by": "登记人",
    "confirmation": "确认方式",
    "confirmed_by": "确认人",
    "id_checked": "已核验证件",
    "frequent": "常访客",
    "watch_hit": "黑名单提示",
    "expires_on": "失效日期",
    "removed_at": "移除时间",
    "removed_by": "移除人",
    # the data key
    "check": "密钥校验值",
    "key_id": "密钥编号",
    "salt": "口令参数",
    "wrapped_key": "口令保护的密钥",
    "recovery_exported_at": "恢复码打印时间",
    "recovery_exported_by": "恢复码打印人",
    # phone search index (kept only masked)
    "entity": "记录类别",
    "row_id": "记录编号",
    "token": "检索值",
    # written by hand into entries: personal data rights, roll calls
    "erased": "已删除的记录",
    "kept": "保留的记录",
    "records": "导出的记录",
    "visits": "访客单号",
}
# Where a column means something else in one table ("name" of a person is 姓名).
ENTITY_FIELD_LABELS = {
    # the service desk (工单)
    ("service_category", "team"): "负责班组",
    ("service_category", "urgent_arrive_minutes"): "紧急到场时限（分钟）",
    ("service_category", "urgent_finish_minutes"): "紧急完工时限（分钟）",
    ("service_category", "urgent_callback_minutes"): "紧急回访时限（分钟）",
    ("service_category", "arrive_minutes"): "到场时限（分钟）",
    ("service_category", "finish_minutes"): "完工时限（分钟）",
    ("service_category", "callback_minutes"): "回访时限（分钟）",
    ("service_category", "sort_order"): "排序",
    ("service_staff", "name"): "姓名",
    ("service_staff", "team"): "班组",
    ("service_staff", "on_duty"): "在岗",
    ("work_order", "urgency"): "紧急程度",
    ("work_order", "category_id"): "类别",
    ("work_order", "place_building_id"): "位置楼栋",
    ("work_order", "place"): "位置",
    ("work_order", "caller_name"): "联系人",
    ("work_order", "caller_phone"): "联系电话",
    ("work_order", "anonymous"): "匿名",
    ("work_order", "appointment_from"): "预约开始",
    ("work_order", "appointment_to"): "预约结束",
    ("work_order", "arrive_minutes"): "到场时限（分钟）",
    ("work_order", "finish_minutes"): "完工时限（分钟）",
    ("work_order", "callback_minutes"): "回访时限（分钟）",
    ("work_order", "started_at"): "计时开始",
    ("work_order", "paused_at"): "暂停时间",
    ("work_order", "paused_seconds"): "累计暂停（秒）",
    ("work_order", "due_at"): "到期时间",
    ("work_order", "due_stage"): "计时环节",
    ("work_order", "taken_at"): "受理时间",
    ("work_order", "taken_by"): "受理人",
    ("work_order", "staff_id"): "处理人",
    ("work_order", "team"): "班组",
    ("work_order", "finished_at"): "完工时间",
    ("work_order", "work_done"): "处理结果",
    ("work_order", "materials"): "使用材料",
    ("work_order", "failed_callbacks"): "回访未接通次数",
    ("work_order", "called_back_at"): "回访时间",
    ("work_order", "score_speed"): "响应速度评分",
    ("work_order", "score_quality"): "处理质量评分",
    ("work_order", "score_attitude"): "服务态度评分",
    ("work_order", "satisfied"): "满意",
    ("work_order", "owner_words"): "业主意见",
    ("work_order", "reopened"): "重新打开次数",
    ("work_order_event", "work_order_id"): "工单",
    ("work_order_event", "staff_id"): "处理人",
    ("work_order_event", "team"): "班组",
    ("work_order_event", "score_speed"): "响应速度评分",
    ("work_order_event", "score_quality"): "处理质量评分",
    ("work_order_event", "score_attitude"): "服务态度评分",
    ("repair_price", "unit_fen"): "单价",
    ("repair_price", "sort_order"): "排序",
    ("repair_charge", "work_order_id"): "工单",
    ("repair_charge", "labour_fen"): "人工费",
    ("repair_charge", "materials_fen"): "材料费",
    ("repair_charge", "charged_at"): "收费时间",
    ("repair_charge", "charged_by"): "经办人",
    ("repair_charge_line", "charge_id"): "维修费",
    ("repair_charge_line", "price_id"): "价目",
    ("repair_charge_line", "unit_fen"): "单价",
    ("person", "name"): "姓名",
    ("pet", "name"): "名字",
    ("watch_entry", "name"): "姓名",
    ("renovation_worker", "name"): "姓名",
    ("care_need", "category"): "关怀类别",
    ("app_user", "display_name"): "姓名",
    ("room", "number"): "房号",
    ("unit", "code"): "单元号",
    ("building", "code"): "楼号",
    ("access_card", "number"): "卡号",
    ("receipt", "number"): "收据号",
    ("receipt_series", "code"): "编号段代码",
    ("issued_document", "number"): "发文编号",
    ("issued_document", "kind"): "文件类别",
    ("issued_document", "reference"): "所附编号",
    ("issued_document", "issued_at"): "发出时间",
    ("issued_document", "by_id"): "出具人",
    ("issued_document", "by_name"): "出具人",
    ("notice", "number"): "通知编号",
    ("notice", "issued_at"): "发出时间",
    ("notice", "by_id"): "发出人",
    ("notice", "by_name"): "发出人",
    ("notice_template", "key"): "模板代码",
    ("reminder", "by_id"): "催缴人",
    ("reminder", "by_name"): "催缴人",
    ("reminder", "at"): "催缴时间",
    ("receipt_void", "by_id"): "作废人",
    ("receipt_void", "by_name"): "作废人",
    ("visit", "number"): "访客单号",
    ("visit_booking", "code"): "预约码",
    ("renovation", "number"): "装修编号",
    ("renovation", "scope"): "装修范围",
    ("renovation_event", "kind"): "事项",
    ("renovation_event", "by"): "经办人",
    ("refund", "kind"): "退款类别",
    ("refund", "method"): "退款方式",
    ("tender", "method"): "收款方式",
    ("tender", "reference"): "交易单号",
    ("tender", "amount_fen"): "计入金额",
    ("fee_item", "method"): "计费方式",
    ("cash_close", "kind"): "类别",
    ("cash_close", "summary"): "汇总",
    ("attachment", "kind"): "附件类别",
    ("defect", "kind"): "问题类别",
    ("handover_batch", "name"): "批次名称",
    ("phone_lookup", "entity"): "记录类别",
    ("data_key", "mode"): "密钥保管方式",
    ("visit", "id_type"): "证件类型",
    ("reduction_rule", "reason"): "减免依据",
}
EMPTY = "（空）"

# Stored English keys of columns that are not typed enums (the typed ones are read
# from their enum's labels, below).
_CODED_VALUES: dict[str, dict[str, str]] = {
    "relation": {r.value: r.label for r in Relation},
    "id_type": {t.value: t.label for t in IdType},
    "signer_relation": {r.value: r.label for r in Relation},
}
_ENTITY_CODED_VALUES: dict[tuple[str, str], dict[str, str]] = {
    ("refund", "kind"): {"prepaid": "预存退款", "deposit": "押金退款"},
    ("cash_close", "kind"): {"shift": "交班", "day": "日结"},
    ("renovation_event", "kind"): {
        **{s.value: label for s, label in STATUS_LABELS.items()},
        **EVENT_LABELS,
    },
    ("renovation_bill", "purpose"): BILL_PURPOSE_LABELS,
    ("data_key", "mode"): {mode.value: mode.label for mode in KeeperMode},
    ("setting", "key"): SETTING_NAMES,
    ("work_order", "kind"): {k.value: k.label for k in desk.Kind},
    ("work_order", "channel"): {c.value: c.label for c in desk.Channel},
    ("work_order", "urgency"): {u.value: u.label for u in desk.Urgency},
    ("work_order", "status"): {st.value: st.label for st in desk.Status},
    ("work_order", "team"): {t.value: t.label for t in desk.Team},
    ("work_order", "due_stage"): {st.value: st.label for st in desk.Stage},
    ("work_order_event", "step"): {st.value: st.label for st in desk.Step},
    ("work_order_event", "team"): {t.value: t.label for t in desk.Team},
    ("service_staff", "team"): {t.value: t.label for t in desk.Team},
    ("service_category", "team"): {t.value: t.label for t in desk.Team},
}
# The kinds under which personal-data entries list record ids.
_RECORD_KINDS = {kind.value: text for kind, text in KIND_LABELS.items()}
_PAY_METHODS = {m.value: m.label for m in PayMethod}
# Quantities kept in hundredths, with their unit.
_HUNDREDTHS = {"area_m2_x100": " ㎡", "quantity_x100": "", "previous_x100": "", "current_x100": ""}
# A user id beside the name snapshot the same record keeps of that user.
_NAME_BESIDE = {"by_id": "by_name", "cashier_id": "cashier_name"}


def _columns() -> dict[tuple[str, str], Column[Any]]:
    return {
        (table.name, column.name): column
        for table in Base.metadata.tables.values()
        if table.name not in UNLOGGED_TABLES
        for column in table.columns
    }


_COLUMNS = _columns()
USER_FIELDS = frozenset(
    name
    for (_table, name), column in _COLUMNS.items()
    if any(fk.column.table.name == "app_user" for fk in column.foreign_keys)
)


def _enum_labels(column: Column[Any]) -> dict[str, str]:
    enum = column.type.enum_class if isinstance(column.type, Enum) else None
    if enum is None:
        return {}
    return {m.value: getattr(m, "label", m.value) for m in enum}


_TYPED_VALUES = {key: labels for key, c in _COLUMNS.items() if (labels := _enum_labels(c))}


def label(entity: str, field: str) -> str:
    """The Chinese name of `field` in an entry on `entity` (its own name if unknown)."""
    return ENTITY_FIELD_LABELS.get((entity, field)) or FIELD_LABELS.get(field, field)


def has_label(entity: str, field: str) -> bool:
    return (entity, field) in ENTITY_FIELD_LABELS or field in FIELD_LABELS


class Names:
    """Who and where the ids in entries are: user ids to people's names, room ids to
    room codes (looked up by the service that reads the entries)."""

    def __init__(
        self, users: Mapping[int, str] | None = None, rooms: Mapping[int, str] | None = None
    ) -> None:
        self.users = dict(users or {})
        self.rooms = dict(rooms or {})

    def user(self, user_id: int) -> str:
        return self.users.get(user_id, f"用户 {user_id}")

    def room(self, room_id: int) -> str:
        return self.rooms.get(room_id, f"房屋 {room_id}")


NO_NAMES = Names()


def short_digest(value: str) -> str:
    """A SHA-256 as a person compares it: '8c8408…a04d'."""
    return f"{value[:6]}…{value[-4:]}" if len(value) > 12 else value


def _local(value: str) -> str:
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return value
    if at.tzinfo is None:  # stored times are UTC
        at = at.replace(tzinfo=UTC)
    return local_time(at, seconds=False)


def _day(value: str) -> str:
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return value


def _clock(value: str) -> str:
    try:
        return time.fromisoformat(value).strftime("%H:%M")
    except ValueError:
        return value


def _record_ids(value: dict[str, Any]) -> str:
    parts = []
    for kind, ids in value.items():
        listed = "、".join(str(i) for i in ids) if isinstance(ids, list) else str(ids)
        parts.append(f"{_RECORD_KINDS.get(kind, kind)} {listed}")
    return "；".join(parts) if parts else "无"


# A move-in step's detail (JSON) by the keys each step records.
_STEP_BY_KEY = {
    "items": Step.DOCUMENTS,
    "owners": Step.OWNER_FILE,
    "receipts": Step.FEES,
    "readings": Step.METERS,
    "keys": Step.KEYS,
    "cards": Step.CARDS,
    "edition": Step.HANDBOOK,
}


def _step_detail(value: str) -> str:
    try:
        detail = json.loads(value)
        step = next(_STEP_BY_KEY[k] for k in detail if k in _STEP_BY_KEY)
        return step_summary(step, detail) or EMPTY
    except (ValueError, TypeError, KeyError, StopIteration, AttributeError):
        return value


def _close_summary(value: str) -> str:
    """A 交班/日结's figures (services/fees/cash_close): receipts, voids, refunds and
    the net by method, as the close tab says them."""
    try:
        stored = json.loads(value)
        by_method = stored["by_method"].items()
        methods = "、".join(f"{_PAY_METHODS.get(m, m)} ¥{format_yuan(fen)}" for m, fen in by_method)
        return (
            f"收据 {len(stored['receipts'])} 张；作废 {len(stored['voided'])} 张；"
            f"退款 ¥{format_yuan(stored['refunds_fen'])}；净额 {methods or '无'}"
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return value


def _setting_value(value: str) -> str:
    """A setting kept as one JSON object, field by field in words; a plain one as is."""
    try:
        stored = json.loads(value)
    except ValueError:
        return value
    if not isinstance(stored, dict):
        return value
    parts = []
    for name, item in stored.items():
        if isinstance(item, dict | list):
            shown = (
                f"{len(item)} 章"
                if name in {"overrides", "custom"}
                else json.dumps(item, ensure_ascii=False)
            )
        elif isinstance(item, bool):
            shown = "是" if item else "否"
        else:
            shown = str(item) if item != "" else EMPTY
        parts.append(f"{SETTING_FIELDS.get(name, name)}：{shown}")
    return "；".join(parts) or EMPTY


def _filled_in(value: str) -> str:
    try:
        filled = json.loads(value)
        return "；".join(f"{name}：{text}" for name, text in filled.items()) or EMPTY
    except (ValueError, AttributeError):
        return value


def _formatter(entity: str, field: str) -> Callable[[Any, Names], str] | None:
    """How `field`'s values read, from its column's type where the table has it."""
    coded = (
        _ENTITY_CODED_VALUES.get((entity, field))
        or _TYPED_VALUES.get((entity, field))
        or _CODED_VALUES.get(field)
    )
    if coded:
        return lambda v, _n: coded.get(str(v), str(v))
    if field in USER_FIELDS:
        return lambda v, n: n.user(v) if isinstance(v, int) else str(v)
    if field == "room_id":
        return lambda v, n: n.room(v) if isinstance(v, int) else str(v)
    if field.endswith("_fen"):
        return lambda v, _n: f"¥{format_yuan(v)}" if isinstance(v, int) else str(v)
    if field in _HUNDREDTHS:
        unit = _HUNDREDTHS[field]
        return lambda v, _n: f"{v / 100:.2f}{unit}" if isinstance(v, int) else str(v)
    if field == "unit_price":
        return lambda v, _n: f"{format_unit_price(v)} 元" if isinstance(v, int) else str(v)
    if field in {"sha256", "document_sha256"}:
        return lambda v, _n: short_digest(str(v))
    if field == "size":
        return lambda v, _n: format_size(v) if isinstance(v, int) else str(v)
    if field in {"erased", "kept", "records"}:
        return lambda v, _n: _record_ids(v) if isinstance(v, dict) else str(v)
    if (entity, field) == ("handover_step", "detail"):
        return lambda v, _n: _step_detail(str(v))
    if (entity, field) == ("cash_close", "summary"):
        return lambda v, _n: _close_summary(str(v))
    if (entity, field) == ("setting", "value"):
        return lambda v, _n: _setting_value(str(v))
    if field == "values_json":  # a notice's filled-in fields, named in Chinese already
        return lambda v, _n: _filled_in(str(v))
    if field == "debt_keys":
        return lambda v, _n: "、".join(k.replace("@", " ") for k in str(v).split("\n") if k)
    if field == "visits":
        return lambda v, _n: "、".join(map(str, v)) if isinstance(v, list) else str(v)
    column = _COLUMNS.get((entity, field))
    if column is not None and column.foreign_keys and field.endswith("_id"):
        return lambda v, _n: f"第 {v} 号" if isinstance(v, int) else str(v)
    # A decorated type (UTCDateTime, the sealed columns) reads as the type it stores.
    stored = column.type if column is not None else None
    if isinstance(stored, TypeDecorator):
        stored = stored.impl_instance
    kind = type(stored) if stored is not None else None
    if (kind is not None and issubclass(kind, DateTime)) or field == "at" or field.endswith("_at"):
        return lambda v, _n: _local(v) if isinstance(v, str) else str(v)
    if kind is not None and issubclass(kind, Time):
        return lambda v, _n: _clock(v) if isinstance(v, str) else str(v)
    if kind is not None and issubclass(kind, Date):
        return lambda v, _n: _day(v) if isinstance(v, str) else str(v)
    if kind is not None and issubclass(kind, Boolean):
        return lambda v, _n: ("是" if v else "否") if isinstance(v, bool | int) else str(v)
    return None


def value_text(field: str, value: Any, entity: str = "", names: Names = NO_NAMES) -> str:
    """One stored value as a clerk reads it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    formatter = _formatter(entity, field)
    if formatter is not None:
        return formatter(value, names)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _bulk_lines(changes: dict[str, Any]) -> list[str]:
    """A bulk insert's seal (db/bulk_audit.py): how many rows, which, and the digest;
    the per-row tags are for `frontdesk check`, not for reading."""
    ids = changes["ids"][1]
    spans = "、".join(f"{a}–{b}" if a != b else str(a) for a, b in ids[:5])
    return [
        f"条数：{changes['count'][1]}",
        f"记录编号：{spans}{' 等' if len(ids) > 5 else ''}",
        f"校验值（SHA-256）：{changes['sha256'][1]}",
    ]


def _said_beside(field: str, new: Any, changes: Mapping[str, Any], names: Names) -> bool:
    """A user id whose record names the same person beside it: one line is enough."""
    beside = _NAME_BESIDE.get(field)
    if beside is None or beside not in changes or not isinstance(new, int):
        return False
    pair = changes[beside]
    snapshot = pair[1] if isinstance(pair, list | tuple) and len(pair) == 2 else pair
    return bool(snapshot) and snapshot == names.users.get(new)


def change_lines(row: AuditRow) -> list[str]:
    """One line per changed field; a new record shows only the values it was created with."""
    if row.action == BULK_ACTION:
        return _bulk_lines(row.changes)
    names = Names(row.user_names, row.room_codes)
    lines = []
    for field, pair in row.changes.items():
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        name = label(row.entity, field)
        if row.action == "create":
            if field == "id" or new in (None, "", False):  # blank fields are noise
                continue
            if _said_beside(field, new, row.changes, names):
                continue
            lines.append(f"{name}：{value_text(field, new, row.entity, names)}")
        else:
            old_text = value_text(field, old, row.entity, names)
            lines.append(f"{name}：{old_text} → {value_text(field, new, row.entity, names)}")
    return lines


def entry_summary(row: AuditRow) -> str:
    """The entry's summary as stored; entries written before notice numbering had a
    label of its own called a notice series a receipt series, and read right here."""
    if row.entity == "receipt_series" and row.entity_id not in MONEY_SERIES:
        return row.summary.replace("收据号段", "通知编号段", 1)
    return row.summary


def writer_text(row: AuditRow) -> str:
    """Who wrote the entry, by name: 系统 for the program, else the person's name as
    the account has it now (the login name if the account is gone)."""
    if row.username == SYSTEM.username:
        return SYSTEM.display_name
    return row.user_name or row.username
