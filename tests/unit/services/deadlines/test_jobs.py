"""The deadline-notice job driven by the job runner, as `huhang scheduler` builds it."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import attaching, queries
from services.review.deadlines.jobs import jobs
from services.review.jobs.runner import JobRunner


def test_the_runner_sends_each_notice_once(review_sessions: sessionmaker[Session]) -> None:
    with review_sessions() as s, s.begin():
        d = attaching.attach(s, unit_code="NY-JCY-KS", subject="job-1", rule_code="12309.procedural_reply",
                             start_on=date(2025, 11, 3))
    runner = JobRunner(jobs(batch_size=1), review_sessions, interval_s=0)
    warn_day = datetime(2025, 11, 6, 1, tzinfo=timezone.utc)
    assert runner.run_once(warn_day) == {"deadline-notices": 1}
    assert runner.run_once(warn_day) == {"deadline-notices": 0}
    with review_sessions() as s:
        assert [h.kind for h in queries.history(s, d.id)] == ["set", "due_soon_emitted"]
