"""入伙 papers and the 业主手册 as printed: what is on them, where pages start, nothing
off the edge, a 目录 that points at the right pages."""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5
from reportlab.pdfbase.pdfmetrics import stringWidth

from frontdesk.documents.base import FONT, Letterhead, register_font
from frontdesk.documents.handbook import HandbookSection, handbook_pdf
from frontdesk.documents.movein import (
    ChecklistStep,
    DefectLine,
    Invitation,
    KeyLine,
    MoveInRoom,
    checklist_pdf,
    inspection_pdf,
    invitation_pdf,
    key_handover_pdf,
    movein_set_pdf,
)

HEAD = Letterhead(
    "锦绣华庭",
    "杭州锦绣物业服务有限公司",
    "杭州市西湖区幸福路8号",
    "0571-88886666",
)
ROOM = MoveInRoom(
    room_code="5-1-1202",
    place="5栋1单元1202室",
    owners=("张三", "李梅"),
    area_m2="89.50",
    batch="2026年12月 5-8栋集中交付",
    appointment="2026-12-05 09:30",
)
INVITATION = Invitation(
    office_hours="每日 8:30-17:30（法定节假日照常办理）",
    documents_to_bring=(
        "购房合同原件或不动产权证书",
        "全体产权人身份证原件及复印件",
        "本入伙通知书",
        "委托他人办理的，另带经签字的授权委托书及受托人身份证",
    ),
    fees_text=(
        "物业服务费：2.80 元/㎡·月，首次预交 6 个月，计 1,503.60 元\n"
        "装修垃圾清运费：按套内面积一次收取，计 300.00 元\n"
        "以上费用可使用现金、微信、支付宝或银行卡支付"
    ),
    issued_on="2026年11月20日",
)
STEPS = (
    ChecklistStep(
        "核验购房合同或不动产权证",
        "购房合同（已核）；身份证（已核）",
        "前台 李四",
        "2026-12-05 10:02",
        True,
    ),
    ChecklistStep("签订前期物业服务协议", "已签，一式两份", "前台 李四", "2026-12-05 10:10", True),
    ChecklistStep("签署临时管理规约", "", "", "", True),
    ChecklistStep(
        "填写业主信息登记表", "登记 2 人，车辆 1 辆", "前台 李四", "2026-12-05 10:15", True
    ),
    ChecklistStep("预交物业服务费", "", "", "", True),
    ChecklistStep("办理水电气过户", "", "", "", False),
    ChecklistStep("领取业主手册及装修须知", "", "", "", False),
)
LONG_DESCRIPTION = (
    "主卧飘窗下方墙面有两处长约三十厘米的斜向裂缝，裂缝处腻子已空鼓脱落，"
    "阴雨天时窗台内侧有渗水痕迹，怀疑窗框与墙体之间的打胶不严密，需查明原因后一并处理，"
    "处理完成后重新刮腻子、打磨并刷涂与原墙面一致的乳胶漆"
)
DEFECTS = (
    DefectLine(
        1, "客厅", "地面", "地砖两块空鼓（靠阳台门一侧）", "施工单位", "2026-12-20", "待整改"
    ),
    DefectLine(2, "主卧", "墙面", LONG_DESCRIPTION, "施工单位", "2026-12-25", "待整改"),
    DefectLine(3, "卫生间", "防水", "闭水试验后楼下顶棚无渗漏", "开发商", "2026-12-15", "已关闭"),
)
KEYS = (
    KeyLine("入户门钥匙", 3, ""),
    KeyLine("单元门禁卡", 2, "A0051202、A0051203"),
    KeyLine("信报箱钥匙", 2, ""),
)

TITLES = ("入伙通知书", "入伙手续办理清单", "验房记录表", "钥匙移交确认单")
MARGIN = 15 * 72 / 25.4


