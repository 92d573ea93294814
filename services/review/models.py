"""Every table review owns, imported so its metadata is complete for migrations."""

from services.review.identity.accounts.models import StaffAccount, WebSession
from services.review.holidays.models import CalendarYear
from services.review.deadlines.models import (
    Deadline,
    DeadlineEvent,
    DeadlineExtension,
    DeadlineNotice,
    DeadlineRule,
    DeadlineSuspension,
)
from services.review.triage.models import TriageItem
from services.review.identity.units.models import Unit
from shared.audit.models import AuditEntry
from shared.idempotency.models import IdempotencyRecord
from shared.inbox.models import ProcessedEvent
from shared.outbox.models import OutboxMessage

__all__ = [
    "CalendarYear", "Deadline", "DeadlineEvent", "DeadlineExtension", "DeadlineNotice", "DeadlineRule",
    "DeadlineSuspension", "AuditEntry", "IdempotencyRecord", "OutboxMessage", "ProcessedEvent", "StaffAccount", "TriageItem", "Unit", "WebSession"]
