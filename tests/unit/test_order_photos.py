"""Photos of a work order: checked (JPEG or PNG, the size limit, at most nine),
saved with the order in one transaction, kept in the attachments store (backed up,
checked, not unlinked while a row names them), opened with their bytes checked and
audited, and erased with the caller's data; the full view's facts (photos, repeats,
hand-ons, visits) and the visitor register's link to an order."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from frontdesk.db.file_store import sha256_of_file
from frontdesk.db.models import AuditEntry, WorkOrder, WorkOrderPhoto
from frontdesk.domain.order_photos import MAX_PHOTO_BYTES, MAX_PHOTOS, PhotoStage
from frontdesk.domain.roles import Actor
from frontdesk.domain.service_desk import Channel, Kind, Step, Team, Urgency
from frontdesk.domain.visitors import Purpose
from frontdesk.errors import EnvironmentProblem, UserError, ValidationError
from frontdesk.services import service_desk as desk
from frontdesk.services import visitors
from frontdesk.services.database import Database
from frontdesk.services.households import attachments, structure
from frontdesk.services.personal.erase import erase_person
from frontdesk.services.personal.export import export_person
from frontdesk.services.personal.rights import find_person
from frontdesk.services.protection.backup_rotation import referenced_files
from frontdesk.services.protection.checks import check_database
from frontdesk.services.service_desk import OrderInput, PhotoRow
from tests.stored_files import attachment_kept, tamper_attachment

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.fixture
def photo(tmp_path: Path) -> Callable[..., Path]:
    """A file named `name` starting as a JPEG (or `head`), its bytes told apart by `tag`."""

    def make(name: str = "tap.jpg", tag: str = "", head: bytes = JPEG) -> Path:
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(head + (tag or name).encode())
        return path

    return make


@pytest.fixture
def rooms(db: Database, admin: Actor) -> tuple[int, int, int]:
    """1-1-101, 1-1-102 and building 1's id."""
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    return (
        structure.find_room_id(db, admin, "1-1-101"),
        structure.find_room_id(db, admin, "1-1-102"),
        building.id,
    )


def leak(db: Database, room: int | None, *photos: Path, **changes: object) -> OrderInput:
    values: dict[str, object] = {
        "kind": Kind.REPAIR_HOME,
        "channel": Channel.PHONE,
        "category_id": desk.category_id(db, "水电"),
        "description": "厨房水龙头漏水",
        "urgency": Urgency.URGENT,
        "room_id": room,
        "caller_name": "张三",
        "caller_phone": "13812345678",
        "photos": photos,
    }
    values.update(changes)
    return OrderInput(**values)  # type: ignore[arg-type]


def orders_held(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(WorkOrder)) or 0


def test_photos_taken_at_intake_are_saved_with_the_order(
    db: Database, admin: Actor, rooms: tuple[int, int, int], photo: Callable[..., Path]
) -> None:
    first, second = photo("a.jpg"), photo("b.png", head=PNG)
    order = desk.take_order(db, admin, leak(db, rooms[0], first, second)).order_id
    listed = desk.list_photos(db, admin, order)
    assert [(p.filename, p.stage) for p in listed] == [
        ("a.jpg", PhotoStage.INTAKE),
        ("b.png", PhotoStage.INTAKE),
    ]
    assert [p.stored(db).read_bytes() for p in listed] == [first.read_bytes(), second.read_bytes()]
    assert listed[0].added_by == "管理员"
    with db.read() as session:
        logged = session.scalars(
            select(AuditEntry.room_id).where(AuditEntry.entity == "work_order_photo")
        ).all()
    assert logged == [rooms[0], rooms[0]]  # each row on record, in the household's log


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda photo: photo("notes.jpg", head=b"just text"), "不是 JPG 或 PNG"),
        (lambda photo: photo("gone.jpg").with_name("missing.jpg"), "找不到文件"),
    ],
)
def test_a_bad_photo_refuses_the_whole_order(
    db: Database,
    admin: Actor,
    rooms: tuple[int, int, int],
    photo: Callable[..., Path],
    make: Callable[[Callable[..., Path]], Path],
    problem: str,
) -> None:
    good = photo("good.jpg")
    with pytest.raises(ValidationError, match=problem) as refused:
        desk.take_order(db, admin, leak(db, rooms[0], good, make(photo)))
    assert refused.value.field == "照片"
    assert orders_held(db) == 0
    assert not attachment_kept(db, sha256_of_file(good))


def test_a_photo_over_the_limit_is_refused(
    db: Database, admin: Actor, rooms: tuple[int, int, int], photo: Callable[..., Path]
) -> None:
    big = photo("big.jpg")
    with big.open("r+b") as handle:
        handle.truncate(MAX_PHOTO_BYTES + 1)
    with pytest.raises(ValidationError, match="超过 10 MB"):
        desk.take_order(db, admin, leak(db, rooms[0], big))
    assert orders_held(db) == 0


