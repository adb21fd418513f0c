"""`frontdesk key` on a PC without a keyring (the child processes here have none):
the demo's key is kept under its passphrase; the recovery code sheet opens the
database after the passphrase is forgotten; a whole ID number finds its household."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from frontdesk.services.database import open_at
from frontdesk.services.protection import data_key
from tests.cheap_hashing import FRONTDESK_COMMAND
from tests.cli.database_rows import one


def run(
    home: Path, *args: str, passphrase: str | None = "demo1234", stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, FRONTDESK_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env.pop("FRONTDESK_PASSPHRASE", None)
    if passphrase is not None:
        env["FRONTDESK_PASSPHRASE"] = passphrase
    return subprocess.run(
        [*FRONTDESK_COMMAND, *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keydemo") / "demo.sqlite"
    result = run(path.parent, "demo", str(path), "--households", "60", "--seed", "5")
    assert result.returncode == 0, result.stderr
    return path


def test_status_says_where_the_key_is_kept(demo: Path, tmp_path: Path) -> None:
    result = run(tmp_path, "key", "status", "--db", str(demo))
    assert result.returncode == 0, result.stderr
    assert "本机安全存储（Windows 凭据管理器）：没有" in result.stdout
    assert "口令保护：已设置" in result.stdout
    assert "恢复码：尚未打印" in result.stdout
    assert "本机现在能读出证件号码" in result.stdout
    locked = run(tmp_path, "key", "status", "--db", str(demo), passphrase=None)
    assert "本机现在不能读出证件号码" in locked.stdout


def test_a_wrong_passphrase_is_refused_by_name(demo: Path, tmp_path: Path) -> None:
    result = run(tmp_path, "key", "status", "--db", str(demo), passphrase="not-the-one")
    assert result.returncode == 1
    assert "口令不正确" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_recovery_sheet_opens_the_database_with_a_new_passphrase(
    demo: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "moved.sqlite"
    copy.write_bytes(demo.read_bytes())
    sheet = tmp_path / "code.pdf"
    made = run(tmp_path, "key", "recovery-code", "--db", str(copy), "--out", str(sheet))
    assert made.returncode == 0, made.stderr
    text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
    code = "-".join(re.findall(r"\b[A-Z2-7]{4}\b", text)[:14])
    # Printed by the signed-in administrator (tests/cli/conftest.py), not by 系统.
    assert one(copy, "SELECT recovery_exported_by FROM data_key") == "admin"

    # The passphrase is forgotten: the code, then a new passphrase typed twice.
    recovered = run(
        tmp_path,
        "key",
        "recover",
        "--db",
        str(copy),
        "--code",
        code,
        passphrase=None,
        stdin="fresh-pass-1\nfresh-pass-1\n",
    )
    assert recovered.returncode == 0, recovered.stderr
    assert "恢复码正确" in recovered.stdout
    now = run(tmp_path, "key", "status", "--db", str(copy), passphrase="fresh-pass-1")
    assert "本机现在能读出证件号码" in now.stdout


def test_a_mistyped_code_is_named(demo: Path, tmp_path: Path) -> None:
    result = run(
        tmp_path, "key", "recover", "--db", str(demo), "--code", "ABCD-EFGH", passphrase=None
    )
    assert result.returncode == 1
    assert "恢复码：应为 56 个字母和数字" in result.stderr


def test_find_by_a_whole_id_number(demo: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FRONTDESK_PASSPHRASE", "demo1234")
    db = open_at(demo)
    try:
        assert data_key.state(db) == data_key.KeyState.READY
        with db.read() as session:
            from sqlalchemy import select

            from frontdesk.db.models import Person

            person = session.scalars(select(Person).where(Person.id_number != "")).first()
            assert person is not None
            number, name = person.id_number, person.name
    finally:
        db.dispose()
    result = run(tmp_path, "find", number, "--db", str(demo))
    assert result.returncode == 0, result.stderr
    assert name in result.stdout and "证件号码" in result.stdout
    assert number not in result.stdout  # shown masked
