"""Event handlers of the court cases review follows: thin, they build the typed input and call service.py.

Of intake's ``court_case.*`` events review acts on two; ``court_case.flagged`` and the fee-relief
steps it leaves to notify (no 期限 of review's hangs on them: see service.py), so its consumer
counts them as ignored, never dead-letters them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.review.cases.court import service
from services.review.cases.court.inputs import CourtCaseFiled, GreenChannelDecided
from shared.events import Envelope


def on_green_channel_decided(session: Session, event: Envelope) -> None:
    """``court_case.green_channel_decided``: a grant opens the ``court.green_channel`` deadline."""
    service.open_green_channel_deadline(session, GreenChannelDecided.from_envelope(event), event_id=event.id,
                                        trace_id=event.trace_id)


def on_filed(session: Session, event: Envelope) -> None:
    """``court_case.filed``: 立案 closes the green-channel deadline, met or missed."""
    service.close_green_channel_deadline(session, CourtCaseFiled.from_envelope(event), filed_at=event.occurred_at,
                                         event_id=event.id, trace_id=event.trace_id)


HANDLERS = {"court_case.green_channel_decided": on_green_channel_decided, "court_case.filed": on_filed}
