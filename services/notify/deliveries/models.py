"""The delivery log: one row per notice, channel and recipient, and its place in the state machine.

`status` follows `states.py` (pending → sent | pending | failed).  The consumer's handler inserts
a `pending` row; the dispatcher moves it on.  `next_attempt_at` is when a pending row is next due:
a claim pushes it forward by the lease, so other dispatchers leave the row alone while it is sent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from services.notify.channels.staff_inbox import STAFF_INBOX
from services.notify.deliveries.attempts import DeliveryAttempt  # registered with the metadata
from services.notify.deliveries.notices import ContactOptOut, PublicNotice  # registered with the metadata
from services.notify.deliveries.states import DeliveryStatus
from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid, utcnow

__all__ = ["STAFF_INBOX", "ContactOptOut", "Delivery", "DeliveryAttempt", "PublicNotice"]


class Delivery(TimestampMixin, Base):
    """One notice on one channel; `(source_event_id, channel, recipient)` is unique."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("source_event_id", "channel", "recipient", name="uq_deliveries_event_channel_recipient"),
        # The dispatcher's claim: due pending rows, oldest due first.
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        # The pages' newest-first lists, paged by key (cursor.py).
        Index("ix_deliveries_listing", "created_at", "id"),
        # A public notice is one delivery per channel, whichever event brought it (NULLs are distinct,
        # so staff notices, which have no notice id, are not constrained by it).
        UniqueConstraint("notice_id", "channel", name="uq_deliveries_notice_channel"),
        {"info": {"service": "notify"}},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    subject: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    recipient: Mapped[str] = mapped_column(String(200), nullable=False)
    template: Mapped[str] = mapped_column(String(60), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=DeliveryStatus.PENDING.value)
    source_event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    source_event_type: Mapped[str] = mapped_column(String(80), nullable=False)
    # The unit of the subject (petition): who may read this delivery (shared/auth).
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)
    # Tries so far (throttled ones excluded); states.RetryPolicy.max_attempts bounds it.
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    # When a pending row is due; NULL once sent or failed.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    # The trace of the event that caused it: the dispatcher logs and audits under it.
    trace_id: Mapped[str | None] = mapped_column(String(64))
    # --- a public notice (书面通知) to a contact outside the organs; NULL on staff notices ---
    notice_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("public_notices.notice_id"), index=True)
    # One the law requires (a 羁押必要性审查 outcome, a 失信 removal): sent whatever an opt-out says.
    mandatory: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    # The contact had opted out of this channel, and the notice went anyway because it is mandatory.
    opt_out_ignored: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    # The contact for this channel, still encrypted (shared.pii); `recipient` holds it masked.
    contact_enc: Mapped[str | None] = mapped_column(Text)
    # The HTML part of an email (the plain text is `body`).
    body_html: Mapped[str | None] = mapped_column(Text)
    # The document attached (its bytes are the notice's), by its SHA-256: what the log proves was sent.
    document_sha256: Mapped[str | None] = mapped_column(String(64))
