"""The deadline-notice job of `huhang scheduler`: due_soon and overdue notices, exactly once.

:class:`DeadlineNotices` keeps the contract of :class:`services.review.jobs.job.Job`; :func:`jobs`
is this domain's entry for the runner (one line in a manifest, or in services/cli.py today).

Each pass claims the deadlines whose notice is due with ``SELECT … FOR UPDATE SKIP LOCKED``
(PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE) and, in the same transaction per
batch, marks each one (``due_soon_sent_for`` / ``overdue_sent_for`` = the due date), inserts a
``deadline_notices`` row (unique per deadline, kind and due date), appends the history row and
writes the event to the outbox. A second replica skips locked rows and, once they commit, no
longer selects them; a scheduler killed mid-batch rolls back and its successor sends the batch.

A notice goes out once per due date: if a suspension or extension later moves the date, the
new date gets its own warning. A deadline first seen after its due date gets only the overdue
notice. "Today" is the Beijing date of ``now``.

Each pass also recomputes provisional deadlines with the current holiday table, so a year that
arrives through a chinesecalendar upgrade or a data file (not only `huhang calendar import`)
updates them.
"""

from __future__ import annotations

import datetime as _dt
import logging
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines.closing import on_overdue
from services.review.deadlines.events import notice_payload
from services.review.deadlines.history import record
from services.review.deadlines.models import DUE_SOON, OPEN, OVERDUE, Deadline, DeadlineNotice
from services.review.deadlines.recompute import recompute_open
from services.review.holidays.service import holiday_table
from services.review.jobs.job import Job
from shared.calendar import beijing_date
from shared.db.base import utcnow
from shared.db.engine import is_postgres
from shared.events import new_event
from shared.outbox import enqueue

log = logging.getLogger(__name__)
ACTOR = "system:scheduler"


@dataclass
class PassResult:
    """What one pass did: notices sent of each kind, deadlines whose due date was recomputed."""

    due_soon: int = 0
    overdue: int = 0
    recomputed: int = 0


def _claim(session: Session, kind: str, today: _dt.date, limit: int) -> list[Deadline]:
    query = select(Deadline).where(Deadline.status == OPEN, Deadline.due_on.is_not(None))
    if kind == DUE_SOON:
        query = query.where(
            Deadline.warn_on <= today, Deadline.due_on >= today,
            or_(Deadline.due_soon_sent_for.is_(None), Deadline.due_soon_sent_for != Deadline.due_on),
        )
    else:
        query = query.where(
            Deadline.due_on < today,
            or_(Deadline.overdue_sent_for.is_(None), Deadline.overdue_sent_for != Deadline.due_on),
        )
    query = query.order_by(Deadline.due_on, Deadline.id).limit(limit)
    if is_postgres(str(session.get_bind().engine.url)):
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def _emit(session: Session, deadline: Deadline, kind: str) -> None:
    assert deadline.due_on is not None
    event = new_event(f"deadline.{kind}", subject=deadline.subject, source="review", actor=ACTOR,
                      data=notice_payload(deadline))
    if kind == DUE_SOON:
        deadline.due_soon_sent_for = deadline.due_on
    else:
        deadline.overdue_sent_for = deadline.due_on
    session.add(DeadlineNotice(deadline_id=deadline.id, kind=kind, due_on=deadline.due_on, event_id=event.id))
    record(session, deadline, f"{kind}_emitted", actor=ACTOR, event_id=event.id)
    enqueue(session, event)
    if kind == OVERDUE:
        # 12309 "then monthly": a missed result or follow-up reply gets the next follow-up.
        on_overdue(session, deadline, actor=ACTOR)


def emit_batch(session_factory: sessionmaker[Session], kind: str, today: _dt.date, limit: int) -> int:
    """One transaction: claim up to ``limit`` deadlines and send their ``kind`` notice."""
    with session_factory() as session, session.begin():
        rows = _claim(session, kind, today, limit)
        for deadline in rows:
            _emit(session, deadline, kind)
        return len(rows)


def run_once(
    session_factory: sessionmaker[Session], now: _dt.datetime | None = None, *,
    batch_size: int = 100, max_batches: int | None = None, recompute: bool = True,
) -> PassResult:
    """One scheduler pass at ``now`` (aware; default the current time). Safe to run concurrently."""
    today = beijing_date(now or utcnow())
    result = PassResult()
    if recompute:
        with session_factory() as session, session.begin():
            result.recomputed = len(recompute_open(
                session, table=holiday_table(session), actor=ACTOR, reason="calendar_updated"
            ))
    for kind in (OVERDUE, DUE_SOON):
        batches = 0
        while max_batches is None or batches < max_batches:
            sent = emit_batch(session_factory, kind, today, batch_size)
            batches += 1
            if kind == DUE_SOON:
                result.due_soon += sent
            else:
                result.overdue += sent
            if sent < batch_size:
                break
    return result


class DeadlineNotices:
    """The :class:`~services.review.jobs.job.Job` of :func:`run_once`: its count is every notice sent
    and every deadline recomputed in the pass."""

    name = "deadline-notices"

    def __init__(self, *, batch_size: int = 100) -> None:
        self.batch_size = batch_size

    def run_once(self, session_factory: sessionmaker[Session], *, now: _dt.datetime) -> int:
        """One pass of :func:`run_once` at ``now``."""
        result = run_once(session_factory, now, batch_size=self.batch_size)
        if result.due_soon or result.overdue or result.recomputed:
            log.info("deadline notices", extra={"due_soon": result.due_soon, "overdue": result.overdue,
                                                "recomputed": result.recomputed})
        return result.due_soon + result.overdue + result.recomputed


def jobs(*, batch_size: int = 100) -> list[Job]:
    """The deadline domain's jobs for the runner (a :class:`~services.review.jobs.job.JobFactory`)."""
    return [DeadlineNotices(batch_size=batch_size)]
