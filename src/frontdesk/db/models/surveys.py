"""满意度调查: a survey with its dimensions, the households drawn for it, each call
made to them and the scores they gave.

Answers belong to a household (a room), never to a named person: the sample row
keeps the room, the scores and the open answer; who picked up the phone is not
written down. The personal-data tools find a household's answers through its room."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, ByUser, UTCDateTime, enum_column, utcnow
from frontdesk.db.models.households import RoomRecord
from frontdesk.domain.surveys import Dimension, Outcome, Status


class Survey(Base):
    """One survey: its name, the period it covers, the open question; its sample
    once drawn (how many households the community had then, the seed)."""

    __tablename__ = "survey"
    __table_args__ = (CheckConstraint("population IS NULL OR population >= 0", name="population"),)
    __audit_label__ = "满意度调查"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    period: Mapped[str] = mapped_column(String(30))  # 2026年第二季度
    question: Mapped[str] = mapped_column(String(200), default="")  # the open question
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(40))
    created_by_id: Mapped[ByUser]
    sampled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    population: Mapped[int | None] = mapped_column(Integer)  # households when drawn
    seed: Mapped[int | None] = mapped_column(Integer)

    def audit_title(self) -> str:
        return self.name


class SurveyDimension(Base):
    """A dimension the survey asks about, in the order asked."""

    __tablename__ = "survey_dimension"
    __table_args__ = (UniqueConstraint("survey_id", "dimension"),)
    __audit_label__ = "调查项目"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="RESTRICT"))
    dimension: Mapped[Dimension] = mapped_column(enum_column(Dimension, "dimension"))
    position: Mapped[int] = mapped_column(Integer)

    def audit_title(self) -> str:
        return Dimension(self.dimension).label


class SurveyHousehold(RoomRecord):
    """A household drawn for a survey: its form number (serial), where it stands, and
    its answer once given (by phone or on a returned paper form)."""

    __tablename__ = "survey_household"
    __table_args__ = (
        UniqueConstraint("survey_id", "room_id"),
        UniqueConstraint("survey_id", "serial"),
        CheckConstraint("attempts BETWEEN 0 AND 3", name="attempts"),
        Index("ix_survey_household_room_answered", "room_id", "answered_at"),
    )
    __audit_label__ = "调查样本户"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="RESTRICT"))
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="RESTRICT"))
    serial: Mapped[int] = mapped_column(Integer)  # the form number's count
    status: Mapped[Status] = mapped_column(enum_column(Status, "status"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    paper: Mapped[bool] = mapped_column(Boolean, default=False)  # answered on a paper form
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str] = mapped_column(String(40), default="")  # who entered it
    answered_by_id: Mapped[ByUser]
    open_answer: Mapped[str] = mapped_column(String(500), default="")

    def audit_title(self) -> str:
        return self.room_title()


class SurveyCall(RoomRecord):
    """One call to a sampled household."""

    __tablename__ = "survey_call"
    __audit_label__ = "调查电话"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_household_id: Mapped[int] = mapped_column(
        ForeignKey("survey_household.id", ondelete="RESTRICT"), index=True
    )
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "outcome"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    called_by: Mapped[str] = mapped_column(String(40))
    called_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return Outcome(self.outcome).label


class SurveyScore(RoomRecord):
    """A household's score for one dimension; a low one may become a work order."""

    __tablename__ = "survey_score"
    __table_args__ = (
        UniqueConstraint("survey_household_id", "dimension"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
    )
    __audit_label__ = "调查评分"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_household_id: Mapped[int] = mapped_column(
        ForeignKey("survey_household.id", ondelete="RESTRICT"), index=True
    )
    dimension: Mapped[Dimension] = mapped_column(enum_column(Dimension, "dimension"))
    score: Mapped[int] = mapped_column(Integer)
    work_order_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_order.id", ondelete="RESTRICT")
    )

    def audit_title(self) -> str:
        return f"{Dimension(self.dimension).label} {self.score}分"
