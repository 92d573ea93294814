"""Event handlers of the triage queue: thin, they call service.py."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.review.triage import service
from shared.events import Envelope


def on_petition_received(session: Session, event: Envelope) -> None:
    service.create_from_petition(session, event)


HANDLERS = {"petition.received": on_petition_received}