# -- reading the PDF back --------------------------------------------------------------


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text with line breaks and spaces removed, so wrapped values read whole."""
    return re.sub(r"\s+", "", text)


def runs_of(pdf: bytes, page_index: int = 0) -> list[tuple[str, float, float, float]]:
    """(text, left, right, baseline) of every line of text drawn on a page, in points.
    pypdf reports the pieces of one line at the line's start, so they are joined."""
    register_font()
    page = PdfReader(io.BytesIO(pdf)).pages[page_index]
    pieces: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            pieces.append((text.strip("\n"), cm[4] + tm[4], cm[5] + tm[5], size))

    page.extract_text(visitor_text=visit)
    runs: list[tuple[str, float, float, float]] = []
    for text, x, y, size in pieces:
        width = stringWidth(text, FONT, size)
        if runs and (runs[-1][1], runs[-1][3]) == (x, y):
            last = runs.pop()
            runs.append((last[0] + text, x, last[2] + width, y))
        else:
            runs.append((text, x, x + width, y))
    return [(text.strip(), left, right, y) for text, left, right, y in runs]


def lines_of(pdf: bytes, page_index: int) -> list[str]:
    """The text of each baseline of a page, top to bottom, pieces joined left to right."""
    by_line: dict[int, list[tuple[float, str]]] = {}
    for text, left, _right, y in runs_of(pdf, page_index):
        by_line.setdefault(round(y), []).append((left, text))
    return ["".join(t for _x, t in sorted(by_line[y])) for y in sorted(by_line, reverse=True)]


def body_of(page: str) -> str:
    """A handbook page's text without the running header and the page number."""
    text = re.sub(r"第\d+页", "", flat(page))
    return text.removeprefix(flat(HEAD.community_name) + "业主手册")


def contents_of(pdf: bytes) -> dict[str, int]:
    """The 目录 (page 2): each entry's title and page number."""
    found = {}
    for line in lines_of(pdf, 1):
        match = re.fullmatch(r"(.+?)[\s.·]*(\d+)", line)
        if match and not line.startswith("第"):
            found[flat(match.group(1))] = int(match.group(2))
    return found


def set_pdf(**changes: object) -> bytes:
    arguments: dict[str, object] = {
        "invitation": INVITATION,
        "steps": STEPS,
        "inspected_on": "2026-12-05",
        "inspector": "工程部 王工",
        "defects": DEFECTS,
        "keys": KEYS,
        "handed_on": "2026-12-05",
    }
    arguments.update(changes)
    return movein_set_pdf(HEAD, ROOM, **arguments)  # type: ignore[arg-type]


# -- the four papers -------------------------------------------------------------------


def test_the_invitation_names_the_room_the_appointment_and_what_to_bring() -> None:
    pdf = invitation_pdf(
        HEAD,
        ROOM,
        office_hours=INVITATION.office_hours,
        documents_to_bring=INVITATION.documents_to_bring,
        fees_text=INVITATION.fees_text,
        issued_on=INVITATION.issued_on,
    )
    pages = pages_of(pdf)
    assert len(pages) == 1
    content = flat(pages[0])
    for expected in (
        "入伙通知书",
        "尊敬的张三、李梅业主",
        "5栋1单元1202室",
        "89.50平方米",
        "2026年12月5-8栋集中交付",
        "2026-12-0509:30",
        "锦绣华庭物业服务中心",
        "每日8:30-17:30",
        "0571-88886666",
        "1.购房合同原件或不动产权证书",
        "4.委托他人办理的",
        "计1,503.60元",
        "杭州锦绣物业服务有限公司",
        "2026年11月20日",
    ):
        assert flat(expected) in content, expected
    assert "请致电" not in content
    assert "第1页" not in content  # one page: no page number


def test_without_an_appointment_the_invitation_asks_to_call() -> None:
    room = replace(ROOM, appointment="", batch="", owners=())
    pdf = invitation_pdf(
        HEAD, room, office_hours="", documents_to_bring=(), fees_text="", issued_on="2026年11月20日"
    )
    content = flat(pages_of(pdf)[0])
    assert "请致电物业服务中心预约办理时间" in content
    assert "尊敬的业主" in content
    assert "本次交付" not in content


