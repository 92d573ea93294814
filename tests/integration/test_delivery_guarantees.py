"""Nothing lost, nothing done twice: the outbox relay and the consumers over the real broker."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone

import requests
from sqlalchemy import func, select, text

from services.review.domains import MANIFEST as REVIEW

REVIEW_HANDLERS = REVIEW.handlers()
from services.review.triage.models import TriageItem
from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.config import KafkaSettings
from shared.events import Envelope, decode, encode, new_event
from shared.inbox import ProcessedEvent
from shared.kafka.consumer import EventConsumer
from shared.kafka.dlq import read_all, replay
from shared.kafka.producer import make_producer
from shared.outbox import OutboxMessage, enqueue, pending_count
from shared.outbox.relay import OutboxRelay
from tests.support.kafka import create_topics, produce_raw, read_topic
from tests.support.stack import Stack, wait_for


def _petition_event(n: int = 0) -> Envelope:
    pid = str(uuid.uuid4())
    return new_event(
        "petition.received", subject=pid, source="intake",
        data={
            "petition_id": pid, "case_number": f"12309-2026-{n:06d}", "line": "12309", "channel": "信",
            "petition_type": "控告", "is_enterprise": False, "petitioner_masked": "李*", "summary": "诉求",
            "received_at": datetime(2026, 10, 8, 1, 0, tzinfo=timezone.utc), "received_on": "2026-10-08",
        },
    )


def _review_consumer(kafka: KafkaSettings, sessions, **kw) -> EventConsumer:  # type: ignore[no-untyped-def]
    return EventConsumer(
        name="review", topics=[kafka.events_topic("intake")], handlers=kw.pop("handlers", REVIEW_HANDLERS),
        session_factory=sessions, kafka=kafka, retry_backoff_s=0.01,
        consumer_overrides={"session_timeout_ms": 10000, "heartbeat_interval_ms": 1000}, **kw,
    )


def _drain(consumer: EventConsumer, until, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    wait_for(lambda: (consumer.poll_once(timeout_ms=200), until())[1], timeout=timeout, interval=0, what="consumer")


def _count(sessions, model) -> int:  # type: ignore[no-untyped-def]
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)))


def test_relay_killed_between_publish_and_mark_sent(stack: Stack, kafka_settings: KafkaSettings, pg_session_for, test_keys) -> None:  # type: ignore[no-untyped-def]
    intake = stack.start_api("intake")
    created = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, timeout=10, headers=test_keys.headers("intake_clerk"))
    assert created.status_code == 201
    petition_id = created.json()["id"]

    # The relay publishes, the broker acks, and the process dies before marking the row sent.
    doomed = stack.start_relay("intake", HUHANG_FAULT_RELAY_EXIT_AFTER_PUBLISH="1")
    assert doomed.wait(timeout=60) == 70
    from shared.db.engine import make_engine, make_session_factory

    intake_sessions = make_session_factory(make_engine(stack.database_urls["intake"]))
    with intake_sessions() as s:
        assert pending_count(s) == 1  # still pending: the mark never happened

    # A healthy relay sends it again; review handles it once.
    stack.start_relay("intake")
    wait_for(lambda: _pending_is_zero(intake_sessions), what="outbox drained")
    topic = kafka_settings.events_topic("intake")
    records = read_topic(kafka_settings, topic, at_least=2)
    ids = [decode(r.value).id for r in records]
    assert len(ids) == 2 and len(set(ids)) == 1  # the same event, on the topic twice

    review_sessions = make_session_factory(make_engine(stack.database_urls["review"]))
    consumer = _review_consumer(kafka_settings, review_sessions)
    try:
        _drain(consumer, lambda: consumer.stats.handled + consumer.stats.duplicates >= 2)
    finally:
        consumer.close()
    assert consumer.stats.handled == 1 and consumer.stats.duplicates == 1
    with review_sessions() as s:
        items = s.scalars(select(TriageItem)).all()
    assert [i.petition_id for i in items] == [petition_id]


def _pending_is_zero(sessions) -> bool:  # type: ignore[no-untyped-def]
    with sessions() as s:
        return pending_count(s) == 0


def test_same_event_twice_has_one_effect(kafka_settings: KafkaSettings, pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("review")
    event = _petition_event(7)
    topic = kafka_settings.events_topic("intake")
    create_topics(kafka_settings, topic)
    produce_raw(kafka_settings, topic, [encode(event), encode(event)], key=event.subject.encode())
    consumer = _review_consumer(kafka_settings, sessions)
    try:
        _drain(consumer, lambda: consumer.stats.handled + consumer.stats.duplicates >= 2)
    finally:
        consumer.close()
    assert (consumer.stats.handled, consumer.stats.duplicates) == (1, 1)
    assert _count(sessions, TriageItem) == 1
    # The effect produced exactly one downstream event.
    with sessions() as s:
        assert s.scalar(select(func.count()).where(OutboxMessage.event_type == "triage.item_created")) == 1
        assert s.scalar(select(func.count()).select_from(ProcessedEvent)) == 1


def test_offsets_are_committed_so_a_restart_does_not_redo_work(kafka_settings: KafkaSettings, pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("review")
    topic = kafka_settings.events_topic("intake")
    create_topics(kafka_settings, topic)
    produce_raw(kafka_settings, topic, [encode(_petition_event(n)) for n in range(5)])
    first = _review_consumer(kafka_settings, sessions)
    try:
        _drain(first, lambda: first.stats.handled >= 5)
    finally:
        first.close()
    produce_raw(kafka_settings, topic, [encode(_petition_event(99))])
    second = _review_consumer(kafka_settings, sessions)
    try:
        _drain(second, lambda: second.stats.handled >= 1)
    finally:
        second.close()
    # The second consumer started at the committed offset: it saw only the new event.
    assert (second.stats.handled, second.stats.duplicates) == (1, 0)
    assert _count(sessions, TriageItem) == 6


def test_poison_message_is_dead_lettered_and_the_consumer_goes_on(kafka_settings: KafkaSettings, pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("review")
    topic = kafka_settings.events_topic("intake")
    create_topics(kafka_settings, topic, partitions=1)
    good = _petition_event(1)
    wrong_payload = encode(_petition_event(2)).replace(b'"channel":"\xe4\xbf\xa1"', b'"channel":"fax"')
    produce_raw(kafka_settings, topic, [b"{not json", wrong_payload, None, encode(good)])
    consumer = _review_consumer(kafka_settings, sessions)
    try:
        _drain(consumer, lambda: consumer.stats.handled >= 1 and consumer.stats.dead_lettered >= 3)
    finally:
        consumer.close()
    assert _count(sessions, TriageItem) == 1

    letters = read_all(kafka_settings, "review")
    assert len(letters) == 3
    assert {letter.origin_topic for letter in letters} == {topic}
    assert sorted(int(letter.headers["dlq.origin.offset"]) for letter in letters) == [0, 1, 2]
    errors = " | ".join(letter.error for letter in letters)
    assert "not JSON" in errors and "channel" in errors and "tombstone" in errors


def test_failing_handler_is_retried_then_dead_lettered_then_replayed(kafka_settings: KafkaSettings, pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("review")
    topic = kafka_settings.events_topic("intake")
    create_topics(kafka_settings, topic)
    attempts: list[str] = []
    broken = {"on": True}

    def flaky(session, event) -> None:  # type: ignore[no-untyped-def]
        attempts.append(event.id)
        if broken["on"]:
            raise RuntimeError("downstream rule table missing")
        REVIEW_HANDLERS["petition.received"](session, event)

    event = _petition_event(3)
    produce_raw(kafka_settings, topic, [encode(event)])
    consumer = _review_consumer(kafka_settings, sessions, handlers={"petition.received": flaky}, max_attempts=3)
    try:
        _drain(consumer, lambda: consumer.stats.dead_lettered >= 1)
        assert attempts == [event.id] * 3
        # Nothing was half-written by the failed attempts.
        assert _count(sessions, TriageItem) == 0 and _count(sessions, ProcessedEvent) == 0
        [letter] = read_all(kafka_settings, "review")
        assert "downstream rule table missing" in letter.error and letter.headers["dlq.attempts"] == "3"

        broken["on"] = False  # the fix is deployed; an operator replays the dead letter
        assert replay(kafka_settings, "review") == 1
        _drain(consumer, lambda: consumer.stats.handled >= 1)
    finally:
        consumer.close()
    assert _count(sessions, TriageItem) == 1


def test_two_relays_publish_every_row_once_with_skip_locked(kafka_settings: KafkaSettings, pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("intake")
    events = [_petition_event(n) for n in range(300)]
    with sessions() as s, s.begin():
        for e in events:
            enqueue(s, e, kafka=kafka_settings)
    relays = [OutboxRelay(sessions, make_producer(kafka_settings), batch_size=20) for _ in range(2)]
    threads = [threading.Thread(target=r.run, args=(0.01,)) for r in relays]
    for t in threads:
        t.start()
    try:
        wait_for(lambda: _pending_is_zero(sessions), what="outbox drained by two relays")
    finally:
        for r in relays:
            r.stop()
        for t in threads:
            t.join(timeout=10)
        for r in relays:
            r.publisher.close(timeout=5)  # type: ignore[attr-defined]
    records = read_topic(kafka_settings, kafka_settings.events_topic("intake"), at_least=300)
    ids = [decode(r.value).id for r in records]
    assert sorted(ids) == sorted(e.id for e in events)  # all, and none twice


def test_a_row_committed_late_is_not_skipped(kafka_settings: KafkaSettings, pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("intake")
    early, late = _petition_event(1), _petition_event(2)
    slow = sessions()
    slow.begin()
    enqueue(slow, early, kafka=kafka_settings)
    slow.flush()  # takes the lower id, but does not commit yet
    with sessions() as s, s.begin():
        enqueue(s, late, kafka=kafka_settings)
    producer = make_producer(kafka_settings)
    relay = OutboxRelay(sessions, producer)
    try:
        assert relay.publish_once() == 1  # only the committed, higher id
        slow.commit()
        slow.close()
        assert relay.publish_once() == 1  # the lower id, committed late, is still found
    finally:
        producer.close(timeout=5)
    with sessions() as s:
        ids = [r.id for r in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
        assert s.scalar(text("select count(*) from outbox where status = 'sent'")) == 2
    assert len(ids) == 2


def test_database_outage_is_retried_from_the_committed_offset_not_dead_lettered(kafka_settings: KafkaSettings, pg_session_for) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    _, sessions = pg_session_for("review")
    topic = kafka_settings.events_topic("intake")
    create_topics(kafka_settings, topic, partitions=1)
    outage = {"calls": 0}

    def database_down_twice(session, event) -> None:  # type: ignore[no-untyped-def]
        outage["calls"] += 1
        if outage["calls"] <= 2:
            raise OperationalError("INSERT ...", {}, ConnectionRefusedError("server closed the connection"))
        REVIEW_HANDLERS["petition.received"](session, event)

    events = [_petition_event(n) for n in range(3)]
    produce_raw(kafka_settings, topic, [encode(e) for e in events])
    consumer = _review_consumer(kafka_settings, sessions, handlers={"petition.received": database_down_twice})
    runner = threading.Thread(target=consumer.run)
    runner.start()
    try:
        wait_for(lambda: _count(sessions, TriageItem) == 3, timeout=60, what="all handled after the outage")
    finally:
        consumer.stop()
        runner.join(timeout=30)
    assert consumer.stats.dead_lettered == 0
    assert read_all(kafka_settings, "review", timeout_s=2) == []
    assert outage["calls"] >= 5  # two failures, then the three events


def test_one_failing_event_in_a_batch_does_not_hold_back_the_others(kafka_settings: KafkaSettings, pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("review")
    topic = kafka_settings.events_topic("intake")
    create_topics(kafka_settings, topic, partitions=1)
    events = [_petition_event(n) for n in range(5)]
    poisoned = events[2].id

    def fails_on_one(session, event) -> None:  # type: ignore[no-untyped-def]
        if event.id == poisoned:
            raise ValueError("this petition breaks a rule")
        REVIEW_HANDLERS["petition.received"](session, event)

    produce_raw(kafka_settings, topic, [encode(e) for e in events])
    consumer = _review_consumer(kafka_settings, sessions, handlers={"petition.received": fails_on_one}, max_attempts=2)
    try:
        # All five arrive in one poll: the batch transaction fails as a whole and is redone one by one.
        _drain(consumer, lambda: consumer.stats.handled + consumer.stats.dead_lettered >= 5)
    finally:
        consumer.close()
    assert (consumer.stats.handled, consumer.stats.dead_lettered) == (4, 1)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(TriageItem)) == 4
        assert s.scalar(select(func.count()).select_from(ProcessedEvent)) == 4
    [letter] = read_all(kafka_settings, "review")
    assert decode(letter.value).id == poisoned


def test_a_consumer_started_before_its_topic_exists_sees_the_first_event(kafka_settings: KafkaSettings, pg_session_for) -> None:  # type: ignore[no-untyped-def]
    """On a fresh broker the workers start before anything was produced: no 5-minute blind spot."""
    from kafka.admin import KafkaAdminClient

    _, sessions = pg_session_for("review")
    topic = kafka_settings.events_topic("intake")
    consumer = _review_consumer(kafka_settings, sessions)
    runner = threading.Thread(target=consumer.run)
    runner.start()
    try:
        admin = KafkaAdminClient(bootstrap_servers=kafka_settings.bootstrap_servers.split(","))
        try:
            wait_for(lambda: topic in admin.list_topics(), what="the consumer to create its topic")
        finally:
            admin.close()
        produce_raw(kafka_settings, topic, [encode(_petition_event(1))])
        wait_for(lambda: _count(sessions, TriageItem) == 1, timeout=30, what="the first event handled")
    finally:
        consumer.stop()
        runner.join(timeout=30)
