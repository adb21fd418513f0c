"""满意度调查 from the command line: `surveys [--json]` lists them with the response
rate and 满意度; `survey add|sample|calls|call|form|results|low|order` define one,
draw its sample, list and record the calls, type back a paper form, show the results
and turn a low score into a work order; `print survey-forms SURVEY --out F.pdf`
prints the sample's numbered forms."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, location_arg
from frontdesk.domain.service_desk import Kind
from frontdesk.domain.surveys import DIMENSION_LABELS, Dimension, Outcome, Share

if TYPE_CHECKING:
    from frontdesk.domain.issued import Printout
    from frontdesk.domain.roles import Actor
    from frontdesk.services.database import Database
    from frontdesk.services.surveys import Answers, SurveyResults

DIMENSIONS = {d.value: d for d in Dimension} | {label: d for d, label in DIMENSION_LABELS.items()}
OUTCOMES = {o.value: o for o in Outcome} | {o.label: o for o in Outcome}
ORDER_KINDS = {"complaint": Kind.COMPLAINT, "投诉": Kind.COMPLAINT, "repair": Kind.REPAIR_HOME}
ORDER_KINDS["报修"] = Kind.REPAIR_HOME


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def dimensions_arg(text: str) -> tuple[Dimension, ...]:
    parts = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
    try:
        return tuple(DIMENSIONS[p] for p in parts)
    except KeyError as exc:
        known = "、".join(DIMENSION_LABELS.values())
        raise argparse.ArgumentTypeError(f"调查项目“{exc.args[0]}”不认识，可选：{known}") from None


def outcome_arg(text: str) -> Outcome:
    try:
        return OUTCOMES[text.strip()]
    except KeyError:
        raise argparse.ArgumentTypeError("通话结果应为：接通、未接通、拒访") from None


def kind_arg(text: str) -> Kind:
    try:
        return ORDER_KINDS[text.strip()]
    except KeyError:
        raise argparse.ArgumentTypeError(
            "工单类型应为：投诉（complaint）或报修（repair）"
        ) from None


def add_commands(commands: Any) -> None:
    listing = commands.add_parser("surveys", help="满意度调查列表（应答率、满意度）")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    _db(listing)
    survey = commands.add_parser("survey", help="满意度调查：新建、抽样、电话回访、录入问卷、结果")
    actions = survey.add_subparsers(dest="action", metavar="操作", required=True)
    add = actions.add_parser("add", help="新建调查（主管）")
    add.add_argument("name", help="调查名称，如 2026年第二季度业主满意度调查")
    add.add_argument("--period", required=True, help="调查期间，如 2026年第二季度")
    add.add_argument(
        "--dimensions",
        type=dimensions_arg,
        required=True,
        help="调查项目，逗号分隔：" + "、".join(DIMENSION_LABELS.values()),
    )
    add.add_argument("--question", default="", help="开放问题，如 您对物业服务还有哪些意见和建议？")
    _db(add)
    sample = actions.add_parser("sample", help="按楼栋分层抽样（主管）")
    sample.add_argument("survey", help="调查名称或编号")
    size = sample.add_mutually_exclusive_group(required=True)
    size.add_argument("--count", type=int, help="抽取户数")
    size.add_argument("--percent", type=int, help="抽取比例（%%），如 10")
    sample.add_argument("--seed", type=int, help="随机种子（同一种子抽出同样的样本）")
    _db(sample)
    calls = actions.add_parser("calls", help="电话回访名单")
    calls.add_argument("survey", help="调查名称或编号")
    calls.add_argument("--open", action="store_true", help="只列待访的")
    calls.add_argument("--json", action="store_true", help="以 JSON 输出")
    _db(calls)
    call = actions.add_parser("call", help="记一次电话：接通（附评分）、未接通或拒访")
    call.add_argument("form", help="问卷编号，如 MY001-0012")
    call.add_argument("--outcome", type=outcome_arg, required=True, help="接通、未接通或拒访")
    call.add_argument("--scores", help="各项评分 1–5，按调查项目顺序，如 5,4,4,5")
    call.add_argument("--words", default="", help="业主的意见建议")
    _db(call)
    form = actions.add_parser("form", help="录入回收的纸质问卷")
    form.add_argument("form", help="问卷编号，如 MY001-0012")
    form.add_argument("--scores", required=True, help="各项评分 1–5，按问卷顺序，如 5,4,4,5")
    form.add_argument("--words", default="", help="业主写的意见建议")
    _db(form)
    results = actions.add_parser("results", help="调查结果：各项目、各楼栋的满意度及误差范围")
    results.add_argument("survey", help="调查名称或编号")
    results.add_argument("--json", action="store_true", help="以 JSON 输出")
    _db(results)
    low = actions.add_parser("low", help="不满意的评分（可转为工单）")
    low.add_argument("survey", help="调查名称或编号")
    _db(low)
    order = actions.add_parser("order", help="把一项不满意的评分转为工单")
    order.add_argument("score", type=int, help="评分编号（见 survey low）")
    order.add_argument("--kind", type=kind_arg, default=Kind.COMPLAINT, help="投诉（默认）或报修")
    order.add_argument("--note", default="", help="补充说明")
    _db(order)


def add_print(documents: Any) -> None:
    forms = documents.add_parser("survey-forms", help="满意度调查问卷（每个样本户一份，带编号）")
    forms.add_argument("survey", help="调查名称或编号")
    forms.add_argument("--all", action="store_true", help="包括已答卷的样本户")
    _db(forms)
    forms.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")


def printout(db: Database, actor: Actor, args: argparse.Namespace) -> Printout:
    from frontdesk.printouts.surveys import survey_forms
    from frontdesk.services import surveys

    survey_id = surveys.find_survey(db, args.survey)
    return survey_forms(db, actor, survey_id, unanswered_only=not args.all)


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def list_surveys(args: argparse.Namespace) -> int:
    from frontdesk.services import surveys
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        rows = surveys.list_surveys(db, signin.actor(db, args))
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": r.survey_id,
                        "name": r.name,
                        "period": r.period,
                        "dimensions": [d.label for d in r.dimensions],
                        "sampled": r.sampled,
                        "answered": r.answered,
                        "unreached": r.unreached,
                        "refused": r.refused,
                        "pending": r.pending,
                        "response_rate": r.response_rate,
                        "satisfaction": r.satisfaction,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
            )
        )
        return 0
    for r in rows:
        print(
            f"{r.survey_id}\t{r.name}\t{r.period}\t样本 {r.sampled} 户\t已答 {r.answered}"
            f"\t应答率 {_rate(r.response_rate)}\t满意度 {_rate(r.satisfaction)}"
        )
    print(f"共 {len(rows)} 项调查")
    return 0


def _answers(text: str | None, words: str, dimensions: tuple[Dimension, ...]) -> Answers:
    from frontdesk.errors import ValidationError
    from frontdesk.services.surveys import Answers

    parts = [p.strip() for p in (text or "").replace("，", ",").split(",") if p.strip()]
    if len(parts) != len(dimensions):
        names = "、".join(d.label for d in dimensions)
        raise ValidationError("评分", f"请按顺序填 {len(dimensions)} 项评分（{names}）")
    return Answers(
        {d: int(p) if p.isdigit() else -1 for d, p in zip(dimensions, parts, strict=True)},
        words,
    )


def _share_json(share: Share) -> dict[str, Any]:
    return {
        "answered": share.answered,
        "satisfied": share.satisfied,
        "rate": share.rate,
        "margin": share.margin,
    }


def _results_json(r: SurveyResults) -> dict[str, Any]:
    return {
        "survey": r.name,
        "period": r.period,
        "population": r.population,
        "sampled": r.sampled,
        "answered": r.answered,
        "response_rate": r.response_rate,
        "overall": _share_json(r.overall),
        "dimensions": [
            {"dimension": d.label, **_share_json(d.share), "counts": list(d.counts)}
            for d in r.dimensions
        ],
        "buildings": [
            {"building": b.building, "sampled": b.sampled, **_share_json(b.share)}
            for b in r.buildings
        ],
        "low_scores": r.low_scores,
        "low_scores_open": r.low_scores_open,
    }


def _print_results(r: SurveyResults) -> None:
    print(f"{r.name}（{r.period}）")
    print(
        f"样本 {r.sampled} 户（小区 {r.population} 户），已答 {r.answered}，未接通 {r.unreached}，"
        f"拒访 {r.refused}，应答率 {_rate(r.response_rate)}"
    )
    print(f"总体满意度 {r.overall.text()}")
    print("项目\t答卷\t满意\t满意度（95%置信区间半宽）\t非常不满意/不满意/一般/满意/非常满意")
    for d in r.dimensions:
        counts = "/".join(str(c) for c in d.counts)
        print(f"{d.label}\t{d.share.answered}\t{d.share.satisfied}\t{d.share.text()}\t{counts}")
    print("楼栋\t户数\t样本\t已答\t满意度")
    for b in r.buildings:
        print(f"{b.building}\t{b.households}\t{b.sampled}\t{b.answered}\t{b.share.text()}")
    print(f"不满意评分 {r.low_scores} 项，其中未转工单 {r.low_scores_open} 项")


def run(args: argparse.Namespace) -> int:
    from frontdesk.services import surveys
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        if args.action == "add":
            data = surveys.SurveyInput(args.name, args.period, args.dimensions, args.question)
            survey_id = surveys.define_survey(db, actor, data)
            print(f"已新建调查 {survey_id}：{args.name}")
            return 0
        if args.action in ("call", "form"):
            return _answer(db, actor, args)
        if args.action == "order":
            taken = surveys.to_work_order(db, actor, args.score, kind=args.kind, note=args.note)
            print(f"已转为工单 {taken.number}")
            return 0
        survey_id = surveys.find_survey(db, args.survey)
        if args.action == "sample":
            drawn = surveys.draw_sample(
                db, actor, survey_id, count=args.count, percent=args.percent, seed=args.seed
            )
            print(f"已抽取 {drawn} 户（按楼栋分层，近六个月已调查的住户不再抽取）")
            return 0
        if args.action == "calls":
            return _calls(db, actor, survey_id, args)
        if args.action == "results":
            result = surveys.results(db, actor, survey_id)
            if args.json:
                print(json.dumps(_results_json(result), ensure_ascii=False))
            else:
                _print_results(result)
            return 0
        for row in surveys.low_scores(db, actor, survey_id):
            print(
                f"{row.score_id}\t{row.form_number}\t{row.room_code}\t{row.dimension.label}"
                f"\t{row.score}分\t{row.order_number or '未转工单'}\t{row.open_answer}"
            )
    return 0


def _calls(db: Database, actor: Actor, survey_id: int, args: argparse.Namespace) -> int:
    from frontdesk.services import surveys

    rows = surveys.call_list(db, actor, survey_id, open_only=args.open)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "form": r.form_number,
                        "room": r.room_code,
                        "contact": r.contact,
                        "phone": r.phone,
                        "status": r.status.label,
                        "attempts": r.attempts,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
            )
        )
        return 0
    for r in rows:
        print(
            f"{r.form_number}\t{r.room_code}\t{r.contact or '—'}\t{r.phone or '—'}"
            f"\t{r.status.label}\t已拨 {r.attempts} 次"
        )
    print(f"共 {len(rows)} 户")
    return 0


def _answer(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    from frontdesk.services import surveys

    found = surveys.find_form(db, actor, args.form)
    if args.action == "form":
        answers = _answers(args.scores, args.words, found.dimensions)
        surveys.enter_form(db, actor, args.form, answers)
        print(f"已录入问卷 {found.form_number}（{found.room_code}）")
        return 0
    reached = args.outcome == Outcome.REACHED
    answers_given = _answers(args.scores, args.words, found.dimensions) if reached else None
    status = surveys.record_call(db, actor, found.entry_id, args.outcome, answers_given)
    print(f"{found.form_number}（{found.room_code}）：{args.outcome.label}，现为{status.label}")
    return 0
