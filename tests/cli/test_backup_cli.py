"""`frontdesk backup`, `backup --list`, `restore` and `check` as an administrator runs them."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from tests.cli.conftest import Run


def _copy_demo(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "office" / "frontdesk.sqlite"
    path.parent.mkdir()
    shutil.copy(demo_db, path)
    files = demo_db.with_name(f"{demo_db.stem}-files")
    if files.is_dir():
        shutil.copytree(files, path.with_name("frontdesk-files"))
    return path


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

    with closing(sqlite3.connect(db)) as raw:
        raw.execute("UPDATE community SET name = '改过的名字'")
        raw.commit()
    refused = frontdesk("restore", str(backup), "--db", str(db))  # no terminal: no consent
    assert refused.returncode == 1 and "已取消" in refused.stdout

    restored = frontdesk("restore", str(backup), "--db", str(db), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "恢复前的数据库另存为" in restored.stdout
    aside = next((db.parent / "backups").glob("frontdesk-*-before-restore.sqlite"))
    assert str(aside) in restored.stdout
    with closing(sqlite3.connect(db)) as raw:
        assert raw.execute("SELECT name FROM community").fetchone()[0] != "改过的名字"
    with closing(sqlite3.connect(aside)) as raw:
        assert raw.execute("SELECT name FROM community").fetchone()[0] == "改过的名字"

    checked = frontdesk("check", "--db", str(db))
    assert checked.returncode == 0, checked.stderr
    assert "收据和退款凭证号连续" in checked.stdout


def test_check_fails_on_a_missing_receipt(frontdesk: Run, demo_db: Path, tmp_path: Path) -> None:
    db = _copy_demo(demo_db, tmp_path)
    with closing(sqlite3.connect(db)) as raw:
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("DROP TRIGGER receipt_no_delete")
        raw.execute(
            "DELETE FROM receipt_print WHERE receipt_id = "
            "(SELECT id FROM receipt WHERE series = 'SJ' AND number = 5)"
        )
        raw.execute("DELETE FROM receipt WHERE series = 'SJ' AND number = 5")
        raw.commit()
    checked = frontdesk("check", "--db", str(db))
    assert checked.returncode == 1
    assert "收据 SJ00000005 缺失" in checked.stderr
    assert "触发器 receipt_no_delete" in checked.stderr


def test_restore_refuses_a_damaged_file_by_name(frontdesk: Run, tmp_path: Path) -> None:
    bad = tmp_path / "frontdesk-20261125-220000-daily.sqlite"
    bad.write_text("这不是数据库")
    result = frontdesk("restore", str(bad), "--db", str(tmp_path / "x.sqlite"), "--yes")
    assert result.returncode == 1
    assert bad.name in result.stderr and "不是物业前台数据库" in result.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_second_folder_setting(frontdesk: Run, staffed_db: Path, tmp_path: Path) -> None:
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