def test_an_order_keeps_at_most_nine_photos(
    db: Database, admin: Actor, rooms: tuple[int, int, int], photo: Callable[..., Path]
) -> None:
    many = [photo(f"p{i}.jpg") for i in range(MAX_PHOTOS + 1)]
    with pytest.raises(ValidationError, match="最多 9 张"):
        desk.take_order(db, admin, leak(db, rooms[0], *many))
    assert orders_held(db) == 0
    order = desk.take_order(db, admin, leak(db, rooms[0], *many[:MAX_PHOTOS])).order_id
    with pytest.raises(ValidationError, match="已有 9 张"):
        desk.attach_photo(db, admin, order, many[-1])
    assert len(desk.list_photos(db, admin, order)) == MAX_PHOTOS


def test_a_public_place_orders_photos_have_no_room(
    db: Database, admin: Actor, rooms: tuple[int, int, int], photo: Callable[..., Path]
) -> None:
    data = leak(
        db,
        None,
        photo("lamp.jpg"),
        kind=Kind.REPAIR_PUBLIC,
        category_id=desk.category_id(db, "公区照明"),
        place_building_id=rooms[2],
        place="3 楼楼梯间",
        description="楼道灯不亮",
    )
    order = desk.take_order(db, admin, data).order_id
    desk.attach_photo(db, admin, order, photo("fixed.jpg"))
    with db.read() as session:
        kept = session.execute(
            select(WorkOrderPhoto.room_id, WorkOrderPhoto.stage).order_by(WorkOrderPhoto.id)
        ).all()
    assert kept == [(None, PhotoStage.INTAKE), (None, PhotoStage.WORK)]


def test_opening_a_photo_checks_its_bytes_and_is_audited(
    db: Database, admin: Actor, rooms: tuple[int, int, int], photo: Callable[..., Path]
) -> None:
    taken = desk.take_order(db, admin, leak(db, rooms[0], photo()))
    (row,) = desk.list_photos(db, admin, taken.order_id)
    path = desk.open_photo(db, admin, row.id)
    assert path.read_bytes() == photo().read_bytes()
    with db.read() as session:
        summaries = session.scalars(
            select(AuditEntry.summary).where(AuditEntry.action == "reveal")
        ).all()
    assert summaries == [f"打开工单 {taken.number} 的照片「tap.jpg」"]
    tamper_attachment(db, row.sha256, JPEG + b"changed")
    with pytest.raises(EnvironmentProblem, match="已被改动"):
        desk.open_photo(db, admin, row.id)
    assert any("tap.jpg" in p for p in check_database(db).problems)


def _photo_named_by_a_row_after_its_scan_is_removed(
    db: Database, admin: Actor, room: int, shared: Path
) -> PhotoRow:
    scan = attachments.add_attachment(db, admin, room, shared, "其他", "同一张照片")
    order = desk.take_order(db, admin, leak(db, room, shared)).order_id
    attachments.remove_attachment(db, admin, scan)
    (row,) = desk.list_photos(db, admin, order)
    return row


def test_the_store_keeps_a_photo_a_row_names(
    db: Database, admin: Actor, rooms: tuple[int, int, int], photo: Callable[..., Path]
) -> None:
    """The scan with the same bytes removed, the photo's file stays: in the folder or the
    server's table (which a server backup, a pg_dump, carries whole)."""
    row = _photo_named_by_a_row_after_its_scan_is_removed(db, admin, rooms[0], photo("deed.jpg"))
    assert attachment_kept(db, row.sha256)
    stored = row.stored(db)
    assert stored is not None and stored.read_bytes() == photo("deed.jpg").read_bytes()


@pytest.mark.sqlite_only  # a file backup copies the files a database file's rows name
def test_a_file_backup_copies_a_photo_a_row_names(
    db: Database, admin: Actor, rooms: tuple[int, int, int], photo: Callable[..., Path]
) -> None:
    row = _photo_named_by_a_row_after_its_scan_is_removed(db, admin, rooms[0], photo("deed.jpg"))
    with sqlite3.connect(db.engine.url.database or "") as connection:
        needed = referenced_files(connection)
    assert f"attachments/{row.sha256[:2]}/{row.sha256}" in needed  # backups copy it


def test_erasing_the_caller_erases_the_orders_photos(
    db: Database,
    admin: Actor,
    rooms: tuple[int, int, int],
    photo: Callable[..., Path],
    tmp_path: Path,
) -> None:
    mine, shared = photo("mine.jpg"), photo("shared.jpg")
    order = desk.take_order(db, admin, leak(db, rooms[0], mine, shared)).order_id
    other = desk.take_order(
        db, admin, leak(db, rooms[1], shared, caller_name="李四", caller_phone="13900002222")
    ).order_id
    (ref,) = find_person(db, admin, name="张三", phone="13812345678")
    assert not ref.erasable  # open: the desk still calls back
    export_person(db, admin, [ref], tmp_path / "copy.xlsx")
    rows = list(load_workbook(tmp_path / "copy.xlsx")["工单联系人"].iter_rows(values_only=True))
    assert rows[0][-1] == "照片" and rows[1][-1] == "mine.jpg、shared.jpg"
    stored = {p.filename: p.stored(db) for p in desk.list_photos(db, admin, order)}
    desk.dispatch(db, admin, order, team=Team.ENGINEERING)
    desk.arrive(db, admin, order)
    desk.finish(db, admin, order, "已修好")
    desk.close(db, admin, order, "业主不需回访")
    (ref,) = find_person(db, admin, name="张三", phone="13812345678")
    assert ref.erasable and "工单照片" in ref.reason
    erase_person(db, admin, [ref], "本人申请")
    assert desk.list_photos(db, admin, order) == []
    assert not stored["mine.jpg"].exists()  # the file, or on a server this PC's copy
    assert not attachment_kept(db, sha256_of_file(mine))
    assert stored["shared.jpg"].exists()  # the other order's photo keeps the file
    assert attachment_kept(db, sha256_of_file(shared))
    assert [p.filename for p in desk.list_photos(db, admin, other)] == ["shared.jpg"]


