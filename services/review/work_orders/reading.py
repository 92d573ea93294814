"""What a reader is shown of an order: the order, its running clock (overdue or not), transfers, escalations."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy.orm import Session

from services.review.deadlines.models import OPEN as DEADLINE_OPEN, Deadline
from services.review.work_orders import service
from shared.auth import Principal


def clock_view(clock: Deadline | None, *, today: _dt.date) -> dict[str, Any] | None:
    if clock is None:
        return None
    return {"deadline_id": clock.id, "rule_code": clock.rule_code, "title": clock.title, "start_on": clock.start_on,
            "due_on": clock.due_on, "provisional": clock.provisional, "status": clock.status,
            "overdue": clock.status == DEADLINE_OPEN and clock.due_on is not None and clock.due_on < today}


def as_read_many(session: Session, rows: list[service.OrderRow], *, today: _dt.date) -> list[dict[str, Any]]:
    """The rows as the API and pages show them; their transfers and escalations in two queries for all."""
    ids = [row.order.id for row in rows]
    moves, steps = service.transfers(session, ids), service.escalations(session, ids)
    return [{
        **{c: getattr(row.order, c) for c in (
            "id", "petition_id", "case_number", "related_case_number", "kind", "request", "status",
            "is_green_channel", "green_source", "unit_code", "assignee_name", "owner_unit_code", "level",
            "assignment", "created_by", "created_on", "created_at", "reply_text", "reply_delivery", "replied_by",
            "replied_on", "replied_on_time")},
        "clock": clock_view(row.clock, today=today),
        "transfers": moves[row.order.id],
        "escalations": steps[row.order.id],
    } for row in rows]


def read(session: Session, order_id: str, *, principal: Principal, today: _dt.date) -> dict[str, Any]:
    order = service.get_or_raise(session, order_id, principal=principal)
    clock = session.get(Deadline, order.deadline_id) if order.deadline_id else None
    [view] = as_read_many(session, [service.OrderRow(order, clock)], today=today)
    return view
