"""Event handlers of deliveries: thin, they call service.py."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.notify.deliveries import service
from shared.events import Envelope


def on_triage_item_created(session: Session, event: Envelope) -> None:
    service.record_staff_notice(session, event)


def on_deadline_notice(session: Session, event: Envelope) -> None:
    service.record_deadline_notice(session, event)


HANDLERS = {
    "triage.item_created": on_triage_item_created,
    "deadline.due_soon": on_deadline_notice,
    "deadline.overdue": on_deadline_notice,
}