def test_the_checklist_marks_required_steps_and_leaves_a_box_to_sign() -> None:
    pages = pages_of(checklist_pdf(HEAD, ROOM, STEPS))
    assert len(pages) == 1
    content = flat(pages[0])
    for expected in (
        "入伙手续办理清单",
        "序号办理事项办理情况经办人时间业主确认",
        "★核验购房合同或不动产权证",
        "购房合同（已核）；身份证（已核）",
        "前台李四",
        "2026-12-0510:02",
        "共7项，其中必办5项",
        "已办理3项",
        "业主签字：",
        "经办人签字：",
        "日期：",
    ):
        assert expected in content, expected
    assert "★办理水电气过户" not in content
    assert "办理水电气过户" in content


def test_a_long_checklist_runs_over_pages_numbered_within_itself() -> None:
    steps = [replace(STEPS[0], title=f"办理事项第{n}项") for n in range(40)]
    pages = pages_of(checklist_pdf(HEAD, ROOM, steps))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in page
    assert "序号" in pages[1]  # the header is repeated


def test_the_inspection_lists_defects_with_a_count() -> None:
    pages = pages_of(inspection_pdf(HEAD, ROOM, "2026-12-05", "工程部 王工", DEFECTS))
    assert len(pages) == 1
    content = flat(pages[0])
    for expected in (
        "验房记录表",
        "序号部位类别问题描述责任单位整改期限状态",
        "验房日期：2026-12-05",
        "验房人员：工程部王工",
        "地砖两块空鼓",
        flat(LONG_DESCRIPTION),  # wrapped, but whole
        "共3项（待整改2项，已关闭1项）",
        "复验",
        "业主：",
        "验房人员：",
        "工程人员：",
        "日期：",
    ):
        assert expected in content, expected
    assert "未发现问题" not in content


def test_an_inspection_without_defects_says_so() -> None:
    content = flat(pages_of(inspection_pdf(HEAD, ROOM, "2026-12-05", "王工", ()))[0])
    assert "经查验未发现问题" in content
    assert "问题描述" not in content  # no empty table


def test_an_inspection_not_yet_done_is_a_blank_form_not_a_clean_bill() -> None:
    content = flat(pages_of(inspection_pdf(HEAD, ROOM, "", "", ()))[0])
    assert "未发现问题的，请在上表注明" in content and "经查验未发现问题。" not in content
    assert "问题描述" in content and "10" in content  # ten numbered rows to fill in


def test_a_long_description_wraps_inside_its_column() -> None:
    pdf = inspection_pdf(HEAD, ROOM, "2026-12-05", "王工", DEFECTS)
    runs = runs_of(pdf)
    assert runs
    page_right = A4[0] - MARGIN
    for text, left, right, _y in runs:
        assert left >= MARGIN - 1, text
        assert right <= page_right + 1, text
    # The description is drawn over several lines inside its column (the fourth of
    # 序号/部位/类别/问题描述…), which starts a quarter of the way across.
    lines = [run for run in runs if len(run[0]) >= 6 and run[0] in LONG_DESCRIPTION]
    assert "".join(text for text, *_ in lines) == LONG_DESCRIPTION
    assert len({round(y) for *_, y in lines}) >= 3
    width = A4[0] - 2 * MARGIN
    column_left, column_right = MARGIN + 0.25 * width, MARGIN + 0.63 * width
    for text, left, right, _y in lines:
        assert column_left < left and right < column_right, text


def test_the_key_handover_totals_the_keys() -> None:
    pages = pages_of(key_handover_pdf(HEAD, ROOM, KEYS, "2026-12-05"))
    assert len(pages) == 1
    content = flat(pages[0])
    for expected in (
        "钥匙移交确认单",
        "钥匙/门卡类别数量卡号",
        "单元门禁卡2A0051202、A0051203",
        "合计7",
        "移交日期：2026-12-05",
        "业主已当面清点上述钥匙及门卡",
        "由业主负责保管",
        "业主签字：",
        "移交人：",
    ):
        assert expected in content, expected


# -- the set ---------------------------------------------------------------------------


