"""Event handlers of deliveries: thin, they call service.py."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.notify.deliveries import service
from shared.events import Envelope


def on_triage_item_created(session: Session, event: Envelope) -> None:
    service.record_staff_notice(session, event)


HANDLERS = {"triage.item_created": on_triage_item_created}
