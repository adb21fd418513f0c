"""Demo work orders (工单): a staff register, and a year of orders at the rates an
estate of this size sees — several a day, with the seasons of 南京 (more 漏水 in the
rainy months, air conditioners tripping circuits in the summer, pipes split by the
January cold; fewer calls over the Spring Festival) and a desk that keeps its promises
better as the year goes on (fewer late arrivals, completions and callbacks, more
satisfied owners) — in every state: at the desk, dispatched, arrived, paused with a
reason, finished awaiting the callback, called back (a few unsatisfied, reopened),
closed; complaints with their callbacks and one closed after three failed attempts;
anonymous complaints, public places, repeats; some overdue now and some due soon.

Each order's life is planned first (its steps and their times), then cut at the
demo's now. The last SERVICE_HOURS' orders, and the cases the desk must see on its
board, are driven through the services step by step, each at its own time
(`happened_at`), so every rule of the state machine and the audit log hold as at the
counter. The older history is the same plans checked by the same state machine
(`domain.service_desk.advance`), with the clock columns the services would have
left, bulk-inserted and sealed by one audit entry, as the gate's visits are: every
step of a year through the services (some 18,000 for 2,000 households) would add
minutes to the demo. Numbers run with the time taken, whichever way
an order was written.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.models import WorkOrder, WorkOrderEvent
from frontdesk.db.who import by_columns
from frontdesk.demo.timeline import bulk_insert, happened_at, year_periods, year_progress
from frontdesk.domain.order_numbers import month_prefix, order_number
from frontdesk.domain.phone import phone_key
from frontdesk.domain.roles import SYSTEM, Actor
from frontdesk.domain.service_desk import (
    Channel,
    Kind,
    OrderState,
    OrderTimes,
    Promise,
    Status,
    Step,
    Team,
    Urgency,
    advance,
    is_satisfied,
    promise_for,
    running_clock,
)
from frontdesk.services.database import Database
from frontdesk.services.service_desk import complaints, orders, settings
from frontdesk.services.service_desk.orders import CallbackInput, OrderInput
from frontdesk.services.service_desk.settings import CategoryRow, StaffInput

Row = dict[str, Any]
ORDERS_PER_HOUSEHOLD_DAY = 0.0045  # 2,000 households: about nine a day
# The orders of the last hours go through the services; older ones in bulk.
SERVICE_HOURS = 30
# 南京's rain: 梅雨 in June and July, typhoons into September; leaks follow it.
RAIN = {4: 1.2, 5: 1.3, 6: 2.4, 7: 2.2, 8: 1.6, 9: 1.4, 10: 1.1}
# The summer's heat: air conditioners on day and night trip circuits and drip.
HEAT = {6: 1.4, 7: 2.4, 8: 2.2, 9: 1.3}
# No central heating south of the Huai: a January cold snap splits meters and pipes.
FROST = {12: 1.3, 1: 2.2, 2: 1.5}
# The calls of a month against the usual: the estate empties over the Spring Festival.
BUSY = {1: 0.95, 2: 0.8, 7: 1.1, 8: 1.1}
# The desk stretched in the rainy and hot months: more of its promises slip.
STRAIN = {6: 1.15, 7: 1.3, 8: 1.25}
HOUR_WEIGHTS = (3, 9, 10, 8, 6, 5, 6, 7, 7, 6, 8, 7, 5, 3)  # 7:00 to 20:00
STAFF = (
    ("王建军", Team.ENGINEERING, True, "水电工"),
    ("刘志强", Team.ENGINEERING, True, "水电工"),
    ("陈国平", Team.ENGINEERING, True, "土建、门窗"),
    ("赵德明", Team.ENGINEERING, False, "电梯维保对接；轮休"),
    ("孙桂兰", Team.CLEANING, True, ""),
    ("周秀英", Team.CLEANING, True, ""),
    ("吴红霞", Team.CLEANING, False, "病假"),
    ("郑勇", Team.ORDER, True, "秩序主管"),
    ("冯磊", Team.ORDER, True, "巡逻岗"),
    ("何涛", Team.ORDER, False, "夜班，白天休息"),
    ("林建华", Team.GREENING, True, ""),
    ("高晓文", Team.SERVICE, True, "客服主管"),
)
PLACES = ("1 单元大堂", "地下车库入口", "电梯厅", "楼道 6 层", "单元门禁", "屋面", "消防通道")
GROUNDS = ("中心花园", "东门岗亭旁", "儿童游乐区", "南侧人行道", "垃圾分类亭")
# (kind, category, weight, descriptions); 水电's first line is a leak.
ASKED: tuple[tuple[Kind, str, int, tuple[str, ...]], ...] = (
    (
        Kind.REPAIR_HOME,
        "水电",
        30,
        (
            "卫生间顶棚漏水，楼上渗下来",
            "厨房水龙头关不紧，一直滴水",
            "客厅一路插座跳闸，合不上",
            "马桶水箱进水阀坏了，不停进水",
        ),
    ),
    (Kind.REPAIR_HOME, "土建", 6, ("阳台外墙渗水，墙面起皮", "卫生间地砖空鼓开裂")),
    (Kind.REPAIR_HOME, "门窗", 7, ("入户门锁芯卡死，钥匙拧不动", "卧室窗户关不严，进风")),
    (Kind.REPAIR_PUBLIC, "电梯", 5, ("电梯门关不上，反复开合", "电梯运行有异响")),
    (Kind.REPAIR_PUBLIC, "公区照明", 8, ("楼道声控灯不亮", "地库一排灯不亮")),
    (Kind.REPAIR_PUBLIC, "水电", 4, ("屋面雨水管堵塞，雨天倒灌漏水", "楼道消防栓箱漏水")),
    (Kind.REPAIR_PUBLIC, "保洁", 3, ("楼道有宠物粪便未清理", "垃圾桶满溢未清运")),
    (Kind.REPAIR_PUBLIC, "绿化", 2, ("绿化带树枝折断挡路", "草坪喷灌管破裂冒水")),
    (Kind.COMPLAINT, "噪音", 5, ("楼上夜里十一点后仍有拖拽家具声", "广场舞音响太响")),
    (Kind.COMPLAINT, "停车", 4, ("车位被外来车辆占用", "消防通道长期停车")),
    (Kind.COMPLAINT, "装修扰民", 3, ("邻居周末上午电钻施工", "装修垃圾堆在楼道")),
    (Kind.COMPLAINT, "宠物", 2, ("邻居狗在电梯里不牵绳", "楼下狗夜里一直叫")),
    (Kind.COMPLAINT, "服务态度", 1, ("前台人员接电话态度冷淡",)),
    (Kind.ENQUIRY, "其他", 5, ("询问物业费开票方式", "询问门禁卡补办流程")),
    (Kind.ENQUIRY, "停车", 2, ("询问月租车位是否还有空余",)),
    (Kind.SUGGESTION, "绿化", 1, ("建议中心花园增加几张座椅",)),
    (Kind.SUGGESTION, "秩序", 1, ("建议快递柜旁增设电动车临停区",)),
    (Kind.PRAISE, "服务态度", 1, ("维修师傅上门及时，修得仔细",)),
)
LEAK = "卫生间顶棚漏水，楼上渗下来"
# The season's own faults, over the day's usual calls: (its months, kind, category, texts).
SEASONS: tuple[tuple[dict[int, float], Kind, str, tuple[str, ...]], ...] = (
    (RAIN, Kind.REPAIR_HOME, "水电", (LEAK,)),
    (
        HEAT,
        Kind.REPAIR_HOME,
        "水电",
        ("一开空调就跳闸，合不上", "空调插座发烫，有焦味", "空调冷凝水管脱落，屋里滴水"),
    ),
    (FROST, Kind.REPAIR_HOME, "水电", ("寒潮过后水表冻裂，家里停水", "阳台洗衣机水管冻裂")),
)
SEASONAL_SHARE = 0.12  # of the day's calls, for each step of a season's factor over 1
URGENT_WORDS = ("漏水", "跳闸", "冻裂")
DONE = {
    "水电": ("更换角阀及密封圈，试水无渗漏", "角阀 1 个、生料带 1 卷"),
    "土建": ("凿开空鼓处重新铺贴，外墙打胶", "瓷砖胶 1 袋、耐候胶 2 支"),
    "门窗": ("更换锁芯，调整合页", "锁芯 1 个"),
    "电梯": ("通知维保单位调整门机，运行正常", ""),
    "公区照明": ("更换灯具", "LED 灯 2 只"),
    "保洁": ("已清理并消毒", ""),
    "绿化": ("已修剪清运，修复喷灌管", "PE 管接头 2 个"),
}
# What was done, by a word of the fault, where the category's usual line would not fit.
DONE_FOR = (
    ("跳闸", ("更换漏电开关，线路绝缘测试正常", "漏电开关 1 个")),
    ("发烫", ("更换空调专用插座，紧固接线", "16A 插座 1 个")),
    ("冷凝水", ("重新接好冷凝水管并固定", "冷凝水管 2 米")),
    ("冻裂", ("更换冻裂管段，加装保温棉", "PPR 管 2 米、保温棉 3 米")),
)
REPLY = "已联系相关业主/单位沟通处理，并电话告知来电人处理结果"
WORDS_HAPPY = ("处理及时，满意", "师傅态度很好", "", "问题已解决")
WORDS_UNHAPPY = ("修完第二天又漏了", "等了一下午才来人", "问题没有解决，态度敷衍")


@dataclass(frozen=True)
class _Standard:
    """How a month's promises were kept: the shares of orders late on site, late
    finishing and called back late, of repairs whose first callback was unsatisfied
    (reopened), and of satisfied callbacks that still scored a 一般 (3) somewhere."""

    late_arrival: float
    late_finish: float
    late_callback: float
    unhappy: float
    lukewarm: float


def _standard(rng: random.Random, progress: float, month: int) -> _Standard:
    """A desk late about a quarter as often at the year's end as at its start
    (`progress` 0 to 1), strained in the rainy, hot months, each month a little up
    or down."""
    slack = (1 - 0.72 * progress) * STRAIN.get(month, 1.0) * rng.uniform(0.8, 1.2)
    return _Standard(0.16 * slack, 0.08 * slack, 0.12 * slack, 0.09 * slack, 0.08 * slack)


@dataclass
class _Life:
    """One order: what was taken down, and its steps (time, step, what it carries)."""

    taken: datetime
    data: OrderInput
    category: CategoryRow
    steps: list[tuple[datetime, Step, dict[str, Any]]] = field(default_factory=list)
    through_services: bool = False


@dataclass(frozen=True)
class _Desk:
    db: Database
    clerk: Actor
    boss: Actor
    categories: dict[str, CategoryRow]
    on_duty: dict[Team, list[int]]
    everyone: dict[Team, list[int]]
    now: datetime


def add_demo_service_desk(
    db: Database,
    clerk: Actor,
    boss: Actor,
    rng: random.Random,
    callers: Sequence[tuple[int, int, str, str]],
    now: datetime,
) -> dict[str, int]:
    """`callers`: (room id, building id, name, phone) of occupied homes."""
    if not callers:
        return {"staff": 0, "orders": 0, "through_services": 0}
    # On the minute: the same seed plans the same orders on the same set clock.
    now = now.replace(second=0, microsecond=0)
    on_duty: dict[Team, list[int]] = {team: [] for team in Team}
    everyone: dict[Team, list[int]] = {team: [] for team in Team}
    with db.write(boss) as session:  # the register as the supervisor entered it
        for name, team, duty, note in STAFF:
            phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
            data = StaffInput(name, team, phone, duty, note=note)
            person = settings.save_staff(session, boss, data)
            everyone[team].append(person)
            if duty:
                on_duty[team].append(person)
    categories = {c.name: c for c in settings.categories(db)}
    desk = _Desk(db, clerk, boss, categories, on_duty, everyone, now)
    # The year's history from a stream of its own: the board's cases stay as they are
    # whatever the history draws.
    lives = _random_lives(desk, random.Random(rng.getrandbits(64)), callers, now)
    lives += _board_cases(desk, rng, callers, lives)
    lives.sort(key=lambda life: life.taken)
    through = _write(desk, lives)
    return {"staff": len(STAFF), "orders": len(lives), "through_services": through}


# planning ---------------------------------------------------------------------------


def _random_lives(
    desk: _Desk, rng: random.Random, callers: Sequence[tuple[int, int, str, str]], now: datetime
) -> list[_Life]:
    """The demo year's orders, day by day: the usual calls, and the season's own."""
    rate = max(1.0, len(callers) * ORDERS_PER_HOUSEHOLD_DAY)
    kinds = [entry for entry in ASKED if entry[1] in desk.categories]
    weights = [entry[2] for entry in kinds]
    seasons = [entry for entry in SEASONS if entry[2] in desk.categories]
    lives = []
    today = now.astimezone().date()
    first = year_periods(today)[0].first_day
    standards: dict[int, _Standard] = {}
    for back in range((today - first).days, -1, -1):
        day = today - timedelta(days=back)
        if day.month not in standards:
            standards[day.month] = _standard(rng, year_progress(day, today), day.month)
        usual = rate * BUSY.get(day.month, 1.0) * (1.15 if day.weekday() >= 5 else 1.0)
        asked: list[tuple[Kind, str, str]] = []
        for _ in range(_poisson(rng, usual)):
            kind, name, _, texts = rng.choices(kinds, weights)[0]
            asked.append((kind, name, rng.choice(texts)))
        for months, kind, name, texts in seasons:
            factor = months.get(day.month, 1.0)
            if factor > 1:
                for _ in range(_poisson(rng, rate * SEASONAL_SHARE * (factor - 1))):
                    asked.append((kind, name, rng.choice(texts)))
        for kind, name, text in asked:
            hour = 7 + rng.choices(range(len(HOUR_WEIGHTS)), HOUR_WEIGHTS)[0]
            taken = datetime(day.year, day.month, day.day, hour, rng.randrange(60)).astimezone()
            if taken >= now - timedelta(minutes=5):
                continue
            # A tenth of the complaints come in the owners' group with no name.
            anonymous = kind == Kind.COMPLAINT and rng.random() < 0.1
            life = _life(desk, rng, callers, taken, kind, name, text, anonymous=anonymous)
            _plan(desk, rng, life, standards[day.month])
            lives.append(life)
    return lives


def _poisson(rng: random.Random, mean: float) -> int:
    """Orders in a day: a Poisson count (Knuth's method; means are small)."""
    count, product, limit = 0, rng.random(), pow(2.718281828459045, -mean)
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _life(
    desk: _Desk,
    rng: random.Random,
    callers: Sequence[tuple[int, int, str, str]],
    taken: datetime,
    kind: Kind,
    category: str,
    text: str,
    *,
    urgency: Urgency | None = None,
    anonymous: bool = False,
    caller: tuple[int, int, str, str] | None = None,
    appointment: tuple[datetime, datetime] | None = None,
) -> _Life:
    room, building, name, phone = caller or rng.choice(callers)
    if urgency is None:
        urgent = kind.is_repair and (
            "电梯" in category or any(word in text for word in URGENT_WORDS)
        )
        urgency = Urgency.URGENT if urgent and rng.random() < 0.7 else Urgency.NORMAL
    channel = rng.choices(list(Channel), (55, 15, 12, 10, 8))[0]
    if kind == Kind.REPAIR_PUBLIC:
        grounds = category in ("绿化", "保洁") and rng.random() < 0.5
        place = rng.choice(GROUNDS if grounds else PLACES)
        where: dict[str, Any] = {"place": place, "place_building_id": None if grounds else building}
        if channel == Channel.PATROL:
            name, phone = "", ""  # found on the rounds: no caller
        where["room_id"] = None
    else:
        where = {"room_id": room}
        if channel == Channel.PATROL:
            channel = Channel.PHONE
    if anonymous:
        where = {"room_id": None, "place_building_id": building, "place": "", "anonymous": True}
        name, phone, channel = "", "", Channel.GROUP
    data = OrderInput(
        kind,
        channel,
        desk.categories[category].id,
        text,
        urgency,
        caller_name=name,
        caller_phone=phone_key(phone) if phone else "",
        appointment_from=appointment[0] if appointment else None,
        appointment_to=appointment[1] if appointment else None,
        **where,
    )
    return _Life(taken, data, desk.categories[category])


def _after(at: datetime, low: float, high: float, rng: random.Random) -> datetime:
    """`at` plus between `low` and `high` minutes."""
    return at + timedelta(minutes=rng.uniform(low, high))


def _plan(desk: _Desk, rng: random.Random, life: _Life, standard: _Standard) -> None:
    """The whole life of an order as the desk would see it, whatever `now` is, its
    promises kept as well as the month's `standard`."""
    kind, steps = life.data.kind, life.steps
    promise = _promise(life)
    at = life.taken
    if kind in (Kind.ENQUIRY, Kind.SUGGESTION, Kind.PRAISE):
        replies = {Kind.ENQUIRY: (5, 90), Kind.SUGGESTION: (60, 1200), Kind.PRAISE: (10, 120)}
        at = _after(at, *replies[kind], rng)
        reply = "已转达相关班组并致谢" if kind == Kind.PRAISE else "已答复来电人"
        steps.append((at, Step.FINISH, {"work_done": reply}))
        steps.append((_after(at, 1, 30, rng), Step.CLOSE, {}))
        return
    anonymous = life.data.anonymous
    rounds = 2 if not anonymous and rng.random() < standard.unhappy else 1
    since = at  # the clock's start: the taking, or the reopening
    for round_ in range(rounds):
        at = _work(desk, rng, life, at, since, promise, standard)
        if anonymous:  # no one to call back: closed once answered, the reason recorded
            reason = "匿名投诉，无法回访；处理结果已在业主群公告"
            steps.append((_after(at, 5, 30, rng), Step.CLOSE, {"reason": reason}))
            return
        # A complaint whose caller cannot be reached closes after three attempts.
        if kind == Kind.COMPLAINT and round_ == rounds - 1 and rng.random() < 0.03:
            for gap in (240, 300, 1200):  # morning, afternoon, the next day
                at = _after(at, gap, gap + 60, rng)
                steps.append((at, Step.CALLBACK_FAILED, {"note": "电话无人接听"}))
            steps.append((_after(at, 5, 30, rng), Step.CLOSE, {"reason": "三次回访未接通"}))
            return
        callback = promise.callback_minutes or 24 * 60
        late = rng.random() < standard.late_callback
        share = rng.uniform(1.05, 1.5) if late else rng.uniform(0.05, 0.9)
        at = max(_after(at, 30, 60, rng), at + timedelta(minutes=callback * share))
        happy = round_ == rounds - 1
        scores = _scores(rng, happy, standard.lukewarm)
        words = rng.choice(WORDS_HAPPY if happy else WORDS_UNHAPPY)
        steps.append((at, Step.CALLBACK, {"result": CallbackInput(*scores, words)}))
        since = at  # an unsatisfied callback reopens the order: its clock starts again
        at = _after(at, 5, 20, rng) if not happy else at
    steps.append((_after(at, 2, 30, rng), Step.CLOSE, {}))


def _work(
    desk: _Desk,
    rng: random.Random,
    life: _Life,
    at: datetime,
    since: datetime,
    promise: Promise,
    standard: _Standard,
) -> datetime:
    """Dispatched, perhaps transferred, on site (repairs), perhaps paused, finished:
    on site and finished within the promises counted from `since`, or late by a
    share of them, as often as the month's `standard` has it."""
    kind, steps, team = life.data.kind, life.steps, life.category.team
    # Who is off duty today may have worked the older orders.
    recent = life.taken >= desk.now - timedelta(hours=SERVICE_HOURS + 24)
    staff = desk.on_duty[team] if recent else desk.everyone[team]
    person = rng.choice(staff) if staff and rng.random() < 0.85 else None
    at = _after(at, 2, 12, rng)
    steps.append((at, Step.DISPATCH, {"staff_id": person, "team": team}))
    others = [s for s in desk.on_duty[team] if s != person]
    if others and rng.random() < 0.06:
        at = _after(at, 3, 10, rng)
        steps.append(
            (at, Step.TRANSFER, {"staff_id": rng.choice(others), "reason": "原处理人另有急修"})
        )
    late_arrival = rng.random() < standard.late_arrival
    late_finish = rng.random() < standard.late_finish
    finish = promise.finish_minutes
    if kind.is_repair:
        arrive = promise.arrive_minutes or 120
        share = rng.uniform(1.05, 2.0) if late_arrival else rng.uniform(0.5, 0.95)
        at = max(_after(at, 3, 8, rng), since + timedelta(minutes=arrive * share))
        steps.append((at, Step.ARRIVE, {}))
        paused = timedelta()
        if rng.random() < 0.07:
            at = _after(at, 10, 40, rng)
            steps.append((at, Step.PAUSE, {"reason": "等待配件到货"}))
            resumed = _after(at, 12 * 60, 40 * 60, rng)
            paused, at = resumed - at, resumed
            steps.append((at, Step.RESUME, {"note": "配件已到"}))
        done = _after(at, 20, min(finish, 240) * 0.8, rng)
        if late_finish:  # the clock leaves the paused span out
            done = max(done, since + paused + timedelta(minutes=finish * rng.uniform(1.05, 1.5)))
        at = done
        work, materials = next(
            (line for word, line in DONE_FOR if word in life.data.description),
            DONE.get(life.category.name, ("已处理完毕", "")),
        )
        steps.append((at, Step.FINISH, {"work_done": work, "materials": materials}))
    else:
        share = rng.uniform(1.05, 1.4) if late_finish else rng.uniform(0.1, 0.9)
        at = max(_after(at, 30, 60, rng), since + timedelta(minutes=finish * share))
        steps.append((at, Step.FINISH, {"work_done": REPLY}))
    return at


def _promise(life: _Life) -> Promise:
    return promise_for(life.data.kind, life.data.urgency, life.category.promises)


def _scores(rng: random.Random, happy: bool, lukewarm: float) -> tuple[int, int, int]:
    if happy:  # a 一般 (3) as often as `lukewarm`: the month's 满意度 short of it
        speed = 3 if rng.random() < lukewarm / 2 else (5 if rng.random() < 0.6 else 4)
        quality = 3 if rng.random() < lukewarm / 2 else (5 if rng.random() < 0.5 else 4)
        return speed, quality, rng.choice((5, 5, 5, 4))
    return rng.choice((1, 2)), rng.randint(2, 4), rng.randint(2, 4)


# the cases the board must show --------------------------------------------------------


def _board_cases(
    desk: _Desk,
    rng: random.Random,
    callers: Sequence[tuple[int, int, str, str]],
    earlier: list[_Life],
) -> list[_Life]:
    """Orders taken in the last days and cut at now in the states the desk must see,
    each through the services; minutes before now."""
    engineers, keepers = desk.on_duty[Team.ENGINEERING], desk.on_duty[Team.ORDER]
    cleaners = desk.on_duty[Team.CLEANING]
    first = engineers[0] if engineers else None
    second = engineers[1] if len(engineers) > 1 else first
    sent = {"staff_id": first, "team": Team.ENGINEERING}
    cases: list[_Life] = []

    def case(
        ago: int,
        kind: Kind,
        category: str,
        text: str,
        steps: list[tuple[int, Step, dict[str, Any]]],
        **extra: Any,
    ) -> _Life:
        taken = desk.now - timedelta(minutes=ago)
        life = _life(desk, rng, callers, taken, kind, category, text, **extra)
        life.steps = [(desk.now - timedelta(minutes=m), step, a) for m, step, a in steps]
        life.through_services = True
        cases.append(life)
        return life

    urgent, normal = Urgency.URGENT, Urgency.NORMAL
    work, parts = DONE["水电"]
    finished = {"work_done": work, "materials": parts}
    # On the way to an urgent leak, past the 30 minutes promised: red.
    case(50, Kind.REPAIR_HOME, "水电", LEAK, [(45, Step.DISPATCH, sent)], urgency=urgent)
    # Dispatched 100 of the 120 minutes ago: amber.
    case(
        100,
        Kind.REPAIR_HOME,
        "门窗",
        "入户门锁芯卡死，钥匙拧不动",
        [(90, Step.DISPATCH, {"staff_id": second, "team": Team.ENGINEERING})],
        urgency=normal,
    )
    case(20, Kind.REPAIR_PUBLIC, "公区照明", "楼道声控灯不亮", [], urgency=normal)
    case(
        1560,
        Kind.REPAIR_HOME,
        "水电",
        "厨房水龙头关不紧，一直滴水",
        [
            (1540, Step.DISPATCH, sent),
            (1470, Step.ARRIVE, {}),
            (1440, Step.PAUSE, {"reason": "等待配件（角阀）到货，业主同意到货后再约"}),
        ],
        urgency=normal,
    )
    # On site yesterday, not finished within the 24 hours: red.
    case(
        1680,
        Kind.REPAIR_HOME,
        "土建",
        "卫生间地砖空鼓开裂",
        [(1660, Step.DISPATCH, sent), (1600, Step.ARRIVE, {})],
        urgency=normal,
    )
    slot = (desk.now + timedelta(days=1)).astimezone().replace(hour=9, minute=0, second=0)
    case(
        60,
        Kind.REPAIR_HOME,
        "门窗",
        "卧室窗户关不严，进风，业主明天上午在家",
        [(50, Step.DISPATCH, sent)],
        urgency=normal,
        appointment=(slot, slot + timedelta(hours=2)),
    )
    case(
        180,
        Kind.REPAIR_PUBLIC,
        "电梯",
        "电梯门关不上，反复开合",
        [
            (175, Step.DISPATCH, sent),
            (160, Step.ARRIVE, {}),
            (60, Step.FINISH, {"work_done": DONE["电梯"][0]}),
        ],
        urgency=urgent,
    )
    # An urgent repair finished 26 hours ago, not called back within 24: red; 20: amber.
    for ago, finished_ago in ((1700, 1560), (1350, 1200)):
        case(
            ago,
            Kind.REPAIR_HOME,
            "水电",
            "客厅一路插座跳闸，合不上",
            [
                (ago - 5, Step.DISPATCH, sent),
                (ago - 25, Step.ARRIVE, {}),
                (finished_ago, Step.FINISH, {"work_done": "更换漏电开关，线路绝缘测试正常"}),
            ],
            urgency=urgent,
        )
    case(
        1500,
        Kind.REPAIR_HOME,
        "水电",
        LEAK,
        [
            (1490, Step.DISPATCH, sent),
            (1420, Step.ARRIVE, {}),
            (1300, Step.FINISH, finished),
            (120, Step.CALLBACK, {"result": CallbackInput(2, 3, 3, "修完第二天又漏了")}),
            (60, Step.DISPATCH, {"staff_id": second, "team": Team.ENGINEERING}),
        ],
        urgency=normal,
    )
    # Called back satisfied this morning: the supervisor closes it at the day's review.
    case(
        1400,
        Kind.REPAIR_HOME,
        "门窗",
        "卧室窗户关不严，进风",
        [
            (1390, Step.DISPATCH, sent),
            (1330, Step.ARRIVE, {}),
            (1270, Step.FINISH, {"work_done": "调整窗扇合页，更换密封条"}),
            (30, Step.CALLBACK, {"result": CallbackInput(5, 5, 4, "修得很好")}),
        ],
        urgency=normal,
    )
    order = {"staff_id": keepers[0] if keepers else None, "team": Team.ORDER}
    case(
        1790,
        Kind.COMPLAINT,
        "噪音",
        "楼上夜里十一点后仍有拖拽家具声",
        [
            (1780, Step.DISPATCH, order),
            (1560, Step.FINISH, {"work_done": REPLY}),
            (1200, Step.CALLBACK_FAILED, {"note": "电话无人接听"}),
            (360, Step.CALLBACK_FAILED, {"note": "电话无人接听"}),
            (120, Step.CALLBACK_FAILED, {"note": "关机"}),
            (110, Step.CLOSE, {"reason": "三次回访均未接通，已短信告知处理结果"}),
        ],
    )
    case(
        300,
        Kind.COMPLAINT,
        "装修扰民",
        "有人在业主群反映某户周末上午电钻施工",
        [(290, Step.DISPATCH, {"staff_id": None, "team": Team.ORDER})],
        anonymous=True,
    )
    case(
        1600,
        Kind.COMPLAINT,
        "停车",
        "车位被外来车辆占用",
        [
            (1590, Step.DISPATCH, order),
            (1300, Step.FINISH, {"work_done": "已联系车主挪车，并加强门岗外来车辆登记"}),
            (400, Step.CALLBACK, {"result": CallbackInput(5, 4, 5, "处理及时")}),
            (390, Step.CLOSE, {}),
        ],
    )
    # Past the 24 hours promised for a reply: on the supervisor's 升级/逾期投诉 list,
    # one still waiting for 督办, one taken up this morning.
    case(1800, Kind.COMPLAINT, "宠物", "邻居狗在电梯里不牵绳", [(1790, Step.DISPATCH, order)])
    case(
        2000,
        Kind.COMPLAINT,
        "噪音",
        "广场舞音响太响",
        [
            (1990, Step.DISPATCH, order),
            (400, Step.SUPERVISE, {"note": "今晚约广场舞队负责人面谈，明日答复业主"}),
        ],
    )
    case(
        120,
        Kind.ENQUIRY,
        "其他",
        "询问物业费开票方式",
        [(110, Step.FINISH, {"work_done": "已告知可在前台开具电子发票"}), (109, Step.CLOSE, {})],
    )
    case(
        200,
        Kind.REPAIR_HOME,
        "水电",
        "客厅一路插座跳闸，合不上",
        [
            (190, Step.DISPATCH, sent),
            (170, Step.TRANSFER, {"staff_id": second, "reason": "原处理人在 3 栋急修"}),
            (120, Step.ARRIVE, {}),
        ],
        urgency=normal,
    )
    drain = case(
        400,
        Kind.REPAIR_PUBLIC,
        "保洁",
        "楼道地漏堵塞返水",
        [
            (
                390,
                Step.DISPATCH,
                {"staff_id": cleaners[0] if cleaners else None, "team": Team.CLEANING},
            ),
            (330, Step.RETURN, {"reason": "地漏堵塞须工程部疏通，非保洁职责"}),
        ],
        urgency=normal,
    )
    if drain.data.place_building_id is None:  # a drain is in a building's stairwell
        drain.data = replace(drain.data, place_building_id=callers[0][1], place="楼道 6 层")
    # Repeats: the same home again, the same public place and category again.
    since = desk.now - timedelta(days=25)
    homes = [
        life
        for life in earlier
        if life.data.kind == Kind.REPAIR_HOME
        and life.taken > since
        and life.category.name == "水电"
    ]
    if homes:
        before = rng.choice(homes)
        again = (before.data.room_id, 0, before.data.caller_name, before.data.caller_phone)
        case(
            90,
            Kind.REPAIR_HOME,
            "水电",
            "上次修过，又漏水了",
            [(85, Step.DISPATCH, sent)],
            urgency=urgent,
            caller=again,
        )
    places = [
        life
        for life in earlier
        if life.data.kind == Kind.REPAIR_PUBLIC and life.taken > since and life.data.place
    ]
    if places:
        before = rng.choice(places)
        repeat = case(
            150, Kind.REPAIR_PUBLIC, before.category.name, "同一位置又坏了", [], urgency=normal
        )
        repeat.data = replace(
            repeat.data,
            place=before.data.place,
            place_building_id=before.data.place_building_id,
        )
    return cases


# writing ------------------------------------------------------------------------------


def _write(desk: _Desk, lives: list[_Life]) -> int:
    """The history before the last SERVICE_HOURS in one bulk batch; then the orders
    since, and the board's cases, through the services: every step of them in time
    order, each at its time and flushed there, so its audit entries carry that time
    and the actor of the session it runs in (one per run of steps by the same person:
    a commit per step would be most of this part's time). The numbers run with the
    time taken. Returns how many orders went through the services."""
    cutoff = min(
        [desk.now - timedelta(hours=SERVICE_HOURS)]
        + [life.taken for life in lives if life.through_services]
    )
    history = [life for life in lives if life.taken < cutoff]
    recent = [life for life in lives if life.taken >= cutoff]
    with desk.db.write(SYSTEM) as session:
        _insert(session, desk, history)
    steps = sorted(
        (at, index, n, step, args)
        for index, life in enumerate(recent)
        for n, (at, step, args) in enumerate(
            [(life.taken, Step.TAKE, {}), *((a, s, x) for a, s, x in life.steps if a <= desk.now)]
        )
    )
    ids: dict[int, int] = {}
    latest = datetime.min.replace(tzinfo=desk.now.tzinfo)
    for actor, run in groupby(steps, key=lambda s: _actor_of(desk, s[3], s[4])):
        with desk.db.write(actor) as session:
            for planned, index, _, step, args in run:
                # Two orders taken in one minute: the set clock ticks on while a step
                # runs, so the second is set a second later to keep their order.
                at = max(planned, latest + timedelta(seconds=1))
                latest = at
                with happened_at(at):
                    if step == Step.TAKE:
                        ids[index] = orders.take_order(session, actor, recent[index].data).order_id
                    else:
                        _service_step(session, actor, ids[index], step, args)
                    session.flush()
    return len(recent)


def _actor_of(desk: _Desk, step: Step, args: dict[str, Any]) -> Actor:
    """The desk's clerk does every step; the supervisor closes without a callback and
    takes up overdue complaints (督办)."""
    if step == Step.SUPERVISE or (step == Step.CLOSE and args.get("reason")):
        return desk.boss
    return desk.clerk


def _service_step(
    session: Session, actor: Actor, order_id: int, step: Step, args: dict[str, Any]
) -> None:
    if step == Step.DISPATCH:
        staff = args["staff_id"]
        team = None if staff is not None else args["team"]
        orders.dispatch(session, actor, order_id, staff_id=staff, team=team)
    elif step == Step.TRANSFER:
        orders.transfer(session, actor, order_id, args["reason"], staff_id=args["staff_id"])
    elif step == Step.RETURN:
        orders.return_to_desk(session, actor, order_id, args["reason"])
    elif step == Step.ARRIVE:
        orders.arrive(session, actor, order_id)
    elif step == Step.PAUSE:
        orders.pause(session, actor, order_id, args["reason"])
    elif step == Step.RESUME:
        orders.resume(session, actor, order_id, args.get("note", ""))
    elif step == Step.FINISH:
        orders.finish(session, actor, order_id, args["work_done"], args.get("materials", ""))
    elif step == Step.CALLBACK:
        orders.callback(session, actor, order_id, args["result"])
    elif step == Step.CALLBACK_FAILED:
        orders.callback_failed(session, actor, order_id, args.get("note", ""))
    elif step == Step.CLOSE:
        orders.close(session, actor, order_id, args.get("reason", ""))
    elif step == Step.SUPERVISE:
        complaints.supervise(session, actor, order_id, complaints.Supervision(args["note"]))
    else:
        raise ValueError(step)


def _insert(session: Session, desk: _Desk, lives: list[_Life]) -> None:
    """The history in bulk, numbered in the order taken, sealed by one audit entry."""
    if not lives:
        return
    connection = session.connection()
    first = connection.exec_driver_sql("SELECT max(id) FROM work_order").scalar()
    event_id = int(connection.exec_driver_sql("SELECT max(id) FROM work_order_event").scalar() or 0)
    numbers: dict[str, int] = {}
    rows, events = [], []
    for order_id, life in enumerate(lives, int(first or 0) + 1):
        prefix = month_prefix(life.taken)
        numbers[prefix] = numbers.get(prefix, 0) + 1
        row, steps = _history(desk, life, order_id, order_number(prefix, numbers[prefix]))
        for event in steps:
            event_id += 1
            events.append({"id": event_id, **event})
        rows.append(row)
    bulk_insert(session, WorkOrder, rows)
    bulk_insert(session, WorkOrderEvent, events)
    _seal(session, rows, len(events))


def _seal(session: Session, rows: list[Row], events: int) -> None:
    first, last = rows[0], rows[-1]
    write_entry(
        session.connection(),
        SYSTEM,
        "demo",
        "work_order",
        f"{first['id']}-{last['id']}",
        f"生成演示数据：工单 {len(rows)} 张（{first['number']} 至 {last['number']}），"
        f"处理记录 {events} 条",
    )


def _history(desk: _Desk, life: _Life, order_id: int, number: str) -> tuple[Row, list[Row]]:
    """The order's row and its events after its steps, as the services would have
    written them: each step checked by the state machine, the clock as it stands now."""
    data, promise = life.data, _promise(life)
    row: Row = {
        "id": order_id,
        "number": number,
        "kind": data.kind.value,
        "channel": data.channel.value,
        "urgency": data.urgency.value,
        "category_id": data.category_id,
        "status": Status.ACCEPTED.value,
        "room_id": data.room_id,
        "place_building_id": data.place_building_id,
        "place": data.place,
        "caller_name": data.caller_name,
        "caller_phone": data.caller_phone,
        "anonymous": data.anonymous,
        "description": data.description,
        "appointment_from": None,
        "appointment_to": None,
        "arrive_minutes": promise.arrive_minutes,
        "finish_minutes": promise.finish_minutes,
        "callback_minutes": promise.callback_minutes,
        "started_at": life.taken,
        "paused_at": None,
        "paused_seconds": 0,
        "due_at": None,
        "due_stage": None,
        "taken_at": life.taken,
        **by_columns("taken", desk.clerk),
        "staff_id": None,
        "team": None,
        "arrived_at": None,
        "finished_at": None,
        "work_done": "",
        "materials": "",
        "failed_callbacks": 0,
        "called_back_at": None,
        "score_speed": None,
        "score_quality": None,
        "score_attitude": None,
        "satisfied": None,
        "owner_words": "",
        "closed_at": None,
        "reopened": 0,
    }
    events = [_event(desk, row, Step.TAKE, life.taken, desk.clerk)]
    state = OrderState(data.kind, anonymous=data.anonymous)
    for at, step, args in life.steps:
        if at > desk.now:  # not happened yet: the order stands where now finds it
            break
        reason = args.get("reason", "")
        result: CallbackInput | None = args.get("result")
        scores = (result.speed, result.quality, result.attitude) if result else (5, 5, 5)
        state = advance(state, step, reason=reason, satisfied=is_satisfied(scores))
        row["status"], row["failed_callbacks"] = state.status.value, state.failed_callbacks
        actor = desk.boss if step == Step.CLOSE and reason else desk.clerk
        note = reason or args.get("note", "")
        if step in (Step.DISPATCH, Step.TRANSFER):
            team = args.get("team") or life.category.team
            row["staff_id"], row["team"] = args["staff_id"], team.value
        elif step == Step.RETURN:
            row["staff_id"] = row["team"] = row["arrived_at"] = None
        elif step == Step.ARRIVE:
            row["arrived_at"] = at
        elif step == Step.PAUSE:
            row["paused_at"] = at
        elif step == Step.RESUME:
            start = row["started_at"]
            row["paused_seconds"] += max(
                0, int((at - max(row["paused_at"], start)).total_seconds())
            )
            row["paused_at"] = None
        elif step == Step.FINISH:
            row["finished_at"], row["work_done"] = at, args["work_done"]
            row["materials"] = args.get("materials", "")
            note = row["work_done"] + (f"；材料：{row['materials']}" if row["materials"] else "")
        elif step == Step.CLOSE:
            row["closed_at"] = at
        event = _event(desk, row, step, at, actor, note)
        events.append(event)
        if step == Step.CALLBACK and result is not None:
            row["called_back_at"] = at
            row["score_speed"], row["score_quality"], row["score_attitude"] = scores
            row["satisfied"], row["owner_words"] = is_satisfied(scores), result.words
            event["note"] = result.words
            event["score_speed"], event["score_quality"], event["score_attitude"] = scores
            if not is_satisfied(scores):
                _restart(row, at)
                events.append(_event(desk, row, Step.REOPEN, at, actor, "回访不满意，重新处理"))
    _clock(row, promise, desk.now)
    return row, events


def _restart(row: Row, at: datetime) -> None:
    """As a reopened order: back at the desk with a fresh clock."""
    row.update(
        status=Status.ACCEPTED.value,
        started_at=at,
        paused_at=None,
        paused_seconds=0,
        staff_id=None,
        team=None,
        arrived_at=None,
        finished_at=None,
        called_back_at=None,
        closed_at=None,
        failed_callbacks=0,
        reopened=row["reopened"] + 1,
    )


def _clock(row: Row, promise: Promise, now: datetime) -> None:
    slot = row["appointment_from"], row["appointment_to"]
    times = OrderTimes.stored(
        row["started_at"],
        row["arrived_at"],
        row["finished_at"],
        row["paused_seconds"],
        row["paused_at"],
        slot if None not in slot else None,
    )
    running = running_clock(Status(row["status"]), promise, times, now)
    if running is not None:
        row["due_stage"], row["due_at"] = running[0].value, running[1].due_at


def _event(desk: _Desk, row: Row, step: Step, at: datetime, actor: Actor, note: str = "") -> Row:
    handed = step in (Step.DISPATCH, Step.TRANSFER)
    return {
        "work_order_id": row["id"],
        "room_id": row["room_id"],
        "step": step.value,
        "at": at,
        **by_columns("done", actor),
        "staff_id": row["staff_id"] if handed else None,
        "team": row["team"] if handed else None,
        "note": note,
        "score_speed": None,
        "score_quality": None,
        "score_attitude": None,
    }
