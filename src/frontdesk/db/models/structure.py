"""Buildings (楼栋), units (单元) and rooms (房屋)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontdesk.db.base import Base, enum_column
from frontdesk.domain.rooms import RoomStatus, RoomType, room_code


class Building(Base):
    __tablename__ = "building"
    __audit_label__ = "楼栋"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # "3", typed in room codes
    name: Mapped[str] = mapped_column(String(40))  # "3栋", "地下车库"
    sort_key: Mapped[int] = mapped_column(Integer, default=0)
    floors: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(String(200), default="")
    # 管家责任制: the butler who looks after every household of the building.
    butler_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    # The import that added it (数据导入); None for what was entered here.
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )

    units: Mapped[list[Unit]] = relationship(back_populates="building", order_by="Unit.sort_key")

    def audit_title(self) -> str:
        return self.name


class Unit(Base):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("building_id", "code"),)
    __audit_label__ = "单元"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="RESTRICT"))
    code: Mapped[str] = mapped_column(String(20))  # "2" -> 2单元
    sort_key: Mapped[int] = mapped_column(Integer, default=0)
    # The import that added it (数据导入); None for what was entered here.
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )

    building: Mapped[Building] = relationship(back_populates="units")

    def audit_title(self) -> str:
        return f"{self.building.name}{self.code}单元"


class Room(Base):
    __tablename__ = "room"
    __table_args__ = (
        UniqueConstraint("building_id", "unit_id", "number"),
        CheckConstraint("area_m2_x100 >= 0", name="area_not_negative"),
        Index("ix_room_number", "number"),
        Index("ix_room_unit_id", "unit_id"),
    )
    __audit_label__ = "房屋"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="RESTRICT"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    number: Mapped[str] = mapped_column(String(20))  # "1201"
    floor: Mapped[int] = mapped_column(Integer)
    area_m2_x100: Mapped[int] = mapped_column(Integer)  # building area, hundredths of m²
    room_type: Mapped[RoomType] = mapped_column(enum_column(RoomType, "room_type"))
    status: Mapped[RoomStatus] = mapped_column(enum_column(RoomStatus, "status"))
    # 交房日期: monthly fees run from this day (a mid-month handover pays part of the month).
    handover_on: Mapped[date | None] = mapped_column(Date)
    # The import that added it (数据导入); None for what was entered here.
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )

    building: Mapped[Building] = relationship()
    unit: Mapped[Unit | None] = relationship()

    def audit_title(self) -> str:
        return room_code(self.building.code, self.unit.code if self.unit else None, self.number)

    def audit_room_id(self) -> int | None:
        return self.id
