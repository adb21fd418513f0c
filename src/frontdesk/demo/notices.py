"""The demo community's notices: a seal for the office, and a few weeks of notices
posted and letters sent, so the archive and the register have something to show.

It runs after `services.demo.build_demo`, from here because notices are drawn by
the documents layer, which the services may not call."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from frontdesk.demo import DEMO_PASSWORD
from frontdesk.documents.seal import demo_seal_png
from frontdesk.domain import clock
from frontdesk.domain.notices import NoticeMode
from frontdesk.domain.roles import Actor
from frontdesk.printouts.notices import issue_notice
from frontdesk.services import community, users
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.notices.posting import NoticeRequest


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour)).astimezone()


def _requests(buildings: list[int], today: date) -> list[tuple[date, NoticeRequest]]:
    """(issued on, request): what a month at a counter looks like."""
    soon = today + timedelta(days=3)
    return [
        (
            today - timedelta(days=20),
            NoticeRequest(
                "fire_drill",
                {"演练时间": f"{today - timedelta(days=14)} 15:00至16:30", "集合地点": "中心广场"},
            ),
        ),
        (
            today - timedelta(days=9),
            NoticeRequest(
                "lift_maintenance",
                {"维保时间": f"{today - timedelta(days=6)} 09:00至12:00", "电梯": "1号梯"},
                building_ids=tuple(buildings[:1]),
            ),
        ),
        (
            today - timedelta(days=2),
            NoticeRequest(
                "water_outage",
                {"停水时间": f"{soon} 08:00至18:00", "停水原因": "二次供水水箱清洗消毒"},
                building_ids=tuple(buildings[:3]),
            ),
        ),
        (
            today - timedelta(days=1),
            NoticeRequest(
                "fee_notice",
                {"缴费期间": f"{today.year + 1}年度", "缴费截止日期": f"{today.year + 1}-01-31"},
                NoticeMode.LETTER,
                building_ids=tuple(buildings[1:2]),
            ),
        ),
    ]


def add_demo_notices(db: Database, today: date | None = None) -> int:
    """Give the office a seal and issue the demo's notices; returns how many."""
    today = today or clock.today()
    actor: Actor = users.login(db, "zhuguan", DEMO_PASSWORD)
    info = community.get_community(db)
    seal = demo_seal_png(info.company_name or info.name)
    community.update_community(db, actor, replace(info, seal_png=seal))
    clerk = users.login(db, "qiantai", DEMO_PASSWORD)
    buildings = [b.id for b in structure.list_buildings(db, actor) if b.rooms]
    requests = _requests(buildings, today)
    for day, request in requests:
        issue_notice(db, clerk, request, day, at=_at(day, 9))
    return len(requests)
