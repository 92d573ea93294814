"""The outbox relay: publishes pending rows in order and marks them sent once the broker acked.

Rows are claimed by status with `FOR UPDATE SKIP LOCKED` (PostgreSQL), never by "id greater than
the last one seen": ids are assigned before commit, so a row committed late would be skipped
forever.  Several relays may run; each claims different rows.  A relay that dies after
publishing but before marking re-publishes on restart: consumers deduplicate on the event id.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from shared.db.base import utcnow
from shared.db.engine import is_postgres
from shared.outbox.models import PENDING, SENT, OutboxMessage

log = logging.getLogger(__name__)


class Publisher(Protocol):
    """What the relay needs from a Kafka producer (kafka-python's KafkaProducer fits)."""

    def send(self, topic: str, value: bytes, key: bytes, headers: list[tuple[str, bytes]]) -> Any: ...

    def flush(self, timeout: float | None = None) -> None: ...


class OutboxRelay:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        publisher: Publisher,
        *,
        batch_size: int = 200,
        ack_timeout_s: float = 30.0,
        after_publish: Callable[[list[OutboxMessage]], None] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.publisher = publisher
        self.batch_size = batch_size
        self.ack_timeout_s = ack_timeout_s
        # A fault-injection point for tests: runs after the broker acked, before rows are marked.
        self.after_publish = after_publish
        self._stop = threading.Event()

    def _claim(self, session: Session) -> list[OutboxMessage]:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.status == PENDING)
            .order_by(OutboxMessage.id)
            .limit(self.batch_size)
        )
        bind = session.get_bind()
        if is_postgres(str(bind.engine.url)):
            query = query.with_for_update(skip_locked=True)
        # On SQLite the engine begins every transaction IMMEDIATE: the claim holds the write lock.
        return list(session.scalars(query))

    def publish_once(self) -> int:
        """Publish one batch; returns how many rows were marked sent."""
        with self.session_factory() as session, session.begin():
            rows = self._claim(session)
            if not rows:
                return 0
            futures = []
            for row in rows:
                headers = [("event_type", row.event_type.encode()), ("event_id", row.event_id.encode())]
                if row.trace_id:
                    headers.append(("trace_id", row.trace_id.encode()))
                futures.append(
                    self.publisher.send(row.topic, value=row.payload, key=row.key.encode(), headers=headers)
                )
            self.publisher.flush(timeout=self.ack_timeout_s)
            acked: list[int] = []
            for row, future in zip(rows, futures):
                try:
                    future.get(timeout=self.ack_timeout_s)
                except Exception as exc:  # noqa: BLE001 - any broker error leaves the row pending
                    log.warning("publish failed", extra={"event_id": row.event_id}, exc_info=exc)
                    row.attempts += 1
                    row.last_error = repr(exc)[:2000]
                    # Keep per-key order: nothing after a failed row is marked in this batch.
                    break
                acked.append(row.id)
            if self.after_publish is not None:
                self.after_publish(rows)
            if acked:
                session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_(acked))
                    .values(status=SENT, sent_at=utcnow())
                )
            return len(acked)

    def run(self, poll_interval_s: float = 0.05) -> None:
        """Publish until stop() is called; waits only when there is nothing to send.

        On PostgreSQL the wait ends as soon as a transaction that wrote outbox rows commits
        (LISTEN/NOTIFY), so the poll interval only bounds how late a lost notification is noticed.
        """
        waker = _Waker.for_engine(self.session_factory)
        try:
            while not self._stop.is_set():
                try:
                    sent = self.publish_once()
                except Exception:  # noqa: BLE001 - a database or broker outage must not kill the loop
                    log.exception("relay iteration failed; retrying")
                    self._stop.wait(1.0)
                    continue
                if sent == 0:
                    if waker is not None:
                        waker.wait(poll_interval_s)
                    else:
                        self._stop.wait(poll_interval_s)
        finally:
            if waker is not None:
                waker.close()

    def stop(self) -> None:
        self._stop.set()


class _Waker:
    """A LISTEN connection on the outbox channel (PostgreSQL only)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    @classmethod
    def for_engine(cls, session_factory: sessionmaker[Session]) -> "_Waker | None":
        from shared.outbox.service import WAKE_CHANNEL

        bind = session_factory.kw.get("bind")
        if bind is None or bind.dialect.name != "postgresql":
            return None
        try:
            import psycopg

            url = bind.url.set(drivername="postgresql").render_as_string(hide_password=False)
            conn = psycopg.connect(url, autocommit=True)
            conn.execute(f"LISTEN {WAKE_CHANNEL}")
            return cls(conn)
        except Exception:  # noqa: BLE001 - without notifications the relay simply polls
            log.warning("LISTEN unavailable; relay falls back to polling", exc_info=True)
            return None

    def wait(self, timeout_s: float) -> None:
        if self.conn.closed:
            time.sleep(timeout_s)
            return
        try:
            for _ in self.conn.notifies(timeout=timeout_s, stop_after=1):
                pass
        except Exception:  # noqa: BLE001 - a broken connection degrades to a plain wait
            log.warning("LISTEN connection lost; polling", exc_info=True)
            self.close()
            time.sleep(timeout_s)

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001
            pass
