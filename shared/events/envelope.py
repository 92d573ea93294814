"""The JSON envelope every message travels in.

`data` is validated against the payload schema of `(type, version)` when an event is made and
again when it is consumed, so a producer bug is caught at the source and a foreign message at the
door.  `subject` is the Kafka key: one case's events stay on one partition, in order.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from shared.db.base import utcnow
from shared.events.catalog import lookup
from shared.logs import current_trace_id


class InvalidEvent(Exception):
    """A message that is not a valid huhang event; it goes to the dead-letter topic, never retried."""

    def __init__(self, reason: str, errors: Any = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.errors = errors


@dataclass(frozen=True)
class Envelope:
    type: str
    version: int
    subject: str
    source: str
    data: dict[str, Any]
    actor: str = "system"
    trace_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: datetime = field(default_factory=utcnow)


class EnvelopeSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]+\.[a-z_.]+$"))
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True, format="iso")
    source = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]*$"))  # who produced it
    subject = fields.String(required=True, validate=validate.Length(min=1, max=200))
    actor = fields.String(required=True, validate=validate.Length(min=1, max=200))
    trace_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    data = fields.Dict(required=True)


_ENVELOPE = EnvelopeSchema()


def _to_wire(value: Any) -> Any:
    """Dates and datetimes as ISO strings, recursively: the form the payload schema loads."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_wire(v) for v in value]
    return value


@lru_cache(maxsize=None)
def _schemas(schema: type[Schema]) -> tuple[Schema, Schema]:
    """One loader and one dumper per payload schema: building a schema copies its fields, which
    cost about 1 ms per event on every registration (tests/bench/intake_throughput.py); loading
    and dumping keep no state in the instance, so one serves every call."""
    return schema(unknown=EXCLUDE), schema()


def _validated_data(type_: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    event_type = lookup(type_, version)
    if event_type is None:
        raise InvalidEvent(f"unknown event type {type_} v{version}")
    loader, dumper = _schemas(event_type.schema)
    try:
        loaded: dict[str, Any] = loader.load(_to_wire(data))
    except ValidationError as exc:
        raise InvalidEvent(f"{type_} v{version} payload invalid", exc.messages) from exc
    # Keep the wire form: re-dump so dates and decimals are JSON types again.
    dumped: dict[str, Any] = dumper.dump(loaded)
    return dumped


def new_event(
    type_: str,
    *,
    subject: str,
    source: str,
    data: dict[str, Any],
    actor: str = "system",
    version: int = 1,
    trace_id: str | None = None,
) -> Envelope:
    """Make an event, validating its payload now rather than at the consumer."""
    return Envelope(
        type=type_,
        version=version,
        subject=subject,
        source=source,
        data=_validated_data(type_, version, data),
        actor=actor,
        trace_id=trace_id or current_trace_id() or uuid.uuid4().hex,
    )


def encode(event: Envelope) -> bytes:
    body = {
        "id": event.id,
        "type": event.type,
        "version": event.version,
        "occurred_at": event.occurred_at.isoformat(),
        "source": event.source,
        "subject": event.subject,
        "actor": event.actor,
        "trace_id": event.trace_id,
        "data": event.data,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(raw: bytes | None) -> Envelope:
    """Parse and validate a message; anything wrong raises InvalidEvent."""
    if raw is None:
        raise InvalidEvent("empty message (tombstone)")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidEvent(f"not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise InvalidEvent("envelope is not a JSON object")
    try:
        env = _ENVELOPE.load(body)
    except ValidationError as exc:
        raise InvalidEvent("envelope invalid", exc.messages) from exc
    data = _validated_data(env["type"], env["version"], env["data"])
    return Envelope(
        id=str(env["id"]),
        type=env["type"],
        version=env["version"],
        occurred_at=env["occurred_at"],
        source=env["source"],
        subject=env["subject"],
        actor=env["actor"],
        trace_id=env["trace_id"],
        data=data,
    )
