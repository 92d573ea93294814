"""Intake's court-case steps driven through its service at chosen dates, for consumers' tests.

The events are intake's own (its outbox rows, as the relay would publish them), so a consumer
test checks agreement with what intake really sends, dates included.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.intake.court_cases import fee_relief
from services.intake.court_cases import service as intake
from services.intake.court_cases.service import GreenChannelRule
from shared.actor import Actor
from shared.calendar import Unit
from shared.config import KafkaSettings
from shared.kafka.consumer import EventConsumer, Handler
from shared.outbox import OutboxMessage
from tests.unit.services.court_cases.conftest import case_body

BEIJING_10AM = timedelta(hours=2)  # 10:00 in Beijing is 02:00 UTC
WORKING_3 = GreenChannelRule(3, Unit.WORKING_DAY)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) + BEIJING_10AM


class Intake:
    """Intake's court-case steps over its own database; `events()` are its outbox rows, as published."""

    def __init__(self, sessions: sessionmaker[Session], judge: Actor) -> None:
        self.sessions, self.judge = sessions, judge
        self._seen = 0

    def flag(self, on: date) -> str:
        with self.sessions() as s, s.begin():
            return intake.flag(s, court_case_in=case_body(), actor=self.judge, now=at(on)).court_case.id

    def decide(self, case_id: str, on: date, *, granted: bool = True, rule: GreenChannelRule = WORKING_3) -> date | None:
        with self.sessions() as s, s.begin():
            decision = intake.decide_green_channel(
                s, court_case_id=case_id, decision_in={"granted": granted, "reasons": None if granted else "不属于"},
                actor=self.judge, rule=rule, now=at(on))
            return decision.due_on

    def file(self, case_id: str, on: date) -> bool | None:
        with self.sessions() as s, s.begin():
            filed = intake.record_filing(s, court_case_id=case_id, filing_in={"filed_on": on}, actor=self.judge,
                                         today=on)
            assert filed.green_channel is not None
            return filed.green_channel.met

    def events(self) -> list[bytes]:
        """The payloads queued since the last call, in order."""
        with self.sessions() as s:
            rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id).offset(self._seen)).all()
            self._seen += len(rows)
            return [r.payload for r in rows]

    def apply_and_decide_deferral(self, case_id: str, applied_on: date, decided_on: date) -> None:
        """The enterprise party's 缓交 (47.4), applied for and granted."""
        with self.sessions() as s, s.begin():
            case = intake.get_or_raise(s, case_id)
            enterprise = next(p.id for p in case.parties if p.kind == "enterprise")
            application = fee_relief.apply(s, court_case_id=case_id, application_in={
                "party_id": enterprise, "kind": "缓交", "situation_code": "47.4", "proof": "财务报表", "stage": "起诉",
                "applied_on": applied_on}, actor=self.judge, today=applied_on)
            fee_relief.decide(s, court_case_id=case_id, application_id=application.id, decision_in={"granted": True},
                              actor=self.judge, now=at(decided_on))


def offline_consumer(name: str, handlers: Mapping[str, Handler], sessions: sessionmaker[Session]) -> EventConsumer:
    """A service's real consumer (inbox, retries, stats) fed by :func:`deliver` instead of a broker.

    It reaches no broker unless it dead-letters (the tests assert it never does).
    """
    return EventConsumer(name=name, topics=[], handlers=handlers, session_factory=sessions,
                         kafka=KafkaSettings(bootstrap_servers="127.0.0.1:1", topic_prefix="unit"), retry_backoff_s=0)


def deliver(consumer: EventConsumer, payloads: list[bytes]) -> None:
    """Hand each payload to the consumer as the Kafka record it would be."""
    for offset, value in enumerate(payloads):
        consumer.process(SimpleNamespace(value=value, key=None, topic="t", partition=0, offset=offset, headers=[]))
