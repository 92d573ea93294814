"""The delivery log."""

from __future__ import annotations

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, new_uuid

STAFF_INBOX = "staff_inbox"


class Delivery(TimestampMixin, Base):
    """One notice on one channel; `(source_event_id, channel, recipient)` is unique."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("source_event_id", "channel", "recipient", name="uq_deliveries_event_channel_recipient"),
        {"info": {"service": "notify"}},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    subject: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    recipient: Mapped[str] = mapped_column(String(200), nullable=False)
    template: Mapped[str] = mapped_column(String(60), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="delivered")
    source_event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    source_event_type: Mapped[str] = mapped_column(String(80), nullable=False)
    # The unit of the subject (petition): who may read this delivery (shared/auth).
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)
