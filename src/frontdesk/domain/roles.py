"""Roles and what each may do. The service layer checks these on every use-case."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    CASHIER = "cashier"
    BUTLER = "butler"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.CLERK: "前台",
    Role.CASHIER: "收费员",
    Role.BUTLER: "管家",
    Role.SUPERVISOR: "主管",
    Role.ADMIN: "系统管理员",
}


class Permission(StrEnum):
    VIEW_ROOMS = "view_rooms"
    EDIT_STRUCTURE = "edit_structure"  # buildings, units, rooms
    EDIT_COMMUNITY = "edit_community"  # community settings, idle lock
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    PRINT_REPORTS = "print_reports"
    VIEW_HOUSEHOLDS = "view_households"  # open household files (IDs and phones masked)
    EDIT_HOUSEHOLDS = "edit_households"
    REVEAL_PERSONAL_DATA = "reveal_personal_data"  # show IDs/phones whole; each time audited
    IMPORT_HOUSEHOLDS = "import_households"  # Excel roster in and out
    TAKE_PAYMENTS = "take_payments"  # post payments, print receipts, close own shift
    GRANT_REDUCTIONS = "grant_reductions"  # 减免 on a bill, with a reason
    VOID_ANY_RECEIPT = "void_any_receipt"  # others' receipts and closed days
    ISSUE_REFUNDS = "issue_refunds"  # prepaid and deposit refunds
    MANAGE_FEES = "manage_fees"  # fee items, price plans, rules, billing runs
    ENTER_METER_READINGS = "enter_meter_readings"
    VIEW_FINANCE = "view_finance"  # daily and collection reports, bills of any room
    CHASE_ARREARS = "chase_arrears"  # arrears lists, reminders and their log
    REGISTER_VISITORS = "register_visitors"  # visits, sign-out, bookings, visitor history
    MANAGE_WATCHLIST = "manage_watchlist"  # people and plates to stop at the gate
    MANAGE_MOVE_IN = "manage_move_in"  # handover batches, move-in checklists, inspections
    EDIT_HANDBOOK = "edit_handbook"  # the owner handbook's sections
    MANAGE_RENOVATIONS = "manage_renovations"  # applications, inspections, violations, workers
    APPROVE_RENOVATIONS = "approve_renovations"  # approve, reject, extend, accept completion
    ISSUE_NOTICES = "issue_notices"  # lobby notices and letters to households
    EDIT_NOTICE_TEMPLATES = "edit_notice_templates"
    VIEW_ISSUED_DOCUMENTS = "view_issued_documents"  # the register: find, reopen, reprint
    MANAGE_PERSONAL_DATA = "manage_personal_data"  # PIPL requests: export or erase one person
    MANAGE_BACKUPS = "manage_backups"  # take, place and restore copies of the whole file
    TAKE_WORK_ORDERS = "take_work_orders"  # 工单: take, dispatch, follow up, call back, close
    MANAGE_SERVICE_DESK = "manage_service_desk"  # 工单类别、承诺时限、维修服务人员
    # 前台登记: parcels, held keys, goods passes, lending, lost property, the shift book
    KEEP_COUNTER_REGISTERS = "keep_counter_registers"
    ISSUE_CERTIFICATES = "issue_certificates"  # 物业费结清证明、居住证明、押金已退证明

    @property
    def label(self) -> str:
        return PERMISSION_LABELS[self]


PERMISSION_LABELS = {
    Permission.VIEW_ROOMS: "查看房屋",
    Permission.EDIT_STRUCTURE: "维护楼栋房屋",
    Permission.EDIT_COMMUNITY: "修改小区设置",
    Permission.MANAGE_USERS: "管理用户",
    Permission.VIEW_AUDIT: "查看审计日志",
    Permission.PRINT_REPORTS: "打印报表",
    Permission.VIEW_HOUSEHOLDS: "查看户档案",
    Permission.EDIT_HOUSEHOLDS: "修改户档案",
    Permission.REVEAL_PERSONAL_DATA: "查看完整证件号和电话",
    Permission.IMPORT_HOUSEHOLDS: "数据导入（房屋、业主、期初余额）与导出业主名册",
    Permission.TAKE_PAYMENTS: "收款开票",
    Permission.GRANT_REDUCTIONS: "减免费用",
    Permission.VOID_ANY_RECEIPT: "作废他人或已日结收据",
    Permission.ISSUE_REFUNDS: "办理退款",
    Permission.MANAGE_FEES: "维护收费标准和生成账单",
    Permission.ENTER_METER_READINGS: "录入抄表读数",
    Permission.VIEW_FINANCE: "查看收费报表",
    Permission.CHASE_ARREARS: "催缴欠费",
    Permission.REGISTER_VISITORS: "登记访客",
    Permission.MANAGE_WATCHLIST: "维护访客黑名单",
    Permission.MANAGE_MOVE_IN: "办理入伙和验房",
    Permission.EDIT_HANDBOOK: "编辑业主手册",
    Permission.MANAGE_RENOVATIONS: "办理装修手续",
    Permission.APPROVE_RENOVATIONS: "审批装修",
    Permission.ISSUE_NOTICES: "发布通知和业户信函",
    Permission.EDIT_NOTICE_TEMPLATES: "编辑通知模板",
    Permission.VIEW_ISSUED_DOCUMENTS: "查阅发文登记和存档文件",
    Permission.MANAGE_PERSONAL_DATA: "个人信息查阅与删除",
    Permission.MANAGE_BACKUPS: "备份与恢复",
    Permission.TAKE_WORK_ORDERS: "受理和派发工单",
    Permission.MANAGE_SERVICE_DESK: "维护工单类别、承诺时限和维修服务人员",
    Permission.KEEP_COUNTER_REGISTERS: "前台登记（快递、钥匙、放行条、借用、失物、交接班）",
    Permission.ISSUE_CERTIFICATES: "开具证明",
}

_EVERYONE = {Permission.VIEW_ROOMS, Permission.PRINT_REPORTS, Permission.VIEW_HOUSEHOLDS}

# Butlers hold EDIT_HOUSEHOLDS and REVEAL_PERSONAL_DATA for the buildings they look
# after only (services.households checks the building); elsewhere they read masked files.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(
        _EVERYONE
        | {
            Permission.EDIT_HOUSEHOLDS,
            Permission.REGISTER_VISITORS,
            Permission.MANAGE_MOVE_IN,
            Permission.MANAGE_RENOVATIONS,
            Permission.ISSUE_NOTICES,
            Permission.TAKE_WORK_ORDERS,
            Permission.KEEP_COUNTER_REGISTERS,
            Permission.ISSUE_CERTIFICATES,
        }
    ),
    Role.CASHIER: frozenset(
        _EVERYONE
        | {
            Permission.TAKE_PAYMENTS,
            Permission.ISSUE_REFUNDS,
            Permission.ENTER_METER_READINGS,
            Permission.VIEW_FINANCE,
            Permission.CHASE_ARREARS,
        }
    ),
    Role.BUTLER: frozenset(
        _EVERYONE
        | {
            Permission.EDIT_HOUSEHOLDS,
            Permission.REVEAL_PERSONAL_DATA,
            Permission.ENTER_METER_READINGS,
            Permission.CHASE_ARREARS,
            Permission.REGISTER_VISITORS,
            Permission.MANAGE_MOVE_IN,
            Permission.MANAGE_RENOVATIONS,
            Permission.ISSUE_NOTICES,
            Permission.TAKE_WORK_ORDERS,
            Permission.KEEP_COUNTER_REGISTERS,
            Permission.ISSUE_CERTIFICATES,
        }
    ),
    Role.SUPERVISOR: frozenset(
        _EVERYONE
        | {
            Permission.EDIT_STRUCTURE,
            Permission.EDIT_COMMUNITY,
            Permission.VIEW_AUDIT,
            Permission.EDIT_HOUSEHOLDS,
            Permission.REVEAL_PERSONAL_DATA,
            Permission.IMPORT_HOUSEHOLDS,
            Permission.TAKE_PAYMENTS,
            Permission.GRANT_REDUCTIONS,
            Permission.VOID_ANY_RECEIPT,
            Permission.ISSUE_REFUNDS,
            Permission.MANAGE_FEES,
            Permission.ENTER_METER_READINGS,
            Permission.VIEW_FINANCE,
            Permission.CHASE_ARREARS,
            Permission.REGISTER_VISITORS,
            Permission.MANAGE_WATCHLIST,
            Permission.MANAGE_MOVE_IN,
            Permission.EDIT_HANDBOOK,
            Permission.MANAGE_RENOVATIONS,
            Permission.APPROVE_RENOVATIONS,
            Permission.ISSUE_NOTICES,
            Permission.EDIT_NOTICE_TEMPLATES,
            Permission.VIEW_ISSUED_DOCUMENTS,
            Permission.MANAGE_PERSONAL_DATA,
            Permission.MANAGE_BACKUPS,
            Permission.TAKE_WORK_ORDERS,
            Permission.MANAGE_SERVICE_DESK,
            Permission.KEEP_COUNTER_REGISTERS,
            Permission.ISSUE_CERTIFICATES,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}


def has_permission(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


@dataclass(frozen=True)
class Actor:
    """Who is acting: the signed-in user, or the system itself (demo, migrations)."""

    user_id: int | None
    username: str
    display_name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return has_permission(self.role, permission)


SYSTEM = Actor(user_id=None, username="system", display_name="系统", role=Role.ADMIN)
