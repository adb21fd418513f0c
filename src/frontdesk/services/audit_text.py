"""Audit entries in words: field changes as `姓名：张三 → 李四`."""

from __future__ import annotations

import json
from typing import Any

from frontdesk.domain.roles import SYSTEM, Role
from frontdesk.services.audit import AuditRow

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
}
EMPTY = "（空）"
_ROLES = {role.value: role for role in Role}


def value_text(field: str, value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if field == "role" and value in _ROLES:
        return _ROLES[value].label
    if field == "area_m2_x100" and isinstance(value, int):
        return f"{value / 100:.2f} ㎡"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def change_lines(row: AuditRow) -> list[str]:
    """One line per changed field; a new record shows only the values it was created with."""
    lines = []
    for field, pair in row.changes.items():
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        label = FIELD_LABELS.get(field, field)
        if row.action == "create":
            lines.append(f"{label}：{value_text(field, new)}")
        else:
            lines.append(f"{label}：{value_text(field, old)} → {value_text(field, new)}")
    return lines


def user_text(username: str) -> str:
    """Entries written by the program itself say 系统, not its internal user name."""
    return SYSTEM.display_name if username == SYSTEM.username else username
