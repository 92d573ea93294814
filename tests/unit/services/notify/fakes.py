"""A fake channel (our own port, so a fake rather than a mock) and a clock the test moves."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from services.notify.channels.base import Channel, OutgoingMessage, SendResult


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2027, 1, 4, 1, 0, tzinfo=timezone.utc))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FakeChannel(Channel):
    """Records every send; `script` lists what the next sends raise (None: accept).

    Thread-safe, so two dispatchers may share it; `delay_s` keeps a send in flight for a while,
    widening the window in which a second dispatcher could pick up the same row.
    """

    def __init__(self, name: str = "staff_inbox", *, script: list[BaseException | None] | None = None,
                 delay_s: float = 0.0) -> None:
        self.name = name
        self.script = list(script or [])
        self.delay_s = delay_s
        self.sent: list[OutgoingMessage] = []
        self.calls: list[OutgoingMessage] = []
        self._lock = threading.Lock()

    def send(self, message: OutgoingMessage) -> SendResult:
        with self._lock:
            self.calls.append(message)
            outcome = self.script.pop(0) if self.script else None
        if self.delay_s:
            time.sleep(self.delay_s)  # a slow gateway, not a wait for a condition
        if outcome is not None:
            raise outcome
        with self._lock:
            self.sent.append(message)
        return SendResult(provider_id=f"fake-{len(self.sent)}")

    def sends_per_key(self) -> Counter[str]:
        with self._lock:
            return Counter(m.idempotency_key for m in self.sent)
