"""The daily job of `huhang scheduler`: fixed-term listings whose term ran out are removed (第十条第二款).

Each batch claims the expired listings with ``SELECT … FOR UPDATE SKIP LOCKED`` in its own
transaction, so two replicas never remove one listing twice; each removal starts the
``dishonesty.deletion`` deadline at the expiry day (3 working days) and meets it at once, so the
record shows whether the removal came within the three working days the article allows.  "Today"
is the Beijing date of ``now``; the job runs every day, rest days included (a removal is not a
court's working act: it is the system's, and the earlier the better).
"""

from __future__ import annotations

import datetime as _dt
import logging

from sqlalchemy.orm import Session, sessionmaker

from services.review.dishonesty.service import due_for_expiry, expire
from services.review.jobs.job import Job
from shared.calendar import beijing_date

log = logging.getLogger(__name__)


class ListingExpiries:
    """Remove every listing whose fixed term ended before today; the count is the listings removed."""

    name = "dishonesty-expiries"

    def __init__(self, *, batch_size: int = 100) -> None:
        self.batch_size = batch_size

    def run_once(self, session_factory: sessionmaker[Session], *, now: _dt.datetime) -> int:
        today = beijing_date(now)
        done = 0
        while True:
            with session_factory() as session, session.begin():
                listings = due_for_expiry(session, today=today, limit=self.batch_size)
                removed = sum(expire(session, listing, today=today) for listing in listings)
            done += removed
            if len(listings) < self.batch_size or not removed:
                break
        if done:
            log.info("dishonesty listings expired", extra={"removed": done})
        return done


def jobs(*, batch_size: int = 100) -> list[Job]:
    """The 失信 domain's jobs for the runner (a :class:`~services.review.jobs.job.JobFactory`)."""
    return [ListingExpiries(batch_size=batch_size)]
