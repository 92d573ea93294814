"""Triage items: review's copy of what it needs to route a petition."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid


class TriageItem(TimestampMixin, Base):
    __tablename__ = "triage_items"
    __table_args__ = ({"info": {"service": "review"}},)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    case_number: Mapped[str] = mapped_column(String(40), nullable=False)
    line: Mapped[str] = mapped_column(String(5), nullable=False)
    channel: Mapped[str] = mapped_column(String(1), nullable=False)
    petition_type: Mapped[str] = mapped_column(String(20), nullable=False)
    is_enterprise: Mapped[bool] = mapped_column(Boolean, nullable=False)
    petitioner_masked: Mapped[str] = mapped_column(String(100), nullable=False)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400), nullable=False)
    received_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    source_event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    # The petition's receiving unit; the queue is scoped by it (shared/auth).
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)


class TriageDuplicate(TimestampMixin, Base):
    """A 重复件 intake linked to an earlier case: filed under that case's item instead of an item of its own.

    Keyed by the later petition; `original_petition_id` is the case whose item shows it.  When intake
    splits the link (`petition.duplicate_split`) the row stays, with `split_at`, and the petition
    gets the item it would have had.
    """

    __tablename__ = "triage_duplicates"
    __table_args__ = ({"info": {"service": "review"}},)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    case_number: Mapped[str] = mapped_column(String(40), nullable=False)
    original_petition_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    original_case_number: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(1), nullable=False)
    summary: Mapped[str] = mapped_column(String(400), nullable=False)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    source_event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    split_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)
