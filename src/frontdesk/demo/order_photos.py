"""The demo's work-order photos and workers' visits: a few repairs photographed at
intake and after the work, a public-area order's photo, and repair workers signed in
at the gate for the open repairs they came for, so an order's full view has
something to show.

It runs after `build_demo` (as the notices do), from the demo layer because the
photos are drawn with Pillow here; the services only store them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from frontdesk.demo import DEMO_PASSWORD
from frontdesk.documents.base import FONT_FILE
from frontdesk.domain.order_photos import PhotoStage
from frontdesk.domain.service_desk import Kind, Status
from frontdesk.domain.visitors import Confirmation, Purpose
from frontdesk.paths import resource
from frontdesk.services import service_desk, users, visitors
from frontdesk.services.database import Database
from frontdesk.services.service_desk import OrderRow

# (background, what the photo shows) for each kind of photo
BEFORE = ((96, 110, 124), "维修前")
AFTER = ((88, 140, 96), "维修后")
PUBLIC = ((120, 104, 80), "现场")


def draw_photo(path: Path, colour: tuple[int, int, int], caption: str, seed: int) -> Path:
    """A 640×480 JPEG standing in for a phone's photo: a wall, a pipe, a caption."""
    image = Image.new("RGB", (640, 480), colour)
    draw = ImageDraw.Draw(image)
    shade = tuple(min(255, c + 40) for c in colour)
    for row in range(0, 480, 60):  # tiles
        offset = (seed * 37 + row) % 80
        for column in range(-80 + offset, 640, 80):
            draw.rectangle((column + 2, row + 2, column + 78, row + 58), outline=shade, width=2)
    draw.rectangle((260 + seed % 60, 0, 300 + seed % 60, 330), fill=(200, 200, 205))  # pipe
    draw.ellipse((230 + seed % 60, 300, 330 + seed % 60, 380), fill=(170, 175, 180))
    font = ImageFont.truetype(str(resource(*FONT_FILE)), 40)
    draw.rectangle((0, 400, 640, 480), fill=(0, 0, 0))
    draw.text((24, 416), caption, fill=(255, 255, 255), font=font)
    image.save(path, "JPEG", quality=80)
    return path


def add_demo_order_photos(db: Database) -> int:
    """Photograph a few demo repairs and sign their workers in; returns the photos added."""
    clerk = users.login(db, "qiantai", DEMO_PASSWORD)
    rows = service_desk.list_orders(db, clerk, limit=400)
    home = [r for r in rows if r.kind == Kind.REPAIR_HOME and r.room_id is not None]
    public = [r for r in rows if r.kind == Kind.REPAIR_PUBLIC][:2]
    open_home = [r for r in home if r.status in (Status.DISPATCHED, Status.ARRIVED)][:3]
    done_home = [r for r in home if r.status in (Status.FINISHED, Status.CLOSED)][:4]
    added = 0
    with tempfile.TemporaryDirectory(prefix="frontdesk-demo-photos-") as folder:
        made = 0

        def photo(row: OrderRow, look: tuple[tuple[int, int, int], str]) -> Path:
            nonlocal made
            made += 1
            caption = f"{row.number} {row.category} {look[1]}"
            return draw_photo(Path(folder) / f"IMG_{made:04d}.jpg", look[0], caption, made)

        for row in open_home + done_home:
            service_desk.attach_photo(db, clerk, row.id, photo(row, BEFORE), PhotoStage.INTAKE)
            added += 1
        for row in done_home:
            service_desk.attach_photo(db, clerk, row.id, photo(row, AFTER), PhotoStage.WORK)
            added += 1
        for row in public:
            service_desk.attach_photo(db, clerk, row.id, photo(row, PUBLIC), PhotoStage.INTAKE)
            added += 1
    for index, row in enumerate(open_home):
        if row.room_id is None:  # an in-home repair always has its room
            continue
        visitors.register_visit(
            db,
            clerk,
            visitors.VisitInput(
                room_id=row.room_id,
                visitor_name=row.staff or "维修师傅",
                visitor_phone=f"1390000{index:04d}",
                purpose=Purpose.REPAIR,
                confirmation=Confirmation.ESCORTED,
                note=f"工单 {row.number}",
                work_order_id=row.id,
            ),
        )
    return added
