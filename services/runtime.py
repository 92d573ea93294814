"""Wiring of a service's background processes: its outbox relay and its event consumer.

Kept apart from the web app: gunicorn workers never produce to Kafka (the outbox does), so the
kafka-python producer is only ever created here, in a process that does not fork afterwards.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import threading
from typing import Any

from shared.config import Settings
from shared.db.engine import make_engine, make_session_factory
from shared.kafka.consumer import EventConsumer
from shared.keyring import check_configured
from shared.kafka.producer import make_producer
from shared.outbox.models import OutboxMessage
from shared.outbox.relay import OutboxRelay

log = logging.getLogger(__name__)


def consumer_spec(service: str) -> Any:
    return importlib.import_module(f"services.{service}.consumers")


def build_relay(settings: Settings) -> OutboxRelay:
    engine = make_engine(settings.database_url)
    after_publish = None
    if os.environ.get("HUHANG_FAULT_RELAY_EXIT_AFTER_PUBLISH") == "1":
        # Fault injection for tests: die after the broker acked, before rows are marked sent.
        def after_publish(rows: list[OutboxMessage]) -> None:
            log.warning("fault injection: exiting after publishing %d rows", len(rows))
            os._exit(70)

    return OutboxRelay(
        make_session_factory(engine),
        make_producer(settings.kafka),
        batch_size=settings.relay_batch_size,
        after_publish=after_publish,
    )


def build_consumer(settings: Settings) -> EventConsumer | None:
    spec = consumer_spec(settings.service)
    if not spec.HANDLERS:
        return None
    check_configured(("audit",))  # handlers write audit rows: production refuses to start without the key
    engine = make_engine(settings.database_url)
    return EventConsumer(
        name=spec.CONSUMER_NAME,
        topics=[settings.kafka.events_topic(source) for source in spec.SOURCES],
        handlers=spec.HANDLERS,
        session_factory=make_session_factory(engine),
        kafka=settings.kafka,
        max_attempts=settings.consumer_max_attempts,
    )


def on_signals(*stoppers: Any) -> None:
    def _stop(_signum: int, _frame: Any) -> None:
        for stopper in stoppers:
            stopper.stop()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)


def run_relay(settings: Settings) -> None:
    relay = build_relay(settings)
    on_signals(relay)
    log.info("relay started")
    relay.run(settings.relay_poll_interval_s)


def run_consumer(settings: Settings) -> None:
    consumer = build_consumer(settings)
    if consumer is None:
        log.info("%s consumes nothing", settings.service)
        return
    on_signals(consumer)
    log.info("consumer started on %s", consumer.topics)
    consumer.run()


def run_workers(settings: Settings) -> None:
    """Relay and consumer of one service in one process: the relay in a thread, the consumer here."""
    relay = build_relay(settings)
    consumer = build_consumer(settings)
    on_signals(relay, *([consumer] if consumer else []))
    thread = threading.Thread(target=relay.run, args=(settings.relay_poll_interval_s,), name="relay", daemon=True)
    thread.start()
    log.info("workers started")
    if consumer is not None:
        consumer.run()
    else:
        thread.join()
    relay.stop()
    thread.join(timeout=10)
