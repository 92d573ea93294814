"""Deadline notices exactly once, over the real broker and PostgreSQL: two replicas, and restarts."""

from __future__ import annotations

import signal
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import jobs as scheduler_module
from services.review.deadlines import attaching
from services.review.deadlines.models import DeadlineNotice
from services.review.deadlines.jobs import run_once
from shared.calendar import beijing_today, utcnow
from shared.config import KafkaSettings
from shared.db.engine import make_engine, make_session_factory
from tests.support.replicas import run_replicas
from shared.events import decode
from shared.kafka.producer import make_producer
from shared.outbox import OutboxMessage, pending_count
from shared.outbox.relay import OutboxRelay
from tests.support.kafka import read_topic
from tests.support.stack import Stack, wait_for

N = 12  # deadlines overdue, and as many again in their warning window


def _attach_many(sessions: sessionmaker[Session], today: date) -> None:
    """N overdue deadlines (started 60 days ago) and N due soon (7 日 from 5 days ago ≈ due in 2 days)."""
    with sessions() as s, s.begin():
        for n in range(N):
            attaching.attach(s, unit_code="NY-JCY-KS", subject=f"late-{n}", rule_code="12309.procedural_reply", start_on=today - timedelta(days=60))
        for n in range(N):
            d = attaching.attach(s, unit_code="NY-JCY-KS", subject=f"soon-{n}", rule_code="court_12368.work_order", start_on=today - timedelta(days=1))
            assert d.warn_on is not None and d.warn_on <= today <= (d.due_on or today)


def _publish_all(sessions: sessionmaker[Session], kafka: KafkaSettings) -> None:
    relay = OutboxRelay(sessions, make_producer(kafka))
    try:
        while relay.publish_once():
            pass
    finally:
        relay.publisher.close()  # type: ignore[attr-defined]


def _notices_on_topic(kafka: KafkaSettings, expected: int, sessions: sessionmaker[Session]) -> Counter[tuple[str, str]]:
    # The topic holds every deadline's deadline.opened too: wait for all the outbox published.
    with sessions() as s:
        published = s.scalar(select(func.count()).select_from(OutboxMessage)) or 0
    assert published >= expected
    records = read_topic(kafka, kafka.events_topic("review"), at_least=published)
    events = [decode(r.value) for r in records]
    return Counter((e.type, e.data["deadline_id"]) for e in events if e.type in ("deadline.due_soon", "deadline.overdue"))


@pytest.fixture
def review_pg(pg_session_for, kafka_settings: KafkaSettings, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    # The outbox names topics from the environment: this test's prefix.
    monkeypatch.setenv("HUHANG_TOPIC_PREFIX", kafka_settings.topic_prefix)
    url, sessions = pg_session_for("review")
    return url, sessions


def test_two_replicas_running_at_once_send_each_notice_exactly_once(review_pg, kafka_settings: KafkaSettings) -> None:  # type: ignore[no-untyped-def]
    url, sessions = review_pg
    now = utcnow()
    _attach_many(sessions, beijing_today())

    results: list[object] = []

    def replica(factory: sessionmaker[Session]) -> None:
        # Small batches so the replicas interleave over many transactions.
        for _ in range(3):
            results.append(run_once(factory, now, batch_size=2))

    run_replicas(url, replica)
    assert sum(r.due_soon for r in results) == N and sum(r.overdue for r in results) == N  # type: ignore[attr-defined]
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(DeadlineNotice)) == 2 * N

    _publish_all(sessions, kafka_settings)
    counts = _notices_on_topic(kafka_settings, 2 * N, sessions)
    assert len(counts) == 2 * N and set(counts.values()) == {1}
    assert sum(1 for kind, _ in counts if kind == "deadline.overdue") == N


def test_a_scheduler_that_dies_mid_batch_sends_nothing_twice(
    review_pg, kafka_settings: KafkaSettings, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    _, sessions = review_pg
    now = utcnow()
    _attach_many(sessions, beijing_today())

    # First run: emits one batch of 4, then dies while writing the third notice of the next batch.
    real_enqueue = scheduler_module.enqueue
    calls = {"n": 0}

    def dying_enqueue(session, event):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 7:
            raise KeyboardInterrupt("killed")  # not an Exception: nothing catches it
        return real_enqueue(session, event)

    monkeypatch.setattr(scheduler_module, "enqueue", dying_enqueue)
    with pytest.raises(KeyboardInterrupt):
        run_once(sessions, now, batch_size=4)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(DeadlineNotice)) == 4  # the dead batch rolled back
        assert pending_count(s) == 2 * N + 4  # each deadline's deadline.opened, and the first batch
    _publish_all(sessions, kafka_settings)  # the first run's notices go out before the restart

    monkeypatch.setattr(scheduler_module, "enqueue", real_enqueue)
    restarted = run_once(sessions, now, batch_size=4)
    assert restarted.due_soon + restarted.overdue == 2 * N - 4
    assert run_once(sessions, now, batch_size=4).overdue == 0  # and a third run finds nothing

    _publish_all(sessions, kafka_settings)
    counts = _notices_on_topic(kafka_settings, 2 * N, sessions)
    assert len(counts) == 2 * N and set(counts.values()) == {1}


@pytest.mark.slow
def test_the_scheduler_process_killed_and_restarted(stack: Stack, kafka_settings: KafkaSettings) -> None:
    url = stack.database_urls["review"]
    sessions = make_session_factory(make_engine(url))
    _attach_many(sessions, beijing_today())

    def notices() -> int:
        with sessions() as s:
            return int(s.scalar(select(func.count()).select_from(DeadlineNotice)) or 0)

    args = ["scheduler", "--interval", "0.05", "--batch", "1"]
    stack._spawn("review-scheduler", args, stack.env("review"))
    wait_for(lambda: notices() >= 3, what="first notices")
    stack.kill("review-scheduler", signal.SIGKILL)
    stack._spawn("review-scheduler-2", args, stack.env("review"))
    stack._spawn("review-scheduler-3", args, stack.env("review"))  # and a second replica
    wait_for(lambda: notices() == 2 * N, what="all notices")

    stack.start_relay("review")
    wait_for(lambda: _pending_zero(sessions), what="outbox drained")
    counts = _notices_on_topic(kafka_settings, 2 * N, sessions)
    assert len(counts) == 2 * N and set(counts.values()) == {1}


def _pending_zero(sessions: sessionmaker[Session]) -> bool:
    with sessions() as s:
        return pending_count(s) == 0
