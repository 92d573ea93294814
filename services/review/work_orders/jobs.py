"""The escalation job of `huhang scheduler`: overdue 工单 pass one level up, once per level.

Keeps the contract of :class:`services.review.jobs.job.Job`: each batch claims its orders with
``SELECT … FOR UPDATE SKIP LOCKED`` in its own transaction (escalation.py); the unique
(order, assignment, level) row makes a second replica, or a pass after a crash, unable to
escalate an order twice to one level.  "Today" is the Beijing date of ``now``; on a rest day
nothing escalates (the first working day after the due date does, a 调休 Saturday included).
"""

from __future__ import annotations

import datetime as _dt
import logging

from sqlalchemy.orm import Session, sessionmaker

from services.review.holidays.service import holiday_table
from services.review.jobs.job import Job
from services.review.work_orders.escalation import claim_overdue, escalate
from shared.calendar import beijing_date

log = logging.getLogger(__name__)


class WorkOrderEscalations:
    """Escalate every overdue order at ``now``; the count is the orders escalated."""

    name = "work-order-escalations"

    def __init__(self, *, batch_size: int = 100) -> None:
        self.batch_size = batch_size

    def run_once(self, session_factory: sessionmaker[Session], *, now: _dt.datetime) -> int:
        today = beijing_date(now)
        with session_factory() as session:
            # Nobody is there to take an order on a rest day: the first working day after the
            # due date escalates it, and the new owner's clock starts on a day it can be worked.
            if not holiday_table(session).is_working_day(today):
                return 0
        done = 0
        while True:
            with session_factory() as session, session.begin():
                orders = claim_overdue(session, today=today, limit=self.batch_size)
                escalated = sum(escalate(session, order, today=today) for order in orders)
            done += escalated
            if len(orders) < self.batch_size or not escalated:
                break
        if done:
            log.info("work orders escalated", extra={"escalated": done})
        return done


def jobs(*, batch_size: int = 100) -> list[Job]:
    """The work-order domain's jobs for the runner (a :class:`~services.review.jobs.job.JobFactory`)."""
    return [WorkOrderEscalations(batch_size=batch_size)]
