"""Writing the read model from review's events, and reading one subject's rows back.

Every write is an upsert keyed by the subject and step, or by the deadline id, so a redelivered
or replayed event leaves the rows as they were (the consumer's inbox already skips a redelivery;
this makes a replay under a new event id harmless too).  Events of one petition share its id as
the Kafka key and arrive in order; a handler still copes with a close seen before its open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.status.models import DONE, PENDING, STEPS, StatusDeadline, StatusFeedback, StatusStep


@dataclass(frozen=True)
class DeadlineFacts:
    """What every deadline event says about its deadline (shared/events/review.py `_DeadlineRef`)."""

    deadline_id: str
    subject_id: str
    case_number: str | None
    rule_code: str
    title: str


def record_step(
    session: Session, *, subject_id: str, case_number: str | None, step: str, state: str, on: date,
    event_id: str, unit_code: str | None = None, note: str | None = None, round_: int | None = None,
) -> StatusStep:
    """The step `step` of `subject_id` is `state` (pending / done) since `on`.

    Within one handling round a done step stays done (a late "begun" never undoes it); a later
    round (`round_`, after a 不满意 reopened the matter) may set it back to pending, and an event of
    an earlier round arriving late changes nothing.  `round_` None: the event names no round.
    """
    if step not in STEPS or state not in (PENDING, DONE):
        raise ValueError(f"unknown step {step!r} or state {state!r}")
    row = session.scalar(select(StatusStep).where(StatusStep.subject_id == subject_id, StatusStep.step == step))
    new_round = False
    if row is None:
        row = StatusStep(subject_id=subject_id, step=step)
        session.add(row)
    elif round_ is not None and round_ < (row.round or 1):
        return row  # an earlier round's event, seen after a later round began
    elif round_ is not None and round_ > (row.round or 1):
        new_round = True
    elif row.state == DONE and state == PENDING:
        return row  # a late "begun" never undoes "done"
    row.case_number = case_number or row.case_number
    row.state, row.on_date, row.source_event_id = state, on, event_id
    row.unit_code = unit_code or row.unit_code
    row.note = note if new_round else (note or row.note)
    row.round = round_ or row.round
    session.flush()
    return row


def reset_step(session: Session, *, subject_id: str, step: str, event_id: str, on: date) -> None:
    """The step is not reached any more (materials asked for before routing): pending, its note cleared."""
    row = session.scalar(select(StatusStep).where(StatusStep.subject_id == subject_id, StatusStep.step == step))
    if row is not None:
        row.state, row.on_date, row.note, row.source_event_id = PENDING, on, None, event_id
        session.flush()


def note_feedback(
    session: Session, *, subject_id: str, case_number: str | None, round_: int, rating: str, reasons: str | None,
    via: str, at: datetime, event_id: str | None, recorded: bool,
) -> StatusFeedback:
    """A round's 评价: sent by the petitioner here (``recorded`` False) or recorded by review (True, it wins)."""
    row = session.scalar(select(StatusFeedback).where(StatusFeedback.subject_id == subject_id,
                                                      StatusFeedback.round == round_))
    if row is None:
        row = StatusFeedback(subject_id=subject_id, round=round_)
        session.add(row)
    elif row.recorded and not recorded:
        return row
    row.case_number = case_number or row.case_number
    row.rating, row.reasons, row.via, row.submitted_at = rating, reasons, via, at
    row.recorded, row.source_event_id = recorded, event_id
    session.flush()
    return row


def _deadline(session: Session, facts: DeadlineFacts) -> StatusDeadline:
    row = session.get(StatusDeadline, facts.deadline_id)
    if row is None:
        row = StatusDeadline(deadline_id=facts.deadline_id, status="open", overdue=False, provisional=False)
        session.add(row)
    row.subject_id, row.rule_code, row.title = facts.subject_id, facts.rule_code, facts.title
    row.case_number = facts.case_number or row.case_number
    return row


def deadline_opened(
    session: Session, facts: DeadlineFacts, *, start_on: date, due_on: date | None, provisional: bool,
    follows_id: str | None,
) -> StatusDeadline:
    """`deadline.opened`: the deadline exists, counted from `start_on`, due `due_on`."""
    row = _deadline(session, facts)
    row.start_on, row.follows_id = start_on, follows_id
    if row.status == "open":  # a close seen first keeps its due date
        row.due_on, row.provisional = due_on, provisional
    session.flush()
    return row


def deadline_moved(
    session: Session, facts: DeadlineFacts, *, due_on: date | None, provisional: bool, overdue: bool = False,
) -> StatusDeadline:
    """`deadline.recomputed` (paused, resumed, extended, new holiday data) or a notice: the current due date."""
    row = _deadline(session, facts)
    if row.status == "open":
        if overdue:
            row.overdue = True
        elif due_on != row.due_on:
            row.overdue = False  # the notice was for the old date
        row.due_on, row.provisional = due_on, provisional
    session.flush()
    return row


def deadline_closed(
    session: Session, facts: DeadlineFacts, *, status: str, closed_on: date, due_on: date | None,
    outcome: str | None,
) -> StatusDeadline:
    """`deadline.closed`: the duty was performed on `closed_on`, on time (met) or not (missed)."""
    row = _deadline(session, facts)
    row.status, row.closed_on, row.outcome = status, closed_on, outcome
    row.due_on = due_on if due_on is not None else row.due_on
    session.flush()
    return row


def feedback_of(session: Session, subject_id: str) -> list[StatusFeedback]:
    """The subject's 评价, one per rated round, in round order."""
    return list(session.scalars(select(StatusFeedback).where(StatusFeedback.subject_id == subject_id)
                                .order_by(StatusFeedback.round)))


def of_subject(session: Session, subject_id: str) -> tuple[list[StatusStep], list[StatusDeadline]]:
    """The subject's steps and deadlines: two reads, whether or not it has any (the query's uniform path)."""
    steps = list(session.scalars(select(StatusStep).where(StatusStep.subject_id == subject_id)))
    deadlines = list(session.scalars(
        select(StatusDeadline).where(StatusDeadline.subject_id == subject_id)
        # Paused deadlines (no due date) after the dated ones that started the same day.
        .order_by(StatusDeadline.start_on, StatusDeadline.due_on.is_(None), StatusDeadline.due_on,
                  StatusDeadline.deadline_id)))
    return steps, deadlines
