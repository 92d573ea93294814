"""Every table notify owns, imported so its metadata is complete for migrations."""

from services.notify.deliveries.models import Delivery
from shared.audit.models import AuditEntry
from shared.idempotency.models import IdempotencyRecord
from shared.inbox.models import ProcessedEvent
from shared.outbox.models import OutboxMessage

__all__ = ["AuditEntry", "Delivery", "IdempotencyRecord", "OutboxMessage", "ProcessedEvent"]
