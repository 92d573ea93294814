"""跟踪督办 over the real broker and PostgreSQL: two schedulers escalate each overdue deadline once
(SKIP LOCKED and the unique key), the 挂牌督办 loop through review's running API, every step an event
on the review topic (published by the running relay), and the 督办 list's keyset pages on PostgreSQL."""

from __future__ import annotations

import datetime as _dt
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import suspensions
from services.review.identity.units import service as units
from services.review.supervision import jobs, listing
from services.review.supervision.models import Supervision, SupervisionEscalation
from services.review.triage.models import TriageItem
from services.review.triage.service import create_from_petition
from shared.calendar import beijing_today
from shared.config import KafkaSettings
from shared.db.engine import make_engine, make_session_factory
from shared.events import decode
from shared.outbox import OutboxMessage
from tests.support.auth import AuthKeys
from tests.support.infra import Databases, Infrastructure
from tests.support.kafka import read_topic
from tests.support.replicas import run_replicas
from tests.support.stack import Stack, wait_for
from tests.unit.portal import factories

N = 12


def _items(sessions: sessionmaker[Session], n: int, *, received_on: _dt.date, handling: str = "NY-JCY-WC") -> list[str]:
    out = []
    with sessions() as session, session.begin():
        units.seed(session)
        for i in range(n):
            petition = factories.petition(number=i + 1, unit_code="NY-JCY-KS", received_on=received_on,
                                          prefix=f"I{uuid.uuid4().hex[:4]}")
            item = create_from_petition(session, petition, event_id=str(uuid.uuid4()), trace_id=None)
            item.handling_unit_code, item.status = handling, "handling"
            out.append(petition.petition_id)
    return out


def _events(kafka: KafkaSettings, sessions: sessionmaker[Session]) -> list[object]:
    with sessions() as session:
        published = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
    wait_for(lambda: _all_sent(sessions), timeout=60, what="the relay to publish the outbox")
    return [decode(r.value) for r in read_topic(kafka, kafka.events_topic("review"), at_least=published)]


