"""Typed inputs of the delivery handlers: an envelope's payload as a frozen value.

The envelope keeps its payload in wire form (ISO strings, see `shared/events/envelope.py`); the
service should not re-parse strings or guess keys, so each handler first turns the envelope into
one of these (`TriageItemCreated.from_envelope(event)`) and hands that to `service.py`.  Dates are
`date`, instants are `datetime`.  A payload that cannot be parsed raises `InvalidEvent`, which the
consumer dead-letters (the catalogue schema already validated it, so this means a code bug).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from shared.events import Envelope
from shared.events.envelope import InvalidEvent


@dataclass(frozen=True)
class EventSource:
    """Which event a notice comes from: ties the delivery to it (dedup key, trace, audit)."""

    event_id: str
    event_type: str
    trace_id: str
    occurred_at: datetime

    @classmethod
    def of(cls, event: Envelope) -> "EventSource":
        return cls(event_id=event.id, event_type=event.type, trace_id=event.trace_id, occurred_at=event.occurred_at)


class NoticeInput(Protocol):
    """What the renderer and the start-up template check need from any typed input."""

    @property
    def source(self) -> EventSource: ...

    def template_context(self) -> dict[str, Any]: ...


def _date(data: dict[str, Any], key: str, event: Envelope) -> date:
    value = _optional_date(data, key, event)
    if value is None:
        raise InvalidEvent(f"{event.type}: {key} is required")
    return value


def _optional_date(data: dict[str, Any], key: str, event: Envelope) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, datetime):  # a datetime is a date too: refuse it rather than drop its time
        raise InvalidEvent(f"{event.type}: {key} is an instant, not a date")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidEvent(f"{event.type}: {key} is not an ISO date: {value!r}") from exc


def _require_type(event: Envelope, *types: str) -> None:
    if event.type not in types:
        raise InvalidEvent(f"expected one of {types}, got {event.type}")


def _context(value: Any) -> dict[str, Any]:
    """The template variables: every field but `source`, plus the event type."""
    ctx = {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.name != "source"}
    ctx["event_type"] = value.source.event_type
    return ctx


@dataclass(frozen=True)
class TriageItemCreated:
    """`triage.item_created` v1: a petition entered the 受理分流 queue."""

    source: EventSource
    triage_item_id: str
    petition_id: str
    case_number: str
    line: str
    channel: str  # how the petition arrived (信、访、网、电), not a notify channel
    is_enterprise: bool
    received_on: date
    summary: str
    unit_code: str | None

    @classmethod
    def from_envelope(cls, event: Envelope) -> "TriageItemCreated":
        _require_type(event, "triage.item_created")
        data = event.data
        try:
            return cls(
                source=EventSource.of(event),
                triage_item_id=str(data["triage_item_id"]),
                petition_id=str(data["petition_id"]),
                case_number=str(data["case_number"]),
                line=str(data["line"]),
                channel=str(data["channel"]),
                is_enterprise=bool(data["is_enterprise"]),
                received_on=_date(data, "received_on", event),
                summary=str(data["summary"]),
                unit_code=data.get("unit_code"),
            )
        except KeyError as exc:
            raise InvalidEvent(f"{event.type}: {exc.args[0]} is missing") from exc

    def template_context(self) -> dict[str, Any]:
        return _context(self)


@dataclass(frozen=True)
class DeadlineNotice:
    """`deadline.due_soon` / `deadline.overdue` v1: a deadline is near, or past (督办)."""

    source: EventSource
    deadline_id: str
    subject: str
    case_number: str | None
    unit_code: str | None
    rule_code: str
    title: str
    start_on: date
    due_on: date
    warn_on: date | None
    # 暂定: the holiday arrangement of the due date's year is not published yet.
    provisional: bool

    @classmethod
    def from_envelope(cls, event: Envelope) -> "DeadlineNotice":
        _require_type(event, "deadline.due_soon", "deadline.overdue")
        data = event.data
        try:
            return cls(
                source=EventSource.of(event),
                deadline_id=str(data["deadline_id"]),
                subject=str(data["subject"]),
                case_number=data.get("case_number"),
                unit_code=data.get("unit_code"),
                rule_code=str(data["rule_code"]),
                title=str(data["title"]),
                start_on=_date(data, "start_on", event),
                due_on=_date(data, "due_on", event),
                warn_on=_optional_date(data, "warn_on", event),
                provisional=bool(data["provisional"]),
            )
        except KeyError as exc:
            raise InvalidEvent(f"{event.type}: {exc.args[0]} is missing") from exc

    @property
    def overdue(self) -> bool:
        return self.source.event_type == "deadline.overdue"

    def template_context(self) -> dict[str, Any]:
        return _context(self)
