"""Renovation (装修) rules: the scopes, what cannot be approved here, the workflow's
states and allowed moves, the node inspections a scope requires; no database."""

from __future__ import annotations

import re
from datetime import date, time
from enum import StrEnum

from frontdesk.errors import ValidationError

DEFAULT_MAX_DAYS = 90
DEFAULT_WORKING_HOURS = "工作日 8:00–12:00、14:00–18:00；周末及法定节假日不得进行产生噪声的施工"
MAX_EXTENSION_DAYS = 60
SCOPES = (
    "水电改造",
    "防水",
    "非承重墙拆改",
    "门窗（不改外立面）",
    "空调位",
    "阳台",
    "地面",
    "吊顶",
    "墙面",
    "厨卫",
    "其他",
)
# Work the office may not approve: it needs the structural designer and the authorities.
FORBIDDEN = {
    "承重墙拆改": "拆改承重墙、梁、柱、剪力墙危及建筑安全，须经原设计单位和主管部门批准，物业不能审批",
    "外立面改动": "改变建筑外立面须经业主大会和规划部门同意，物业不能审批",
}
REQUIRED_DOCUMENTS = ("装修方案或图纸", "施工单位营业执照或资质", "业主身份证件")
TENANT_DOCUMENT = "业主授权委托书"


class Status(StrEnum):
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    REJECTED = "rejected"
    PERMITTED = "permitted"
    IN_PROGRESS = "in_progress"
    STOPPED = "stopped"
    COMPLETED = "completed"
    SETTLED = "settled"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.SUBMITTED: "已提交",
    Status.REVIEWED: "已初审",
    Status.APPROVED: "已批准",
    Status.REJECTED: "已驳回",
    Status.PERMITTED: "已发许可证",
    Status.IN_PROGRESS: "施工中",
    Status.STOPPED: "停工整改",
    Status.COMPLETED: "已竣工验收",
    Status.SETTLED: "押金已结算",
    Status.CLOSED: "已关闭",
}

# What else is recorded of a renovation beside its moves between statuses: with the
# Status values, every kind a renovation_event row may have.
EVENT_LABELS = {
    "extended": "延期",
    "extension_requested": "申请延期",
    "extension_refused": "不予延期",
    "violation": "违规",
    "stop_work": "停工整改",
    "resumed": "复工",
}


def event_label(kind: str) -> str:
    """A renovation_event kind in words: a status reached, or one of EVENT_LABELS."""
    statuses = {s.value: s.label for s in Status}
    return EVENT_LABELS.get(kind) or statuses.get(kind, kind)


# What a renovation's bill is for: its deposit, its fees, a worker pass's 工本费 or deposit.
BILL_PURPOSE_LABELS = {
    "deposit": "装修押金",
    "fee": "装修管理费",
    "pass_fee": "出入证工本费",
    "pass_deposit": "出入证押金",
}

MOVES: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.REVIEWED, Status.REJECTED}),
    Status.REVIEWED: frozenset({Status.APPROVED, Status.REJECTED}),
    Status.APPROVED: frozenset({Status.PERMITTED}),
    Status.PERMITTED: frozenset({Status.IN_PROGRESS}),
    Status.IN_PROGRESS: frozenset({Status.STOPPED, Status.COMPLETED}),
    Status.STOPPED: frozenset({Status.IN_PROGRESS}),
    Status.COMPLETED: frozenset({Status.SETTLED}),
    Status.SETTLED: frozenset({Status.CLOSED}),
    Status.REJECTED: frozenset(),
    Status.CLOSED: frozenset(),
}
ACTIVE = frozenset({Status.PERMITTED, Status.IN_PROGRESS, Status.STOPPED})
# The works a 装修许可证 or 出入证 is valid for (a stopped site's permit is suspended).
PERMIT_VALID = frozenset({Status.PERMITTED, Status.IN_PROGRESS})


def permit_refusal(status: Status, ends_on: date, today: date, paper: str) -> str:
    """Why `paper` (装修许可证, 装修出入证) may not be printed for works in this state
    today, or "" when it may: a permit of stopped, finished or expired works is not
    printed as if it were valid."""
    if status == Status.STOPPED:
        return (
            f"该装修正在停工整改，{paper}暂停有效，不能打印。"
            "现场请张贴停工整改通知；复查合格、恢复施工后再打印。"
        )
    if status in (Status.COMPLETED, Status.SETTLED, Status.CLOSED):
        return f"该装修{status.label}，{paper}已失效，不能打印。"
    if status not in PERMIT_VALID:
        return f"该装修{status.label}，尚未发装修许可证，不能打印{paper}。"
    if today > ends_on:
        return (
            f"装修期已于 {ends_on:%Y-%m-%d} 结束，{paper}已失效，不能打印；"
            "如需继续施工，请先办理延期。"
        )
    return ""


_CLOCK_TIME = re.compile(r"(\d{1,2})[:：](\d{2})")


def working_day_end(hours: str) -> time | None:
    """The latest time of day in the 允许施工时间 (工作日 8:00–12:00、14:00–18:00 → 18:00),
    when the text names one."""
    found = [
        time(int(h), int(m)) for h, m in _CLOCK_TIME.findall(hours) if int(h) < 24 and int(m) < 60
    ]
    return max(found) if found else None


def check_move(current: Status, target: Status) -> None:
    if target not in MOVES[current]:
        raise ValidationError("装修状态", f"“{current.label}”的装修不能直接改为“{target.label}”")


class Node(StrEnum):
    PLUMBING = "plumbing"  # 水电隐蔽工程: before the walls are closed
    WATERPROOF = "waterproof"  # 闭水试验 48 h: before tiling
    MIDTERM = "midterm"
    COMPLETION = "completion"

    @property
    def label(self) -> str:
        return {
            "plumbing": "水电隐蔽工程验收",
            "waterproof": "防水闭水试验（48 小时）",
            "midterm": "中期检查",
            "completion": "竣工验收",
        }[self]


def required_nodes(scope: tuple[str, ...]) -> list[Node]:
    """The inspections this scope needs, in the order the work reaches them."""
    nodes = []
    if "水电改造" in scope:
        nodes.append(Node.PLUMBING)
    if "防水" in scope or "厨卫" in scope:
        nodes.append(Node.WATERPROOF)
    return [*nodes, Node.MIDTERM]


def check_scope(scope: list[str]) -> tuple[str, ...]:
    if not scope:
        raise ValidationError("装修项目", "请至少选择一项")
    for item in scope:
        if item in FORBIDDEN:
            raise ValidationError("装修项目", f"{item}：{FORBIDDEN[item]}")
        if item not in SCOPES:
            raise ValidationError("装修项目", f"“{item}”不是可选的项目")
    return tuple(dict.fromkeys(scope))


def check_period(starts_on: date, ends_on: date, max_days: int) -> None:
    if ends_on < starts_on:
        raise ValidationError("计划完工日期", "不能早于开工日期")
    days = (ends_on - starts_on).days + 1
    if days > max_days:
        raise ValidationError("计划完工日期", f"工期 {days} 天，超过本小区规定的最长 {max_days} 天")