def test_the_set_starts_each_paper_on_a_new_page() -> None:
    pdf = set_pdf()
    pages = pages_of(pdf)
    assert len(pages) >= 4
    starts = []
    for title in TITLES:
        found = [
            i
            for i, page in enumerate(pages)
            if flat(page).startswith(flat("锦绣华庭")) and title in flat(page)[:80]
        ]
        assert found, title
        starts.append(found[0])
    assert starts == sorted(starts)
    assert len(set(starts)) == 4
    assert starts[0] == 0
    for reader_page in PdfReader(io.BytesIO(pdf)).pages:
        width, height = float(reader_page.mediabox.width), float(reader_page.mediabox.height)
        assert (width, height) == pytest.approx(A4, abs=0.5)


def test_in_the_set_only_a_paper_longer_than_a_page_is_numbered() -> None:
    steps = [replace(STEPS[0], title=f"办理事项第{n}项") for n in range(40)]
    pages = pages_of(set_pdf(steps=steps))
    assert len(pages) >= 5
    first = next(i for i, page in enumerate(pages) if "入伙手续办理清单" in page)
    after = next(i for i, page in enumerate(pages) if "验房记录表" in page)
    assert "第 1 页" not in pages[0]  # the invitation is one page
    assert "第 1 页" not in pages[-1]  # so is the key handover
    count = after - first
    assert count >= 2
    for offset in range(count):
        assert f"第 {offset + 1} 页 / 共 {count} 页" in pages[first + offset]
    assert not any("页 / 共" in page for page in pages[first + count :])


# -- the handbook ----------------------------------------------------------------------

PARAGRAPH = (
    "物业服务中心将始终秉持“用心服务、真诚相待”的理念，为各位业主提供安全、整洁、"
    "有序的居住环境。如您在生活中遇到任何问题，欢迎随时与我们联系，我们将及时为您处理。"
)


def sections(count: int = 6, paragraphs: int = 3) -> list[HandbookSection]:
    bodies = []
    for n in range(count):
        # Some sections run over two pages, so the 目录 numbers are not simply 3, 4, 5…
        parts = [PARAGRAPH] * (paragraphs * (4 if n % 2 else 1))
        title = f"{'一二三四五六七八九十'[n]}、第{n + 1}章"
        bodies.append(HandbookSection(title, "\n\n".join(parts)))
    return bodies


def test_the_handbook_has_a_cover_without_a_page_number() -> None:
    pdf = handbook_pdf(HEAD, sections(), edition="2026年版")
    reader = PdfReader(io.BytesIO(pdf))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (width, height) == pytest.approx(A5, abs=0.5)
    cover = flat(reader.pages[0].extract_text())
    for expected in ("锦绣华庭", "业主手册", "2026年版", "杭州锦绣物业服务有限公司"):
        assert expected in cover, expected
    assert not re.search(r"第\d+页", cover)
    assert "目录" in flat(reader.pages[1].extract_text())


def test_the_contents_point_at_the_pages_the_sections_start_on() -> None:
    chapters = sections()
    pdf = handbook_pdf(HEAD, chapters, edition="2026年版")
    pages = pages_of(pdf)
    listed = contents_of(pdf)
    assert list(listed) == [flat(chapter.title) for chapter in chapters]
    for chapter in chapters:
        # Where the section really starts: the pages whose text (under the running
        # header) opens with its title.
        starts = [
            number
            for number, page in enumerate(pages, start=1)
            if body_of(page).startswith(flat(chapter.title))
        ]
        assert starts == [listed[flat(chapter.title)]], chapter.title
    numbers = list(listed.values())
    assert numbers[0] == 3
    assert any(b - a > 1 for a, b in itertools.pairwise(numbers))  # some run long


def test_every_page_after_the_cover_carries_its_number() -> None:
    pages = pages_of(handbook_pdf(HEAD, sections(), edition="2026年版"))
    for number, page in enumerate(pages, start=1):
        found = re.findall(r"第(\d+)页", flat(page))
        assert found == ([] if number == 1 else [str(number)]), number


