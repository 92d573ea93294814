"""Deriving and storing a deadline's due date (届满日) from its stored inputs.

The due date is never edited: it is always :func:`services.review.deadlines.counting.compute`
over the start date, the rule snapshot, the suspensions and the extensions, with the holiday
table in force. :func:`apply` stores a fresh result and, when the due date or the provisional
flag changed, writes the history row and announces ``deadline.recomputed`` through the outbox in
the same transaction. :func:`recompute_open` does that for every open deadline a holiday year may
move (a calendar import, a job's pass).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from services.review.deadlines import counting
from services.review.deadlines.events import payload
from services.review.deadlines.history import record
from services.review.deadlines.models import OPEN, Deadline
from services.review.deadlines.queries import extensions, suspensions
from services.review.holidays.service import holiday_table
from shared.calendar import HolidayTable, Unit
from shared.events import new_event
from shared.outbox import enqueue


def derive(session: Session, deadline: Deadline, *, table: HolidayTable | None = None) -> counting.Computed:
    """The due date ``deadline``'s stored inputs give today (nothing is written)."""
    return counting.compute(
        start_on=deadline.start_on,
        amount=deadline.amount,
        unit=Unit(deadline.unit),
        custody=deadline.custody,
        warn_before=deadline.warn_before,
        table=table or holiday_table(session),
        pauses=[counting.Pause(s.start_on, s.resumed_on) for s in suspensions(session, deadline.id)],
        extensions=[counting.Extension(e.amount, Unit(e.unit)) for e in extensions(session, deadline.id)],
    )


def apply(
    session: Session, deadline: Deadline, *, reason: str, actor: str,
    table: HolidayTable | None = None, history_kind: str | None = None, trace_id: str | None = None,
    **details: Any,
) -> bool:
    """Recompute and store; write the history row ``history_kind`` (or ``recomputed`` when the date
    changed) and, on a change, a ``deadline.recomputed`` event. Returns whether anything changed."""
    before_due, before_prov = deadline.due_on, deadline.provisional
    computed = derive(session, deadline, table=table)
    deadline.base_due_on = computed.base_due_on
    deadline.due_on = computed.due_on
    deadline.warn_on = computed.warn_on
    deadline.provisional = computed.provisional
    changed = (before_due, before_prov) != (deadline.due_on, deadline.provisional)
    kind = history_kind or ("recomputed" if changed else None)
    if kind is not None:
        record(session, deadline, kind, actor=actor, reason=reason, previous_due_on=before_due,
               previous_provisional=before_prov, **details)
    if changed:
        enqueue(session, new_event(
            "deadline.recomputed", subject=deadline.subject, source="review", actor=actor, trace_id=trace_id,
            data={**payload(deadline), "reason": reason, "previous_due_on": before_due,
                  "previous_provisional": before_prov},
        ))
    session.flush()
    return changed


def recompute_open(
    session: Session, *, table: HolidayTable, actor: str, reason: str, year: int | None = None,
) -> list[str]:
    """Recompute open deadlines with ``table``; returns the ids that changed.

    With ``year``: the provisional ones and any whose span touches that year or the December
    before it (a re-imported, corrected year). Without: the provisional ones only.
    """
    query = select(Deadline).where(Deadline.status == OPEN)
    if year is None:
        query = query.where(Deadline.provisional.is_(True))
    else:
        first, last = _dt.date(year - 1, 12, 1), _dt.date(year, 12, 31)
        query = query.where(or_(
            Deadline.provisional.is_(True),
            and_(Deadline.start_on <= last, or_(Deadline.due_on.is_(None), Deadline.due_on >= first)),
        ))
    changed = []
    for deadline in session.scalars(query.order_by(Deadline.id).with_for_update()).all():
        if apply(session, deadline, reason=reason, actor=actor, table=table):
            changed.append(deadline.id)
    return changed
