"""The household file (一户一档): everything kept about the people of one room.

Every table here carries `room_id`, so the audit hook files each change under
the room and the file's history is one indexed query.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, object_session

from frontdesk.db.base import Base, ByUser, UTCDateTime, enum_column, one_of, utcnow
from frontdesk.db.models.structure import Room
from frontdesk.db.protection import EncryptedIdNumber, EncryptedPhone
from frontdesk.domain.household import ATTACHMENT_KINDS, CareCategory, ParkingKind, PersonKind


class RoomRecord(Base):
    """Rows that belong to one room's file."""

    __abstract__ = True

    room_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="RESTRICT"), index=True)

    def audit_room_id(self) -> int | None:
        return self.room_id

    def room_title(self) -> str:
        """The room's code ('3-2-1201'), for a record the audit log names by its room;
        read in the session writing the record."""
        session = object_session(self)
        room = session.get(Room, self.room_id) if session is not None else None
        return room.audit_title() if room is not None else f"房屋 {self.room_id}"


class HouseholdProfile(RoomRecord):
    __tablename__ = "household"
    __audit_label__ = "户档案"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="RESTRICT"), unique=True)
    move_in_on: Mapped[date | None] = mapped_column(Date)
    contact_preference: Mapped[str] = mapped_column(String(20), default="")
    tags: Mapped[str] = mapped_column(String(200), default="")  # "、"-separated
    notes: Mapped[str] = mapped_column(Text, default="")
    # The import that added it (数据导入); None for what was entered here.
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )

    def audit_title(self) -> str:
        return self.room_title()


class Person(RoomRecord):
    """An owner, resident, tenant or emergency contact of the room."""

    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_name_pinyin", "name_pinyin"),
        Index("ix_person_name_initials", "name_initials"),
        Index("ix_person_name_mixed", "name_mixed"),
        Index("ix_person_name", "name"),
        Index("ix_person_phone", "phone"),
        Index("ix_person_id_number", "id_number"),
        CheckConstraint("lease_end >= lease_start", name="lease_end_not_before_start"),
    )
    __audit_label__ = "人员"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PersonKind] = mapped_column(enum_column(PersonKind, "kind"))
    relation: Mapped[str] = mapped_column(String(20), default="")  # domain.household.Relation
    name: Mapped[str] = mapped_column(String(40))
    name_pinyin: Mapped[str] = mapped_column(String(120), default="")
    name_initials: Mapped[str] = mapped_column(String(40), default="")
    # The surname spelled out, the given name as initials: 陈圆圆 -> chenyy.
    name_mixed: Mapped[str] = mapped_column(String(120), default="", server_default="")
    gender: Mapped[str] = mapped_column(String(4), default="")
    id_type: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str] = mapped_column(EncryptedIdNumber(), default="")
    # Encrypted; searched by its keyed look-up, its last digits through phone_lookup.
    phone: Mapped[str] = mapped_column(EncryptedPhone(), default="")
    share: Mapped[str] = mapped_column(String(20), default="")  # owners: "50%"
    lease_start: Mapped[date | None] = mapped_column(Date)
    lease_end: Mapped[date | None] = mapped_column(Date)
    lives_here: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    # A person is never deleted from the file: moving out, a tenancy ending or a sale
    # sets the day they left and why, and they stay in the file's history (only the
    # PIPL erasure tool blanks their personal data). None: on the file now.
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # The import that added it (数据导入); None for what was entered here.
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )

    def audit_title(self) -> str:
        return self.name


class Vehicle(RoomRecord):
    __tablename__ = "vehicle"
    __audit_label__ = "车辆"

    id: Mapped[int] = mapped_column(primary_key=True)
    plate: Mapped[str] = mapped_column(String(12), index=True)
    model: Mapped[str] = mapped_column(String(40), default="")
    colour: Mapped[str] = mapped_column(String(20), default="")
    parking_space: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(String(200), default="")

    def audit_title(self) -> str:
        return self.plate


class ParkingUse(RoomRecord):
    """A parking space (a room of type 车位) the household owns or rents."""

    __tablename__ = "parking_use"
    __table_args__ = (CheckConstraint("end_on >= start_on", name="end_not_before_start"),)
    __audit_label__ = "车位"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[ParkingKind] = mapped_column(enum_column(ParkingKind, "kind"))
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")

    def audit_title(self) -> str:
        return f"车位 {self.space_id}"


class Pet(RoomRecord):
    __tablename__ = "pet"
    __audit_label__ = "宠物"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), default="")
    species: Mapped[str] = mapped_column(String(20))  # 犬/猫/其他
    breed: Mapped[str] = mapped_column(String(40), default="")
    licence_no: Mapped[str] = mapped_column(String(40), default="")  # 犬只登记证号
    vaccinated_on: Mapped[date | None] = mapped_column(Date)  # 狂犬疫苗
    note: Mapped[str] = mapped_column(String(200), default="")

    def audit_title(self) -> str:
        return self.name or self.species


class CareNeed(RoomRecord):
    """特殊群体关怀档案: a person who needs looking in on, and how often."""

    __tablename__ = "care_need"
    __audit_label__ = "关怀对象"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_name: Mapped[str] = mapped_column(String(40))
    category: Mapped[CareCategory] = mapped_column(enum_column(CareCategory, "category"))
    note: Mapped[str] = mapped_column(Text, default="")
    visit_every_days: Mapped[int] = mapped_column(Integer, default=30)
    last_visit_on: Mapped[date | None] = mapped_column(Date)

    def audit_title(self) -> str:
        return self.person_name


class Attachment(RoomRecord):
    """A scan kept in the managed folder under its SHA-256; the row names it."""

    __tablename__ = "attachment"
    __table_args__ = (CheckConstraint(one_of("kind", ATTACHMENT_KINDS), name="kind"),)
    __audit_label__ = "附件"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # domain.household.ATTACHMENT_KINDS
    title: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(200))  # original name, for "save as"
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(40))
    added_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.title


class ButlerContact(RoomRecord):
    """管家责任制: one contact of a butler with the household."""

    __tablename__ = "butler_contact"
    __table_args__ = (Index("ix_butler_contact_user_on", "user_id", "contacted_on"),)
    __audit_label__ = "管家联系"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    contacted_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))  # 电话/上门/微信/短信
    topic: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(Date)

    def audit_title(self) -> str:
        return self.topic
