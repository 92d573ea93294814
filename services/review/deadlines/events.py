"""The data of the ``deadline.*`` events review writes to the outbox (schemas: shared/events/review.py)."""

from __future__ import annotations

from typing import Any

from services.review.deadlines.models import Deadline


def payload(deadline: Deadline) -> dict[str, Any]:
    """The fields every deadline event carries about its deadline (unit_code: notify files by it)."""
    return {
        "deadline_id": deadline.id, "subject": deadline.subject, "case_number": deadline.case_number,
        "unit_code": deadline.unit_code, "rule_code": deadline.rule_code, "title": deadline.title,
        "due_on": deadline.due_on,
        "warn_on": deadline.warn_on, "provisional": deadline.provisional,
    }


def notice_payload(deadline: Deadline) -> dict[str, Any]:
    """The data of a deadline.due_soon / deadline.overdue event."""
    return {**payload(deadline), "start_on": deadline.start_on}
