"""Each round's result reply, noted on its ``handling_rounds`` row whenever an item becomes ``replied``.

The handling step (services/review/handling/) gives the 答复 and sets the item's status; the rates
count replies per unit and the case page shows when each round was answered, so this module
watches the status instead of handling calling it: any flush that puts a 事项 into ``replied``
stamps the round's row (writing round 1's the first time).  One place, whoever sets the status.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from services.review.feedback.models import HandlingRound
from services.review.triage.models import TriageItem
from services.review.triage.states import REPLIED
from shared.calendar.clock import beijing_date
from shared.db.base import utcnow


def current(session: Session, item: TriageItem) -> HandlingRound | None:
    """The row of the item's present round, if one was written."""
    with session.no_autoflush:
        return session.scalar(select(HandlingRound).where(
            HandlingRound.petition_id == item.petition_id, HandlingRound.round == (item.round or 1)))


def of_item(session: Session, petition_id: str) -> list[HandlingRound]:
    return list(session.scalars(select(HandlingRound).where(HandlingRound.petition_id == petition_id)
                                .order_by(HandlingRound.round)))


def note_replied(session: Session, item: TriageItem) -> HandlingRound:
    """Stamp the present round as answered now (round 1's row is written here)."""
    row = current(session, item)
    now = utcnow()
    if row is None:
        number = item.round or 1  # None on a row not inserted yet: the column's default
        row = HandlingRound(petition_id=item.petition_id, round=number,
                            opened_on=item.received_on if number == 1 else beijing_date(now))
        session.add(row)
    row.unit_code = item.handling_unit_code or item.unit_code
    if row.replied_at is None:
        row.replied_at = now
    return row


def note_replies(session: Session, _context: Any, _instances: Any) -> None:
    for obj in [*session.new, *session.dirty]:
        if not isinstance(obj, TriageItem) or obj.status != REPLIED:
            continue
        state = inspect(obj)
        if state.pending or state.attrs.status.history.has_changes() or state.attrs.round.history.has_changes():
            note_replied(session, obj)
