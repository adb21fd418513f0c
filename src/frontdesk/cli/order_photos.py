"""Photos of a work order from the command line: `frontdesk ticket photo GD… FILE…
[--intake]` adds them (the worker's after the repair unless --intake), `ticket photos
GD…` lists them, `ticket photos GD… --open N --out F` copies one out (audited)."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli.args import DB_HELP, location_arg
from frontdesk.domain.order_photos import PhotoStage
from frontdesk.errors import UserError

if TYPE_CHECKING:
    from frontdesk.domain.roles import Actor
    from frontdesk.services.database import Database

ACTIONS = ("photo", "photos")


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def add_actions(actions: Any) -> None:
    photo = actions.add_parser("photo", help="给工单添加照片（JPG、PNG；默认为完工照片）")
    photo.add_argument("number", help="工单编号，如 GD-2612-0001")
    photo.add_argument("files", type=Path, nargs="+", help="照片文件")
    photo.add_argument("--intake", action="store_true", help="记为受理时的照片")
    _db(photo)
    photos = actions.add_parser("photos", help="列出工单的照片，或用 --open N --out F 取出一张")
    photos.add_argument("number", help="工单编号")
    photos.add_argument("--open", type=int, metavar="N", help="第 N 张（从 1 起）")
    photos.add_argument("--out", type=Path, help="取出的照片保存为")
    _db(photos)


def run(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    from frontdesk.domain.clock import local_time
    from frontdesk.services import service_desk as desk

    order = desk.find_number(db, actor, args.number)
    if args.action == "photo":
        stage = PhotoStage.INTAKE if args.intake else PhotoStage.WORK
        for source in args.files:
            desk.attach_photo(db, actor, order, source, stage)
            print(f"已添加{stage.label}照片：{source.name}")
        return 0
    photos = desk.list_photos(db, actor, order)
    if args.open is None:
        if not photos:
            print("该工单没有照片。")
        for index, p in enumerate(photos, 1):
            print(
                f"{index}. {p.stage.label} {p.filename} {p.size // 1024} KB "
                f"{local_time(p.added_at, seconds=False)}（{p.added_by}）"
            )
        return 0
    if not 1 <= args.open <= len(photos) or args.out is None:
        raise UserError(f"请用 --open 1–{len(photos)} 选一张，并用 --out 指定保存位置。")
    shutil.copyfile(desk.open_photo(db, actor, photos[args.open - 1].id), args.out)
    print(f"已保存到 {args.out}")
    return 0
