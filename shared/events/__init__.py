"""Event envelope and catalogue: the only contract between services."""

from shared.events.catalog import CATALOG, EventType, lookup
from shared.events.envelope import (
    Envelope,
    EnvelopeSchema,
    InvalidEvent,
    decode,
    encode,
    new_event,
)

__all__ = [
    "CATALOG",
    "Envelope",
    "EnvelopeSchema",
    "EventType",
    "InvalidEvent",
    "decode",
    "encode",
    "lookup",
    "new_event",
]
