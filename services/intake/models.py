"""Every table intake owns, imported so its metadata is complete for migrations."""

from services.intake.petitions.models import CaseNumberAllocation, Petition
from shared.audit.models import AuditEntry
from shared.idempotency.models import IdempotencyRecord
from shared.inbox.models import ProcessedEvent
from shared.outbox.models import OutboxMessage

__all__ = ["AuditEntry", "CaseNumberAllocation", "IdempotencyRecord", "OutboxMessage", "Petition", "ProcessedEvent"]
