"""The producer: created after gunicorn forks (its IO thread does not survive fork), never at import."""

from __future__ import annotations

from typing import Any

from kafka import KafkaProducer

from shared.config import KafkaSettings


def producer_config(settings: KafkaSettings, **overrides: Any) -> dict[str, Any]:
    """The producer settings huhang relies on.

    `enable_idempotence=True` is passed explicitly: left at its default, kafka-python 3 *silently*
    turns idempotence off when another setting conflicts with it (acks=1, retries=0, more than
    5 in-flight requests); passed explicitly, the conflict raises KafkaConfigurationError.
    """
    config: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers.split(","),
        "acks": "all",
        "enable_idempotence": True,
        "max_in_flight_requests_per_connection": 5,
        "linger_ms": 2,
        "request_timeout_ms": settings.request_timeout_ms,
        "client_id": "huhang",
    }
    config.update(overrides)
    return config


def make_producer(settings: KafkaSettings, **overrides: Any) -> KafkaProducer:
    return KafkaProducer(**producer_config(settings, **overrides))
