"""A flagged court case's steps reach Kafka through the outbox, in order, and review and notify consume them.

Intake runs in-process over PostgreSQL; the real relay publishes to the real broker; review's and
notify's real consumers (every handler of their manifests) read the topic. Review handles the
green-channel decision and 立案 (its deadline) and skips the flag and the fee-relief steps; notify
handles all five (staff-inbox notices). Nothing is dead-lettered.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from services.intake import create_app
from services.intake.court_cases.schemas import COURT_CASE_EXAMPLE
from services.notify.deliveries.models import Delivery
from services.notify.domains import MANIFEST as NOTIFY
from services.review.deadlines.models import Deadline
from services.review.domains import MANIFEST as REVIEW
from shared.config import KafkaSettings, Settings
from shared.events import decode
from shared.kafka.consumer import ConsumerStats, EventConsumer
from shared.kafka.producer import make_producer
from shared.outbox import pending_count
from shared.outbox.relay import OutboxRelay
from tests.support.auth import AuthKeys
from tests.support.infra import Databases
from tests.support.kafka import read_topic
from tests.support.stack import wait_for

STEPS = ["court_case.flagged", "court_case.green_channel_decided", "court_case.fee_relief_applied",
         "court_case.fee_relief_decided", "court_case.filed"]


def test_every_step_reaches_the_broker_in_order_and_review_and_notify_consume_them(
    databases: Databases, kafka_settings: KafkaSettings, pg_session_for: Any, test_keys: AuthKeys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HUHANG_TOPIC_PREFIX", kafka_settings.topic_prefix)  # the outbox rows' topic
    app = create_app({"TESTING": True}, settings=Settings(
        service="intake", database_url=databases.fresh("intake"), kafka=kafka_settings))
    judge = app.test_client()
    judge.environ_base["HTTP_AUTHORIZATION"] = test_keys.headers("judge")["Authorization"]
    try:
        case = judge.post("/api/v1/court-cases", json=copy.deepcopy(COURT_CASE_EXAMPLE)).json
        base = f"/api/v1/court-cases/{case['id']}"
        enterprise = next(p["id"] for p in case["parties"] if p["kind"] == "enterprise")
        assert judge.post(f"{base}/green-channel", json={"granted": True}).status_code == 201
        application = judge.post(f"{base}/fee-relief-applications", json={
            "party_id": enterprise, "kind": "缓交", "situation_code": "47.4", "proof": "财务报表", "stage": "起诉"}).json
        assert judge.post(f"{base}/fee-relief-applications/{application['id']}/decision",
                          json={"granted": True}).status_code == 200
        assert judge.post(f"{base}/filing", json={}).status_code == 200

        sessions = app.extensions["huhang"].session_factory
        relay = OutboxRelay(sessions, make_producer(kafka_settings))
        wait_for(lambda: relay.publish_once() >= 0 and _drained(sessions), what="outbox drained")
    finally:
        app.extensions["huhang"].engine.dispose()

    records = read_topic(kafka_settings, kafka_settings.events_topic("intake"), at_least=len(STEPS))
    events = [decode(r.value) for r in records]  # decode validates each payload against the catalogue
    assert [e.type for e in events] == STEPS  # one key (the case): one partition, in order
    assert {r.key for r in records} == {case["id"].encode()}
    flagged = events[0].data
    assert flagged["enterprise_credit_codes"] == ["91411302MA44TFGN0Q"] and flagged["unit_code"] == "NY-FY"
    assert events[-1].data["green_channel_met"] is True

    # Review: the decision opens the green-channel deadline, 立案 closes it; the other three it skips.
    _, review_sessions = pg_session_for("review")
    stats = _consume(kafka_settings, "review", REVIEW.handlers(), review_sessions, len(STEPS))
    assert (stats.handled, stats.ignored, stats.dead_lettered) == (2, 3, 0)
    with review_sessions() as s:
        [deadline] = s.scalars(select(Deadline).where(Deadline.subject == case["id"])).all()
    assert (deadline.rule_code, deadline.status, deadline.unit_code) == ("court.green_channel", "met", "NY-FY")
    assert deadline.due_on == date.fromisoformat(events[1].data["due_on"])

    # Notify: one staff-inbox notice per step, for the court staff of the unit.
    _, notify_sessions = pg_session_for("notify")
    stats = _consume(kafka_settings, "notify", NOTIFY.handlers(), notify_sessions, len(STEPS))
    assert (stats.handled, stats.ignored, stats.dead_lettered) == (len(STEPS), 0, 0)
    with notify_sessions() as s:
        deliveries = s.scalars(select(Delivery).where(Delivery.subject == case["id"])).all()
    assert sorted(d.source_event_type for d in deliveries) == sorted(STEPS)
    assert {(d.recipient, d.unit_code) for d in deliveries} == {("unit:court-staff", "NY-FY")}


def _consume(kafka_settings: KafkaSettings, name: str, handlers: Any, sessions: Any, expected: int) -> ConsumerStats:
    """Run `name`'s real consumer over intake's topic until it has seen `expected` events."""
    consumer = EventConsumer(
        name=name, topics=[kafka_settings.events_topic("intake")], handlers=handlers,
        session_factory=sessions, kafka=kafka_settings, retry_backoff_s=0.01,
        consumer_overrides={"session_timeout_ms": 10000, "heartbeat_interval_ms": 1000},
    )
    seen = lambda: consumer.stats.handled + consumer.stats.ignored + consumer.stats.dead_lettered  # noqa: E731
    try:
        # Bounded, not timed: joining the group can take a rebalance or two on a loaded CI machine
        # (one run of .ci/run took over 60 s here while the broker refreshed metadata).
        wait_for(lambda: (consumer.poll_once(timeout_ms=200), seen() >= expected)[1],
                 timeout=150, interval=0, what=f"{name} consumer")
    finally:
        consumer.close()
    return consumer.stats


def _drained(sessions: Any) -> bool:
    with sessions() as s:
        return pending_count(s) == 0
