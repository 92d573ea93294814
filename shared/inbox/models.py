"""The processed-events table, present in every service's database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, UTCDateTime, utcnow


class ProcessedEvent(Base):
    """`(consumer, event_id)` written in the same transaction as the handler's effect."""

    __tablename__ = "processed_events"
    __table_args__ = ({"info": {"service": "*"}},)

    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(80), nullable=False)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
