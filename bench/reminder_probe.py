"""催缴通知 probe: time 5,000 notices in one PDF and write sample sheets to look at.

    .venv/bin/python bench/reminder_probe.py [--count 5000] [--png /tmp/reminder_png]

Prints seconds and pages per second for one-per-page and two-per-page; with --png
also renders one notice of each level (one per page) and a two-per-page sheet with
pdftoppm (poppler-utils) at 80 dpi.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import time
from pathlib import Path

from frontdesk.documents.base import Letterhead
from frontdesk.documents.reminder import (
    DEFAULT_WORDING,
    ReminderLine,
    ReminderNotice,
    reminders_pdf,
)
from frontdesk.domain.money import format_yuan, to_words

HEAD = Letterhead(
    "锦绣华庭", "杭州锦绣物业服务有限公司", "杭州市西湖区幸福路 8 号", "0571-88886666"
)
OWNERS = ("张三", "李四", "王小红", "赵建国", "欧阳明月", "陈")
MONTHS = [f"{2025 + (m - 1) // 12}年{(m - 1) % 12 + 1}月" for m in range(1, 37)]


def sample_notice(serial: int, level: int, items: int = 3, late_fee_fen: int = 0) -> ReminderNotice:
    building, unit, floor = serial % 12 + 1, serial % 3 + 1, serial % 30 + 1
    room = f"{building}-{unit}-{floor:02d}01"
    owner = OWNERS[serial % len(OWNERS)]
    names = ("物业服务费", "公共能耗分摊", "垃圾清运费", "车位管理费", "水费（代收）")
    lines = tuple(
        ReminderLine(
            names[index % len(names)],
            f"{MONTHS[index % 12 * 3]}至{MONTHS[index % 12 * 3 + 2]}",
            59070 + 1234 * index + serial % 97,
        )
        for index in range(items)
    )
    total = sum(line.amount_fen for line in lines)
    wording = DEFAULT_WORDING[level]
    deadline = "2026年12月10日" if level >= 2 else ""
    fill = {
        "owner": owner,
        "room": room,
        "total": format_yuan(total),
        "oldest": lines[0].periods.split("至")[0] if lines else "",
        "deadline": deadline,
        "phone": HEAD.service_phone,
        "address": HEAD.address,
    }
    return ReminderNotice(
        level=level,
        number=f"CJ-2026-{serial:06d}",
        addressee=f"{building}栋{unit}单元{floor:02d}01室 {owner} 业主",
        room=room,
        lines=lines,
        total_fen=total,
        total_words=to_words(total),
        late_fee_fen=late_fee_fen,
        oldest_period=fill["oldest"],
        deadline=deadline,
        issued_on="2026年11月25日",
        title=wording.title,
        body=wording.body.format(**fill),
        closing=wording.closing.format(**fill),
    )


def batch(count: int) -> list[ReminderNotice]:
    return [
        sample_notice(n, n % 3 + 1, items=1 + n % 6, late_fee_fen=(n % 4) * 150)
        for n in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--png", type=Path)
    args = parser.parse_args()
    notices = batch(args.count)
    for two in (False, True):
        started = time.perf_counter()
        pdf = reminders_pdf(HEAD, notices, two)
        seconds = time.perf_counter() - started
        pages = (len(notices) + 1) // 2 if two else len(notices)
        print(
            f"{len(notices)} notices, two_per_page={two}: {seconds:.2f} s, "
            f"{pages / seconds:.0f} pages/s, {len(pdf) / 1e6:.1f} MB"
        )
    if args.png:
        render_samples(args.png)


def render_samples(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    singles = [
        sample_notice(1, 1, items=2),
        sample_notice(2, 2, items=4, late_fee_fen=2350),
        sample_notice(3, 3, items=20, late_fee_fen=12800),
    ]
    sheets = {
        "levels": reminders_pdf(HEAD, singles, False),
        "half": reminders_pdf(
            HEAD,
            [sample_notice(4, 2, items=3, late_fee_fen=500), sample_notice(5, 3, items=14)],
            True,
        ),
        "half_gentle": reminders_pdf(
            HEAD, [sample_notice(6, 1, items=1), sample_notice(7, 1, items=9)], True
        ),
    }
    for name, pdf in sheets.items():
        path = folder / f"{name}.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(path), str(folder / name)], check=True)
    for png in sorted(folder.glob("*.png")):
        print(png)


if __name__ == "__main__":
    main()
