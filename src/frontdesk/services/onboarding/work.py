"""What checking a file finds to write, and the helpers the checks share: rooms named
by their code (new rooms have no id yet), lines refused with their column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from frontdesk.domain.onboarding import (
    DepositLine,
    Field,
    HistoryLine,
    Refusal,
    RoomKey,
    Source,
    Totals,
)
from frontdesk.domain.periods import Period
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.services.onboarding.on_file import OnFile


@dataclass(frozen=True)
class NewRoom:
    key: RoomKey
    floor: int
    area_x100: int
    room_type: RoomType
    status: RoomStatus
    handover_on: date | None


@dataclass
class Work:
    """What committing writes, rooms named by their code (new rooms have no id yet)."""

    buildings: dict[str, tuple[str, int]] = field(default_factory=dict)  # code -> name, floors
    units: list[tuple[str, str]] = field(default_factory=list)
    rooms: list[NewRoom] = field(default_factory=list)
    people: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    profiles: dict[str, date | None] = field(default_factory=dict)
    bills: list[tuple[str, int, Period, int]] = field(default_factory=list)
    prepaid: list[tuple[str, int]] = field(default_factory=list)
    paid_through: list[tuple[str, int, Period]] = field(default_factory=list)
    deposits: list[DepositLine] = field(default_factory=list)
    history: list[HistoryLine] = field(default_factory=list)
    meters: list[tuple[str, int, str, int, date]] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    validated: dict[int, dict[str, Any]] = field(default_factory=dict)
    matched_rooms: int = 0
    known_people: int = 0

    def adds(self) -> Totals:
        return Totals(
            rooms=len(self.rooms),
            people=len(self.people),
            arrears_fen=sum(amount for *_, amount in self.bills),
            arrears_lines=len(self.bills),
            prepaid_fen=sum(amount for _, amount in self.prepaid),
            deposits_fen=sum(line.amount_fen for line in self.deposits),
            history_lines=len(self.history),
            history_fen=sum(line.amount_fen for line in self.history),
            meter_readings=len(self.meters),
        )


class RoomRefs:
    """Room codes to ids: rooms on file by their id, rooms this file creates by a
    negative stand-in (people are keyed by room id, as the roster keys them)."""

    def __init__(self, on_file: OnFile) -> None:
        self.on_file = on_file
        self.new: dict[str, int] = {}

    def ref(self, key: RoomKey) -> int | None:
        found = self.on_file.rooms.get(key.code)
        if found is not None:
            return found.room_id
        return self.new.get(key.code)


def refuse(work: Work, source: Source, column: Field | str, reason: str) -> None:
    label = column.label if isinstance(column, Field) else column
    work.refusals.append(Refusal(source, label, reason))


def missing_room(work: Work, source: Source, key: RoomKey) -> None:
    refuse(work, source, Field.ROOM_CODE, f"系统中没有房屋「{key.code}」，文件中也没有它")


def fit(work: Work, source: Source, texts: Sequence[tuple[Field, str, int]]) -> bool:
    """False (and the line refused) when a text is longer than its column holds."""
    for column, text, limit in texts:
        if len(text) > limit:
            refuse(work, source, column, f"不能超过 {limit} 个字（现有 {len(text)} 个字）")
            return False
    return True
