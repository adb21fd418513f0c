"""催缴通知 as printed: pages, the words and sums an owner reads, and wording that never
threatens to cut water or power (Civil Code art. 944)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from frontdesk.documents.base import Letterhead
from frontdesk.documents.reminder import (
    ReminderLine,
    ReminderNotice,
    reminders_pdf,
)
from frontdesk.domain.money import format_yuan, to_words
from frontdesk.domain.reminders import (
    DEFAULT_WORDING,
    PLACEHOLDERS,
    earlier_claims,
    fill,
    forbidden_phrases,
    unknown_placeholders,
)

HEAD = Letterhead("锦绣华庭", "杭州锦绣物业服务有限公司", "幸福路 8 号", "0571-88886666")
MM = 72 / 25.4
A4_W, A4_H = 210 * MM, 297 * MM
TITLES = {1: "温馨提示", 2: "催缴通知单", 3: "催告函"}
ITEMS = ("物业服务费", "公共能耗分摊", "垃圾清运费", "车位管理费")


def notice(
    level: int = 2,
    serial: int = 1,
    items: int = 3,
    late_fee_fen: int = 0,
    body: str | None = None,
) -> ReminderNotice:
    lines = tuple(
        ReminderLine(ITEMS[n % len(ITEMS)], f"2025年{n % 12 + 1}月", 19690 + 101 * n)
        for n in range(items)
    )
    total = sum(line.amount_fen for line in lines)
    deadline = "2026年12月10日" if level >= 2 else ""
    wording = DEFAULT_WORDING[level]
    values = {
        "业主": "张三",
        "房号": "3-2-1201",
        "欠费金额": format_yuan(total),
        "最早欠费月份": "2025年1月",
        "缴费期限": deadline,
        "服务中心电话": HEAD.service_phone,
        "小区地址": HEAD.address,
        "物业公司": HEAD.company_name,
        "已送达通知": "",
    }
    return ReminderNotice(
        level=level,
        number=f"CJ-2026-{serial:06d}",
        addressee="3栋2单元1201室 张三 业主",
        room="3-2-1201",
        lines=lines,
        total_fen=total,
        total_words=to_words(total),
        late_fee_fen=late_fee_fen,
        oldest_period="2025年1月",
        deadline=deadline,
        issued_on="2026年11月25日",
        title=wording.title,
        body=(body if body is not None else wording.body).format(**values),
        closing=wording.closing.format(**values),
    )


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def compact(text: str) -> str:
    return "".join(text.split())


def baselines(pdf: bytes, page: int = 0) -> list[tuple[float, str]]:
    """(baseline y in pt, text) of every piece of text drawn on a page."""
    found: list[tuple[float, str]] = []

    def visit(text: str, _cm: object, tm: list[float], *_args: object) -> None:
        if text.strip():
            found.append((tm[5], text))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


# -- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 5])
def test_one_notice_per_a4_page(count: int) -> None:
    pdf = reminders_pdf(HEAD, [notice(n % 3 + 1, n) for n in range(count)], False)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == count
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (A4_W, A4_H), abs=0.5
        )


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (2, 1), (5, 3), (6, 3)])
def test_two_per_page_halves_the_sheets(count: int, pages: int) -> None:
    pdf = reminders_pdf(HEAD, [notice(1, n) for n in range(count)], True)
    texts = pages_of(pdf)
    assert len(texts) == pages
    # Each sheet carries its two numbers, in order, top half first.
    first = compact(texts[0])
    if count >= 2:
        assert first.index("CJ-2026-000000") < first.index("CJ-2026-000001")
    assert "CJ-2026-000000" in first


def test_two_per_page_keeps_each_notice_in_its_half() -> None:
    pdf = reminders_pdf(HEAD, [notice(1, 1, items=20, late_fee_fen=500), notice(1, 2)], True)
    middle = A4_H / 2
    for y, text in baselines(pdf):
        if "裁开" in text:
            continue
        assert abs(y - middle) > 6 * MM, text  # nothing runs onto the cut line
        assert 6 * MM < y < A4_H - 6 * MM, text


# -- what the owner reads -----------------------------------------------------------------


@pytest.mark.parametrize("level", [1, 2, 3])
def test_each_level_prints_title_number_total_and_deadline(level: int) -> None:
    item = notice(level, 42, items=4)
    text = compact(pages_of(reminders_pdf(HEAD, [item], False))[0])
    assert TITLES[level] in text
    assert "CJ-2026-000042" in text
    assert "2026年11月25日" in text
    assert "3栋2单元1201室张三业主" in text
    assert format_yuan(item.total_fen, symbol=True) in text
    assert item.total_words in text
    for line in item.lines:
        assert format_yuan(line.amount_fen) in text
    assert "杭州锦绣物业服务有限公司（盖章）" in text
    assert "0571-88886666" in text
    if level >= 2:
        assert "缴费期限：请于2026年12月10日前缴清" in text
    else:
        assert "缴费期限" not in text


def test_two_per_page_prints_the_same_words() -> None:
    items = [notice(1, serial) for serial in (1, 2)]
    text = compact("".join(pages_of(reminders_pdf(HEAD, items, True))))
    for item in items:
        assert TITLES[item.level] in text
        assert item.number in text
        assert format_yuan(item.total_fen, symbol=True) in text
        assert item.total_words in text


def test_late_fee_only_when_charged() -> None:
    without = compact(pages_of(reminders_pdf(HEAD, [notice(2)], False))[0])
    charged = compact(pages_of(reminders_pdf(HEAD, [notice(2, late_fee_fen=2350)], False))[0])
    assert "滞纳金" not in without
    assert "滞纳金¥23.50" in charged


def test_no_wrapped_line_starts_with_a_closing_mark() -> None:
    pdf = reminders_pdf(HEAD, [notice(level) for level in (1, 2, 3, 1, 2)], False)
    pdf_half = reminders_pdf(HEAD, [notice(1), notice(1, 2)], True)
    for page in pages_of(pdf) + pages_of(pdf_half):
        for line in page.splitlines():
            assert not line.strip() or line.strip()[0] not in "，。、；：！？）》", line


@pytest.mark.parametrize("two_per_page", [False, True])
def test_twenty_items_fit_one_page_and_the_total_is_exact(two_per_page: bool) -> None:
    item = notice(1 if two_per_page else 3, 7, items=20, late_fee_fen=12800)
    pdf = reminders_pdf(HEAD, [item], two_per_page)
    pages = pages_of(pdf)
    assert len(pages) == 1
    text = compact(pages[0])
    match = re.search(r"其余(\d+)项", text)
    assert match is not None
    rest = int(match.group(1))
    shown = 20 - rest
    assert 1 <= shown <= 7  # at most 8 rows: the shown lines and the 其余 row
    for line in item.lines[:shown]:
        assert format_yuan(line.amount_fen) in text
    rest_fen = sum(line.amount_fen for line in item.lines[shown:])
    assert f"其余{rest}项明细可到物业服务中心查询{format_yuan(rest_fen)}" in text
    assert format_yuan(item.total_fen, symbol=True) in text
    assert item.total_words in text
    # the closing, after the table, is still on the page
    assert ("阖家幸福" if two_per_page else "特此函告") in text
    assert "杭州锦绣物业服务有限公司（盖章）" in text
    for y, piece in baselines(pdf):
        assert 6 * MM < y < A4_H - 6 * MM, piece


def test_a_few_items_are_all_listed() -> None:
    item = notice(2, items=8)
    text = compact(pages_of(reminders_pdf(HEAD, [item], False))[0])
    assert "其余" not in text
    for line in item.lines:
        assert format_yuan(line.amount_fen) in text


def test_very_long_wording_still_one_notice_a_page() -> None:
    long_body = "\n".join(["请您于{缴费期限}前缴清{欠费金额}元。" * 12] * 5)
    items = [notice(2, n, items=12, body=long_body) for n in range(3)]
    assert len(pages_of(reminders_pdf(HEAD, items, False))) == 3
    gentle = [notice(1, n, items=12, body=long_body) for n in range(3)]
    assert len(pages_of(reminders_pdf(HEAD, gentle, True))) == 2


def test_letterhead_with_logo() -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (30, 90, 160)).save(buffer, "PNG")
    head = Letterhead("锦绣华庭", "", "", "", buffer.getvalue())
    text = compact(pages_of(reminders_pdf(head, [notice(1)], False))[0])
    assert text.startswith("锦绣华庭")


def test_a_total_that_is_not_the_sum_of_the_lines_is_refused() -> None:
    wrong = notice(2)
    bad = ReminderNotice(**{**wrong.__dict__, "total_fen": wrong.total_fen + 1})
    with pytest.raises(ValueError, match="不符"):
        reminders_pdf(HEAD, [notice(1), bad], False)


def test_no_notices_is_refused() -> None:
    with pytest.raises(ValueError):
        reminders_pdf(HEAD, [], False)


# -- progress and cancel --------------------------------------------------------------------


def test_progress_every_fifty_and_at_the_end() -> None:
    calls: list[tuple[int, int]] = []
    reminders_pdf(
        HEAD,
        [notice(1, n) for n in range(120)],
        True,
        lambda done, total: calls.append((done, total)),
    )
    assert calls == [(50, 120), (100, 120), (120, 120)]


def test_raising_from_progress_cancels() -> None:
    class Cancelled(Exception):
        pass

    calls: list[int] = []

    def cancel(done: int, total: int) -> None:
        calls.append(done)
        raise Cancelled

    with pytest.raises(Cancelled):
        reminders_pdf(HEAD, [notice(1, n) for n in range(200)], False, cancel)
    assert calls == [50]


# -- the wording ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("逾期不缴将停水停电。", "停水"),
        ("逾期不缴将停水停电。", "停电"),
        ("我们将断 水断电", "断水"),
        ("届时将停止供暖", "停止供暖"),
        ("届时将暂停对您家的供水", "暂停对您家的供水"),
        ("物业有权限制出入", "限制出入"),
        ("您的门禁卡将被停用", "门禁卡将被停用"),
        ("将停止供电、供水", "停止供电"),
        ("届时停气处理", "停气"),
        ("禁止进入小区", "禁止进入"),
        ("将采取停梯措施", "停梯"),
    ],
)
def test_forbidden_phrases_are_flagged(text: str, phrase: str) -> None:
    assert phrase in forbidden_phrases(text)


def test_every_flagged_phrase_once() -> None:
    assert forbidden_phrases("停水！停水！再不交就断电。") == ["停水", "断电"]


@pytest.mark.parametrize(
    "text",
    [
        "请于2026年12月10日前缴清物业服务费、车位停车费和水费（代收）。",
        "逾期未缴的，我中心将依法追缴，通过诉讼等法律途径主张权利。",
        "电梯、门禁等共用设施设备的日常维护需要您的支持。",
    ],
)
def test_ordinary_fee_wording_passes(text: str) -> None:
    assert forbidden_phrases(text) == []


@pytest.mark.parametrize("level", [1, 2, 3])
def test_default_wording_is_lawful_and_complete(level: int) -> None:
    wording = DEFAULT_WORDING[level]
    assert wording.title == TITLES[level]
    for text in (wording.title, wording.body, wording.closing):
        assert forbidden_phrases(text) == []
    words = wording.body + wording.closing
    for placeholder in ("{房号}", "{欠费金额}", "{服务中心电话}"):
        assert placeholder in words
    assert unknown_placeholders(words) == []
    assert ("{缴费期限}" in words) == (level >= 2)
    # earlier notices only as the record has them; the company speaks, not the centre
    assert ("{已送达通知}" in words) == (level >= 2)
    assert earlier_claims(words) == []
    assert "本公司" in words and "物业服务中心此前" not in words
    if level == 3:
        assert "依法通过诉讼或仲裁" in words
        assert "诉讼" in words


def test_default_wording_takes_every_placeholder() -> None:
    filled = dict.fromkeys(PLACEHOLDERS, "x")
    for wording in DEFAULT_WORDING.values():
        for text in (wording.title, wording.body, wording.closing):
            assert "{" not in fill(text, filled)


def test_long_names_shrink_or_shorten_but_stay_on_the_page() -> None:
    head = Letterhead(
        "锦绣华庭" * 6, "杭州锦绣物业服务有限公司" * 3, "西湖区幸福路 8 号" * 4, "0571-88886666"
    )
    long_item = ReminderLine(
        "物业服务费（含公共区域清洁、绿化养护、秩序维护）" * 2, "2025年1月" * 5, 100
    )
    base = notice(1, items=3)
    item = ReminderNotice(
        **{
            **base.__dict__,
            "title": "关于缴纳二〇二六年度物业服务费的催缴通知单",
            "addressee": "3栋2单元1201室 " + "欧阳明月、" * 12 + "业主",
            "lines": (*base.lines, long_item),
            "total_fen": base.total_fen + 100,
            "total_words": to_words(base.total_fen + 100),
        }
    )
    for two_per_page in (False, True):
        pdf = reminders_pdf(head, [item, item], two_per_page)
        assert len(pages_of(pdf)) == (1 if two_per_page else 2)
        text = compact(pages_of(pdf)[0])
        assert format_yuan(item.total_fen, symbol=True) in text
        assert "…" in text  # what could not fit was cut short, not run over
        for y, piece in baselines(pdf):
            assert 6 * MM < y < A4_H - 6 * MM, piece


# -- the tear-off receipt, 代收 apart, one 催告函 a page -------------------------------------


@pytest.mark.parametrize("level", [1, 2, 3])
def test_levels_2_and_3_carry_a_tear_off_delivery_receipt(level: int) -> None:
    pdf = reminders_pdf(HEAD, [notice(level, 5)], False)
    text = compact(pages_of(pdf)[0])
    fields = ("送达回执", "签收人", "与业主关系", "签收日期", "送达方式", "挂号信/EMS单号")
    assert all(name in text for name in fields) == (level >= 2)
    if level >= 2:
        # the receipt names the paper served and on whom, below the cut line and the seal
        assert (
            f"文书：《{TITLES[level]}》编号：CJ-2026-000005受送达人：3栋2单元1201室张三业主" in text
        )
        drawn = baselines(pdf)
        seal_y = min(y for y, piece in drawn if "盖章" in piece)
        cut_y = max(y for y, piece in drawn if "执" in piece)  # 送达回执
        assert cut_y < seal_y - 10 * MM  # the receipt is torn off below the signed notice
        for y, piece in baselines(pdf):
            assert 6 * MM < y < A4_H - 6 * MM, piece


@pytest.mark.parametrize("level", [2, 3])
def test_a_notice_with_a_receipt_is_never_two_per_page(level: int) -> None:
    with pytest.raises(ValueError, match=f"{TITLES[level]}附送达回执，须一页一份"):
        reminders_pdf(HEAD, [notice(1), notice(level)], True)


def test_on_behalf_items_are_listed_apart_with_their_own_subtotal() -> None:
    base = notice(3, items=2)
    water = (
        ReminderLine("水费", "2026年9月至10月", 11882),
        ReminderLine("电费", "2026年10月", 5000),
    )
    item = ReminderNotice(**{**base.__dict__, "on_behalf": water, "on_behalf_fen": 16882})
    text = compact(pages_of(reminders_pdf(HEAD, [item], False))[0])
    total = text.index(format_yuan(item.total_fen, symbol=True))
    apart = text.index("代收小计")
    assert total < text.index("不属于上述物业服务费") < apart
    assert "¥168.82" in text[apart:] and "水费2026年9月至10月118.82" in text
    bad = ReminderNotice(**{**item.__dict__, "on_behalf_fen": 1})
    with pytest.raises(ValueError, match="代收"):
        reminders_pdf(HEAD, [bad], False)


def test_a_long_list_of_unpaid_months_wraps_inside_its_cell() -> None:
    months = "、".join(f"2024年{m}月" for m in range(1, 13, 2)) + "、2025年1月至3月、2026年6月"
    base = notice(2, items=1)
    line = ReminderLine("物业服务费", months, base.total_fen)
    item = ReminderNotice(**{**base.__dict__, "lines": (line,)})
    text = compact(pages_of(reminders_pdf(HEAD, [item], False))[0])
    assert months in text  # every month named, nothing cut short
    assert "…" not in text
