"""Inbox: the record of events a consumer has already handled, for exactly-once effects."""

from shared.inbox.models import ProcessedEvent
from shared.inbox.service import already_processed, mark_processed

__all__ = ["ProcessedEvent", "already_processed", "mark_processed"]
