"""The demo community's notices: a seal for the office, and a year of notices posted
and letters sent — each month's works (停水、停电、停气、电梯维保), the seasons'
(消杀, 防汛, 防寒), the festivals' events and the fee notice for the year ahead — so
the archive, the register and the monthly report have something to show.

It runs after `services.demo.build_demo`, from here because notices are drawn by
the documents layer, which the services may not call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from frontdesk.demo import DEMO_PASSWORD
from frontdesk.demo import timeline as demo_timeline
from frontdesk.demo.certificates import certificate_events
from frontdesk.demo.reminders import reminder_events
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


WORKS = (  # a month's works, in turn: (template, its time field, the reason's field, reason)
    ("water_outage", "停水时间", "停水原因", "二次供水水箱清洗消毒"),
    ("power_outage", "停电时间", "停电原因", "供电公司线路检修"),
    ("lift_maintenance", "维保时间", "电梯", "1号梯"),
    ("gas_outage", "停气时间", "停气原因", "燃气管网改造施工"),
)
PEST_MONTHS = (3, 6, 8, 10)  # 消杀: spring, the rains, high summer, autumn
FESTIVALS = {  # month -> (活动名称, 活动内容)
    5: ("端午包粽子邻里活动", "- 包粽子、挂艾草\n- 社区长者免费领粽子"),
    9: ("邻里中秋游园会", "- 猜灯谜、领月饼\n- 亲子手工灯笼制作"),
}


def _year_requests(buildings: list[int], today: date) -> list[tuple[date, NoticeRequest]]:
    """(issued on, request): the demo year's whole months before this one."""
    requests: list[tuple[date, NoticeRequest]] = []
    for index, month in enumerate(demo_timeline.year_periods(today)[:-1]):
        first = month.first_day
        works = first + timedelta(days=9 + index % 5)
        key, when, reason, text = WORKS[index % len(WORKS)]
        scope = tuple(buildings[index % len(buildings) :][:2])
        ends = "12:00" if key == "lift_maintenance" else "17:00"
        period = f"{works + timedelta(days=3)} 09:00至{ends}"
        requests.append(
            (works, NoticeRequest(key, {when: period, reason: text}, building_ids=scope))
        )
        if month == demo_timeline.festival_month(month.year):
            festival = demo_timeline.SPRING_FESTIVAL.get(month.year, first)
            day = max(first, festival - timedelta(days=10))
            requests.append(
                (
                    day,
                    _event("新春写春联、送福字", "- 书法志愿者现场写春联\n- 每户领取福字一张", day),
                )
            )
        if month.month in FESTIVALS:
            name, content = FESTIVALS[month.month]
            day = first + timedelta(days=2)
            requests.append((day, _event(name, content, day)))
        if month.month in PEST_MONTHS:
            day = first + timedelta(days=4)
            at = f"{day + timedelta(days=2)} 09:00至16:00"
            requests.append((day, NoticeRequest("pest_control", {"消杀时间": at})))
        if month.month in (6, 7):
            requests.append((first + timedelta(days=1), NoticeRequest("flood_typhoon", {})))
        if month.month in (12, 1):
            requests.append((first + timedelta(days=6), NoticeRequest("cold_weather", {})))
    return requests


def _event(name: str, content: str, day: date) -> NoticeRequest:
    at = f"{day + timedelta(days=7)} 18:30至21:00"
    values = {"活动名称": name, "活动时间": at, "活动地点": "小区中心广场", "活动内容": content}
    return NoticeRequest("community_event", values)


def _requests(buildings: list[int], today: date) -> list[tuple[date, NoticeRequest]]:
    """(issued on, request): this month at the counter."""
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
    return demo_timeline.run_in_time_order(notice_events(db, today))


def notice_events(db: Database, today: date) -> list[demo_timeline.Event]:
    """The seal, then each notice of the year, at its time."""
    actor: Actor = users.login(db, "zhuguan", DEMO_PASSWORD)
    info = community.get_community(db)
    seal = demo_seal_png(info.company_name or info.name)
    community.update_community(db, actor, replace(info, seal_png=seal))
    clerk = users.login(db, "qiantai", DEMO_PASSWORD)
    buildings = [b.id for b in structure.list_buildings(db, actor) if b.rooms]
    requests = _year_requests(buildings, today) + _requests(buildings, today)

    def issue(day: date, request: NoticeRequest) -> Callable[[], int]:
        def run() -> int:
            issue_notice(db, clerk, request, day, at=_at(day, 9))
            return 1

        return run

    return [(_at(day, 9), issue(day, request)) for day, request in requests]


def add_demo_papers(db: Database, today: date | None = None) -> int:
    """The year's notices and 催缴 notices, and the quarter's certificates, issued in time
    order (the register's numbers run with the dates); returns how many."""
    today = today or clock.today()
    events = notice_events(db, today) + reminder_events(db, today)
    events += certificate_events(db, today)
    return demo_timeline.run_in_time_order(events)
