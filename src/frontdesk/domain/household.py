"""The vocabulary of the household file: who a person is to the room, and the lists
the forms choose from. Stored values are English keys; people read the labels."""

from __future__ import annotations

from enum import StrEnum


class PersonKind(StrEnum):
    OWNER = "owner"  # 产权人
    RESIDENT = "resident"  # 住户 (family, nanny…)
    TENANT = "tenant"  # 租户
    EMERGENCY = "emergency"  # 紧急联系人

    @property
    def label(self) -> str:
        return {"owner": "产权人", "resident": "住户", "tenant": "租户", "emergency": "紧急联系人"}[
            self
        ]


class Relation(StrEnum):
    SELF = "self"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    RELATIVE = "relative"
    TENANT = "tenant"
    NANNY = "nanny"
    OTHER = "other"

    @property
    def label(self) -> str:
        return RELATION_LABELS[self]


RELATION_LABELS = {
    Relation.SELF: "本人",
    Relation.SPOUSE: "配偶",
    Relation.CHILD: "子女",
    Relation.PARENT: "父母",
    Relation.RELATIVE: "其他亲属",
    Relation.TENANT: "租户",
    Relation.NANNY: "保姆",
    Relation.OTHER: "其他",
}


class ParkingKind(StrEnum):
    OWNED = "owned"
    RENTED = "rented"

    @property
    def label(self) -> str:
        return {"owned": "产权", "rented": "租用"}[self]


class CareCategory(StrEnum):
    ALONE = "alone"  # 独居老人
    NO_FAMILY = "no_family"  # 孤寡老人
    DISABLED = "disabled"  # 残疾人
    LIMITED_MOBILITY = "limited_mobility"  # 行动不便
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "alone": "独居老人",
            "no_family": "孤寡老人",
            "disabled": "残疾人",
            "limited_mobility": "行动不便",
            "other": "其他",
        }[self]


PET_SPECIES = ("犬", "猫", "其他")
CONTACT_CHANNELS = ("电话", "上门", "微信", "短信")
CONTACT_PREFERENCES = ("", "电话", "短信", "微信", "上门")
ATTACHMENT_KINDS = ("产权证", "身份证件", "购房合同", "租赁合同", "验房照片", "装修照片", "其他")
GENDERS = ("", "男", "女")
TAG_SEPARATOR = "、"


def split_tags(text: str) -> list[str]:
    """'独居、 VIP,出租' -> ['独居', 'VIP', '出租']: any common separator, no blanks or repeats."""
    for separator in (",", "，", ";", "；", " ", "　"):
        text = text.replace(separator, TAG_SEPARATOR)
    tags: list[str] = []
    for tag in text.split(TAG_SEPARATOR):
        if tag.strip() and tag.strip() not in tags:
            tags.append(tag.strip())
    return tags
