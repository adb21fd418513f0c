"""Notices and the document register through the real command line, on a small demo
community: `notice-templates`, `print notice`, `notices`, `documents` (list, copy
back, export) and `check`."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from frontdesk.db.models import FileArea
from frontdesk.services.notices.register import EXPORT_HEAD
from tests.cheap_hashing import FRONTDESK_COMMAND
from tests.cli.conftest import copy_of, on_the_test_engine
from tests.cli.database_rows import Where, rows, table, write

WATER_TIME = "停水时间=2026-12-05 08:00至18:00"
WATER_WHY = "停水原因=二次供水水箱清洗消毒"


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, FRONTDESK_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [*FRONTDESK_COMMAND, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Where]:
    """The demo with its notices and stored documents, built once for the module
    (120 households: 1栋 and 2栋 both have residents); on PostgreSQL, moved onto the
    server."""
    folder = tmp_path_factory.mktemp("notices-demo")
    path = folder / "demo.sqlite"
    made = run(folder / "home", "demo", str(path), "--households", "120", "--seed", "3")
    assert made.returncode == 0, made.stderr
    with on_the_test_engine(path, folder / "home") as database:
        yield database


@pytest.fixture
def demo(demo_file: Where, tmp_path: Path) -> Where:
    """A private copy of the demo and its stored files for one test."""
    return copy_of(demo_file, tmp_path / "demo.sqlite")


@pytest.fixture
def cli(tmp_path: Path):
    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return run(tmp_path / "home", *args)

    return call


def pages_of(path: Path) -> list[str]:
    return [
        re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(path.read_bytes())).pages
    ]


def test_notice_templates_lists_each_template_with_its_fields(cli, demo: Where) -> None:
    listed = cli("notice-templates", "--db", str(demo))
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    start = lines.index("停水通知（water_outage）")
    assert lines[start + 1 : start + 4] == [
        "    停水时间：起止时间，必填，如 2026-11-28 08:00至18:00",
        "    停水原因：单行文字，必填，如 二次供水水箱清洗",
        "    注意事项：多行文字，选填，如 每行一条，以“- ”开头",
    ]
    as_json = cli("notice-templates", "--json", "--db", str(demo))
    assert as_json.returncode == 0, as_json.stderr
    templates = {t["name"]: t for t in json.loads(as_json.stdout)}
    assert len(templates) == 10
    water = templates["停水通知"]
    assert water["key"] == "water_outage"
    assert [(f["name"], f["kind"], f["required"]) for f in water["fields"]] == [
        ("停水时间", "起止时间", True),
        ("停水原因", "单行文字", True),
        ("注意事项", "多行文字", False),
    ]


def test_a_notice_for_two_buildings_is_archived_registered_and_copied_back(
    cli, demo: Where, tmp_path: Path
) -> None:
    out = tmp_path / "停水通知.pdf"
    printed = cli(
        "print", "notice", "停水通知", "--var", WATER_TIME, "--var", WATER_WHY,
        "--building", "1", "--building", "2", "--db", str(demo), "--out", str(out),
    )  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    said = re.fullmatch(
        r"已发布 (TZ-\d{4}-\d{4})《停水通知》2 份，发文登记号 (FW-\d{4}-\d{6})；已生成 "
        + re.escape(str(out)),
        printed.stdout.strip(),
    )
    assert said, printed.stdout
    notice_number, register_number = said[1], said[2]
    pages = pages_of(out)
    assert len(pages) == 2
    assert "尊敬的1栋各位业主、住户：" in pages[0] and "尊敬的2栋各位业主、住户：" in pages[1]
    assert all("二次供水水箱清洗消毒" in p and notice_number in p for p in pages)
    assert "2026年12月5日（星期六）8:00至18:00" in pages[0]

    archive = cli("notices", "--json", "--db", str(demo))
    assert archive.returncode == 0, archive.stderr
    newest = json.loads(archive.stdout)[0]
    assert (newest["number"], newest["title"], newest["scope"], newest["copies"]) == (
        notice_number,
        "停水通知",
        "1栋、2栋",
        2,
    )
    assert (newest["document"], newest["event"], newest["mode"]) == (
        register_number,
        "2026年12月5日",
        "张贴通知",
    )

    register = cli("documents", "--json", "--db", str(demo))
    assert register.returncode == 0, register.stderr
    entry = json.loads(register.stdout)[0]
    assert entry["number"] == register_number
    assert (entry["kind"], entry["title"], entry["reference"]) == (
        "张贴通知",
        "停水通知（1栋、2栋）",
        notice_number,
    )
    assert (entry["pages"], entry["subject"], entry["output"]) == (2, "1栋、2栋", "生成存档")

    copy = tmp_path / "copy.pdf"
    back = cli("documents", "--copy", register_number, "--out", str(copy), "--db", str(demo))
    assert back.returncode == 0, back.stderr
    assert copy.read_bytes() == out.read_bytes()
    assert register_number in back.stdout


@pytest.mark.parametrize(
    ("var", "named"),
    [
        ("停水地点=1栋门口", "停水地点"),  # no such field
        ("停水时间=2026-13-05 08:00至18:00", "停水时间"),  # no such date
    ],
)
def test_a_bad_var_is_refused_in_chinese_and_nothing_is_written(
    cli, demo: Where, tmp_path: Path, var: str, named: str
) -> None:
    before = rows(demo, "SELECT count(*) FROM notice")[0][0]
    documents_before = rows(demo, "SELECT count(*) FROM issued_document")[0][0]
    out = tmp_path / "x.pdf"
    result = cli(
        "print", "notice", "停水通知", "--var", WATER_TIME, "--var", WATER_WHY, "--var", var,
        "--building", "1", "--db", str(demo), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith(f"错误：{named}：")
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert rows(demo, "SELECT count(*) FROM notice")[0][0] == before
    assert rows(demo, "SELECT count(*) FROM issued_document")[0][0] == documents_before


def test_documents_export_writes_the_register_to_excel(cli, demo: Where, tmp_path: Path) -> None:
    path = tmp_path / "发文登记.xlsx"
    result = cli("documents", "--export", str(path), "--db", str(demo))
    assert result.returncode == 0, result.stderr
    registered = [n for (n,) in rows(demo, "SELECT number FROM issued_document ORDER BY id DESC")]
    assert len(registered) >= 4  # the demo's notices and letters
    assert result.stdout.strip() == f"已导出 {len(registered)} 条到 {path}"
    sheet = list(load_workbook(path).active.iter_rows(values_only=True))
    assert sheet[0] == EXPORT_HEAD
    assert [r[0] for r in sheet[1:]] == registered
    kinds = {r[1] for r in sheet[1:]}
    assert {"张贴通知", "业户信函"} <= kinds


def test_check_passes_then_names_a_stored_document_whose_bytes_changed(
    cli, demo: Where, tmp_path: Path
) -> None:
    fine = cli("check", "--db", str(demo))
    assert fine.returncode == 0, fine.stderr
    assert fine.stdout.strip().endswith("检查通过。")
    assert "通过  存档文件和附件均在，内容与登记一致" in fine.stdout

    [(number, title, sha256)] = rows(
        demo,
        "SELECT number, title, sha256 FROM issued_document "
        "WHERE kind = 'letter' ORDER BY id LIMIT 1",
    )
    _change_stored_document(demo, sha256)

    broken = cli("check", "--db", str(demo))
    assert broken.returncode == 1
    problems = [line for line in broken.stderr.splitlines() if line.startswith("问题")]
    assert problems == [f"问题  发文存档 {number}《{title}》：存档文件内容与登记的哈希不符"]
    assert "检查未通过：发现 1 个问题" in broken.stderr
    refused = cli(
        "documents", "--copy", number, "--out", str(tmp_path / "x.pdf"), "--db", str(demo)
    )
    assert refused.returncode == 1 and "已被改动" in refused.stderr


def _change_stored_document(db: Where, sha256: str) -> None:
    """Someone edits an archived PDF where it is kept: the file in the folder beside a
    database file, or its row on the server."""
    if isinstance(db, Path):
        stored = db.with_name("demo-files") / "documents" / sha256[:2] / f"{sha256}.pdf"
        assert stored.read_bytes().startswith(b"%PDF")
        stored.write_bytes(stored.read_bytes().replace(b"%%EOF", b"%%EOF\n%changed"))
        return
    files = table("stored_file")
    kept = (files.c.area == FileArea.DOCUMENTS) & (files.c.sha256 == sha256)
    [(content,)] = rows(db, select(files.c.content).where(kept))
    assert content.startswith(b"%PDF")
    write(db, update(files).where(kept).values(content=content + b"%changed"))
