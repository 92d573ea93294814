"""The data of the ``deadline.*`` events review writes to the outbox (schemas: shared/events/review.py).

``deadline.opened`` and ``deadline.closed`` tell other services what happened to a subject's
clocks (intake's public status query builds its timeline from them); the notices and
``deadline.recomputed`` tell them when a date comes near, passes or moves.
"""

from __future__ import annotations

from datetime import date
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


def opened_payload(deadline: Deadline) -> dict[str, Any]:
    """The data of a deadline.opened event: what was attached, from when, due when."""
    return {**payload(deadline), "start_on": deadline.start_on, "follows_id": deadline.follows_id}


def closed_payload(deadline: Deadline, *, closed_on: date, outcome: str | None) -> dict[str, Any]:
    """The data of a deadline.closed event: met or missed, on which Beijing date."""
    return {**payload(deadline), "status": deadline.status, "closed_on": closed_on, "outcome": outcome}