def test_the_full_view_facts(
    db: Database, admin: Actor, rooms: tuple[int, int, int], photo: Callable[..., Path]
) -> None:
    earlier = desk.take_order(db, admin, leak(db, rooms[0])).order_id
    order = desk.take_order(db, admin, leak(db, rooms[0], photo(), description="又漏了")).order_id
    plumber = desk.save_staff(db, admin, desk.StaffInput("王师傅", Team.ENGINEERING))
    mason = desk.save_staff(db, admin, desk.StaffInput("赵师傅", Team.ENGINEERING))
    desk.dispatch(db, admin, order, staff_id=plumber)
    desk.transfer(db, admin, order, "王师傅请假", staff_id=mason)
    visit = visitors.register_visit(
        db,
        admin,
        visitors.VisitInput(
            room_id=rooms[0],
            visitor_name="赵师傅",
            visitor_phone="13900003333",
            purpose=Purpose.REPAIR,
            confirmed_by="业主 张三",
            work_order_id=order,
        ),
    )
    desk.attach_photo(db, admin, order, photo("after.jpg"))
    facts = desk.order_facts(db, admin, order)
    assert [(e.step, e.done_by, e.staff, e.note) for e in facts.events] == [
        (Step.TAKE, "管理员", "", ""),
        (Step.DISPATCH, "管理员", "王师傅", ""),
        (Step.TRANSFER, "管理员", "赵师傅", "王师傅请假"),
    ]
    assert [(p.filename, p.stage) for p in facts.photos] == [
        ("tap.jpg", PhotoStage.INTAKE),
        ("after.jpg", PhotoStage.WORK),
    ]
    assert [r.order_id for r in facts.repeats] == [earlier]
    assert [(v.number, v.name) for v in facts.visits] == [(visit.number, "赵师傅")]
    assert visit.work_order == facts.row.number
    assert visitors.get_visit(db, admin, visit.id).work_order == facts.row.number
    assert facts.caller_phone == "13812345678"  # the administrator may see it whole


def test_a_repair_visit_names_an_open_order_of_its_room(
    db: Database, admin: Actor, rooms: tuple[int, int, int]
) -> None:
    taken = desk.take_order(db, admin, leak(db, rooms[0]))
    mine = taken.order_id
    other = desk.take_order(
        db, admin, leak(db, rooms[1], caller_name="李四", caller_phone="13900002222")
    )
    theirs = other.order_id
    (found,) = visitors.room_open_orders(db, admin, rooms[0])
    assert found.id == mine and found.text == f"{taken.number} 水电：厨房水龙头漏水"
    assert visitors.order_by_number(db, admin, f" {other.number.lower()}").id == theirs

    def register(order: int, purpose: Purpose = Purpose.REPAIR) -> visitors.VisitRow:
        return visitors.register_visit(
            db,
            admin,
            visitors.VisitInput(
                room_id=rooms[0],
                visitor_name="王师傅",
                visitor_phone="13900001111",
                purpose=purpose,
                confirmed_by="业主 张三",
                work_order_id=order,
            ),
        )

    with pytest.raises(ValidationError, match="是 1-1-102 的，不是到访的这一户"):
        register(theirs)
    with pytest.raises(ValidationError, match="只有来访事由为“维修”"):
        register(mine, Purpose.FAMILY)
    desk.dispatch(db, admin, mine, team=Team.ENGINEERING)
    desk.arrive(db, admin, mine)
    desk.finish(db, admin, mine, "已修好")
    desk.close(db, admin, mine, "业主不需回访")
    with pytest.raises(ValidationError, match="已关闭"):
        register(mine)
    with pytest.raises(UserError, match="未关闭工单"):
        visitors.order_by_number(db, admin, taken.number)
    plain = visitors.register_visit(
        db,
        admin,
        visitors.VisitInput(
            room_id=rooms[0],
            visitor_name="王师傅",
            visitor_phone="13900001111",
            purpose=Purpose.REPAIR,
            confirmed_by="业主 张三",
        ),
    )
    assert plain.work_order == ""
    with pytest.raises(ValidationError, match="不是到访的这一户"):
        visitors.link_visit_order(db, admin, plain.id, theirs)
    again = desk.take_order(db, admin, leak(db, rooms[0], description="又漏了"))
    visitors.link_visit_order(db, admin, plain.id, again.order_id)
    assert visitors.get_visit(db, admin, plain.id).work_order == again.number
