"""The 督办 domain's job of `huhang scheduler`: overdue 期限 escalated one level up, once each.

:class:`Escalations` keeps the contract of :class:`services.review.jobs.job.Job`: each batch in its
own transaction (claimed with SKIP LOCKED, marked by a unique row, events through the outbox in
that transaction), bounded, idempotent at the same ``now`` (escalation.py says how).
"""

from __future__ import annotations

import datetime as _dt
import logging

from sqlalchemy.orm import Session, sessionmaker

from services.review.jobs.job import Job
from services.review.supervision.escalation import Escalated, escalate_batch
from shared.calendar import beijing_date

log = logging.getLogger(__name__)


def run_once(session_factory: sessionmaker[Session], *, today: _dt.date, batch_size: int = 100,
             max_batches: int | None = None) -> list[Escalated]:
    """Every escalation due on ``today`` (a Beijing date), batch by batch; what was escalated."""
    done: list[Escalated] = []
    batches = 0
    while max_batches is None or batches < max_batches:
        with session_factory() as session, session.begin():
            claimed, escalated = escalate_batch(session, today=today, limit=batch_size)
        done.extend(escalated)
        batches += 1
        if claimed < batch_size:
            break
    return done


class Escalations:
    """The :class:`~services.review.jobs.job.Job` of :func:`run_once`; its count is the deadlines escalated."""

    name = "supervision-escalations"

    def __init__(self, *, batch_size: int = 100) -> None:
        self.batch_size = batch_size

    def run_once(self, session_factory: sessionmaker[Session], *, now: _dt.datetime) -> int:
        done = run_once(session_factory, today=beijing_date(now), batch_size=self.batch_size)
        if done:
            log.info("escalations", extra={"escalated": len(done)})
        return len(done)


def jobs(*, batch_size: int = 100) -> list[Job]:
    """The 督办 domain's jobs for the runner (a :class:`~services.review.jobs.job.JobFactory`)."""
    return [Escalations(batch_size=batch_size)]
