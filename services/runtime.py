"""Wiring of a service's background processes: its outbox relay, its audit sequencer, its event
consumer and its domains' loops.

Kept apart from the web app: gunicorn workers never produce to Kafka (the outbox does), so the
kafka-python producer is only ever created here, in a process that does not fork afterwards.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Any

from shared.audit.sequencer import AuditSequencer
from shared.config import Settings
from shared.db.engine import make_engine, make_session_factory
from shared.kafka.consumer import EventConsumer
from shared import registry
from shared.keyring import check_configured
from shared.manifest import Loop
from shared.kafka.producer import make_producer
from shared.outbox.models import OutboxMessage
from shared.outbox.relay import OutboxRelay

log = logging.getLogger(__name__)


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


def build_audit_sequencer(settings: Settings) -> AuditSequencer:
    """The loop that links the service's committed audit rows into its chain (replicas elect one per batch)."""
    engine = make_engine(settings.database_url)
    return AuditSequencer(
        make_session_factory(engine),
        batch_size=settings.audit_sequencer_batch_size,
        poll_interval_s=settings.audit_sequencer_interval_s,
    )


def build_consumer(settings: Settings) -> EventConsumer | None:
    manifest = registry.manifest(settings.service)
    manifest.check()
    handlers = manifest.handlers()
    if not handlers:
        return None
    check_configured(("audit",))  # handlers write audit rows: production refuses to start without the key
    manifest.run_startup_checks()
    engine = make_engine(settings.database_url)
    return EventConsumer(
        name=settings.service,  # the consumer group: one per service
        topics=[settings.kafka.events_topic(source) for source in manifest.consumes],
        handlers=handlers,
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
    """Everything in the background of one service, in one process: the relay, the audit sequencer
    and each domain's loops (notify's dispatcher) in threads, the consumer here."""
    relay = build_relay(settings)
    consumer = build_consumer(settings)
    # Every service keeps an audit log, so its sequencer is the platform's, not a domain's loop.
    loops: list[Loop] = [build_audit_sequencer(settings), *registry.manifest(settings.service).worker_loops(settings)]
    on_signals(relay, *loops, *([consumer] if consumer else []))
    threads = [threading.Thread(target=relay.run, args=(settings.relay_poll_interval_s,), name="relay", daemon=True)]
    threads += [threading.Thread(target=loop.run, name=type(loop).__name__, daemon=True) for loop in loops]
    for thread in threads:
        thread.start()
    log.info("workers started (%d loop(s) beside the relay)", len(loops))
    if consumer is not None:
        consumer.run()
    else:
        threads[0].join()
    for stopper in (relay, *loops):
        stopper.stop()
    for thread in threads:
        thread.join(timeout=10)
