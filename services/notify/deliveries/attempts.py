"""The attempt log: one row per try of one delivery, written by the dispatcher.

A row is inserted when the dispatcher claims the delivery (`outcome` NULL: in flight) and
completed when the channel answered.  A row still in flight when its lease has run out belongs to
a dispatcher that died mid-send; the next claim marks it `abandoned`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, UTCDateTime, new_uuid, utcnow


class DeliveryAttempt(Base):
    """Try number `attempt_no` (1, 2, ...) of one delivery; `(delivery_id, attempt_no)` is unique."""

    __tablename__ = "delivery_attempts"
    __table_args__ = (
        UniqueConstraint("delivery_id", "attempt_no", name="uq_delivery_attempts_delivery_attempt_no"),
        {"info": {"service": "notify"}},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    delivery_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("deliveries.id", ondelete="CASCADE"), nullable=False, index=True
    )
    attempt_no: Mapped[int] = mapped_column(Integer, nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    # Which dispatcher made it (host:pid), to follow one worker's attempts in its log.
    dispatcher: Mapped[str] = mapped_column(String(100), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(20))  # states.AttemptOutcome; NULL in flight
    error: Mapped[str | None] = mapped_column(Text)
    # When the delivery is due again (retry, throttled); NULL once it is sent or failed.
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
