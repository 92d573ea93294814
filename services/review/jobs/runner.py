"""The loop of `huhang scheduler`: every job once per pass, a pass every ``interval_s`` seconds."""

from __future__ import annotations

import datetime as _dt
import logging
import threading
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from services.review.jobs.job import Job
from shared.db.base import utcnow

log = logging.getLogger(__name__)


class JobRunner:
    """Runs each job's :meth:`~services.review.jobs.job.Job.run_once` every ``interval_s`` seconds
    until :meth:`stop`; a failing job is logged and does not keep the others from running."""

    def __init__(
        self, jobs: Sequence[Job], session_factory: sessionmaker[Session], *, interval_s: float = 60.0,
        clock: Callable[[], _dt.datetime] = utcnow,
    ) -> None:
        names = [job.name for job in jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"job names must be unique: {names}")
        self.jobs = list(jobs)
        self.session_factory = session_factory
        self.interval_s = interval_s
        self.clock = clock
        self._stop = threading.Event()

    def run_once(self, now: _dt.datetime | None = None) -> dict[str, int | None]:
        """One pass at ``now`` (default the clock): each job's count, ``None`` for a job that failed."""
        at = now or self.clock()
        done: dict[str, int | None] = {}
        for job in self.jobs:
            if self._stop.is_set():
                break
            try:
                done[job.name] = job.run_once(self.session_factory, now=at)
            except Exception:  # noqa: BLE001 - a database outage must not kill the loop or the other jobs
                log.exception("job failed; retrying next pass", extra={"job": job.name})
                done[job.name] = None
            else:
                if done[job.name]:
                    log.info("job pass", extra={"job": job.name, "done": done[job.name]})
        return done

    def run(self) -> None:
        """Pass after pass until :meth:`stop`."""
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.interval_s)

    def stop(self) -> None:
        """End :meth:`run` after the job in flight (its batch commits or rolls back as usual)."""
        self._stop.set()
