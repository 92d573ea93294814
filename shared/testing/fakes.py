"""A fake publisher with kafka-python's future interface, recording what it was given."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class _Future:
    def __init__(self, error: Exception | None) -> None:
        self.error = error

    def get(self, timeout: float | None = None) -> Any:
        if self.error is not None:
            raise self.error
        return None


@dataclass
class FakePublisher:
    """Records sends; `fail_on` makes the send of that many-th message (1-based) fail."""

    sent: list[tuple[str, bytes, bytes, list[tuple[str, bytes]]]] = field(default_factory=list)
    fail_on: set[int] = field(default_factory=set)
    calls: int = 0

    def send(self, topic: str, value: bytes, key: bytes, headers: list[tuple[str, bytes]]) -> _Future:
        self.calls += 1
        if self.calls in self.fail_on:
            return _Future(TimeoutError("broker did not ack"))
        self.sent.append((topic, value, key, headers))
        return _Future(None)

    def flush(self, timeout: float | None = None) -> None:
        return None
