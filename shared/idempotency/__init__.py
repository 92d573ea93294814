"""Idempotency keys: a retried POST with the same key gets the first answer and creates nothing."""

from shared.idempotency.models import IdempotencyRecord
from shared.idempotency.service import IdempotencyKeyReused, fingerprint, lookup, remember

__all__ = ["IdempotencyKeyReused", "IdempotencyRecord", "fingerprint", "lookup", "remember"]
