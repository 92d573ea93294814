"""The 立案绿色通道 as a deadline of review's engine, opened and closed by intake's court-case events.

A judge or court clerk grants the green channel in intake, which records 立案 due by a date (the
flag's date plus the limit, counted by the shared calendar).  Here that limit becomes a
``court.green_channel`` deadline on the court case (subject = the case id, owned by the court
unit), so the 督办 machinery applies to it as to every other 期限: ``deadline.due_soon`` and
``deadline.overdue`` notices, suspensions, approved extensions, the history.  立案 closes it, met
or missed by the engine's own due date.

The deadline counts the limit the court's decision recorded (``limit_amount``/``limit_unit``),
from the start day intake counted from (``flagged_on``), so it ends on the decision's ``due_on``.
If review's holiday table knows a year intake's does not (an imported 放假安排), the two can
still differ: the deadline keeps the engine's date and its history says what the court's was.

A pending 缓交 application gets no deadline: 诉讼费用交纳办法 art. 49 orders it before 立案 but
sets no period for deciding it, and intake already refuses 立案 while one is undecided.

Each function is one handler's effect, called inside the consumer's transaction after the inbox
claim; each is also idempotent by itself (a replay under a new event id opens or closes nothing
twice).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.cases.court.inputs import CourtCaseFiled, GreenChannelDecided
from services.review.deadlines import closing
from services.review.deadlines.attaching import attach
from services.review.deadlines.history import record as record_history
from services.review.deadlines.models import OPEN, Deadline
from shared.actor import Actor
from shared.audit.service import record

log = logging.getLogger(__name__)

#: The rule of docs/deadlines.md (rules.toml); its settings are the ones intake reads.
GREEN_CHANNEL_RULE = "court.green_channel"


def green_channel_deadline(session: Session, *, court_case_id: str) -> Deadline | None:
    """The case's green-channel deadline, open or closed (at most one per case: one decision)."""
    return session.scalar(select(Deadline).where(
        Deadline.subject == court_case_id, Deadline.rule_code == GREEN_CHANNEL_RULE,
    ).order_by(Deadline.start_on).limit(1))


def open_green_channel_deadline(
    session: Session, decided: GreenChannelDecided, *, event_id: str, trace_id: str | None,
) -> Deadline | None:
    """A granted green channel opens its deadline for the court unit; a refusal opens nothing."""
    if not decided.granted:
        return None
    existing = green_channel_deadline(session, court_case_id=decided.court_case_id)
    if existing is not None:
        return existing
    actor = Actor.system(trace_id)
    deadline = attach(
        session, subject=decided.court_case_id, case_number=decided.case_number, rule_code=GREEN_CHANNEL_RULE,
        start_on=decided.start_on, unit_code=decided.unit_code, actor=actor.name, period=decided.limit,
    )
    if decided.due_on is not None and deadline.due_on != decided.due_on:
        # Not an error: the engine's holiday table may know a year intake's does not.
        log.warning("green-channel due date differs from the court's decision",
                    extra={"deadline_id": deadline.id, "due_on": str(deadline.due_on),
                           "court_due_on": str(decided.due_on)})
        record_history(session, deadline, "court_due_differs", actor=actor.name, court_due_on=decided.due_on,
                       court_due_provisional=decided.due_provisional)
    record(
        session, action="court_case.green_channel_deadline_open", subject_type="deadline", subject_id=deadline.id,
        after={"subject": deadline.subject, "case_number": deadline.case_number, "rule_code": deadline.rule_code,
               "unit_code": deadline.unit_code, "start_on": deadline.start_on.isoformat(),
               "due_on": deadline.due_on.isoformat() if deadline.due_on else None},
        detail={"source_event_id": event_id, "source_event_type": "court_case.green_channel_decided"},
        **actor.fields(),
    )
    return deadline


def close_green_channel_deadline(
    session: Session, filed: CourtCaseFiled, *, filed_at: datetime, event_id: str, trace_id: str | None,
) -> Deadline | None:
    """立案 closes the open green-channel deadline, met or missed by ``filed_on``; None if there is none
    (refused or never decided, or closed already)."""
    found = session.scalar(select(Deadline.id).where(
        Deadline.subject == filed.court_case_id, Deadline.rule_code == GREEN_CHANNEL_RULE, Deadline.status == OPEN,
    ))
    if found is None:
        return None
    actor = Actor.system(trace_id)
    deadline = closing.meet(session, deadline_id=found, met_at=filed_at, met_on=filed.filed_on, actor=actor,
                            note=f"立案 {filed.filed_on.isoformat()}")
    if filed.green_channel_met is not None and filed.green_channel_met != deadline.met_on_time:
        # A suspension or extension recorded here moved the date: the engine's verdict stands.
        log.info("green-channel verdict differs from intake's", extra={
            "deadline_id": deadline.id, "met": deadline.met_on_time, "court_met": filed.green_channel_met})
    record(
        session, action="court_case.green_channel_deadline_close", subject_type="deadline", subject_id=deadline.id,
        before={"status": OPEN}, after={"status": deadline.status, "met_on": filed.filed_on.isoformat()},
        detail={"source_event_id": event_id, "source_event_type": "court_case.filed",
                "court_met": filed.green_channel_met},
        **actor.fields(),
    )
    return deadline
