"""Settings read from environment variables, with defaults that work on one machine.

`DATABASE_URL` may contain `{service}`, so one variable points every service at its own
database (`postgresql+psycopg://huhang:huhang@127.0.0.1:5433/huhang_{service}`); a
per-service variable (`INTAKE_DATABASE_URL`, ...) wins over it.  Without either, each service
uses a SQLite file under `var/`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    """Where local state lives (SQLite files, broker data, logs)."""
    return Path(os.environ.get("HUHANG_VAR", REPO_ROOT / "var"))


def database_url(service: str) -> str:
    """The database of one service: per-service variable, else the template, else SQLite."""
    if not service.isidentifier() or not service.islower():
        raise ValueError(f"not a service name: {service!r}")
    explicit = os.environ.get(f"{service.upper()}_DATABASE_URL")
    if explicit:
        return explicit
    template = os.environ.get("DATABASE_URL")
    if template:
        if "{service}" not in template:
            # One database for three services would mix their outbox and inbox tables.
            raise ValueError("DATABASE_URL must contain {service} (each service owns its database)")
        return template.format(service=service)
    path = var_dir() / f"{service}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class KafkaSettings:
    """How to reach the broker and name the topics."""

    bootstrap_servers: str = field(
        default_factory=lambda: os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    )
    # A prefix lets tests and parallel environments use their own topics on one broker.
    topic_prefix: str = field(default_factory=lambda: os.environ.get("HUHANG_TOPIC_PREFIX", "huhang"))
    request_timeout_ms: int = field(default_factory=lambda: _int("KAFKA_REQUEST_TIMEOUT_MS", 30000))

    def events_topic(self, service: str) -> str:
        """The one topic a service produces to (`huhang.intake.events`)."""
        return f"{self.topic_prefix}.{service}.events"

    def dead_letter_topic(self, group: str) -> str:
        """The dead-letter topic of one consumer group."""
        return f"{self.topic_prefix}.dlq.{group}"

    def group_id(self, name: str) -> str:
        return f"{self.topic_prefix}.{name}"


@dataclass(frozen=True)
class Settings:
    """Everything a process of one service needs to know about its environment."""

    service: str
    database_url: str
    kafka: KafkaSettings
    env: str = field(default_factory=lambda: os.environ.get("HUHANG_ENV", "development"))
    relay_poll_interval_s: float = field(
        default_factory=lambda: float(os.environ.get("HUHANG_RELAY_POLL_INTERVAL", "0.05"))
    )
    relay_batch_size: int = field(default_factory=lambda: _int("HUHANG_RELAY_BATCH", 200))
    consumer_max_attempts: int = field(default_factory=lambda: _int("HUHANG_CONSUMER_MAX_ATTEMPTS", 3))
    # How often the audit sequencer looks for committed rows to link when it found less than a batch.
    audit_sequencer_interval_s: float = field(
        default_factory=lambda: float(os.environ.get("HUHANG_AUDIT_SEQUENCER_INTERVAL", "0.2"))
    )
    audit_sequencer_batch_size: int = field(default_factory=lambda: _int("HUHANG_AUDIT_SEQUENCER_BATCH", 500))

    @classmethod
    def for_service(cls, service: str) -> "Settings":
        return cls(service=service, database_url=database_url(service), kafka=KafkaSettings())

    @property
    def is_production(self) -> bool:
        return self.env == "production"

