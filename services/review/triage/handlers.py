"""Event handlers of the triage queue: thin, they turn the envelope into a typed input and call service.py."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.review.triage import service
from services.review.triage.inputs import DuplicateSplit, PetitionReceived
from shared.events import Envelope


def on_petition_received(session: Session, event: Envelope) -> None:
    """``petition.received``: a pending triage item with its 12309/12368 deadlines, or a 重复件 filed under its original."""
    service.receive(session, PetitionReceived.from_envelope(event), event_id=event.id, trace_id=event.trace_id)


def on_duplicate_split(session: Session, event: Envelope) -> None:
    """``petition.duplicate_split``: the item the split 重复件 would have had."""
    service.open_split_duplicate(session, DuplicateSplit.from_envelope(event), event_id=event.id, trace_id=event.trace_id)


HANDLERS = {"petition.received": on_petition_received, "petition.duplicate_split": on_duplicate_split}
