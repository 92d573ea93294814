"""Closing deadlines (met or missed) and the 12309 monthly follow-ups that a close can start.

12309 "then monthly": the result reply (3 months) that is missed (its overdue notice) or met with
a *progress* reply rather than the final answer is followed by a ``12309.progress_followup``
deadline, counted from the closed deadline's due date; each follow-up is followed the same way,
until a final reply closes the chain (see docs/deadlines.md).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.deadlines.attaching import attach
from services.review.deadlines.authors import FROM_ACTOR, FromActor, resolve
from services.review.deadlines.events import closed_payload
from services.review.deadlines.history import record
from services.review.deadlines.models import MET, MISSED, OPEN, Deadline
from services.review.deadlines.queries import get_open_for_update, suspensions
from shared.actor import Actor
from shared.auth import Principal
from shared.calendar import beijing_date
from shared.db.base import utcnow
from shared.errors import DomainError
from shared.events import new_event
from shared.outbox import enqueue

#: How a reply closes a deadline: the final answer, or a report of progress (the case goes on).
FINAL = "final"
PROGRESS = "progress"
OUTCOMES = (FINAL, PROGRESS)

#: 12309 "3 months, then monthly": the deadlines a progress reply (or a miss) is followed by.
FOLLOWUP_RULE = "12309.progress_followup"
FOLLOWED_BY = {"12309.result_reply": FOLLOWUP_RULE, FOLLOWUP_RULE: FOLLOWUP_RULE}


class InvalidOutcome(DomainError):
    code = "invalid_outcome"
    message_en = "Only a 12309 result or progress reply can be a progress reply"
    message_zh = "仅12309办理结果答复或进展答复可作为进展答复"


def meet(
    session: Session, *, deadline_id: str, met_at: _dt.datetime | None = None, actor: Actor | str,
    note: str | None = None, outcome: str = FINAL, principal: Principal | None | FromActor = FROM_ACTOR,
    met_on: _dt.date | None = None,
) -> Deadline:
    """The duty was performed (reply sent, review decided): close the timer, record if on time.

    On time means on or before the due date, in Beijing time. While paused it is on time.
    ``met_on``: the Beijing date it was performed, when the record of the act has a date and not
    an instant (立案 is recorded with its date, which may be earlier than the recording); default
    the date of ``met_at``.
    ``outcome``: ``final`` (the default), or ``progress`` for a 12309 result or follow-up reply
    that reports progress only: the next monthly follow-up is attached. A final reply also closes
    the subject's open follow-ups.
    """
    who = resolve(actor, principal)
    if outcome not in OUTCOMES:
        raise InvalidOutcome(outcome=outcome)
    deadline = get_open_for_update(session, deadline_id, principal=who.principal)
    if outcome == PROGRESS and deadline.rule_code not in FOLLOWED_BY:
        raise InvalidOutcome(rule_code=deadline.rule_code)
    at = met_at or utcnow()
    day = met_on or beijing_date(at)
    _close(session, deadline, at=at, day=day, actor=who.label, note=note, outcome=outcome)
    if outcome == PROGRESS:
        attach_followup(session, deadline, actor=who.label, start_on=deadline.due_on or day)
    elif deadline.rule_code in FOLLOWED_BY:
        open_followups = session.scalars(
            select(Deadline).where(Deadline.subject == deadline.subject, Deadline.rule_code == FOLLOWUP_RULE,
                                   Deadline.status == OPEN).order_by(Deadline.start_on).with_for_update()
        ).all()
        for followup in open_followups:
            _close(session, followup, at=at, day=day, actor=who.label, note=note, outcome=FINAL,
                   closed_by=deadline.id)
    return deadline


def _close(
    session: Session, deadline: Deadline, *, at: _dt.datetime, day: _dt.date, actor: str, note: str | None,
    outcome: str, closed_by: str | None = None,
) -> None:
    on_time = deadline.due_on is None or day <= deadline.due_on
    deadline.status = MET if on_time else MISSED
    deadline.met_at = at
    deadline.met_on_time = on_time
    # An open suspension ends with the duty.
    for s in suspensions(session, deadline.id):
        if s.resumed_on is None:
            s.resumed_on = max(day, s.start_on)
            s.lifted_by = actor
    session.flush()
    extra: dict[str, Any] = {"outcome": outcome} if deadline.rule_code in FOLLOWED_BY else {}
    if closed_by is not None:
        extra["closed_by"] = closed_by
    record(session, deadline, "met" if on_time else "missed", actor=actor, met_at=at,
           met_on=day, note=note, **extra)
    enqueue(session, new_event(
        "deadline.closed", subject=deadline.subject, source="review", actor=actor,
        data=closed_payload(deadline, closed_on=day, outcome=extra.get("outcome")),
    ))


def attach_followup(session: Session, deadline: Deadline, *, actor: str, start_on: _dt.date) -> Deadline | None:
    """The monthly follow-up of a 12309 result or follow-up deadline, counted from ``start_on``
    (its due date); at most one per deadline. ``None`` for a rule that has no follow-up."""
    code = FOLLOWED_BY.get(deadline.rule_code)
    if code is None:
        return None
    existing = session.scalar(select(Deadline).where(Deadline.follows_id == deadline.id))
    if existing is not None:
        return existing
    followup = attach(session, subject=deadline.subject, rule_code=code, start_on=start_on,
                      unit_code=deadline.unit_code, case_number=deadline.case_number, actor=actor,
                      follows_id=deadline.id)
    record(session, deadline, "followup_attached", actor=actor, followup_id=followup.id,
           followup_due_on=followup.due_on)
    return followup


def on_overdue(session: Session, deadline: Deadline, *, actor: str) -> Deadline | None:
    """A deadline's overdue notice went out (a job, system: unscoped). A missed 12309 result or
    follow-up reply is followed by the next monthly follow-up, from its due date."""
    if deadline.rule_code not in FOLLOWED_BY or deadline.due_on is None:
        return None
    return attach_followup(session, deadline, actor=actor, start_on=deadline.due_on)
