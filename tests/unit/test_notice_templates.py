"""The shipped notice templates, and reading the values a clerk types into them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.notice_templates import SHIPPED_TEMPLATES
from frontdesk.domain.notices import (
    LETTER_ONLY,
    STANDARD_PLACEHOLDERS,
    FieldKind,
    NoticeField,
    NoticeMode,
    NoticeTemplate,
    check_mode,
    check_template,
    check_values,
    filled_text,
    format_value,
    parse_period,
    parse_value,
    placeholders_in,
)
from frontdesk.errors import ValidationError

BY_KEY = {template.key: template for template in SHIPPED_TEMPLATES}
EXPECTED = {
    "water_outage": "停水通知",
    "power_outage": "停电通知",
    "lift_maintenance": "电梯维保通知",
    "fire_drill": "消防演练通知",
    "fee_notice": "物业费缴费通知",
    "community_event": "社区活动通知",
    "flood_typhoon": "防汛防台温馨提示",
    "cold_weather": "防寒防冻温馨提示",
    "gas_outage": "停气通知",
    "pest_control": "消杀作业通知",
}
STANDARD = {
    "小区名称": "春江花园",
    "物业公司": "杭州绿城物业服务有限公司",
    "小区地址": "杭州市上城区春江路88号",
    "服务中心电话": "0571-86001234",
    "发布日期": "2026年11月25日",
    "影响范围": "3栋、5栋",
    "楼栋": "3栋",
    "费用明细": "- 物业服务费：89.50㎡ × 2.35 元/㎡/月 = 210.33 元/月 × 12 个月 = 2,523.96 元",
    "应缴金额": "2,523.96 元（人民币贰仟伍佰贰拾叁元玖角陆分）",
}
SAMPLES = {
    FieldKind.TEXT: "示例内容",
    FieldKind.LONG_TEXT: "- 第一条\n- 第二条",
    FieldKind.DATE: "2027-01-31",
    FieldKind.DATETIME: "2026-11-28 08:30",
    FieldKind.PERIOD: "2026-11-28 08:00至18:00",
}
templates = pytest.mark.parametrize("template", SHIPPED_TEMPLATES, ids=lambda t: t.key)


def sample_values(template: NoticeTemplate) -> dict[str, str]:
    return {field.name: SAMPLES[field.kind] for field in template.fields}


# -- the shipped set --------------------------------------------------------------------


def test_the_shipped_set_is_the_ten_templates_with_unique_keys() -> None:
    keys = [template.key for template in SHIPPED_TEMPLATES]
    assert len(keys) == len(set(keys))
    assert {template.key: template.name for template in SHIPPED_TEMPLATES} == EXPECTED
    assert len({template.name for template in SHIPPED_TEMPLATES}) == len(keys)
    for key in keys:
        assert re.fullmatch(r"[a-z][a-z_]{2,23}", key), key


@templates
def test_a_shipped_template_passes_the_supervisors_check_unchanged(
    template: NoticeTemplate,
) -> None:
    assert check_template(template) == template  # nothing to strip, nothing refused
    assert template.title == template.name


@templates
def test_a_shipped_template_uses_only_placeholders_a_posted_notice_has(
    template: NoticeTemplate,
) -> None:
    names = {field.name for field in template.fields}
    used = set(placeholders_in(template.title)) | set(placeholders_in(template.body))
    assert used <= names | set(STANDARD_PLACEHOLDERS)
    assert not used & LETTER_ONLY
    check_mode(template, NoticeMode.LOBBY)


@templates
def test_every_field_of_a_shipped_template_is_printed(template: NoticeTemplate) -> None:
    used = set(placeholders_in(template.title)) | set(placeholders_in(template.body))
    for field in template.fields:
        assert field.name in used, field.name


@templates
def test_a_field_a_clerk_may_leave_blank_has_a_default(template: NoticeTemplate) -> None:
    for field in template.fields:
        if not field.required:
            assert field.default, field.name
        if not field.default:
            assert field.hint, f"{field.name} needs an example beside its input"


@templates
def test_a_shipped_body_leaves_salutation_and_signature_to_the_document(
    template: NoticeTemplate,
) -> None:
    body = template.body
    assert not body.startswith("尊敬")
    assert "{发布日期}" not in body
    assert not body.rstrip().endswith(("物业服务中心", "{物业公司}"))
    assert "\n\n\n" not in body  # one blank line between paragraphs


@templates
def test_a_shipped_template_has_no_english_for_the_clerk(template: NoticeTemplate) -> None:
    texts = [template.name, template.title, template.body]
    for field in template.fields:
        texts += [field.name, field.hint, field.default]
    for text in texts:
        assert not re.search(r"[A-Za-z]", text), text


@templates
def test_filling_a_shipped_template_leaves_no_placeholder(template: NoticeTemplate) -> None:
    values = check_values(template, sample_values(template))
    title, body = filled_text(template, values, STANDARD)
    assert "{" not in title + body and "}" not in title + body
    assert title == template.title
    # The readable forms are printed, not the stored ones.
    assert "2026-11-28" not in body


@templates
def test_a_shipped_template_filled_with_only_the_required_fields_reads_whole(
    template: NoticeTemplate,
) -> None:
    required = {
        field.name: SAMPLES[field.kind]
        for field in template.fields
        if field.required and not field.default
    }
    values = check_values(template, required)
    _title, body = filled_text(template, values, STANDARD)
    assert "{" not in body
    assert not re.search(r"^- [^\n]*：$", body, re.M)  # no empty "- 停水范围："
    for field in template.fields:
        if field.default:
            assert values[field.name] == field.default.strip()


def test_the_water_outage_reads_as_the_office_writes_it() -> None:
    template = BY_KEY["water_outage"]
    values = check_values(
        template, {"停水时间": "2026-11-28 08:00至18:00", "停水原因": "二次供水水箱清洗"}
    )
    _title, body = filled_text(template, values, STANDARD)
    assert body.startswith("因二次供水水箱清洗，")
    assert "- 停水时间：2026年11月28日（星期六）8:00至18:00" in body
    assert "- 停水范围：3栋、5栋" in body
    assert "0571-86001234" in body
    assert "储备" in body  # the default 注意事项


# -- values refused, naming the field ---------------------------------------------------


@pytest.mark.parametrize(
    ("key", "missing"),
    [
        ("water_outage", "停水原因"),
        ("water_outage", "停水时间"),
        ("fee_notice", "缴费截止日期"),
        ("community_event", "活动内容"),
    ],
)
def test_a_missing_required_field_is_refused_by_name(key: str, missing: str) -> None:
    template = BY_KEY[key]
    raw = sample_values(template)
    raw[missing] = "  "
    with pytest.raises(ValidationError) as caught:
        check_values(template, raw)
    assert caught.value.field == missing
    assert missing in caught.value.message


def test_a_period_ending_before_it_starts_is_refused_by_name() -> None:
    template = BY_KEY["water_outage"]
    raw = {**sample_values(template), "停水时间": "2026-11-28 18:00至08:00"}
    with pytest.raises(ValidationError) as caught:
        check_values(template, raw)
    assert caught.value.field == "停水时间"
    assert "晚于" in caught.value.problem


@pytest.mark.parametrize("bad", ["2027-02-30", "明年一月底", "2027-13-01"])
def test_a_bad_date_is_refused_by_name(bad: str) -> None:
    template = BY_KEY["fee_notice"]
    raw = {**sample_values(template), "缴费截止日期": bad}
    with pytest.raises(ValidationError) as caught:
        check_values(template, raw)
    assert caught.value.field == "缴费截止日期"


def test_a_one_line_field_refuses_a_line_break() -> None:
    template = BY_KEY["lift_maintenance"]
    raw = {**sample_values(template), "电梯": "1号梯\n2号梯"}
    with pytest.raises(ValidationError) as caught:
        check_values(template, raw)
    assert caught.value.field == "电梯"


def test_a_template_stating_amounts_needs_the_months_it_charges_for() -> None:
    """{费用明细} is computed from 计费起始月份 and 计费月数: a template without them is
    refused when saved, not when a thousand letters are being printed."""
    fee = BY_KEY["fee_notice"]
    assert check_template(fee) == fee
    without = replace(fee, fields=tuple(f for f in fee.fields if f.name != "计费月数"))
    without = replace(without, body=without.body.replace("{计费月数}", "12"))
    with pytest.raises(ValidationError) as caught:
        check_template(without)
    assert caught.value.field == "通知正文" and "计费月数" in caught.value.problem


# -- parsing what is typed: properties --------------------------------------------------

PERIOD = NoticeField("停水时间", FieldKind.PERIOD)
FIELDS = [NoticeField(f"字段{kind.value}", kind) for kind in FieldKind]
# Text that looks like dates and times, so the parser's branches are reached.
DATE_LIKE = st.text(alphabet="0123456789-/.:：年月日点时分至到~～—– 　（星期六）", max_size=40)
ANY_TEXT = st.one_of(st.text(max_size=60), DATE_LIKE)
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2098, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)
LENGTHS = st.integers(min_value=1, max_value=60 * 24 * 400)


@given(ANY_TEXT)
def test_any_text_as_a_period_is_a_period_or_a_validation_error(text: str) -> None:
    try:
        start, end = parse_period(text, PERIOD.name)
    except ValidationError as error:
        assert error.field == PERIOD.name
    else:
        assert start < end


@given(st.sampled_from(FIELDS), ANY_TEXT)
def test_any_text_as_a_value_is_stored_or_a_validation_error(field: NoticeField, text: str) -> None:
    try:
        stored = parse_value(field, text)
    except ValidationError as error:
        assert error.field == field.name
    else:
        assert parse_value(field, stored) == stored  # what is stored reads back the same


@given(MOMENTS, LENGTHS, st.sampled_from(["至", "/", " 到 ", "~", "—"]))
def test_a_typed_period_is_stored_and_reads_back_the_same(
    start: datetime, minutes: int, joint: str
) -> None:
    end = start + timedelta(minutes=minutes)
    stored = parse_value(PERIOD, f"{start:%Y-%m-%d %H:%M}{joint}{end:%Y-%m-%d %H:%M}")
    assert stored == f"{start:%Y-%m-%d %H:%M}/{end:%Y-%m-%d %H:%M}"
    assert parse_value(PERIOD, stored) == stored
    if end.date() == start.date():  # the end's time alone is on the start's day
        assert parse_value(PERIOD, f"{start:%Y-%m-%d %H:%M}{joint}{end:%H:%M}") == stored


@given(MOMENTS, LENGTHS)
def test_a_period_as_printed_reads_back_as_stored(start: datetime, minutes: int) -> None:
    end = start + timedelta(minutes=minutes)
    stored = f"{start:%Y-%m-%d %H:%M}/{end:%Y-%m-%d %H:%M}"
    assert parse_value(PERIOD, format_value(PERIOD, stored)) == stored


def test_a_period_may_use_slashed_dates() -> None:
    assert parse_value(PERIOD, "2026/11/28 08:00至18:00") == "2026-11-28 08:00/2026-11-28 18:00"


def test_an_optional_field_cleared_stays_empty_and_one_left_out_takes_its_default() -> None:
    template = NoticeTemplate(
        "t",
        "测试",
        "测试通知",
        (NoticeField("注意事项", FieldKind.LONG_TEXT, required=False, default="请储水"),),
        "{注意事项}",
    )
    assert check_values(template, {"注意事项": ""}) == {"注意事项": ""}
    assert check_values(template, {}) == {"注意事项": "请储水"}
