"""Event handlers of the read model: thin, each turns a review event into a call of service.py.

The payloads are loaded with their schemas (shared/events/review.py), so dates arrive as dates.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema
from sqlalchemy.orm import Session

from services.intake.status import service
from services.intake.status.models import PENDING, TRIAGE
from shared.calendar.clock import beijing_date
from shared.events import Envelope
from shared.events.review import (
    DeadlineClosedV1,
    DeadlineNoticeV1,
    DeadlineOpenedV1,
    DeadlineRecomputedV1,
    TriageItemCreatedV1,
)


def _load(schema: type[Schema], event: Envelope) -> dict[str, Any]:
    loaded: dict[str, Any] = schema(unknown=EXCLUDE).load(event.data)
    return loaded


def _facts(data: dict[str, Any]) -> service.DeadlineFacts:
    return service.DeadlineFacts(deadline_id=data["deadline_id"], subject_id=data["subject"],
                                 case_number=data["case_number"], rule_code=data["rule_code"], title=data["title"])


def on_triage_item_created(session: Session, event: Envelope) -> None:
    """``triage.item_created``: the petition waits to be routed (待分流) since the item's day."""
    data = _load(TriageItemCreatedV1, event)
    service.record_step(session, subject_id=data["petition_id"], case_number=data["case_number"], step=TRIAGE,
                        state=PENDING, on=beijing_date(event.occurred_at), event_id=event.id,
                        unit_code=data["unit_code"])


def on_deadline_opened(session: Session, event: Envelope) -> None:
    data = _load(DeadlineOpenedV1, event)
    service.deadline_opened(session, _facts(data), start_on=data["start_on"], due_on=data["due_on"],
                            provisional=data["provisional"], follows_id=data["follows_id"])


def on_deadline_recomputed(session: Session, event: Envelope) -> None:
    data = _load(DeadlineRecomputedV1, event)
    service.deadline_moved(session, _facts(data), due_on=data["due_on"], provisional=data["provisional"])


def on_deadline_overdue(session: Session, event: Envelope) -> None:
    data = _load(DeadlineNoticeV1, event)
    service.deadline_moved(session, _facts(data), due_on=data["due_on"], provisional=data["provisional"],
                           overdue=True)


def on_deadline_closed(session: Session, event: Envelope) -> None:
    data = _load(DeadlineClosedV1, event)
    service.deadline_closed(session, _facts(data), status=data["status"], closed_on=data["closed_on"],
                            due_on=data["due_on"], outcome=data["outcome"])


# deadline.due_soon says nothing the timeline shows (the due date is already known): not consumed.
HANDLERS = {
    "triage.item_created": on_triage_item_created,
    "deadline.opened": on_deadline_opened,
    "deadline.recomputed": on_deadline_recomputed,
    "deadline.overdue": on_deadline_overdue,
    "deadline.closed": on_deadline_closed,
}
