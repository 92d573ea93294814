"""Every table review owns, imported so its metadata is complete for migrations."""

from services.review.triage.models import TriageItem
from shared.idempotency.models import IdempotencyRecord
from shared.inbox.models import ProcessedEvent
from shared.outbox.models import OutboxMessage

__all__ = ["IdempotencyRecord", "OutboxMessage", "ProcessedEvent", "TriageItem"]
