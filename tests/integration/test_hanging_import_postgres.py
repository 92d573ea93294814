"""涉企挂案 import on PostgreSQL and the real broker: all or nothing, idempotent, the same file twice at once,
and the events on the review topic through the running API and relay."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from services.review.cases.hanging import service
from services.review.cases.hanging.models import (
    HangingCase,
    HangingCaseImport,
    HangingCaseMeasure,
    HangingCaseProperty,
    HangingCaseSuspect,
)
from shared.actor import Actor
from shared.audit.models import AuditEntry
from shared.config import KafkaSettings
from shared.db.engine import make_engine, make_session_factory
from shared.db.transaction import transaction
from shared.events import decode
from shared.outbox import OutboxMessage
from tests.support.auth import AuthKeys
from tests.support.hanging import row, xlsx
from tests.support.infra import Databases, Infrastructure
from tests.support.kafka import read_topic
from tests.support.stack import Stack, wait_for

TABLES = (HangingCase, HangingCaseSuspect, HangingCaseMeasure, HangingCaseProperty, HangingCaseImport)


@pytest.fixture(autouse=True)
def _topics(kafka_settings: KafkaSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUHANG_TOPIC_PREFIX", kafka_settings.topic_prefix)


@pytest.fixture
def sessions(databases: Databases) -> Any:
    engine = make_engine(databases.fresh("review"))
    yield make_session_factory(engine)
    engine.dispose()


def _counts(sessions: sessionmaker[Session]) -> tuple[int, ...]:
    with sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES)


def _prosecutor(keys: AuthKeys) -> Actor:
    return Actor.of(keys.principal("prosecutor"))


def test_a_fault_midway_leaves_nothing_written(sessions: sessionmaker[Session], test_keys: AuthKeys,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows are all valid, but the database refuses the third case: no case, batch, audit row or event stays."""
    real = service._fill
    calls = {"n": 0}

    def failing(case: HangingCase, given: Any) -> None:
        calls["n"] += 1
        real(case, given)
        if calls["n"] == 3:
            case.unit_code = None  # type: ignore[assignment]  # NOT NULL: PostgreSQL refuses the flush

    monkeypatch.setattr(service, "_fill", failing)
    data = xlsx([row(n) for n in range(1, 6)])
    with pytest.raises(IntegrityError), sessions() as session, transaction(session):
        service.import_file(session, data=data, file_name="x.xlsx", actor=_prosecutor(test_keys))
    assert _counts(sessions) == (0, 0, 0, 0, 0)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action.like("hanging_case.%"))) == 0
    monkeypatch.setattr(service, "_fill", real)
    with sessions() as session, transaction(session):
        result = service.import_file(session, data=data, file_name="x.xlsx", actor=_prosecutor(test_keys))
    assert len(result.created) == 5 and _counts(sessions) == (5, 5, 5, 5, 1)


def test_one_bad_row_imports_nothing_and_the_fixed_file_imports_once(sessions: sessionmaker[Session],
                                                                     test_keys: AuthKeys) -> None:
    bad = xlsx([row(1), row(2), row(3, 强制措施1到期日期="2025-12-31")])
    with pytest.raises(service.ImportRejected) as caught, sessions() as session, transaction(session):
        service.import_file(session, data=bad, file_name="bad.xlsx", actor=_prosecutor(test_keys))
    assert [(p.row, p.column, p.code) for p in caught.value.problems] == [(4, "强制措施1到期日期", "hanging.term_too_long")]
    assert _counts(sessions) == (0, 0, 0, 0, 0)
    good = xlsx([row(1), row(2), row(3)])
    for _ in range(2):
        with sessions() as session, transaction(session):
            service.import_file(session, data=good, file_name="good.xlsx", actor=_prosecutor(test_keys))
    assert _counts(sessions) == (3, 3, 3, 3, 1)


def test_the_same_file_twice_at_once_imports_it_once(sessions: sessionmaker[Session], test_keys: AuthKeys) -> None:
    data = xlsx([row(n) for n in range(1, 41)])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def importer() -> None:
        barrier.wait()
        try:
            with sessions() as session, transaction(session):
                result = service.import_file(session, data=data, file_name="x.xlsx", actor=_prosecutor(test_keys))
                outcomes.append("replayed" if result.replayed else "imported")
        except IntegrityError:
            outcomes.append("refused")  # the other one committed first: the unique keys stop this one

    threads = [threading.Thread(target=importer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("imported") == 1 and len(outcomes) == 2
    assert _counts(sessions) == (40, 40, 40, 40, 1)


def test_the_events_reach_the_review_topic(infra: Infrastructure, databases: Databases, kafka_settings: KafkaSettings,
                                          tmp_path: Path, test_keys: AuthKeys) -> None:
    stack = Stack(kafka_bootstrap=infra.kafka_bootstrap, database_urls={"review": databases.fresh("review")},
                  topic_prefix=kafka_settings.topic_prefix, log_dir=tmp_path)
    engine = make_engine(stack.database_urls["review"])
    factory = make_session_factory(engine)
    try:
        base = stack.start_api("review", workers=1)
        stack.start_relay("review")
        headers = test_keys.headers("prosecutor")
        answer = requests.post(f"{base}/api/v1/hanging-cases/imports", headers=headers, timeout=30,
                               files={"file": ("cases.xlsx", xlsx([row(1), row(2)]))})
        assert answer.status_code == 201, answer.text
        batch = answer.json()
        case_id = batch["case_ids"][0]
        measure = requests.get(f"{base}/api/v1/hanging-cases/{case_id}", headers=headers, timeout=10).json()["measures"][0]
        lifted = requests.patch(f"{base}/api/v1/hanging-cases/{case_id}/measures/{measure['id']}", headers=headers,
                                json={"lifted_on": "2024-09-01"}, timeout=10)
        assert lifted.status_code == 200, lifted.text

        def sent() -> bool:
            with factory() as session:
                return not session.scalar(select(func.count()).select_from(OutboxMessage)
                                          .where(OutboxMessage.status != "sent"))

        wait_for(sent, timeout=60, what="the relay to publish the outbox")
        with factory() as session:
            published = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
        events = [decode(r.value) for r in read_topic(kafka_settings, kafka_settings.events_topic("review"),
                                                      at_least=published)]
        ours = [e for e in events if e.type.startswith("hanging_case.")]  # type: ignore[attr-defined]
        # Keyed by subject: one case's events in order; the batch's event on its own key.
        assert sorted(e.type for e in ours) == ["hanging_case.imported", "hanging_case.registered",  # type: ignore[attr-defined]
                                                "hanging_case.registered", "hanging_case.updated"]
        assert [e.type for e in ours if e.subject == case_id] == [  # type: ignore[attr-defined]
            "hanging_case.registered", "hanging_case.updated"]
        imported = next(e.data for e in ours if e.type == "hanging_case.imported")  # type: ignore[attr-defined]
        assert imported["import_batch_id"] == batch["id"] and imported["created_count"] == 2
        updated = next(e.data for e in ours if e.type == "hanging_case.updated")  # type: ignore[attr-defined]
        assert updated["subject_id"] == case_id and updated["change"] == "measure_changed"
        assert updated["changed_fields"] == ["measures"] and updated["unit_code"] == "NY-JCY-XS"
    finally:
        stack.stop_all()
        engine.dispose()