def test_handbook_bullets_are_indented_items() -> None:
    body = "以下行为请勿在小区内进行：\n- 高空抛物\n- 占用消防通道\n\n第二段正文。"
    pdf = handbook_pdf(HEAD, [HandbookSection("一、须知", body)], edition="2026年版")
    runs = runs_of(pdf, 2)
    bullets = [left for text, left, _r, _y in runs if text in ("高空抛物", "占用消防通道")]
    marks = [left for text, left, _r, _y in runs if text == "•"]
    assert len(bullets) == 2 and len(marks) == 2
    assert all(MARGIN + 2 < mark < left - 3 for mark, left in zip(marks, bullets, strict=True))


# -- a real handbook -------------------------------------------------------------------

HANDBOOK = (
    HandbookSection(
        "一、欢迎入住",
        "尊敬的业主：\n\n"
        "欢迎您入住锦绣华庭！感谢您对锦绣华庭和杭州锦绣物业服务有限公司的信任与支持。"
        "从今天起，我们将成为您的邻居和管家，用心守护您和家人的每一天。\n\n"
        "为了帮助您尽快熟悉小区的生活环境和各项服务，我们编写了这本《业主手册》。"
        "手册介绍了物业服务中心的服务内容、收费标准、装修管理、安全防范、"
        "垃圾分类等与您生活息息相关的事项，请您仔细阅读并妥善保存。\n\n"
        "手册内容如与《前期物业服务合同》《临时管理规约》不一致的，以合同和规约为准。"
        "如有疑问，欢迎随时到物业服务中心咨询，或拨打 24 小时服务热线 0571-88886666。",
    ),
    HandbookSection(
        "二、物业服务中心",
        "物业服务中心位于小区南门东侧 1 号楼一层，是您办理各项物业事务的窗口。\n\n"
        "办公时间：\n"
        "- 周一至周日 8:30-17:30，法定节假日照常办公\n"
        "- 18:00 以后及夜间由监控中心值班，可受理报修、投诉和紧急求助\n\n"
        "服务中心可为您办理以下事务：\n"
        "- 入伙手续、房屋交接及钥匙领取\n"
        "- 物业服务费、停车费等费用的缴纳与票据开具\n"
        "- 装修申请、装修验收及装修押金退还\n"
        "- 门禁卡、车辆通行证的办理、挂失与补办\n"
        "- 家居维修、公共设施报修及投诉建议\n\n"
        "我们承诺：一般报修 30 分钟内上门查看，紧急报修（如漏水、停电）15 分钟内到场；"
        "投诉建议在 1 个工作日内给予答复。",
    ),
    HandbookSection(
        "三、物业费用",
        "物业服务费按《前期物业服务合同》约定的标准收取：住宅 2.80 元/平方米·月，"
        "按房屋建筑面积计算，按季度预交，每季度第一个月的 15 日前缴清。\n\n"
        "车位服务费：地下产权车位 60 元/个·月；临时停车前 30 分钟免费，"
        "之后每小时 3 元，单日最高 20 元。\n\n"
        "缴费方式：\n"
        "- 到物业服务中心现场缴纳（现金、银行卡、微信、支付宝均可）\n"
        "- 关注“锦绣华庭服务”微信公众号在线缴纳\n"
        "- 签订银行代扣协议，每季度自动扣款\n\n"
        "房屋空置期间，物业服务费仍需按合同约定缴纳。如您需要发票，"
        "请在缴费时告知工作人员，电子发票将发送到您预留的手机或邮箱。\n\n"
        "水费、电费、燃气费由各供应单位直接收取，请您按供应单位的通知按时缴纳。",
    ),
    HandbookSection(
        "四、装修管理",
        "为保障房屋结构安全和全体业主的居住安宁，装修前请您先到物业服务中心办理装修申请，"
        "签订《装修管理服务协议》，领取《装修许可证》后方可开工。\n\n"
        "办理装修申请需提交：\n"
        "- 业主身份证复印件及房屋交接资料\n"
        "- 装修设计图纸及施工方案（涉及水电改造的需附水电图）\n"
        "- 装修公司营业执照、资质证书复印件及施工人员身份证复印件\n\n"
        "装修施工时间：周一至周五 8:00-12:00、14:00-18:00；"
        "周六、周日及法定节假日只可进行不产生噪声的施工，如油漆、贴墙纸等。"
        "每年春节前后的禁止装修期以物业服务中心通知为准。\n\n"
        "装修中严禁以下行为：\n"
        "- 拆改承重墙、梁、柱、楼板及剪力墙，在外墙上开门开窗\n"
        "- 改变卫生间、厨房的防水层或将其位置移至卧室、客厅上方\n"
        "- 擅自改动燃气管道、消防设施及公共管线\n"
        "- 将装修垃圾倒入公共区域或下水道\n\n"
        "装修完成后，请通知物业服务中心进行装修验收；验收合格且无违规情况的，"
        "装修押金将在 30 日内全额退还。",
    ),
    HandbookSection(
        "五、访客与宠物",
        "为保障小区安全，外来访客需在门岗登记身份信息，经被访业主电话确认后方可进入。"
        "您也可以通过微信公众号提前为访客预约，访客到达时出示预约码即可快速通行。\n\n"
        "快递、外卖人员不得进入楼栋，请您到小区门口或智能快递柜领取。"
        "家政、维修等服务人员进出时，请提前告知门岗。\n\n"
        "饲养宠物请遵守《杭州市养犬管理条例》：\n"
        "- 犬只须办理养犬登记证并按时接种狂犬疫苗\n"
        "- 出户时须束犬链（长度不超过 1.5 米）并由成年人牵领\n"
        "- 犬只不得进入儿童游乐区、健身区等公共活动场所\n"
        "- 及时清理宠物粪便，避免宠物长时间吠叫影响邻居休息\n\n"
        "禁止饲养烈性犬、大型犬及其他危险动物。如发现流浪动物，请联系物业服务中心处理。",
    ),
    HandbookSection(
        "六、车辆与停车",
        "小区实行人车分流，机动车一律由南门、北门车库入口直接进入地下车库，"
        "地面道路仅供消防、救护及搬家车辆临时通行。\n\n"
        "业主车辆需到物业服务中心办理车牌登记，登记后可自动识别通行。"
        "办理时请携带行驶证、车位产权证明或租赁合同。\n\n"
        "停车须知：\n"
        "- 车辆须停放在划定的车位内，不得占用消防通道、他人车位及人行道\n"
        "- 车库内限速 5 公里/小时，请按指示方向行驶，禁止鸣笛\n"
        "- 车内请勿存放贵重物品，离车时锁好车门、关好车窗\n"
        "- 电动自行车请停放在指定的非机动车棚，统一在充电桩充电，严禁推入楼道或入户充电\n\n"
        "物业服务中心对车辆提供秩序维护服务，不承担车辆及车内物品的保管责任。",
    ),
    HandbookSection(
        "七、消防安全",
        "消防安全关系到每一户家庭。请您熟悉所在楼栋的安全出口和疏散楼梯位置，"
        "发生火情时保持冷静，用湿毛巾捂住口鼻，沿疏散指示方向撤离，切勿乘坐电梯。\n\n"
        "日常生活中请注意：\n"
        "- 不在楼道、消防通道、楼梯间堆放杂物或停放车辆\n"
        "- 不私拉乱接电线，不使用劣质电器，出门前关闭燃气阀门和电器电源\n"
        "- 不在室内存放汽油、酒精等易燃易爆物品\n"
        "- 不随意挪用、损坏消火栓、灭火器等消防设施\n\n"
        "每户室内均已安装烟感探测器和燃气泄漏报警器，请勿自行拆除或遮挡。"
        "物业服务中心每年组织一次消防演练，欢迎您和家人积极参加。\n\n"
        "发现火情请立即拨打 119，同时通知监控中心：0571-88886666 转 1。",
    ),
    HandbookSection(
        "八、垃圾分类",
        "小区按照杭州市生活垃圾分类要求，在每栋楼旁设置四分类垃圾投放点。"
        "请您将垃圾分类后，于每日 6:30-9:00、17:30-21:00 定时投放。\n\n"
        "分类标准：\n"
        "- 可回收物（蓝色桶）：废纸、塑料瓶、金属、玻璃、旧衣物等\n"
        "- 易腐垃圾（绿色桶）：剩菜剩饭、果皮菜叶、过期食品等，投放时请破袋\n"
        "- 有害垃圾（红色桶）：废电池、废灯管、过期药品、油漆桶等\n"
        "- 其他垃圾（灰色桶）：卫生纸、烟头、陶瓷碎片、尘土等\n\n"
        "大件家具、家电请预约物业服务中心统一清运；装修垃圾须袋装后堆放到指定的装修垃圾堆放点，"
        "不得混入生活垃圾。",
    ),
    HandbookSection(
        "九、紧急联系电话",
        "遇到紧急情况，请根据情况拨打以下电话：\n\n"
        "- 物业服务中心（24 小时）：0571-88886666\n"
        "- 监控中心：0571-88886666 转 1\n"
        "- 工程维修：0571-88886666 转 2\n"
        "- 匪警：110　火警：119　急救：120\n"
        "- 供电抢修：95598\n"
        "- 燃气抢修：0571-96777\n"
        "- 供水抢修：0571-96390\n"
        "- 幸福路社区居委会：0571-88123456\n\n"
        "拨打电话时，请说清楚您所在的楼栋、单元、房号和需要帮助的情况。",
    ),
    HandbookSection(
        "十、常见问题",
        "问：家里突然停水停电怎么办？\n"
        "答：请先查看是否为小区计划停水停电（通知会提前张贴在单元门口和微信公众号上）。"
        "如非计划停水停电，请检查户内空气开关，仍无法恢复的，请拨打物业服务中心电话报修。\n\n"
        "问：门禁卡丢失了怎么办？\n"
        "答：请携带身份证到物业服务中心办理挂失和补办，原卡挂失后立即失效。\n\n"
        "问：房屋出租需要办理什么手续？\n"
        "答：请与租户一同到物业服务中心登记租户信息，并提醒租户遵守《临时管理规约》。"
        "按照有关规定，出租房屋还需到所在派出所或社区办理居住登记。\n\n"
        "问：楼上漏水影响到我家怎么办？\n"
        "答：请立即联系物业服务中心，工程人员会上门查明原因并协调处理。"
        "如属房屋保修范围内的问题，我们将联系开发商安排维修。\n\n"
        "问：对物业服务不满意可以向谁反映？\n"
        "答：您可以向服务中心经理反映，或拨打公司客户服务监督电话 0571-88880000，"
        "我们会认真对待每一条意见。",
    ),
)


