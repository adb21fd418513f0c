"""Move-in (入伙) rules: the checklist's steps, a room's progress through a handover
batch, the inspection's defects and when one is overdue; no database."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from frontdesk.errors import ValidationError

DEFAULT_FEE_MONTHS = 3  # 首期物业费: months paid at the counter on the day
KEY_KINDS = ("入户门钥匙", "单元门钥匙", "信报箱钥匙", "电表箱钥匙", "其他钥匙")
DOCUMENT_KINDS = ("购房合同", "不动产权证", "业主身份证件", "授权委托书（代办时）")
AGREEMENTS = ("临时管理规约", "前期物业服务协议")
METERS = ("水表", "电表", "燃气表")
DEFECT_AREAS = (
    "入户门厅",
    "客厅",
    "餐厅",
    "主卧",
    "次卧",
    "书房",
    "厨房",
    "卫生间",
    "阳台",
    "其他",
)
DEFECT_KINDS = ("墙面", "地面", "顶棚", "门窗", "水电", "防水", "管道", "设备", "其他")
RESPONSIBLE = ("施工单位", "开发商", "物业服务中心", "其他")
MAX_KEYS = 50


class Step(StrEnum):
    """The 入伙手续办理清单, in the order the counter goes through it."""

    DOCUMENTS = "documents"
    AGREEMENTS = "agreements"
    OWNER_FILE = "owner_file"
    FEES = "fees"
    METERS = "meters"
    KEYS = "keys"
    CARDS = "cards"
    HANDBOOK = "handbook"

    @property
    def label(self) -> str:
        return STEP_LABELS[self]

    @property
    def required(self) -> bool:
        return self is not Step.CARDS  # not every community has access cards


STEP_LABELS = {
    Step.DOCUMENTS: "核验购房合同或不动产权证、业主身份证件",
    Step.AGREEMENTS: "签署《临时管理规约》《前期物业服务协议》",
    Step.OWNER_FILE: "完善业主档案（家庭成员、车辆、紧急联系人）",
    Step.FEES: "缴纳首期物业费等费用",
    Step.METERS: "抄录水、电、燃气表底数",
    Step.KEYS: "移交钥匙",
    Step.CARDS: "发放门禁卡",
    Step.HANDBOOK: "发放《业主手册》",
}


def missing_steps(done: set[Step]) -> list[Step]:
    """Required steps not yet recorded, in checklist order."""
    return [step for step in Step if step.required and step not in done]


class Progress(StrEnum):
    NOT_BOOKED = "not_booked"
    BOOKED = "booked"
    IN_PROGRESS = "in_progress"
    HANDED_OVER = "handed_over"
    MOVED_IN = "moved_in"

    @property
    def label(self) -> str:
        return {
            "not_booked": "未预约",
            "booked": "已预约",
            "in_progress": "办理中",
            "handed_over": "已交房",
            "moved_in": "已入住",
        }[self]


def progress_of(booked: bool, steps_done: int, completed: bool, moved_in: bool) -> Progress:
    if moved_in:
        return Progress.MOVED_IN
    if completed:
        return Progress.HANDED_OVER
    if steps_done:
        return Progress.IN_PROGRESS
    return Progress.BOOKED if booked else Progress.NOT_BOOKED


class DefectStatus(StrEnum):
    OPEN = "open"  # 待整改
    FIXED = "fixed"  # repaired, waiting for the re-inspection with the owner
    CLOSED = "closed"  # re-inspected and accepted

    @property
    def label(self) -> str:
        return {"open": "待整改", "fixed": "待复验", "closed": "已关闭"}[self]


def overdue_days(status: DefectStatus, deadline: date, today: date) -> int:
    """Days an open defect is past its deadline (0 when not overdue or not open)."""
    if status is not DefectStatus.OPEN:
        return 0
    return max((today - deadline).days, 0)


def check_deadline(found_on: date, deadline: date) -> date:
    if deadline < found_on:
        raise ValidationError("整改期限", "不能早于验房日期")
    return deadline


def check_choice(value: str, choices: tuple[str, ...], field: str) -> str:
    if value not in choices:
        raise ValidationError(field, f"只能是{'、'.join(choices)}")
    return value


def check_key_count(kind: str, count: int) -> int:
    if count < 0:
        raise ValidationError(f"{kind}数量", "不能小于 0")
    if count > MAX_KEYS:
        raise ValidationError(f"{kind}数量", f"不能超过 {MAX_KEYS}")
    return count
