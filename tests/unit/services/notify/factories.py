"""Deliveries and attempts written straight to notify's database, for the page and inbox tests.

The handler and dispatcher tests build rows the way production does; these tests need many rows
of chosen units, recipients, states and times, so they write them directly.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy.orm import Session

from services.notify.deliveries.attempts import DeliveryAttempt
from services.notify.deliveries.models import Delivery
from services.notify.deliveries.service import DEADLINE_INBOX, TRIAGE_INBOX
from shared.db.base import new_uuid

__all__ = ["DEADLINE_INBOX", "TRIAGE_INBOX", "add_attempt", "add_delivery"]

# 2027-01-04 09:00 in Beijing; each new row is a minute later than the one before.
BASE = datetime(2027, 1, 4, 1, 0, tzinfo=timezone.utc)
_minutes = itertools.count()


def add_delivery(session: Session, **overrides: Any) -> Delivery:
    """A sent triage notice for 控申 (NY-JCY-KS) unless told otherwise; flushed, not committed."""
    created_at = overrides.pop("created_at", None) or BASE + timedelta(minutes=next(_minutes))
    n = overrides.pop("n", None) or new_uuid()[:8]
    values: dict[str, Any] = {
        "id": new_uuid(), "subject": f"pid-{n}", "channel": "staff_inbox", "recipient": TRIAGE_INBOX,
        "template": "triage.item_created", "title": f"新信访件待分流 12309-2027-{n}", "body": f"12309-2027-{n}（12309，网）：摘要",
        "status": "sent", "source_event_id": new_uuid(), "source_event_type": "triage.item_created",
        "unit_code": "NY-JCY-KS", "attempts": 1, "next_attempt_at": None, "sent_at": created_at,
        "created_at": created_at, "updated_at": created_at,
    }
    values.update(overrides)
    if values["status"] != "sent":
        values.setdefault("sent_at", None)
    delivery = Delivery(**values)
    session.add(delivery)
    session.flush()
    return delivery


def add_attempt(session: Session, delivery: Delivery, **overrides: Any) -> DeliveryAttempt:
    values: dict[str, Any] = {
        "delivery_id": delivery.id, "attempt_no": 1, "channel": delivery.channel, "dispatcher": "host:1",
        "started_at": delivery.created_at, "finished_at": delivery.created_at + timedelta(seconds=1),
        "outcome": "sent", "error": None, "retry_at": None,
    }
    values.update(overrides)
    attempt = DeliveryAttempt(**values)
    session.add(attempt)
    session.flush()
    return attempt
