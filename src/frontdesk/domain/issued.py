"""The document register (发文登记): the kinds of document the office issues, a printout
with what the register needs to record it, and how each copy left the program; no
database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


class DocKind(StrEnum):
    RECEIPT = "receipt"
    REFUND = "refund"
    DAILY_REPORT = "daily_report"
    COLLECTION_REPORT = "collection_report"
    ROOM_SUMMARY = "room_summary"
    HOUSEHOLD_CARD = "household_card"
    REMINDER = "reminder"
    VISITOR_PASS = "visitor_pass"
    ROLL_CALL = "roll_call"
    MOVE_IN = "move_in"
    HANDBOOK = "handbook"
    RENOVATION_APPLICATION = "renovation_application"
    RENOVATION_PERMIT = "renovation_permit"
    WORKER_PASSES = "worker_passes"
    RECTIFICATION = "rectification"
    RENOVATION_ACCEPTANCE = "renovation_acceptance"
    RENOVATION_GUIDE = "renovation_guide"
    NOTICE = "notice"
    LETTER = "letter"
    WORK_ORDER = "work_order"
    SERVICE_REPORT = "service_report"
    SURVEY_FORMS = "survey_forms"
    WORK_REPORT = "work_report"
    # issue 24, in the order of its migrations (0031-0037): their CHECKs list them so
    PARCEL_LABEL = "parcel_label"
    KEY_RETURN = "key_return"
    KEY_LIST = "key_list"
    GOODS_PASS = "goods_pass"
    LOST_CLAIM = "lost_claim"
    CERTIFICATE = "certificate"
    SHIFT_LOG = "shift_log"

    @property
    def label(self) -> str:
        return DOC_KIND_LABELS[self]


DOC_KIND_LABELS = {
    DocKind.RECEIPT: "收款收据",
    DocKind.REFUND: "退款凭证",
    DocKind.DAILY_REPORT: "收费日报",
    DocKind.COLLECTION_REPORT: "收缴率报表",
    DocKind.ROOM_SUMMARY: "房屋统计表",
    DocKind.HOUSEHOLD_CARD: "户档案卡",
    DocKind.REMINDER: "催缴通知",
    DocKind.VISITOR_PASS: "访客单",
    DocKind.ROLL_CALL: "在场访客点名表",
    DocKind.MOVE_IN: "入伙资料",
    DocKind.HANDBOOK: "业主手册",
    DocKind.RENOVATION_APPLICATION: "装修申请表",
    DocKind.RENOVATION_PERMIT: "装修许可证",
    DocKind.WORKER_PASSES: "装修出入证",
    DocKind.RECTIFICATION: "整改通知",
    DocKind.RENOVATION_ACCEPTANCE: "竣工验收单",
    DocKind.RENOVATION_GUIDE: "装修指南",
    DocKind.NOTICE: "张贴通知",
    DocKind.LETTER: "业户信函",
    DocKind.WORK_ORDER: "派工单/维修回执",
    DocKind.SERVICE_REPORT: "客服月报",
    DocKind.SURVEY_FORMS: "满意度调查问卷",
    DocKind.WORK_REPORT: "工作月报",
    DocKind.GOODS_PASS: "物品放行条",
    DocKind.LOST_CLAIM: "失物认领单",
    DocKind.PARCEL_LABEL: "快递代收标签",
    DocKind.CERTIFICATE: "证明",
    DocKind.SHIFT_LOG: "交接班记录",
    DocKind.KEY_RETURN: "钥匙退还确认单",
    DocKind.KEY_LIST: "托管钥匙清单",
}

# They name visitors: their stored copies go when the visitors' details do.
VISITOR_KINDS = frozenset({DocKind.VISITOR_PASS, DocKind.ROLL_CALL})


class Output(StrEnum):
    PRINTED = "printed"
    SAVED = "saved"
    EXPORTED = "exported"  # written by the command line
    KEPT = "kept"  # kept as it was produced (reminders, notices issued)
    REPRINTED = "reprinted"  # printed again from the register

    @property
    def label(self) -> str:
        return OUTPUT_LABELS[self]


OUTPUT_LABELS = {
    Output.PRINTED: "打印",
    Output.SAVED: "另存",
    Output.EXPORTED: "命令行导出",
    Output.KEPT: "生成存档",
    Output.REPRINTED: "登记簿重印",
}


@dataclass(frozen=True)
class Subject:
    """A household or a building a document was issued for, and its first page."""

    room_id: int | None = None
    building_id: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class Issue:
    """What a PDF is, for the register."""

    kind: DocKind
    title: str
    reference: str = ""  # its identity: a later copy with the same one is a reprint
    subjects: tuple[Subject, ...] = ()


@dataclass(frozen=True)
class Printout:
    """A PDF ready to show, with what the register needs to record it."""

    pdf: bytes
    issue: Issue

    @property
    def filename(self) -> str:
        return f"{_UNSAFE_FILENAME.sub('-', self.issue.title).strip('-') or 'document'}.pdf"
