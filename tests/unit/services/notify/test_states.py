"""The delivery state machine as data, and the retry policy's bounds."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from services.notify.deliveries.states import TRANSITIONS, DeliveryStatus, IllegalTransition, RetryPolicy, can_move, move
from shared.errors import ErrorKind

ALLOWED = {
    (DeliveryStatus.PENDING, DeliveryStatus.SENT),
    (DeliveryStatus.PENDING, DeliveryStatus.PENDING),
    (DeliveryStatus.PENDING, DeliveryStatus.FAILED),
}


def test_the_transitions_are_exactly_the_documented_ones() -> None:
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED
    assert set(TRANSITIONS) == set(DeliveryStatus)


@pytest.mark.parametrize("current", list(DeliveryStatus))
@pytest.mark.parametrize("target", list(DeliveryStatus))
def test_every_transition_is_allowed_or_raises(current: DeliveryStatus, target: DeliveryStatus) -> None:
    delivery = SimpleNamespace(id="d1", status=current.value)
    if (current, target) in ALLOWED:
        move(delivery, target)  # type: ignore[arg-type]
        assert delivery.status == target.value
    else:
        with pytest.raises(IllegalTransition) as raised:
            move(delivery, target)  # type: ignore[arg-type]
        assert raised.value.kind is ErrorKind.CONFLICT
        assert delivery.status == current.value


def test_an_unknown_or_legacy_status_moves_nowhere() -> None:
    assert not can_move("delivered", DeliveryStatus.SENT)
    with pytest.raises(IllegalTransition):
        move(SimpleNamespace(id="d1", status="delivered"), DeliveryStatus.SENT)  # type: ignore[arg-type]


def test_backoff_grows_exponentially_within_jitter_bounds_and_is_capped() -> None:
    policy = RetryPolicy(max_attempts=30, base_delay_s=10.0, max_delay_s=600.0)
    rng = random.Random(7)
    for attempts in range(1, 31):
        ceiling = min(600.0, 10.0 * 2 ** (attempts - 1))
        assert policy.ceiling(attempts) == ceiling
        delays = [policy.delay_s(attempts, rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered, not one fixed wave
    assert policy.ceiling(1000) == 600.0  # no overflow for absurd counts


def test_exhausted_at_max_attempts() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert [policy.exhausted(n) for n in (0, 1, 2, 3, 4)] == [False, False, False, True, True]
