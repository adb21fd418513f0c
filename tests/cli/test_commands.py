"""The command line: version, demo, stats, bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from frontdesk import __version__
from tests.cli.conftest import copy_of
from tests.cli.database_rows import one, rows


def test_version(frontdesk) -> None:
    result = frontdesk("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"frontdesk {__version__}"


def test_demo_then_stats(frontdesk, tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    made = frontdesk("demo", str(path), "--households", "250", "--seed", "5")
    assert made.returncode == 0, made.stderr
    assert "250 户" in made.stdout
    assert "密码均为 demo1234" in made.stdout
    counts = json.loads(frontdesk("stats", "--db", str(path)).stdout)
    assert counts["rooms_residence"] == 250
    assert counts["users"] == 8  # two cashiers: two counters
    # A year of money: every household billed monthly, receipts for every payment.
    assert counts["bills"] > 250 * 12 * 2
    # Every payment and refund has its receipt, except 预存 drawn by a billing run
    # (receipted when the money was deposited).
    unreceipted = rows(
        path,
        "SELECT DISTINCT p.cashier_name FROM payment p "
        "LEFT JOIN receipt r ON r.payment_id = p.id WHERE r.id IS NULL",
    )
    drawn = one(
        path,
        "SELECT count(*) FROM payment p LEFT JOIN receipt r ON r.payment_id = p.id "
        "WHERE r.id IS NULL",
    )
    assert unreceipted in ([], [("系统（预存抵扣）",)])
    assert counts["receipts"] == counts["payments"] - drawn + counts["refunds"]
    assert counts["buildings"] >= 3
    assert counts["rooms"] == sum(v for k, v in counts.items() if k.startswith("rooms_"))


def test_demo_is_reproducible_from_its_seed(frontdesk, tmp_path: Path) -> None:
    def rooms(name: str, seed: str) -> list[tuple[str, ...]]:
        path = tmp_path / name
        assert frontdesk("demo", str(path), "--households", "120", "--seed", seed).returncode == 0
        return rows(path, "SELECT number, status, area_m2_x100 FROM room ORDER BY id") + rows(
            path,
            "SELECT number, kind, status, room_id, description, reopened FROM work_order "
            "ORDER BY id",
        )

    assert rooms("a.sqlite", "9") == rooms("b.sqlite", "9")
    assert rooms("a2.sqlite", "9") != rooms("c.sqlite", "10")


def test_global_db_option_works_before_the_command(frontdesk, demo_db: Path) -> None:
    result = frontdesk("--db", str(demo_db), "stats")
    assert json.loads(result.stdout)["rooms_residence"] == 300


def test_stats_on_the_default_database_creates_it(frontdesk, tmp_path: Path) -> None:
    result = frontdesk("stats")
    assert result.returncode == 0
    assert json.loads(result.stdout)["users"] == 0
    assert (tmp_path / "home" / "frontdesk.sqlite").exists()


@pytest.mark.sqlite_only  # a demo file left as it was
def test_demo_refuses_to_overwrite(frontdesk, demo_db: Path) -> None:
    before = demo_db.stat().st_mtime_ns
    result = frontdesk("demo", str(demo_db))
    assert result.returncode == 1
    assert "文件已存在" in result.stderr
    assert demo_db.stat().st_mtime_ns == before


def test_missing_folder_is_a_clear_message_not_a_traceback(frontdesk, tmp_path: Path) -> None:
    result = frontdesk("stats", "--db", str(tmp_path / "no" / "x.sqlite"))
    assert result.returncode == 1
    assert result.stderr.startswith("错误：数据库所在的文件夹不存在")
    assert "Traceback" not in result.stderr


def test_not_a_frontdesk_file(frontdesk, tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    path.write_text("hello")
    result = frontdesk("stats", "--db", str(path))
    assert result.returncode == 1
    assert "不是物业前台数据库" in result.stderr
    assert path.read_text() == "hello"


def test_bad_arguments_are_explained_in_chinese(frontdesk) -> None:
    missing = frontdesk("demo")
    assert missing.returncode == 2
    assert "缺少参数：path" in missing.stderr
    bad_number = frontdesk("demo", "x.sqlite", "--households", "0")
    assert bad_number.returncode == 2
    assert "须为正整数" in bad_number.stderr
    unknown = frontdesk("frobnicate")
    assert unknown.returncode == 2
    assert "无效：'frobnicate'" in unknown.stderr


def test_print_rooms_writes_a_pdf(frontdesk, tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    assert frontdesk("demo", str(path), "--households", "100").returncode == 0
    out = tmp_path / "rooms.pdf"
    result = frontdesk("print", "rooms", "--db", str(path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        rf"已生成 {re.escape(str(out))}，发文登记号 FW-\d{{4}}-\d{{6}}", result.stdout.strip()
    )
    assert out.read_bytes().startswith(b"%PDF-")


def test_print_to_a_missing_folder_says_so_in_chinese(frontdesk, tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    assert frontdesk("demo", str(path), "--households", "100").returncode == 0
    result = frontdesk("print", "rooms", "--db", str(path), "--out", str(tmp_path / "no" / "x.pdf"))
    assert result.returncode == 1
    assert result.stderr.startswith("错误：无法读写文件")


def test_selftest_opens_every_screen_and_writes_its_screenshots(frontdesk, tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    result = frontdesk("selftest", "--screenshots", str(shots), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 处失败" in result.stdout
    names = {p.name for p in shots.glob("*.png")}
    assert any("data-key" in n for n in names), sorted(names)
    for dialog in ("defect-dialog", "booking-dialog", "renovation-apply-dialog", "file-dialog"):
        assert any(n.endswith(f"-{dialog}.png") for n in names), dialog
    assert len(names) > 60


def test_selftest_on_a_screen_too_small_fails_naming_the_screens(
    frontdesk, demo_db: Path, tmp_path: Path
) -> None:
    # On a copy of the suite's demo (the selftest's own is tested above): only the check
    # differs, and the selftest's reads are not left in a file other tests share.
    db = tmp_path / "demo.sqlite"
    db = copy_of(demo_db, db)
    result = frontdesk("selftest", "--db", str(db), "--size", "800x600", timeout=300)
    assert result.returncode == 1
    assert "在 800×600 的屏幕上放不下" in result.stderr
    assert "area-today" in result.stderr  # named by the shot that showed it (the first)
    assert "最小宽度" in result.stderr and "过宽的是" in result.stderr


def test_selftest_refuses_a_size_it_cannot_read(frontdesk) -> None:
    result = frontdesk("selftest", "--size", "1366")
    assert result.returncode == 2
    assert "宽x高" in result.stderr
