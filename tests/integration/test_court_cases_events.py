"""A flagged court case's steps reach Kafka through the outbox, in order, and review passes over them.

Intake runs in-process over PostgreSQL; the real relay publishes to the real broker; review's real
consumer (every handler of its manifest) reads the topic: the five `court_case.*` types are
events it has no handler for, so it must skip them, never dead-letter them.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from services.intake import create_app
from services.intake.court_cases.schemas import COURT_CASE_EXAMPLE
from services.review.domains import MANIFEST as REVIEW
from shared.config import KafkaSettings, Settings
from shared.events import decode
from shared.kafka.consumer import EventConsumer
from shared.kafka.producer import make_producer
from shared.outbox import pending_count
from shared.outbox.relay import OutboxRelay
from tests.support.auth import AuthKeys
from tests.support.infra import Databases
from tests.support.kafka import read_topic
from tests.support.stack import wait_for

STEPS = ["court_case.flagged", "court_case.green_channel_decided", "court_case.fee_relief_applied",
         "court_case.fee_relief_decided", "court_case.filed"]


def test_every_step_reaches_the_broker_in_order_and_review_skips_them(
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

    _, review_sessions = pg_session_for("review")
    consumer = EventConsumer(
        name="review", topics=[kafka_settings.events_topic("intake")], handlers=REVIEW.handlers(),
        session_factory=review_sessions, kafka=kafka_settings, retry_backoff_s=0.01,
        consumer_overrides={"session_timeout_ms": 10000, "heartbeat_interval_ms": 1000},
    )
    try:
        wait_for(lambda: (consumer.poll_once(timeout_ms=200), consumer.stats.ignored >= len(STEPS))[1],
                 timeout=30, interval=0, what="review consumer")
    finally:
        consumer.close()
    assert consumer.stats.ignored == len(STEPS)
    assert consumer.stats.dead_lettered == 0 and consumer.stats.handled == 0


def _drained(sessions: Any) -> bool:
    with sessions() as s:
        return pending_count(s) == 0
