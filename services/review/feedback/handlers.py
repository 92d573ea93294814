"""Event handlers of 考评反馈: the 评价 a petitioner gave through intake's public status query."""

from __future__ import annotations

from marshmallow import EXCLUDE
from sqlalchemy.orm import Session

from services.review.feedback import service
from shared.events import Envelope
from shared.events.intake import PetitionFeedbackSubmittedV1


def on_feedback_submitted(session: Session, event: Envelope) -> None:
    """``petition.feedback_submitted``: the round's 评价, via public (a refused one is audited, not retried)."""
    data = PetitionFeedbackSubmittedV1(unknown=EXCLUDE).load(event.data)
    service.record_public(session, petition_id=data["petition_id"], round_=data["round"], rating=data["rating"],
                          reasons=data["reasons"], submitted_at=data["submitted_at"], event_id=event.id,
                          trace_id=event.trace_id)


HANDLERS = {"petition.feedback_submitted": on_feedback_submitted}
