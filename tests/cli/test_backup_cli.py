"""`frontdesk backup`, `backup --list`, `restore` and `check` as an administrator runs them.

The tests of backups as copies of a file, and of files that are not sound databases,
are SQLite only (`sqlite_only`); a server's backups and restores have theirs in
tests/unit/test_server_backups.py and tests/cli/test_server_backup_cli.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.cli.conftest import Run, copy_of
from tests.cli.database_rows import Where, one, rows, write


def _copy_demo(demo_db: Where, tmp_path: Path) -> Where:
    path = tmp_path / "office" / "frontdesk.sqlite"
    path.parent.mkdir()
    return copy_of(demo_db, path)


@pytest.mark.sqlite_only  # the backup is a copy of the file
def test_backup_list_restore_and_check(frontdesk: Run, demo_db: Path, tmp_path: Path) -> None:
    db = _copy_demo(demo_db, tmp_path)
    made = frontdesk("backup", "--db", str(db))
    assert made.returncode == 0, made.stderr
    assert "已校验" in made.stdout and "MB" in made.stdout
    backup = next((db.parent / "backups").glob("frontdesk-*-manual.sqlite"))
    assert str(backup) in made.stdout

    listed = frontdesk("backup", "--list", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    assert backup.name in listed.stdout and "手动" in listed.stdout
    assert "共 1 个备份" in listed.stdout

    write(db, text("UPDATE community SET name = '改过的名字'"))
    refused = frontdesk("restore", str(backup), "--db", str(db))  # no terminal: no consent
    assert refused.returncode == 1 and "已取消" in refused.stdout

    restored = frontdesk("restore", str(backup), "--db", str(db), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "恢复前的数据库另存为" in restored.stdout
    aside = next((db.parent / "backups").glob("frontdesk-*-before-restore.sqlite"))
    assert str(aside) in restored.stdout
    assert one(db, "SELECT name FROM community") != "改过的名字"
    assert one(aside, "SELECT name FROM community") == "改过的名字"

    checked = frontdesk("check", "--db", str(db))
    assert checked.returncode == 0, checked.stderr
    assert "收据和退款凭证号连续" in checked.stdout


def test_check_fails_on_a_missing_receipt(frontdesk: Run, demo_db: Where, tmp_path: Path) -> None:
    db = _copy_demo(demo_db, tmp_path)
    # Someone with the file, or the server's owner account, drops the guard and deletes.
    of_table = "" if isinstance(db, Path) else " ON receipt"  # PostgreSQL names the table
    write(
        db,
        text(f"DROP TRIGGER receipt_no_delete{of_table}"),
        text(
            "DELETE FROM receipt_print WHERE receipt_id = "
            "(SELECT id FROM receipt WHERE series = 'SJ' AND number = 5)"
        ),
        text("DELETE FROM receipt WHERE series = 'SJ' AND number = 5"),
    )
    checked = frontdesk("check", "--db", str(db))
    assert checked.returncode == 1
    assert "收据 SJ00000005 缺失" in checked.stderr
    assert "触发器 receipt_no_delete" in checked.stderr


@pytest.mark.sqlite_only  # a file that is not a database
def test_restore_refuses_a_damaged_file_by_name(frontdesk: Run, tmp_path: Path) -> None:
    bad = tmp_path / "frontdesk-20261125-220000-daily.sqlite"
    bad.write_text("这不是数据库")
    result = frontdesk("restore", str(bad), "--db", str(tmp_path / "x.sqlite"), "--yes")
    assert result.returncode == 1
    assert bad.name in result.stderr and "不是物业前台数据库" in result.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_second_folder_setting(frontdesk: Run, staffed_db: Where, tmp_path: Path) -> None:
    db = staffed_db
    usb = tmp_path / "usb"
    missing = frontdesk("backup", "--second-folder", str(usb), "--db", str(db))
    assert missing.returncode == 1 and "文件夹不存在" in missing.stderr
    usb.mkdir()
    assert frontdesk("backup", "--second-folder", str(usb), "--db", str(db)).returncode == 0
    made = frontdesk("backup", "--db", str(db))
    assert made.returncode == 0, made.stderr
    assert f"第二备份位置：{usb}" in made.stdout
    shutil.rmtree(usb)
    warned = frontdesk("backup", "--db", str(db))
    assert warned.returncode == 0 and "第二备份位置不可用" in warned.stderr
    cleared = frontdesk("backup", "--no-second-folder", "--db", str(db))
    assert "未设置" in cleared.stdout


# a file that is not a sound database is never made into a new one --------------------


@pytest.mark.sqlite_only
def test_a_zero_byte_file_given_with_db_is_refused(frontdesk: Run, tmp_path: Path) -> None:
    empty = tmp_path / "frontdesk.sqlite"
    empty.write_bytes(b"")
    for command in (("stats",), ("check",), ("backup",), ("find", "1-1-101")):
        refused = frontdesk(*command, "--db", str(empty))
        assert refused.returncode == 1, command
        assert "数据库文件是空的" in refused.stderr and str(empty) in refused.stderr
        assert "frontdesk init" in refused.stderr  # what to do if a new one is wanted
        assert empty.stat().st_size == 0  # left exactly as it was
    assert not (tmp_path / "backups").exists()


@pytest.mark.sqlite_only
def test_a_truncated_file_given_with_db_is_refused(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    whole = _copy_demo(demo_db, tmp_path).read_bytes()
    for size in (len(whole) // 2, 4096 * 3 + 100, 60):
        cut = tmp_path / f"cut-{size}.sqlite"
        cut.write_bytes(whole[:size])
        refused = frontdesk("stats", "--db", str(cut))
        assert refused.returncode == 1, size
        assert "已损坏" in refused.stderr and str(cut) in refused.stderr, refused.stderr
        assert cut.read_bytes() == whole[:size]


@pytest.mark.sqlite_only  # files made, and files that are not databases left alone
def test_init_makes_a_new_database_and_never_overwrites_one(frontdesk: Run, tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    made = frontdesk("init", "--db", str(path))
    assert made.returncode == 0, made.stderr
    assert "已新建空的物业前台数据库" in made.stdout and str(path) in made.stdout
    counted = frontdesk("stats", "--db", str(path))
    assert counted.returncode == 0, counted.stderr
    assert '"rooms": 0' in counted.stdout
    again = frontdesk("init", "--db", str(path))
    assert again.returncode == 1 and "已经有物业前台数据库" in again.stderr

    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    assert frontdesk("init", "--db", str(empty)).returncode == 0
    assert frontdesk("stats", "--db", str(empty)).returncode == 0

    text = tmp_path / "notes.sqlite"
    text.write_text("会议记录")
    kept = frontdesk("init", "--db", str(text))
    assert kept.returncode == 1 and "不会覆盖" in kept.stderr
    assert text.read_text() == "会议记录"


@pytest.mark.sqlite_only  # the backup is a copy of the file
def test_the_restore_question_shows_what_the_backup_holds_beside_what_it_replaces(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    db = _copy_demo(demo_db, tmp_path)
    assert frontdesk("backup", "--db", str(db)).returncode == 0
    backup = next((db.parent / "backups").glob("frontdesk-*-manual.sqlite"))
    households = one(backup, "SELECT count(DISTINCT room_id) FROM person")
    series, number = rows(
        backup,
        "SELECT r.series, r.number FROM payment p JOIN receipt r ON r.payment_id = p.id "
        "ORDER BY p.posted_at DESC, p.id DESC LIMIT 1",
    )[0]
    # Later work at the counter: someone moved into an empty flat, after the backup.
    room = one(db, "SELECT id FROM room WHERE id NOT IN (SELECT room_id FROM person) LIMIT 1")
    write(
        db,
        text(
            "UPDATE person SET room_id = :room WHERE id = (SELECT min(id) FROM person "
            "WHERE room_id IN (SELECT room_id FROM person GROUP BY room_id HAVING count(*) > 1))"
        ).bindparams(room=room),
    )

    asked = frontdesk("restore", str(backup), "--db", str(db))  # no terminal: no consent

    assert asked.returncode == 1 and "已取消" in asked.stdout
    shown = asked.stdout
    holds = shown[shown.index("备份中的数据（将恢复）") : shown.index("当前数据库")]
    replaces = shown[shown.index("当前数据库") :]
    stamp = backups_stamp(backup.name)
    assert f"备份时间：{stamp}" in holds
    assert "最后修改：" in replaces
    assert f"住户：{households} 户" in holds
    assert f"最后一笔收款：{series}{number:08d}（" in holds
    assert f"住户：{households + 1} 户" in replaces
    assert f"{series}{number:08d}" in replaces


def backups_stamp(name: str) -> str:
    """frontdesk-20261126-013000-manual.sqlite -> 2026-11-26 01:30:00"""
    day, clock_time = name.split("-")[1:3]
    return f"{day[:4]}-{day[4:6]}-{day[6:]} {clock_time[:2]}:{clock_time[2:4]}:{clock_time[4:]}"
