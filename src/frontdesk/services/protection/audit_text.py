"""Audit entries in words: field changes as `姓名：张三 → 李四`."""

from __future__ import annotations

import json
from typing import Any

from frontdesk.db.bulk_audit import BULK_ACTION
from frontdesk.domain.household import CareCategory, ParkingKind, PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.reminders import DeliveryState
from frontdesk.domain.roles import SYSTEM, Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.services.protection.audit import AuditRow

# Entries store column names (stable across releases); these are what people read.
# A column missing here shows under its own name.
FIELD_LABELS = {
    "name": "名称",
    "address": "地址",
    "service_phone": "服务中心电话",
    "company_name": "物业公司名称",
    "logo_png": "标志图片",
    "username": "用户名",
    "display_name": "姓名",
    "role": "角色",
    "active": "启用",
    "password_hash": "密码",
    "failed_logins": "连续输错次数",
    "locked_until": "锁定至",
    "created_at": "创建时间",
    "last_login_at": "最后登录",
    "id": "编号",
    "code": "编号",
    "sort_key": "排序",
    "floors": "楼层数",
    "note": "备注",
    "building_id": "楼栋编号",
    "unit_id": "单元编号",
    "number": "房号",
    "floor": "楼层",
    "area_m2_x100": "建筑面积",
    "room_type": "类型",
    "status": "状态",
    "key": "设置项",
    "value": "值",
    "butler_id": "管家",
    "kind": "类别",
    "relation": "关系",
    "gender": "性别",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "phone": "电话",
    "share": "产权份额",
    "lease_start": "租期开始",
    "lease_end": "租期结束",
    "lives_here": "在此居住",
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
    "category": "类别",
    "visit_every_days": "探访周期（天）",
    "last_visit_on": "上次探访",
    "move_in_on": "入住日期",
    "contact_preference": "联系偏好",
    "tags": "标签",
    "notes": "备注",
    "start_on": "开始日期",
    "end_on": "结束日期",
    "title": "标题",
    "filename": "文件名",
    "sha256": "校验值",
    "size": "大小（字节）",
    "contacted_on": "联系日期",
    "channel": "方式",
    "topic": "事由",
    "outcome": "结果",
    "follow_up_on": "跟进日期",
    "user_id": "管家",
    # 催缴记录: a notice printed, its delivery, a supervisor's override
    "owed_fen": "当时欠费（分）",
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
}
# Where a column means something else in one table ("name" of a person is 姓名).
ENTITY_FIELD_LABELS = {
    ("person", "name"): "姓名",
    ("pet", "name"): "名字",
    ("app_user", "display_name"): "姓名",
    ("access_card", "number"): "卡号",
    ("access_card", "disputed"): "与他户重复待核实",
}
EMPTY = "（空）"
# Fields whose stored value is an English key; the history shows the Chinese label.
_ENUM_FIELDS: dict[str, dict[str, str]] = {
    "delivery": {s.value: s.label for s in DeliveryState},
    "role": {r.value: r.label for r in Role},
    "relation": {r.value: r.label for r in Relation},
    "id_type": {t.value: t.label for t in IdType},
    "category": {c.value: c.label for c in CareCategory},
    "kind": {
        **{k.value: k.label for k in PersonKind},
        **{k.value: k.label for k in ParkingKind},
    },
    "room_type": {t.value: t.label for t in RoomType},
    "status": {s.value: s.label for s in RoomStatus},
}


def value_text(field: str, value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and value in _ENUM_FIELDS.get(field, {}):
        return _ENUM_FIELDS[field][value]
    if field == "area_m2_x100" and isinstance(value, int):
        return f"{value / 100:.2f} ㎡"
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


def change_lines(row: AuditRow) -> list[str]:
    """One line per changed field; a new record shows only the values it was created with."""
    if row.action == BULK_ACTION:
        return _bulk_lines(row.changes)
    lines = []
    for field, pair in row.changes.items():
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        label = ENTITY_FIELD_LABELS.get((row.entity, field)) or FIELD_LABELS.get(field, field)
        if row.action == "create":
            if field != "id" and new not in (None, "", False):  # blank fields are noise
                lines.append(f"{label}：{value_text(field, new)}")
        else:
            lines.append(f"{label}：{value_text(field, old)} → {value_text(field, new)}")
    return lines


def user_text(username: str) -> str:
    """Entries written by the program itself say 系统, not its internal user name."""
    return SYSTEM.display_name if username == SYSTEM.username else username
