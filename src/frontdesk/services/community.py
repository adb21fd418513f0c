"""The community's own details (the letterhead) and app-wide settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Community, Setting
from frontdesk.domain.phone import normalize_phone
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.access import require

IDLE_LOCK_KEY = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 10
MAX_LOGO_BYTES = 512 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class CommunityInfo:
    name: str
    address: str
    service_phone: str
    company_name: str
    logo_png: bytes | None
    seal_png: bytes | None = None  # the office seal printed on notices


def _community(session: Session) -> Community:
    community = session.get(Community, 1)
    if community is None:
        raise NotFound("尚未设置小区信息。")
    return community


def get_community(db: Database) -> CommunityInfo:
    with db.read() as session:
        c = _community(session)
        return CommunityInfo(
            c.name, c.address, c.service_phone, c.company_name, c.logo_png, c.seal_png
        )


def update_community(db: Database, actor: Actor, info: CommunityInfo) -> CommunityInfo:
    require(actor, Permission.EDIT_COMMUNITY)
    name = info.name.strip()
    if not name:
        raise ValidationError("小区名称", "不能为空")
    phone = (
        normalize_phone(info.service_phone, "服务中心电话") if info.service_phone.strip() else ""
    )
    _check_png(info.logo_png, "标志图片")
    _check_png(info.seal_png, "公章图片")
    cleaned = CommunityInfo(
        name, info.address.strip(), phone, info.company_name.strip(), info.logo_png, info.seal_png
    )
    with db.write(actor) as session:
        c = _community(session)
        c.name, c.address, c.service_phone = cleaned.name, cleaned.address, cleaned.service_phone
        c.company_name, c.logo_png = cleaned.company_name, cleaned.logo_png
        c.seal_png = cleaned.seal_png
    return cleaned


def _check_png(data: bytes | None, field: str) -> None:
    if data is None:
        return
    if not data.startswith(PNG_MAGIC):
        raise ValidationError(field, "须为 PNG 格式")
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(field, "不能超过 512 KB")


def idle_lock_minutes(db: Database) -> int:
    """Minutes without input before the window locks itself (0 = never)."""
    with db.read() as session:
        setting = session.get(Setting, IDLE_LOCK_KEY)
        return int(setting.value) if setting else DEFAULT_IDLE_LOCK_MINUTES


def set_idle_lock_minutes(db: Database, actor: Actor, minutes: int) -> None:
    require(actor, Permission.EDIT_COMMUNITY)
    if not 0 <= minutes <= 240:
        raise ValidationError("自动锁定时间", "须在 0 到 240 分钟之间（0 表示不锁定）")
    with db.write(actor) as session:
        setting = session.get(Setting, IDLE_LOCK_KEY)
        if setting is None:
            session.add(Setting(key=IDLE_LOCK_KEY, value=str(minutes)))
        else:
            setting.value = str(minutes)
