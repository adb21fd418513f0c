"""装修 papers as printed: 申请表, 许可证, 整改通知, 竣工验收单, 出入证, and the 装修指南
(the 业主手册 booklet under another title). Read back with pypdf."""

from __future__ import annotations

import io
import math
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from frontdesk.documents.base import FONT, Letterhead, register_font
from frontdesk.documents.handbook import HandbookSection, handbook_pdf
from frontdesk.documents.renovation import (
    InspectionLine,
    RenovationDoc,
    acceptance_pdf,
    application_pdf,
    permit_pdf,
    rectification_pdf,
)
from frontdesk.documents.renovation_passes import WorkerPass, passes_pdf

HEAD = Letterhead(
    "锦绣华庭",
    "杭州锦绣物业服务有限公司",
    "杭州市西湖区幸福路8号",
    "0571-88886666",
)
HOURS = "工作日 8:00–12:00、14:00–18:00；周末及法定节假日不得进行有噪声的施工"
DOC = RenovationDoc(
    number="ZX2611-0003",
    room_code="5-1-1202",
    place="5栋1单元1202室",
    owners=("张三", "李梅"),
    applicant="李四（租户，已授权）",
    applicant_phone="138****5678",
    contractor="杭州匠心装饰工程有限公司",
    contractor_person="王建国",
    contractor_phone="139****1234",
    licence_no="D233012345",
    starts_on="2026-12-01",
    ends_on="2027-02-28",
    scope=("水电改造", "防水", "地面", "阳光房"),
    working_hours=HOURS,
    status="已发许可证",
    permit_no="XK2611-0003",
    deposit_text="装修押金 3000.00 元（收据 SJ00000123）",
    fees_text="装修管理费 5.00 元/平方米，计 447.50 元；垃圾清运费 300.00 元",
)
ALL_SCOPES = ("水电改造", "防水", "地面", "墙面", "吊顶", "木作", "门窗更换", "空调安装")
DOCUMENTS = ("业主身份证复印件", "装修设计图纸（平面图、水电图）", "施工单位资质证书复印件")
TICK = "✔"
PAGE_W, PAGE_H = A4


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text with line breaks and spaces removed, so wrapped values read whole."""
    return re.sub(r"\s+", "", text)


def runs_of(pdf: bytes, page_index: int = 0) -> list[tuple[str, float, float, float, float]]:
    """(text, left, right, baseline, size as printed) of each piece of text on a page,
    in points: the size is the font size scaled by the text and drawing matrices."""
    register_font()
    page = PdfReader(io.BytesIO(pdf)).pages[page_index]
    runs: list[tuple[str, float, float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        text = text.strip("\n")
        if not text.strip():
            return
        scale = math.hypot(cm[2], cm[3]) * math.hypot(tm[2], tm[3])
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        printed = size * scale
        runs.append((text, x, x + stringWidth(text, FONT, printed), y, printed))

    page.extract_text(visitor_text=visit)
    return runs


def assert_inside(pdf: bytes, margin: float = 10) -> None:
    """Every piece of text on every page lies within the paper, `margin` pt inside."""
    for index in range(len(PdfReader(io.BytesIO(pdf)).pages)):
        for text, left, right, y, _size in runs_of(pdf, index):
            assert left >= margin - 0.5, (text, left)
            assert right <= PAGE_W - margin + 0.5, (text, right)
            assert margin <= y <= PAGE_H - margin, (text, y)


# -- 装修申请表 ---------------------------------------------------------------------------


def test_the_application_shows_the_room_the_people_and_the_undertaking() -> None:
    pdf = application_pdf(HEAD, DOC, DOCUMENTS, all_scopes=ALL_SCOPES)
    pages = pages_of(pdf)
    assert len(pages) == 1
    content = flat(pages[0])
    for expected in (
        "装修申请表",
        "ZX2611-0003",
        "5-1-1202",
        "5栋1单元1202室",
        "张三、李梅",
        "李四（租户，已授权）",
        "138****5678",
        "杭州匠心装饰工程有限公司",
        "王建国",
        "139****1234",
        "D233012345",
        "2026-12-01至2027-02-28",
        flat(HOURS),
        "装修押金3000.00元（收据SJ00000123）",
        "垃圾清运费300.00元",
        "1.业主身份证复印件",
        "2.装修设计图纸（平面图、水电图）",
        "3.施工单位资质证书复印件",
        "《装修指南》",
        "不拆改房屋承重墙",
        "不改变房屋外立面",
        "申请人：",
        "施工单位负责人：",
        "物业审核意见：",
        "日期：",
    ):
        assert expected in content, expected
    assert_inside(pdf)


def test_the_application_lists_every_scope_and_ticks_the_chosen_ones() -> None:
    pdf = application_pdf(HEAD, DOC, DOCUMENTS, all_scopes=ALL_SCOPES)
    runs = runs_of(pdf)
    ticks = [(left, y) for text, left, _r, y, _s in runs if text.strip() == TICK]
    labels = [(text.strip(), left, y) for text, left, _r, y, _s in runs]
    ticked = {
        name
        for name, left, y in labels
        if any(abs(y - ty) < 4 and 0 < left - tx < 20 for tx, ty in ticks)
    }
    # Every listed scope is shown; 阳光房 is chosen but not listed: it comes last, ticked.
    assert set(ALL_SCOPES) | {"阳光房"} <= {name for name, _x, _y in labels}
    assert ticked == set(DOC.scope)
    assert len(ticks) == len(DOC.scope)


def test_long_scope_names_wrap_within_the_page() -> None:
    scopes = tuple(f"第{n}项：厨房及卫生间给排水管道改造与墙地面防水" for n in range(1, 25))
    pdf = application_pdf(HEAD, replace(DOC, scope=scopes[::2]), DOCUMENTS, all_scopes=scopes)
    content = re.sub(r"第\d+页/共\d+页", "", flat("".join(pages_of(pdf))))
    for scope in scopes:
        assert scope in content, scope
    assert_inside(pdf)
    # Each piece of a scope's name stays in its own quarter of the checklist.
    left_edge = 15 * 72 / 25.4 + 6  # the margin and the frame's padding
    column = (PAGE_W - 2 * left_edge) / 4
    pieces = [run for run in runs_of(pdf) if "防水" in run[0] or "管道" in run[0]]
    assert pieces
    for text, left, right, _y, _size in pieces:
        if text.startswith(("1.", "2.", "3.", "本人")):
            continue  # the documents and the undertaking, not the checklist
        assert int((left - left_edge) // column) == int((right - 0.5 - left_edge) // column), text


def test_an_application_with_no_documents_says_so() -> None:
    content = flat(pages_of(application_pdf(HEAD, DOC, [], all_scopes=ALL_SCOPES))[0])
    assert "四、随附资料（无）" in content


# -- 装修许可证 ---------------------------------------------------------------------------


def test_the_permit_is_one_page_of_large_type_with_room_and_working_hours() -> None:
    pdf = permit_pdf(HEAD, DOC, "0571-88881234", issued_on="2026年11月28日")
    pages = pages_of(pdf)
    assert len(pages) == 1
    content = flat(pages[0])
    for expected in (
        "锦绣华庭",
        "装修许可证",
        "XK2611-0003",
        "5-1-1202",
        "5栋1单元1202室",
        "2026-12-01至2027-02-28",
        flat(HOURS),
        "杭州匠心装饰工程有限公司",
        "王建国139****1234",
        "水电改造、防水、地面、阳光房",
        "0571-88881234",
        "杭州锦绣物业服务有限公司",
        "2026年11月28日",
    ):
        assert expected in content, expected
    sizes = {text.strip(): size for text, _l, _r, _y, size in runs_of(pdf)}
    assert sizes["装修许可证"] > 40
    assert sizes["5-1-1202"] > 40
    # The working hours are larger than the rest of the facts.
    hours_size = max(size for text, *_rest, size in runs_of(pdf) if "8:00" in text)
    contractor_size = sizes["杭州匠心装饰工程有限公司"]
    assert hours_size > contractor_size >= 16
    assert_inside(pdf, margin=18)


def test_a_permit_with_a_long_scope_list_still_fits_one_page() -> None:
    scopes = tuple(f"第{n}项装修内容（含拆除、砌筑与恢复）" for n in range(1, 41))
    pdf = permit_pdf(HEAD, replace(DOC, scope=scopes), "0571-88881234")
    pages = pages_of(pdf)
    assert len(pages) == 1
    content = flat(pages[0])
    assert "第1项装修内容" in content and "第40项装修内容" in content
    assert flat(HOURS) in content
    assert_inside(pdf, margin=18)


def test_a_permit_without_a_date_leaves_a_line_for_it() -> None:
    content = flat(pages_of(permit_pdf(HEAD, DOC, ""))[0])
    assert "发证日期：年月日" in content
    assert "0571-88886666" in content  # the service phone when no office phone is given


# -- 整改通知 -----------------------------------------------------------------------------


PROBLEMS = (
    "卫生间防水层未做闭水试验即铺贴地砖",
    "周六上午 9:30 使用电锤进行噪声施工，邻居投诉",
)


def test_the_notice_numbers_the_problems_and_says_what_happens_next() -> None:
    pdf = rectification_pdf(
        HEAD,
        DOC,
        issued_on="2026年12月15日",
        problems=PROBLEMS,
        deadline="2026-12-18",
        stop_work=False,
    )
    content = flat(pages_of(pdf)[0])
    assert "整改通知" in content and "停工" not in content
    for expected in (
        "1.卫生间防水层未做闭水试验即铺贴地砖",
        "2.周六上午9:30使用电锤进行噪声施工，邻居投诉",
        "2026-12-18前整改完毕",
        "复查",
        "从装修押金中扣除",
        "2026年12月15日",
        "业主签收：",
        "施工单位签收：",
        "物业服务中心",
    ):
        assert expected in content, expected


def test_a_stop_work_notice_says_so_in_its_title_and_body() -> None:
    pdf = rectification_pdf(
        HEAD,
        DOC,
        issued_on="2026年12月20日",
        problems=PROBLEMS[:1],
        deadline="2026-12-27",
        stop_work=True,
    )
    content = flat(pages_of(pdf)[0])
    assert "停工整改通知" in content
    assert "立即停止施工" in content
    assert "复查合格后方可恢复施工" in content


def test_a_long_problem_list_wraps_within_the_page() -> None:
    long = "主卧飘窗下方墙面被擅自开凿出宽约八十厘米的洞口用于安装空调管线，" * 4
    problems = [f"{long}（第{n}处）" for n in range(1, 13)]
    pdf = rectification_pdf(
        HEAD,
        DOC,
        issued_on="2026年12月15日",
        problems=problems,
        deadline="2026-12-18",
        stop_work=False,
    )
    pages = pages_of(pdf)
    assert len(pages) >= 2
    content = re.sub(r"第\d+页/共\d+页", "", flat("".join(pages)))
    for number in range(1, 13):
        assert f"{number}.{flat(long)}（第{number}处）" in content
    assert "施工单位签收：" in content
    assert_inside(pdf)


# -- 竣工验收单 ---------------------------------------------------------------------------


INSPECTIONS = (
    InspectionLine("水电隐蔽工程", "2026-12-10", "合格", "打压试验 30 分钟无渗漏", ""),
    InspectionLine("防水闭水试验", "2026-12-16", "不合格", "楼下顶板有渗水", "2026-12-20"),
)


def test_the_acceptance_shows_the_inspections_the_result_and_the_deductions() -> None:
    pdf = acceptance_pdf(
        HEAD,
        DOC,
        INSPECTIONS,
        accepted_on="2027-02-26",
        result="合格",
        deductions=[("楼道墙面污损修复", "200.00"), ("违规噪声施工违约金", "1,100.50")],
    )
    pages = pages_of(pdf)
    assert len(pages) == 1
    content = flat(pages[0])
    for expected in (
        "竣工验收单",
        "5-1-1202",
        "XK2611-0003",
        "水电隐蔽工程",
        "防水闭水试验",
        "不合格",
        "楼下顶板有渗水",
        "2026-12-20",
        "2027-02-26",
        "验收结论：合格",
        "楼道墙面污损修复200.00",
        "违规噪声施工违约金1,100.50",
        "合计1,300.50",
        "验收人员：",
    ):
        assert expected in content, expected
    assert_inside(pdf)


def test_an_acceptance_without_deductions_totals_nothing() -> None:
    pdf = acceptance_pdf(HEAD, DOC, [], accepted_on="2027-02-26", result="合格", deductions=[])
    content = flat(pages_of(pdf)[0])
    assert "无扣除0.00" in content and "合计0.00" in content
    assert "（无节点检查记录）" in content


def test_a_deduction_that_is_not_an_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="扣除金额"):
        acceptance_pdf(HEAD, DOC, [], accepted_on="", result="", deductions=[("修复", "二百元")])


# -- 装修出入证 ---------------------------------------------------------------------------


def worker(n: int) -> WorkerPass:
    return WorkerPass(
        pass_no=f"ZX2611-0003-{n:02d}",
        name=f"工人{n}号",
        trade="水电工",
        phone="138****5678",
        id_number="330106********1234",
        valid_until="2027-02-28",
        room_code="5-1-1202",
        contractor="杭州匠心装饰工程有限公司",
        photo_box=n % 2 == 1,
    )


def test_nine_passes_make_two_pages_with_eight_on_the_first() -> None:
    pdf = passes_pdf(HEAD, [worker(n) for n in range(1, 10)])
    pages = [flat(page) for page in pages_of(pdf)]
    assert len(pages) == 2
    on_first = re.findall(r"ZX2611-0003-\d\d", pages[0])
    on_second = re.findall(r"ZX2611-0003-\d\d", pages[1])
    assert sorted(on_first) == [f"ZX2611-0003-{n:02d}" for n in range(1, 9)]
    assert on_second == ["ZX2611-0003-09"]
    assert pages[0].count("装修出入证") == 8
    for expected in ("工人1号", "水电工", "5-1-1202", "有效期至2027-02-28", "138****5678"):
        assert expected in pages[0], expected
    assert "330106********1234" in pages[1]
    assert_inside(pdf)


def test_the_pass_number_and_valid_until_stand_out() -> None:
    pdf = passes_pdf(HEAD, [worker(1)])
    runs = runs_of(pdf)
    number = max(size for text, *_r, size in runs if "ZX2611-0003-01" in text)
    valid = max(size for text, *_r, size in runs if "2027-02-28" in text)
    phone = max(size for text, *_r, size in runs if "138****5678" in text)
    assert number > valid > phone


def test_a_long_contractor_name_stays_on_the_card() -> None:
    long = replace(
        worker(1), contractor="浙江省杭州市西湖区某某某建筑装饰装修工程有限责任公司第三分公司"
    )
    pdf = passes_pdf(HEAD, [long])
    assert "第三分公司" in flat(pages_of(pdf)[0])
    left_card_right = (PAGE_W - 2 * 85.6 * 72 / 25.4 - 10 * 72 / 25.4) / 2 + 85.6 * 72 / 25.4
    for text, _left, right, _y, _size in runs_of(pdf):
        if "公司" in text:
            assert right <= left_card_right, (text, right)


# -- 装修指南 -----------------------------------------------------------------------------


SECTIONS = [HandbookSection("一、装修申请", "装修前请到物业服务中心办理装修申请。")]


def test_the_guide_is_the_handbook_under_its_own_title() -> None:
    pdf = handbook_pdf(HEAD, SECTIONS, edition="2026年版", title="装修指南")
    pages = [flat(page) for page in pages_of(pdf)]
    assert "装修指南" in pages[0] and "业主手册" not in pages[0]
    assert pages[2].startswith("锦绣华庭装修指南")  # the running header
    assert "业主手册" not in "".join(pages)
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None and metadata.title == "锦绣华庭装修指南（2026年版）"


def test_the_handbook_is_still_the_owner_handbook_by_default() -> None:
    pdf = handbook_pdf(HEAD, SECTIONS, edition="2026年版")
    pages = [flat(page) for page in pages_of(pdf)]
    assert "业主手册" in pages[0]
    assert pages[2].startswith("锦绣华庭业主手册")
    assert "装修指南" not in "".join(pages)
