"""Demo work orders, the plan: what happens when — the year's orders at the
seasons' rates, each order's life (its steps and their times) and the cases the
desk must see on its board (see demo/service_desk.py)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from frontdesk.demo.timeline import year_periods, year_progress
from frontdesk.domain.phone import phone_key
from frontdesk.domain.roles import Actor
from frontdesk.domain.service_desk import Channel, Kind, Promise, Step, Team, Urgency, promise_for
from frontdesk.services.database import Database
from frontdesk.services.service_desk.orders import CallbackInput, OrderInput
from frontdesk.services.service_desk.settings import CategoryRow

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
class Standard:
    """How a month's promises were kept: the shares of orders late on site, late
    finishing and called back late, of repairs whose first callback was unsatisfied
    (reopened), and of satisfied callbacks that still scored a 一般 (3) somewhere."""

    late_arrival: float
    late_finish: float
    late_callback: float
    unhappy: float
    lukewarm: float


def standard_of(rng: random.Random, progress: float, month: int) -> Standard:
    """A desk late about a quarter as often at the year's end as at its start
    (`progress` 0 to 1), strained in the rainy, hot months, each month a little up
    or down."""
    slack = (1 - 0.72 * progress) * STRAIN.get(month, 1.0) * rng.uniform(0.8, 1.2)
    return Standard(0.16 * slack, 0.08 * slack, 0.12 * slack, 0.09 * slack, 0.08 * slack)


@dataclass
class Life:
    """One order: what was taken down, and its steps (time, step, what it carries)."""

    taken: datetime
    data: OrderInput
    category: CategoryRow
    steps: list[tuple[datetime, Step, dict[str, Any]]] = field(default_factory=list)
    through_services: bool = False


@dataclass(frozen=True)
class Desk:
    db: Database
    clerk: Actor
    boss: Actor
    categories: dict[str, CategoryRow]
    on_duty: dict[Team, list[int]]
    everyone: dict[Team, list[int]]
    now: datetime


def random_lives(
    desk: Desk, rng: random.Random, callers: Sequence[tuple[int, int, str, str]], now: datetime
) -> list[Life]:
    """The demo year's orders, day by day: the usual calls, and the season's own."""
    rate = max(1.0, len(callers) * ORDERS_PER_HOUSEHOLD_DAY)
    kinds = [entry for entry in ASKED if entry[1] in desk.categories]
    weights = [entry[2] for entry in kinds]
    seasons = [entry for entry in SEASONS if entry[2] in desk.categories]
    lives = []
    today = now.astimezone().date()
    first = year_periods(today)[0].first_day
    standards: dict[int, Standard] = {}
    for back in range((today - first).days, -1, -1):
        day = today - timedelta(days=back)
        if day.month not in standards:
            standards[day.month] = standard_of(rng, year_progress(day, today), day.month)
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
    desk: Desk,
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
) -> Life:
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
    return Life(taken, data, desk.categories[category])


def _after(at: datetime, low: float, high: float, rng: random.Random) -> datetime:
    """`at` plus between `low` and `high` minutes."""
    return at + timedelta(minutes=rng.uniform(low, high))


def _plan(desk: Desk, rng: random.Random, life: Life, standard: Standard) -> None:
    """The whole life of an order as the desk would see it, whatever `now` is, its
    promises kept as well as the month's `standard`."""
    kind, steps = life.data.kind, life.steps
    promise = promise_of(life)
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
    desk: Desk,
    rng: random.Random,
    life: Life,
    at: datetime,
    since: datetime,
    promise: Promise,
    standard: Standard,
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


def promise_of(life: Life) -> Promise:
    return promise_for(life.data.kind, life.data.urgency, life.category.promises)


def _scores(rng: random.Random, happy: bool, lukewarm: float) -> tuple[int, int, int]:
    if happy:  # a 一般 (3) as often as `lukewarm`: the month's 满意度 short of it
        speed = 3 if rng.random() < lukewarm / 2 else (5 if rng.random() < 0.6 else 4)
        quality = 3 if rng.random() < lukewarm / 2 else (5 if rng.random() < 0.5 else 4)
        return speed, quality, rng.choice((5, 5, 5, 4))
    return rng.choice((1, 2)), rng.randint(2, 4), rng.randint(2, 4)


# the cases the board must show --------------------------------------------------------


def board_cases(
    desk: Desk,
    rng: random.Random,
    callers: Sequence[tuple[int, int, str, str]],
    earlier: list[Life],
) -> list[Life]:
    """Orders taken in the last days and cut at now in the states the desk must see,
    each through the services; minutes before now."""
    engineers, keepers = desk.on_duty[Team.ENGINEERING], desk.on_duty[Team.ORDER]
    cleaners = desk.on_duty[Team.CLEANING]
    first = engineers[0] if engineers else None
    second = engineers[1] if len(engineers) > 1 else first
    sent = {"staff_id": first, "team": Team.ENGINEERING}
    cases: list[Life] = []

    def case(
        ago: int,
        kind: Kind,
        category: str,
        text: str,
        steps: list[tuple[int, Step, dict[str, Any]]],
        **extra: Any,
    ) -> Life:
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
