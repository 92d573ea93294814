"""Petition rows and the case-number sequence."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid, utcnow

_INTAKE = {"info": {"service": "intake"}}


class CaseNumberAllocation(Base):
    """One row per case number handed out: an autoincrement that works the same on both databases."""

    __tablename__ = "case_number_allocations"
    __table_args__ = (_INTAKE,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    line: Mapped[str] = mapped_column(String(5), nullable=False)
    allocated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class Petition(TimestampMixin, Base):
    """A registered petition: who asked, through which line and channel, for what."""

    __tablename__ = "petitions"
    __table_args__ = (_INTAKE,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_number: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    line: Mapped[str] = mapped_column(String(5), nullable=False)  # 12309 检察 / 12368 法院
    channel: Mapped[str] = mapped_column(String(1), nullable=False)  # 信 访 网 电
    petition_type: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="registered")
    petitioner_name: Mapped[str] = mapped_column(String(100), nullable=False)
    petitioner_id_number: Mapped[str | None] = mapped_column(String(18))
    petitioner_phone: Mapped[str | None] = mapped_column(String(20))
    petitioner_address: Mapped[str | None] = mapped_column(String(300))
    is_enterprise: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    claim: Mapped[str] = mapped_column(Text, nullable=False)  # 诉求
    facts: Mapped[str | None] = mapped_column(Text)  # 事实
    reasons: Mapped[str | None] = mapped_column(Text)  # 理由
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    # The Beijing calendar date of receipt: every deadline counts from this day.
    received_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    registered_by: Mapped[str] = mapped_column(String(100), nullable=False, default="system")
