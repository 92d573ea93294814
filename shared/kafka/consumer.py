"""One consumer per process: handle each event in a database transaction, then commit its offset.

Order of work for every message (at-least-once delivery, exactly-once effect):
1. decode and validate the envelope — anything invalid goes straight to the dead-letter topic;
2. open a transaction, claim `(consumer, event id)` in the inbox, run the handler, commit;
3. after the whole batch is in the database, commit the Kafka offsets (last + 1).
A handler that keeps failing is retried `max_attempts` times, then dead-lettered; too many dead
letters in a row stop the consumer, because that is a bad deploy, not bad messages.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, OffsetAndMetadata, TopicPartition
from kafka.errors import KafkaError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from shared.config import KafkaSettings
from shared.events.envelope import Envelope, InvalidEvent, decode
from shared.inbox.service import mark_processed
from shared.kafka.topics import ensure_topics
from shared.logs import trace

log = logging.getLogger(__name__)

Handler = Callable[[Session, Envelope], None]


class TransientFailure(RuntimeError):
    """The database or broker is unreachable: retry later from the committed offset, never dead-letter."""


class TooManyDeadLetters(RuntimeError):
    """The consumer stops: every message failing means the code, not the messages, is broken."""


@dataclass
class ConsumerStats:
    handled: int = 0
    duplicates: int = 0
    ignored: int = 0
    dead_lettered: int = 0


class EventConsumer:
    def __init__(
        self,
        *,
        name: str,
        topics: list[str],
        handlers: Mapping[str, Handler],
        session_factory: sessionmaker[Session],
        kafka: KafkaSettings,
        max_attempts: int = 3,
        max_consecutive_dead_letters: int = 50,
        retry_backoff_s: float = 0.2,
        consumer_overrides: Mapping[str, Any] | None = None,
        batch_transactions: bool = True,
    ) -> None:
        self.name = name
        self.topics = topics
        self.handlers = dict(handlers)
        self.session_factory = session_factory
        self.kafka = kafka
        self.max_attempts = max_attempts
        self.max_consecutive_dead_letters = max_consecutive_dead_letters
        self.retry_backoff_s = retry_backoff_s
        self.dead_letter_topic = kafka.dead_letter_topic(name)
        self.batch_transactions = batch_transactions
        self.stats = ConsumerStats()
        self._consecutive_dead = 0
        self._stop = threading.Event()
        self._overrides = dict(consumer_overrides or {})
        self._consumer: KafkaConsumer | None = None
        self._dlq_producer: KafkaProducer | None = None

    # -- wiring ---------------------------------------------------------------------------

    def _make_consumer(self) -> KafkaConsumer:
        config: dict[str, Any] = {
            "bootstrap_servers": self.kafka.bootstrap_servers.split(","),
            "group_id": self.kafka.group_id(self.name),
            "enable_auto_commit": False,  # the kafka-python default is True: offsets before effects
            "auto_offset_reset": "earliest",
            "max_poll_records": 100,
            "max_poll_interval_ms": 300_000,
            "client_id": f"huhang-{self.name}",
            # Notice new partitions and topics within 30 s rather than the default 5 minutes.
            "metadata_max_age_ms": 30_000,
        }
        config.update(self._overrides)
        # Subscribing to a topic that does not exist yet would leave this consumer blind to it
        # until its next metadata refresh (see shared/kafka/topics.py).
        ensure_topics(self.kafka, [*self.topics, self.dead_letter_topic])
        consumer = KafkaConsumer(**config)
        consumer.subscribe(self.topics)
        return consumer

    def _producer(self) -> KafkaProducer:
        if self._dlq_producer is None:
            from shared.kafka.producer import make_producer

            self._dlq_producer = make_producer(self.kafka)
        return self._dlq_producer

    # -- processing -----------------------------------------------------------------------

    def _dead_letter(self, record: Any, error: str, attempts: int) -> None:
        headers = [
            ("dlq.error", error.encode("utf-8", "replace")[:4000]),
            ("dlq.origin.topic", record.topic.encode()),
            ("dlq.origin.partition", str(record.partition).encode()),
            ("dlq.origin.offset", str(record.offset).encode()),
            ("dlq.consumer", self.name.encode()),
            ("dlq.attempts", str(attempts).encode()),
            ("dlq.failed_at", str(time.time()).encode()),
        ]
        headers += [(k, v) for k, v in (record.headers or []) if not k.startswith("dlq.")]
        # The broker must have it before the offset moves past it, or the message is lost.
        self._producer().send(
            self.dead_letter_topic, value=record.value, key=record.key, headers=headers
        ).get(timeout=30)
        self.stats.dead_lettered += 1
        self._consecutive_dead += 1
        log.error(
            "dead-lettered: %s", error,
            extra={"topic": record.topic, "partition": record.partition, "offset": record.offset},
        )
        if self._consecutive_dead >= self.max_consecutive_dead_letters:
            raise TooManyDeadLetters(f"{self._consecutive_dead} dead letters in a row in {self.name}")

    def _handle_once(self, event: Envelope, handler: Handler) -> bool:
        """Run the handler with the inbox claim in one transaction; False if a duplicate."""
        with self.session_factory() as session, session.begin():
            if not mark_processed(session, consumer=self.name, event_id=event.id, event_type=event.type):
                return False
            handler(session, event)
        return True

    def process(self, record: Any) -> None:
        """Handle one Kafka record; never raises for a bad message (it is dead-lettered)."""
        try:
            event = decode(record.value)
        except InvalidEvent as exc:
            detail = f"{exc.reason}: {exc.errors}" if exc.errors else exc.reason
            self._dead_letter(record, f"invalid event: {detail}", attempts=1)
            return
        handler = self.handlers.get(event.type)
        with trace(event.trace_id):
            if handler is None:
                # Another consumer's event on a shared topic: nothing to do, not an error.
                self.stats.ignored += 1
                return
            last_error = ""
            for attempt in range(1, self.max_attempts + 1):
                try:
                    fresh = self._handle_once(event, handler)
                except InvalidEvent as exc:
                    self._dead_letter(record, f"handler rejected event: {exc.reason}", attempt)
                    return
                except (OperationalError, DBAPIError) as exc:
                    if isinstance(exc, OperationalError) or exc.connection_invalidated:
                        # The database is down, not the message bad: dead-lettering would lose it.
                        raise TransientFailure(f"database unavailable: {exc.orig}") from exc
                    last_error = f"{type(exc).__name__}: {exc}"
                    log.warning("handler failed (attempt %d/%d): %s", attempt, self.max_attempts, last_error,
                                extra={"event_id": event.id, "event_type": event.type})
                    if attempt < self.max_attempts:
                        self._stop.wait(self.retry_backoff_s * attempt)
                    continue
                except Exception as exc:  # noqa: BLE001 - retried, then dead-lettered
                    last_error = f"{type(exc).__name__}: {exc}"
                    log.warning(
                        "handler failed (attempt %d/%d): %s", attempt, self.max_attempts, last_error,
                        extra={"event_id": event.id, "event_type": event.type},
                    )
                    if attempt < self.max_attempts:
                        self._stop.wait(self.retry_backoff_s * attempt)
                    continue
                if fresh:
                    self.stats.handled += 1
                else:
                    self.stats.duplicates += 1
                log.info(
                    "handled" if fresh else "duplicate skipped",
                    extra={"event_id": event.id, "event_type": event.type, "offset": record.offset},
                )
                self._consecutive_dead = 0
                return
            self._dead_letter(record, f"handler failed {self.max_attempts} times: {last_error}", self.max_attempts)

    def _try_batch(self, records: list[Any]) -> bool:
        """Handle every record of a poll in ONE transaction (one commit, one fsync).

        Only for records that decode and have a handler; if anything in the batch fails, the
        whole transaction rolls back and returns False, and the records are then processed one
        by one, with retries and dead letters, exactly as if batching did not exist.
        """
        batch: list[tuple[Envelope, Handler]] = []
        for record in records:
            try:
                event = decode(record.value)
            except InvalidEvent:
                return False
            handler = self.handlers.get(event.type)
            if handler is None:
                return False
            batch.append((event, handler))
        fresh_flags: list[bool] = []
        try:
            with self.session_factory() as session, session.begin():
                for event, handler in batch:
                    with trace(event.trace_id):
                        fresh = mark_processed(session, consumer=self.name, event_id=event.id, event_type=event.type)
                        if fresh:
                            handler(session, event)
                    fresh_flags.append(fresh)
        except OperationalError as exc:
            raise TransientFailure(f"database unavailable: {exc.orig}") from exc
        except Exception:  # noqa: BLE001 - fall back to one by one, where failures are isolated
            log.info("batch of %d failed; processing one by one", len(batch), exc_info=True)
            return False
        for (event, _), fresh in zip(batch, fresh_flags):
            if fresh:
                self.stats.handled += 1
            else:
                self.stats.duplicates += 1
            with trace(event.trace_id):
                log.info("handled" if fresh else "duplicate skipped", extra={"event_id": event.id, "event_type": event.type})
        self._consecutive_dead = 0
        return True

    def poll_once(self, timeout_ms: int = 500) -> int:
        """Poll one batch, process every record, then commit the offsets; returns records seen."""
        if self._consumer is None:
            self._consumer = self._make_consumer()
        batches = self._consumer.poll(timeout_ms=timeout_ms)
        count = 0
        offsets: dict[TopicPartition, OffsetAndMetadata] = {}
        for tp, records in batches.items():
            if not (self.batch_transactions and len(records) > 1 and self._try_batch(records)):
                for record in records:
                    self.process(record)
            count += len(records)
            if records:
                offsets[tp] = OffsetAndMetadata(records[-1].offset + 1, "", -1)
        if offsets:
            self._consumer.commit(offsets)
        return count

    def run(self) -> None:
        """Consume until stop() (SIGTERM) is called; survive broker and database outages.

        After a failure mid-batch the consumer's in-memory position is past records whose offsets
        were never committed, so it is closed and rebuilt: the new one resumes from the committed
        offset, and the inbox absorbs what the old one had already handled.
        """
        backoff = 0.5
        try:
            while not self._stop.is_set():
                try:
                    self.poll_once()
                    backoff = 0.5
                except (KafkaError, TransientFailure, OSError) as exc:
                    log.warning("consumer %s: %s; reconnecting in %.1fs", self.name, exc, backoff)
                    self._reset()
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, 10.0)
        finally:
            self.close()

    def _reset(self) -> None:
        if self._consumer is not None:
            try:
                self._consumer.close(autocommit=False)
            except Exception:  # noqa: BLE001 - it is being thrown away
                log.debug("closing a broken consumer failed", exc_info=True)
            self._consumer = None

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        if self._consumer is not None:
            self._consumer.close(autocommit=False)
            self._consumer = None
        if self._dlq_producer is not None:
            self._dlq_producer.close(timeout=5)
            self._dlq_producer = None
