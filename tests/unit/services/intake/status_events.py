"""Review's events about one petition, delivered to intake's read model through the real consumer path.

`deliver` hands an encoded event to `EventConsumer.process` (decode, inbox claim, the manifest's
handler, commit) with no broker: what intake's workers do with a record they polled.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from services.intake.domains import MANIFEST
from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.config import KafkaSettings
from shared.events import Envelope, encode, new_event
from shared.kafka.consumer import EventConsumer


@dataclass
class _Record:
    value: bytes
    topic: str = "unit.review.events"
    partition: int = 0
    offset: int = 0
    key: bytes | None = None
    headers: list[tuple[str, bytes]] | None = None


def consumer(app: Flask) -> EventConsumer:
    return EventConsumer(name="intake", topics=["unit.review.events"], handlers=MANIFEST.handlers(),
                         session_factory=app.extensions["huhang"].session_factory,
                         kafka=KafkaSettings(bootstrap_servers="127.0.0.1:1", topic_prefix="unit"))


def deliver(app: Flask, *events: Envelope) -> EventConsumer:
    """Each event through the consumer once (a second call with the same event is a redelivery)."""
    worker = consumer(app)
    for event in events:
        worker.process(_Record(encode(event)))
    return worker


def at(day: date, hour_beijing: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour_beijing - 8, tzinfo=timezone.utc)


class Clock:
    """The intake app's clock (``extras["clock"]``), moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def set_clock(app: Flask, day: date) -> Clock:
    moved = Clock(at(day))
    app.extensions["huhang"].extras["clock"] = moved
    return moved


def register_petition(client: FlaskClient) -> dict[str, Any]:
    """A 12309 enterprise petition received on Monday 2026-11-02 (registered through the API)."""
    body = {**copy.deepcopy(PETITION_EXAMPLE), "received_at": "2026-11-02T09:00:00+08:00"}
    resp = client.post("/api/v1/petitions", json=body)
    assert resp.status_code == 201, resp.json
    return dict(resp.json)


class ReviewOf:
    """The events review emits about one petition (the shapes of services/review)."""

    RULES = {"12309": (("12309.procedural_reply", "12309 群众信访 程序性回复（件件有回复：7日内）"),
                       ("12309.result_reply", "12309 群众信访 办理过程或结果答复（3个月内）")),
             "12368": (("court_12368.work_order", "12368 工单回复"),)}

    def __init__(self, petition: dict[str, Any], unit_code: str = "NY-JCY-KS") -> None:
        self.petition_id = petition["id"]
        self.case_number = petition["case_number"]
        self.line = petition["line"]
        self.unit_code = unit_code
        self.deadlines: dict[str, str] = {}

    def _ref(self, rule_code: str, title: str = "") -> dict[str, Any]:
        deadline_id = self.deadlines.setdefault(rule_code, str(uuid.uuid4()))
        return {"deadline_id": deadline_id, "subject": self.petition_id, "case_number": self.case_number,
                "unit_code": self.unit_code, "rule_code": rule_code, "title": title or rule_code}

    def _event(self, type_: str, data: dict[str, Any], when: datetime | None) -> Envelope:
        event = new_event(type_, subject=self.petition_id, source="review", data=data)
        return replace(event, occurred_at=when) if when is not None else event

    def triaged(self, received_on: date, when: datetime | None = None) -> Envelope:
        return self._event("triage.item_created", {
            "triage_item_id": str(uuid.uuid4()), "petition_id": self.petition_id, "case_number": self.case_number,
            "line": self.line, "channel": "网", "is_enterprise": True, "received_on": received_on,
            "summary": "…", "unit_code": self.unit_code}, when)

    def opened(self, rule_code: str, start_on: date, due_on: date, *, provisional: bool = False) -> Envelope:
        title = dict(self.RULES[self.line]).get(rule_code, rule_code)
        return self._event("deadline.opened", {**self._ref(rule_code, title), "start_on": start_on, "due_on": due_on,
                                               "warn_on": None, "provisional": provisional, "follows_id": None}, None)

    def closed(self, rule_code: str, closed_on: date, due_on: date, *, status: str = "met",
               outcome: str | None = None) -> Envelope:
        return self._event("deadline.closed", {**self._ref(rule_code), "status": status, "closed_on": closed_on,
                                               "due_on": due_on, "warn_on": None, "provisional": False,
                                               "outcome": outcome}, None)

    def recomputed(self, rule_code: str, due_on: date | None, previous: date) -> Envelope:
        return self._event("deadline.recomputed", {**self._ref(rule_code), "reason": "suspended",
                                                   "previous_due_on": previous, "previous_provisional": False,
                                                   "due_on": due_on, "warn_on": None, "provisional": False}, None)

    def overdue(self, rule_code: str, start_on: date, due_on: date) -> Envelope:
        return self._event("deadline.overdue", {**self._ref(rule_code), "start_on": start_on, "due_on": due_on,
                                                "warn_on": None, "provisional": False}, None)
