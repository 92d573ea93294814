"""Looking up and remembering idempotency keys inside the caller's transaction."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from shared.errors import Conflict
from shared.idempotency.models import IdempotencyRecord


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message_en = "This Idempotency-Key was already used with a different request body"
    message_zh = "该幂等键已用于内容不同的请求"


def fingerprint(payload: Any) -> str:
    """A stable hash of the request body, so a key reused for another body is caught."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def lookup(session: Session, *, scope: str, key: str, request_hash: str) -> str | None:
    """The resource an earlier request with this key created, or None; raises if the body differs."""
    record = session.get(IdempotencyRecord, (scope, key))
    if record is None:
        return None
    if record.request_hash != request_hash:
        raise IdempotencyKeyReused()
    return record.resource_id


def remember(session: Session, *, scope: str, key: str, request_hash: str, resource_id: str) -> None:
    """Store the key with the resource; a concurrent duplicate fails the commit on the primary key."""
    session.add(IdempotencyRecord(scope=scope, key=key, request_hash=request_hash, resource_id=resource_id))
