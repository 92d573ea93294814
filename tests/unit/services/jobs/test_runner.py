"""The job runner of `huhang scheduler`: every job once per pass, a failing job isolated."""

from __future__ import annotations

import datetime as _dt
import threading

import pytest
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines.jobs import DeadlineNotices, jobs
from services.review.jobs.job import Job
from services.review.jobs.runner import JobRunner

NOW = _dt.datetime(2026, 3, 2, 1, tzinfo=_dt.timezone.utc)


class FakeJob:
    def __init__(self, name: str, done: int = 0, fails: bool = False) -> None:
        self.name = name
        self.done = done
        self.fails = fails
        self.seen: list[_dt.datetime] = []

    def run_once(self, session_factory: sessionmaker[Session], *, now: _dt.datetime) -> int:
        self.seen.append(now)
        if self.fails:
            raise RuntimeError("database down")
        return self.done


def test_a_pass_runs_every_job_and_a_failure_does_not_stop_the_others() -> None:
    broken, notices = FakeJob("broken", fails=True), FakeJob("notices", done=3)
    runner = JobRunner([broken, notices], sessionmaker(), interval_s=0)
    assert runner.run_once(NOW) == {"broken": None, "notices": 3}
    assert broken.seen == notices.seen == [NOW]


def test_the_clock_gives_now_and_stop_ends_run() -> None:
    job = FakeJob("j")
    runner = JobRunner([job], sessionmaker(), interval_s=30, clock=lambda: NOW)
    thread = threading.Thread(target=runner.run)
    thread.start()
    runner.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert job.seen in ([], [NOW])


def test_job_names_are_unique() -> None:
    with pytest.raises(ValueError):
        JobRunner([FakeJob("a"), FakeJob("a")], sessionmaker())


def test_the_deadline_domain_exposes_its_notice_job() -> None:
    made: list[Job] = jobs(batch_size=7)
    assert [j.name for j in made] == ["deadline-notices"]
    assert isinstance(made[0], DeadlineNotices) and made[0].batch_size == 7