def _all_sent(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        return not session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent"))


@pytest.fixture(autouse=True)
def _topics(kafka_settings: KafkaSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    # The outbox names a row's topic from the environment when it is written: this test's prefix.
    monkeypatch.setenv("HUHANG_TOPIC_PREFIX", kafka_settings.topic_prefix)


def _stack(infra: Infrastructure, databases: Databases, kafka: KafkaSettings, tmp_path: Path) -> Stack:
    return Stack(kafka_bootstrap=infra.kafka_bootstrap, database_urls={"review": databases.fresh("review")},
                 topic_prefix=kafka.topic_prefix, log_dir=tmp_path)


def test_two_schedulers_escalate_each_overdue_deadline_once(  # type: ignore[no-untyped-def]
        infra, databases, kafka_settings: KafkaSettings, tmp_path: Path) -> None:
    stack = _stack(infra, databases, kafka_settings, tmp_path)
    url = stack.database_urls["review"]
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        petitions = _items(sessions, N, received_on=_dt.date(2026, 9, 26))  # due 10-08 (moved out of 国庆)
        done: list[object] = []

        def replica(factory: sessionmaker[Session]) -> None:
            for today in (_dt.date(2026, 10, 8), _dt.date(2026, 10, 9), _dt.date(2026, 10, 10)):
                done.extend(jobs.run_once(factory, today=today, batch_size=2))

        run_replicas(url, replica)
        assert len(done) == N
        with sessions() as session:
            rows = session.scalars(select(SupervisionEscalation)).all()
            assert len(rows) == N and {r.escalated_on for r in rows} == {_dt.date(2026, 10, 9)}
            assert session.scalar(select(func.count()).select_from(Supervision)) == N
            assert session.scalar(select(func.count()).select_from(TriageItem).where(TriageItem.supervised)) == N
        stack.start_relay("review")
        events = _events(kafka_settings, sessions)
        escalated = Counter(e.data["deadline_id"] for e in events if e.type == "supervision.escalated")  # type: ignore[attr-defined]
        assert len(escalated) == N and set(escalated.values()) == {1}
        assert {e.data["petition_id"] for e in events if e.type == "supervision.escalated"} == set(petitions)  # type: ignore[attr-defined]
        assert {e.data["to_unit"] for e in events if e.type == "supervision.escalated"} == {"NY-JCY"}  # type: ignore[attr-defined]
    finally:
        stack.stop_all()
        engine.dispose()


def test_the_listing_loop_through_the_running_api(  # type: ignore[no-untyped-def]
        infra, databases, kafka_settings: KafkaSettings, tmp_path: Path, test_keys: AuthKeys) -> None:
    stack = _stack(infra, databases, kafka_settings, tmp_path)
    engine = make_engine(stack.database_urls["review"])
    sessions = make_session_factory(engine)
    try:
        [petition_id, *others] = _items(sessions, 6, received_on=_dt.date.today() - _dt.timedelta(days=2))
        base = stack.start_api("review", workers=1)
        stack.start_relay("review")
        leader, handler = test_keys.headers("unit_leader"), test_keys.headers("case_handler")
        body = {"amount": 5, "unit": "working_day", "instructions": "请查明情况并报告"}
        opened = requests.post(f"{base}/api/v1/supervision/items/{petition_id}", json=body, headers=leader, timeout=10)
        assert opened.status_code == 201, opened.text
        sid = opened.json()["id"]
        refused = requests.post(f"{base}/api/v1/supervision/{sid}/reports", json={"text": "代报"}, headers=leader,
                                timeout=10)
        assert refused.status_code == 403 and refused.json()["code"] == "not_your_unit"
        for path, who, payload in ((f"/{sid}/reports", handler, {"text": "已办理"}),
                                   (f"/{sid}/reject", leader, {"reasons": "请补充"}),
                                   (f"/{sid}/reports", handler, {"text": "已补充"}),
                                   (f"/{sid}/accept", leader, None)):
            answer = requests.post(f"{base}/api/v1/supervision{path}", json=payload, headers=who, timeout=10)
            assert answer.status_code in (200, 201), answer.text
        assert answer.json()["state"] == "closed"
        events = [e for e in _events(kafka_settings, sessions)
                  if e.type.startswith("supervision.") and e.data["supervision_id"] == sid]  # type: ignore[attr-defined]
        assert [e.type for e in events] == [  # type: ignore[attr-defined]
            "supervision.opened", "supervision.reported", "supervision.report_rejected", "supervision.reported",
            "supervision.report_accepted", "supervision.closed"]
        assert all(e.data["case_number"] and e.data["round"] == 1 for e in events)  # type: ignore[attr-defined]

        # The 督办 list on PostgreSQL: keyset pages in due order, a paused clock last.
        for other in others:
            requests.post(f"{base}/api/v1/supervision/items/{other}", headers=leader, timeout=10,
                          json={**body, "amount": 1 + others.index(other)}).raise_for_status()
        with sessions() as session, session.begin():
            paused = session.scalars(select(Supervision).where(Supervision.petition_id == others[0])).one()
            assert paused.deadline_id is not None
            suspensions.suspend(session, deadline_id=paused.deadline_id, reason="other", basis="等待鉴定意见",
                                start_on=beijing_today(), actor="test", principal=None)
        seen, after = [], None
        while True:
            page = requests.get(f"{base}/api/v1/supervision", headers=leader, timeout=10,
                                params={"limit": 2, **({"after": after} if after else {})}).json()
            seen.extend(page["rows"])
            after = page["next_cursor"]
            if after is None:
                break
        assert len(seen) == 6 and seen[-1]["petition_id"] == others[0]
        keys = [(r["due_on"], r["id"]) for r in seen[:-1]]
        assert keys == sorted(keys)
        with sessions() as session:
            page_ = listing.page(session, principal=None, filters=listing.ListFilters(state="closed"),
                                 today=beijing_today())
        assert [r.supervision.id for r in page_.rows] == [sid]
    finally:
        stack.stop_all()
        engine.dispose()
