"""No file the program writes holds a clear ID number or phone: a new demo file's
bytes (and its WAL) hold none of its numbers, and `export-households` without the
key refuses in Chinese instead of writing 「（已加密）」 or clear values."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.db.models import Person, Renovation, RenovationWorker, Visit, VisitBooking
from frontdesk.services.database import opened
from tests.cheap_hashing import FRONTDESK_COMMAND


def _demo(path: Path) -> None:
    result = subprocess.run(
        [*FRONTDESK_COMMAND, "demo", str(path), "--households", "40"],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def new_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A demo file as `frontdesk demo` leaves it, and its bytes before anything opens it."""
    path = tmp_path_factory.mktemp("phones") / "demo.sqlite"
    _demo(path)
    files = [p for p in path.parent.glob(path.name + "*") if p.is_file()]
    return path, b"".join(p.read_bytes() for p in files)


def _numbers(path: Path) -> dict[str, set[str]]:
    """Every ID number and phone of the demo, read whole with its key."""
    columns = {
        "证件号码": [Person.id_number],
        "电话": [
            Person.phone,
            Visit.visitor_phone,
            VisitBooking.visitor_phone,
            Renovation.applicant_phone,
            Renovation.contractor_phone,
            RenovationWorker.phone,
        ],
    }
    found: dict[str, set[str]] = {}
    with opened(path) as db, db.read() as session:
        for label, wanted in columns.items():
            for column in wanted:
                found.setdefault(label, set()).update(
                    session.scalars(select(column).where(column != ""))
                )
    return found


def test_a_new_demo_file_holds_no_clear_id_number_or_phone(new_demo) -> None:
    path, data = new_demo
    numbers = _numbers(path)
    assert len(numbers["证件号码"]) > 20 and len(numbers["电话"]) > 100
    for label, values in numbers.items():
        clear = sorted(v for v in values if v.encode() in data)
        assert clear == [], f"{label} in the clear: {clear[:5]}"


def test_export_households_without_the_key_refuses(new_demo, tmp_path: Path) -> None:
    path, _ = new_demo
    out = tmp_path / "名册.xlsx"
    env = {k: v for k, v in os.environ.items() if k != "FRONTDESK_PASSPHRASE"}
    result = subprocess.run(
        [*FRONTDESK_COMMAND, "export-households", str(out), "--db", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env=dict(env, FRONTDESK_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen"),
    )
    # Refused at the sign-in already: it is audited, and the log is signed with the key.
    assert result.returncode == 1
    assert result.stderr.startswith("错误：审计日志须用本数据库的密钥签名，本机还没有打开")
    assert result.stdout == ""
    assert not out.exists()
