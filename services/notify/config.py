"""Settings of notify's delivery machinery, from `HUHANG_NOTIFY_*` environment variables.

Kept apart from `shared.config.Settings` (what every service needs): only notify sends notices.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _names(name: str, default: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in os.environ.get(name, default).split(",") if part.strip())


@dataclass(frozen=True)
class NotifySettings:
    """Which channels are on, and how the dispatcher retries."""

    channels: tuple[str, ...] = field(default_factory=lambda: _names("HUHANG_NOTIFY_CHANNELS", "staff_inbox"))
    # Tries per delivery (successful or not, throttling excluded) before it is `failed`.
    max_attempts: int = field(default_factory=lambda: _int("HUHANG_NOTIFY_MAX_ATTEMPTS", 8))
    # Backoff after the n-th failure: up to base·2^(n-1), capped, with jitter (states.RetryPolicy).
    backoff_base_s: float = field(default_factory=lambda: _float("HUHANG_NOTIFY_BACKOFF_BASE", 10.0))
    backoff_max_s: float = field(default_factory=lambda: _float("HUHANG_NOTIFY_BACKOFF_MAX", 3600.0))
    batch_size: int = field(default_factory=lambda: _int("HUHANG_NOTIFY_BATCH", 20))
    # How long a claimed delivery is invisible to other dispatchers while its send runs.
    lease_s: float = field(default_factory=lambda: _float("HUHANG_NOTIFY_LEASE", 120.0))
    poll_interval_s: float = field(default_factory=lambda: _float("HUHANG_NOTIFY_POLL_INTERVAL", 0.2))

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("HUHANG_NOTIFY_MAX_ATTEMPTS must be at least 1")
        if not 0 < self.backoff_base_s <= self.backoff_max_s:
            raise ValueError("need 0 < HUHANG_NOTIFY_BACKOFF_BASE <= HUHANG_NOTIFY_BACKOFF_MAX")
        if self.batch_size < 1 or self.lease_s <= 0:
            raise ValueError("HUHANG_NOTIFY_BATCH and HUHANG_NOTIFY_LEASE must be positive")
