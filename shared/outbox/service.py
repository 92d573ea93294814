"""Writing events into the outbox, inside the caller's transaction."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from shared.config import KafkaSettings
from shared.events.envelope import Envelope, encode
from shared.outbox.models import PENDING, OutboxMessage


WAKE_CHANNEL = "huhang_outbox"


def enqueue(session: Session, event: Envelope, *, kafka: KafkaSettings | None = None) -> OutboxMessage:
    """Add an event to the outbox; it is published only if the caller's transaction commits."""
    settings = kafka or KafkaSettings()
    row = OutboxMessage(
        event_id=event.id,
        event_type=event.type,
        topic=settings.events_topic(event.source),
        key=event.subject,
        payload=encode(event),
        trace_id=event.trace_id,
        status=PENDING,
    )
    session.add(row)
    if session.get_bind().dialect.name == "postgresql":
        # Delivered at commit (and never for a rolled-back transaction): wakes idle relays at once.
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": WAKE_CHANNEL})
    return row


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(OutboxMessage.status == PENDING)) or 0)
