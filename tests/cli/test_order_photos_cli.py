"""`frontdesk ticket photo GD… FILE…` adds photos to an order, `ticket photos` lists
them and copies one out, `ticket add --photo` takes them at intake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run, copy_of

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


@pytest.fixture
def desk_db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite"
    path = copy_of(demo_db, path)
    return path


def test_photos_from_the_command_line(frontdesk: Run, desk_db: Path, tmp_path: Path) -> None:
    db = ("--db", str(desk_db))
    tap, after = tmp_path / "tap.jpg", tmp_path / "after.jpg"
    tap.write_bytes(JPEG + b"tap")
    after.write_bytes(JPEG + b"after")
    added = frontdesk(
        *("ticket", "add", "--kind", "户内报修", "--category", "水电"),
        *("--description", "厨房水龙头漏水", "--room", "1-1-101", "--photo", str(tap), "--json"),
        *db,
    )
    assert added.returncode == 0, added.stderr
    number = json.loads(added.stdout)["number"]
    result = frontdesk("ticket", "photo", number, str(after), *db)
    assert result.returncode == 0 and "已添加完工照片：after.jpg" in result.stdout
    listed = frontdesk("ticket", "photos", number, *db).stdout.splitlines()
    assert [line.split()[:3] for line in listed] == [
        ["1.", "受理", "tap.jpg"],
        ["2.", "完工", "after.jpg"],
    ]
    out = tmp_path / "copy.jpg"
    copied = frontdesk("ticket", "photos", number, "--open", "2", "--out", str(out), *db)
    assert copied.returncode == 0 and out.read_bytes() == after.read_bytes()
    text = tmp_path / "notes.jpg"
    text.write_text("not a photo")
    refused = frontdesk("ticket", "photo", number, str(text), *db)
    assert refused.returncode == 1 and "不是 JPG 或 PNG 图片" in refused.stderr
