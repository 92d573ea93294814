"""The item's copy of its nearest running 期限 (``triage_items.next_due_on``), kept on every change.

The queue sorts every unit's items by it; a copy on the row lets one composite index serve the
sort and the keyset page, where a join to a grouped subquery over all open deadlines read them all.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.review.deadlines.models import OPEN, Deadline
from services.review.triage.models import TriageItem


def refresh(session: Session, subject: str) -> None:
    """Set the item of petition ``subject`` to the earliest due date of its open, running deadlines."""
    session.flush()
    nearest = select(func.min(Deadline.due_on)).where(Deadline.subject == subject, Deadline.status == OPEN)
    session.execute(update(TriageItem).where(TriageItem.petition_id == subject)
                    .values(next_due_on=nearest.scalar_subquery()).execution_options(synchronize_session="fetch"))
