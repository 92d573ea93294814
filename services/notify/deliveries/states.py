"""The delivery state machine: the states, the allowed transitions, and the retry policy.

    pending ──send accepted──────────────▶ sent      (terminal)
    pending ──transient error / throttled─▶ pending   (retry: next_attempt_at moves on)
    pending ──permanent error, or attempts exhausted──▶ failed (terminal)

Rows written before the dispatcher existed said `delivered`; migration 0004 renamed them `sent`.
A transition not in `TRANSITIONS` raises `IllegalTransition`: a second dispatcher that lost its
lease finds the row already `sent` and must not touch it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from shared.errors import DomainError, ErrorKind



class HasStatus(Protocol):
    """What `move` needs of a delivery (the model imports this module, not the other way round)."""

    id: str
    status: str


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # 待发送: waiting for its first or next attempt
    SENT = "sent"  # 已发送: the channel accepted it
    FAILED = "failed"  # 发送失败: given up (permanent error, or attempts exhausted)


TRANSITIONS: dict[DeliveryStatus, frozenset[DeliveryStatus]] = {
    DeliveryStatus.PENDING: frozenset({DeliveryStatus.SENT, DeliveryStatus.PENDING, DeliveryStatus.FAILED}),
    DeliveryStatus.SENT: frozenset(),
    DeliveryStatus.FAILED: frozenset(),
}


class AttemptOutcome(StrEnum):
    """What one attempt (a `delivery_attempts` row) came to; NULL while it is in flight."""

    SENT = "sent"
    RETRY = "retry"  # transient error, tried again later
    THROTTLED = "throttled"  # the channel asked us to wait; not counted
    FAILED = "failed"  # permanent error, or the last allowed attempt failed
    ABANDONED = "abandoned"  # its dispatcher died (the lease ran out) before recording an outcome


class IllegalTransition(DomainError):
    kind = ErrorKind.CONFLICT
    code = "illegal_delivery_transition"
    message_zh = "送达状态不允许此变更"
    message_en = "This delivery state change is not allowed"


def can_move(current: str, target: DeliveryStatus) -> bool:
    try:
        return target in TRANSITIONS[DeliveryStatus(current)]
    except ValueError:  # an unknown stored status moves nowhere
        return False


def move(delivery: HasStatus, target: DeliveryStatus) -> None:
    """Set a delivery's status, or raise `IllegalTransition`."""
    if not can_move(delivery.status, target):
        raise IllegalTransition(
            f"delivery {delivery.id}: {delivery.status} → {target} is not allowed",
            delivery_id=delivery.id, current=delivery.status, target=str(target),
        )
    delivery.status = str(target)


@dataclass(frozen=True)
class RetryPolicy:
    """How many tries a delivery gets, and how long to wait after each failure.

    After the n-th failed try the wait is drawn uniformly from [c/2, c] with
    c = min(max_delay_s, base_delay_s · 2^(n-1)) ("equal jitter"): it grows exponentially, never
    exceeds the cap, and many deliveries failing together do not retry in one wave.
    """

    max_attempts: int = 8
    base_delay_s: float = 10.0
    max_delay_s: float = 3600.0

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.max_attempts

    def ceiling(self, attempts: int) -> float:
        # min() before the power would overflow for large n; the exponent is bounded instead.
        return min(self.max_delay_s, self.base_delay_s * 2.0 ** min(max(attempts - 1, 0), 60))

    def delay_s(self, attempts: int, rng: random.Random) -> float:
        """The wait after `attempts` failed tries (attempts ≥ 1)."""
        ceiling = self.ceiling(attempts)
        return rng.uniform(ceiling / 2, ceiling)
