"""The petitioner's 评价 given on the public status query, kept here and sent to review.

The public answer offers the 评价 form once the present round's result reply is given and not yet
rated (status/timeline.py ``feedback_open``); what the petitioner sends is stored as the round's
评价 (``via`` public, not yet recorded by review) and announced as ``petition.feedback_submitted``
on intake's topic, in the same transaction.  Review records it (or refuses it, when staff
recorded that round's first) and answers with ``feedback.recorded``, which then stands here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from services.intake.status import service
from services.intake.status.models import StatusFeedback
from shared.actor import Actor
from shared.audit.service import record
from shared.events import new_event
from shared.outbox import enqueue

PUBLIC = "public"


def submit(
    session: Session, *, subject_id: str, case_number: str, round_: int, rating: str, reasons: str | None,
    actor: Actor, now: datetime,
) -> StatusFeedback:
    """Store the round's 评价 from the public query, audit it, and announce it to review."""
    reasons = (reasons or "").strip() or None
    row = service.note_feedback(session, subject_id=subject_id, case_number=case_number, round_=round_,
                                rating=rating, reasons=reasons, via=PUBLIC, at=now, event_id=None, recorded=False)
    record(session, action="public.status_feedback_submit", subject_type="petition", subject_id=subject_id,
           after={"round": round_, "rating": rating, "reasons": reasons}, **actor.fields())
    enqueue(session, new_event(
        "petition.feedback_submitted", subject=subject_id, source="intake", actor=actor.name, trace_id=actor.trace_id,
        data={"petition_id": subject_id, "case_number": case_number, "rating": rating, "reasons": reasons,
              "submitted_at": now, "round": round_}))
    return row
