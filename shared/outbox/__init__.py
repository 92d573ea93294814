"""Transactional outbox: events are rows written with the domain change, published later."""

from shared.outbox.models import OutboxMessage
from shared.outbox.service import enqueue, pending_count

__all__ = ["OutboxMessage", "enqueue", "pending_count"]