def test_no_line_of_the_handbook_starts_with_a_closing_mark() -> None:
    """，：；！？》” hang at the end of a line rather than start the next one; （ goes
    down to the next line."""
    # A comma just past the end of a line, in plain text and in text with markup
    # characters (& and <, which reportlab breaks the other way).
    tight = "\n\n".join(
        prefix + "字" * n + mark + "后面还有很多文字。" * 8
        for n in range(24, 34)
        for prefix in ("", "A&B<C>")
        for mark in ("，", "（说明）")
    )
    pdf = handbook_pdf(HEAD, [*HANDBOOK, HandbookSection("十一、排版", tight)], edition="2026年版")
    starts, ends = [], []
    for index in range(len(PdfReader(io.BytesIO(pdf)).pages)):
        starts += [text[0] for text, *_ in runs_of(pdf, index)]
        ends += [text[-1] for text, *_ in runs_of(pdf, index)]
    assert len(starts) > 200
    assert not set(starts) & set("，。、；：！？）》”")
    assert not set(ends) & set("（《“")


def test_a_real_handbook_lists_every_section_on_its_page() -> None:
    pdf = handbook_pdf(HEAD, HANDBOOK, edition="2026年版")
    pages = pages_of(pdf)
    assert body_of(pages[1]).startswith("目录")
    listed = contents_of(pdf)
    assert list(listed) == [flat(section.title) for section in HANDBOOK]
    for section in HANDBOOK:
        page = listed[flat(section.title)]
        assert body_of(pages[page - 1]).startswith(flat(section.title)), section.title
