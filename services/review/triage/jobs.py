"""The triage domain's periodic job: 移送 whose 异议 window ended unobjected stand (triage-transfers)."""

from __future__ import annotations

import datetime as _dt

from sqlalchemy.orm import Session, sessionmaker

from services.review.jobs.job import Job
from services.review.triage.decisions import settle_expired_transfers
from shared.calendar import beijing_date


class TransferWindows:
    """Meets every ``triage.transfer_objection`` 期限 whose last day is before today (Beijing), on that day.

    Runs before the deadline notices (triage is listed first in domains.py), so a window that
    simply ran out is met, not reported overdue.  Batches of ``batch_size``, SKIP LOCKED.
    """

    name = "triage-transfers"

    def __init__(self, *, batch_size: int = 100) -> None:
        self.batch_size = batch_size

    def run_once(self, session_factory: sessionmaker[Session], *, now: _dt.datetime) -> int:
        today, total = beijing_date(now), 0
        while True:
            with session_factory() as session, session.begin():
                done = settle_expired_transfers(session, today=today, limit=self.batch_size)
            total += done
            if done < self.batch_size:
                return total


def jobs(*, batch_size: int = 100) -> list[Job]:
    return [TransferWindows(batch_size=batch_size)]
