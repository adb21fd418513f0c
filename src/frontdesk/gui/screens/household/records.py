"""The five lists of a household file: their columns and dialogs."""

from __future__ import annotations

from datetime import date

from frontdesk.domain import clock
from frontdesk.domain.household import PersonKind
from frontdesk.gui.screens.household.dates import date_text
from frontdesk.gui.screens.household.dialogs import (
    CareDialog,
    ParkingDialog,
    PersonDialog,
    PetDialog,
    VehicleDialog,
)
from frontdesk.gui.screens.household.leave_dialog import LeaveDialog
from frontdesk.gui.screens.household.record_list import RecordKind
from frontdesk.services.households.file import (
    CareInput,
    CareRow,
    ParkingInput,
    ParkingRow,
    PersonInput,
    PersonRow,
    PetInput,
    PetRow,
    VehicleInput,
    VehicleRow,
)


def person_remarks(person: PersonRow) -> str:
    """When they left, share for owners, lease for tenants, whether they live here, the note."""
    parts = []
    if person.left_on is not None:
        reason = person.left_reason
        reason = f"（{reason}）" if reason and reason != "迁出" else ""
        parts.append(f"{date_text(person.left_on)} 已迁出{reason}")
    if person.kind == PersonKind.OWNER and person.share:
        parts.append(f"份额 {person.share}")
    if person.kind == PersonKind.TENANT and (person.lease_start or person.lease_end):
        parts.append(f"租期 {date_text(person.lease_start)} 至 {date_text(person.lease_end)}")
    if person.kind != PersonKind.EMERGENCY and not person.lives_here and person.current:
        parts.append("不在此居住")
    if person.note:
        parts.append(person.note)
    return "；".join(parts)


def next_visit_text(care: CareRow, today: date) -> str:
    due = care.next_visit_on(today)
    return f"{date_text(due)}（已到期）" if due <= today else date_text(due)


PEOPLE: RecordKind[PersonRow] = RecordKind(
    noun="成员",
    counter="人",
    record=PersonInput,
    columns=(
        ("类别", lambda p: p.kind.label),
        ("姓名", lambda p: p.name),
        ("关系", lambda p: p.relation.label if p.relation else ""),
        ("性别", lambda p: p.gender),
        ("证件号码", lambda p: p.id_number),
        ("电话", lambda p: p.phone),
        ("说明", person_remarks),
    ),
    rows=lambda file: file.people,
    dialog=PersonDialog,
    name=lambda p: p.name,
    former=lambda file: file.former,
    leave=LeaveDialog,
)

VEHICLES: RecordKind[VehicleRow] = RecordKind(
    noun="车辆",
    counter="辆",
    record=VehicleInput,
    columns=(
        ("车牌号", lambda v: v.plate),
        ("品牌型号", lambda v: v.model),
        ("颜色", lambda v: v.colour),
        ("车位", lambda v: v.parking_space),
        ("备注", lambda v: v.note),
    ),
    rows=lambda file: file.vehicles,
    dialog=VehicleDialog,
    name=lambda v: v.plate,
)

PARKING: RecordKind[ParkingRow] = RecordKind(
    noun="车位",
    counter="个",
    record=ParkingInput,
    columns=(
        ("车位", lambda p: p.space_code),
        ("方式", lambda p: p.kind.label),
        ("开始日期", lambda p: date_text(p.start_on)),
        ("结束日期", lambda p: date_text(p.end_on)),
        ("备注", lambda p: p.note),
    ),
    rows=lambda file: file.parking,
    dialog=ParkingDialog,
    name=lambda p: p.space_code,
)

PETS: RecordKind[PetRow] = RecordKind(
    noun="宠物",
    counter="只",
    record=PetInput,
    columns=(
        ("种类", lambda p: p.species),
        ("名字", lambda p: p.name),
        ("品种", lambda p: p.breed),
        ("犬只登记证号", lambda p: p.licence_no),
        ("免疫日期", lambda p: date_text(p.vaccinated_on)),
        ("备注", lambda p: p.note),
    ),
    rows=lambda file: file.pets,
    dialog=PetDialog,
    name=lambda p: p.name or p.species,
)

CARE: RecordKind[CareRow] = RecordKind(
    noun="关怀对象",
    counter="人",
    record=CareInput,
    columns=(
        ("关怀对象", lambda c: c.person_name),
        ("类别", lambda c: c.category.label),
        ("探访周期", lambda c: f"每 {c.visit_every_days} 天"),
        ("上次探访", lambda c: date_text(c.last_visit_on)),
        ("下次探访", lambda c: next_visit_text(c, clock.today())),
        ("关怀说明", lambda c: c.note.replace("\n", " ")),
    ),
    rows=lambda file: file.care,
    dialog=CareDialog,
    name=lambda c: c.person_name,
)
