"""The service desk (客服中心): work orders (工单) and every step of each, the staff
who are sent (who need not be program users), and the categories with their promises.

A caller's name and phone are personal data: kept out of the audit log in clear
(db/audit masks `caller_name`, `caller_phone`), the phone encrypted with its look-up
tokens (db/phone_index), and found, exported and erased by the personal-data tools.
An anonymous complaint keeps neither.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, ByUser, UTCDateTime, enum_column, utcnow
from frontdesk.db.protection import EncryptedPhone
from frontdesk.domain.order_photos import PhotoStage
from frontdesk.domain.repair_prices import PriceKind
from frontdesk.domain.service_desk import Channel, Kind, Stage, Status, Step, Team, Urgency

CALLER_FIELDS = frozenset({"caller_name", "caller_phone"})


class ServiceCategory(Base):
    """A category (水电, 噪音 …) with its promises in minutes; supervisors edit them."""

    __tablename__ = "service_category"
    __audit_label__ = "工单类别"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    team: Mapped[Team] = mapped_column(enum_column(Team, "team"))  # who is usually sent
    urgent_arrive_minutes: Mapped[int] = mapped_column(Integer)
    urgent_finish_minutes: Mapped[int] = mapped_column(Integer)
    urgent_callback_minutes: Mapped[int] = mapped_column(Integer)
    arrive_minutes: Mapped[int] = mapped_column(Integer)
    finish_minutes: Mapped[int] = mapped_column(Integer)
    callback_minutes: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    def audit_title(self) -> str:
        return self.name


class ServiceStaff(Base):
    """Someone an order can be sent to: a worker of a team, on duty or not."""

    __tablename__ = "service_staff"
    __audit_label__ = "维修服务人员"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    team: Mapped[Team] = mapped_column(enum_column(Team, "team"))
    phone: Mapped[str] = mapped_column(EncryptedPhone(), default="")
    on_duty: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # left: kept for history
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    note: Mapped[str] = mapped_column(String(200), default="")

    def audit_title(self) -> str:
        return self.name


class WorkOrder(Base):
    """One 工单. Its promises are copied from its category when taken, so a later
    change of the settings does not rewrite what was promised. `due_at` is when the
    promise now running falls due (NULL while paused or when nothing is due): the
    board reads it through ix_work_order_open_due."""

    __tablename__ = "work_order"
    __table_args__ = (
        Index(
            "ix_work_order_open_due",
            "due_at",
            sqlite_where=text("status != 'closed'"),
            postgresql_where=text("status != 'closed'"),
        ),
        Index("ix_work_order_room_taken", "room_id", "taken_at"),
        Index("ix_work_order_place", "place_building_id", "category_id", "taken_at"),
        Index("ix_work_order_taken_at", "taken_at"),
        CheckConstraint("score_speed IS NULL OR score_speed BETWEEN 1 AND 5", name="score_speed"),
        CheckConstraint(
            "score_quality IS NULL OR score_quality BETWEEN 1 AND 5", name="score_quality"
        ),
        CheckConstraint(
            "score_attitude IS NULL OR score_attitude BETWEEN 1 AND 5", name="score_attitude"
        ),
        CheckConstraint("failed_callbacks >= 0", name="failed_callbacks"),
        CheckConstraint("paused_seconds >= 0", name="paused_seconds"),
    )
    __audit_label__ = "工单"
    __audit_secret__ = CALLER_FIELDS

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)  # GD-2612-0001
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, "kind"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"))
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency, "urgency"))
    category_id: Mapped[int] = mapped_column(
        ForeignKey("service_category.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[Status] = mapped_column(enum_column(Status, "status"))
    # where: a room, or a public place (building, and floor or area in words)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="RESTRICT"))
    place_building_id: Mapped[int | None] = mapped_column(
        ForeignKey("building.id", ondelete="RESTRICT")
    )
    place: Mapped[str] = mapped_column(String(60), default="")
    # who called: a resident of the room or anyone with a phone; nothing if anonymous
    caller_name: Mapped[str] = mapped_column(String(40), default="")
    caller_phone: Mapped[str] = mapped_column(EncryptedPhone(), default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(String(500))
    appointment_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appointment_to: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # promises in minutes, from the category when taken (None: not promised)
    arrive_minutes: Mapped[int | None] = mapped_column(Integer)
    finish_minutes: Mapped[int] = mapped_column(Integer)
    callback_minutes: Mapped[int | None] = mapped_column(Integer)
    # the clock: started when taken or reopened; pauses since then
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage, "due_stage"))
    # 首问负责: who took it; then whom it is with
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_by: Mapped[str] = mapped_column(String(40))
    taken_by_id: Mapped[ByUser]
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_staff.id", ondelete="RESTRICT"), index=True
    )
    team: Mapped[Team | None] = mapped_column(enum_column(Team, "team"))
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    work_done: Mapped[str] = mapped_column(String(500), default="")  # or the reply given
    # a complaint's reply (答复): work_done holds it, finished_at when; who gave it (a
    # name as said: the responsible staff member, who need not be a program user)
    replier: Mapped[str] = mapped_column(String(40), default="", server_default="")
    materials: Mapped[str] = mapped_column(String(500), default="")
    failed_callbacks: Mapped[int] = mapped_column(Integer, default=0)
    called_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score_speed: Mapped[int | None] = mapped_column(Integer)
    score_quality: Mapped[int | None] = mapped_column(Integer)
    score_attitude: Mapped[int | None] = mapped_column(Integer)
    satisfied: Mapped[bool | None] = mapped_column(Boolean)
    owner_words: Mapped[str] = mapped_column(String(500), default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened: Mapped[int] = mapped_column(Integer, default=0)  # times reopened
    # a complaint past its deadline goes up to a supervisor (督办): when and who took it
    # up last (the note and any reassignment or new deadline are its steps)
    supervised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supervised_by: Mapped[str] = mapped_column(String(40), default="", server_default="")
    supervised_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.number

    def audit_room_id(self) -> int | None:
        return self.room_id


class WorkOrderEvent(Base):
    """Each step of an order: who, when, what, why; to whom when it was handed on."""

    __tablename__ = "work_order_event"
    __table_args__ = (
        CheckConstraint("score_speed IS NULL OR score_speed BETWEEN 1 AND 5", name="score_speed"),
        CheckConstraint(
            "score_quality IS NULL OR score_quality BETWEEN 1 AND 5", name="score_quality"
        ),
        CheckConstraint(
            "score_attitude IS NULL OR score_attitude BETWEEN 1 AND 5", name="score_attitude"
        ),
    )
    __audit_label__ = "工单记录"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(
        ForeignKey("work_order.id", ondelete="RESTRICT"), index=True
    )
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="RESTRICT"))
    step: Mapped[Step] = mapped_column(enum_column(Step, "step"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_by: Mapped[str] = mapped_column(String(40))
    done_by_id: Mapped[ByUser]
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_staff.id", ondelete="RESTRICT")
    )
    team: Mapped[Team | None] = mapped_column(enum_column(Team, "team"))
    note: Mapped[str] = mapped_column(Text, default="")  # the reason, the work, the words
    # a callback's scores (1–5), each callback kept though a later one follows
    score_speed: Mapped[int | None] = mapped_column(Integer)
    score_quality: Mapped[int | None] = mapped_column(Integer)
    score_attitude: Mapped[int | None] = mapped_column(Integer)

    def audit_title(self) -> str:
        return Step(self.step).label

    def audit_room_id(self) -> int | None:
        return self.room_id


class RepairPrice(Base):
    """A line of the 有偿维修价目表: labour (更换水龙头 30 元/次) or a material (单把水龙头
    45 元/个), at a price in fen a unit; supervisors edit it. A charge copies the name,
    unit and price it used, so a later change does not rewrite what was charged."""

    __tablename__ = "repair_price"
    __table_args__ = (CheckConstraint("unit_fen >= 0", name="unit_fen_not_negative"),)
    __audit_label__ = "有偿维修价目"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[PriceKind] = mapped_column(enum_column(PriceKind, "kind"))
    unit: Mapped[str] = mapped_column(String(12))  # 次, 个, 米
    unit_fen: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    def audit_title(self) -> str:
        return self.name


class RepairCharge(Base):
    """A paid repair's charge: the one-off bill it put on the room's account (paid at the
    cashier like any other, so its receipt is found through the bill's allocations).
    Never changed: a mistaken charge's bill is reduced to nothing (作废), and the order
    may then be charged again."""

    __tablename__ = "repair_charge"
    __append_only__ = True
    __table_args__ = (
        CheckConstraint("labour_fen >= 0 AND materials_fen >= 0", name="parts_not_negative"),
    )
    __audit_label__ = "有偿维修收费"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(
        ForeignKey("work_order.id", ondelete="RESTRICT"), index=True
    )
    bill_id: Mapped[int] = mapped_column(ForeignKey("bill.id", ondelete="RESTRICT"), unique=True)
    labour_fen: Mapped[int] = mapped_column(Integer)
    materials_fen: Mapped[int] = mapped_column(Integer)
    charged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    charged_by: Mapped[str] = mapped_column(String(40))
    charged_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return f"工单 {self.work_order_id}"


class RepairChargeLine(Base):
    """One priced line of a charge: what it was, how many, at what price."""

    __tablename__ = "repair_charge_line"
    __append_only__ = True
    __table_args__ = (
        CheckConstraint("quantity_x100 > 0", name="quantity_positive"),
        CheckConstraint("unit_fen >= 0 AND amount_fen >= 0", name="money_not_negative"),
    )
    __audit_label__ = "有偿维修收费明细"

    id: Mapped[int] = mapped_column(primary_key=True)
    charge_id: Mapped[int] = mapped_column(
        ForeignKey("repair_charge.id", ondelete="RESTRICT"), index=True
    )
    price_id: Mapped[int] = mapped_column(ForeignKey("repair_price.id", ondelete="RESTRICT"))
    kind: Mapped[PriceKind] = mapped_column(enum_column(PriceKind, "kind"))
    name: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(12))
    quantity_x100: Mapped[int] = mapped_column(Integer)
    unit_fen: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)

    def audit_title(self) -> str:
        return self.name


class WorkOrderPhoto(Base):
    """A photo of an order, taken at intake or by the worker after the repair. The
    file is kept in the attachments store under its SHA-256 (services.households.
    attachments) but the row is the order's, not a room's 附件: a public-area order
    has no room, and a caller's photos are erased with the caller (personal-data
    tools), not with the household file."""

    __tablename__ = "work_order_photo"
    __audit_label__ = "工单照片"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(
        ForeignKey("work_order.id", ondelete="RESTRICT"), index=True
    )
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="RESTRICT"))
    stage: Mapped[PhotoStage] = mapped_column(enum_column(PhotoStage, "stage"))
    filename: Mapped[str] = mapped_column(String(200))  # original name, for "save as"
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(40))
    added_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.filename

    def audit_room_id(self) -> int | None:
        return self.room_id
