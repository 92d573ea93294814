"""The dispatcher: sends pending deliveries through their channels, outside the consumer.

The consumer's handler only records a `pending` row (once per event, channel and recipient).  The
dispatcher then works in three short steps per batch, none of them holding a lock during a send:

1. **claim** (one transaction): due pending rows of enabled, unpaused channels, oldest due first,
   `FOR UPDATE SKIP LOCKED` on PostgreSQL (on SQLite the engine begins every transaction
   IMMEDIATE, so claims serialise).  Each claimed row gets a lease — `next_attempt_at` moves
   `lease_s` ahead, so no other dispatcher sees it as due — and an in-flight `delivery_attempts`
   row.  Commit.
2. **send**: `channel.send(message)` with no transaction open.
3. **finish** (one transaction per row): lock the row again, check the attempt is still ours, and
   move the state machine (`states.py`): `sent`; or back to `pending` with a later
   `next_attempt_at`; or `failed`.  `sent` and `failed` are audited (`delivery.send`).

A dispatcher that dies between 1 and 3 leaves its attempt in flight; when the lease has run out,
the next claim marks it `abandoned` and counts it (the send may have happened, so a message that
crashes the dispatcher cannot loop forever) and tries again: channels are idempotent per
delivery, which is what makes "at least once" reach the recipient once.  Two live dispatchers
never claim one row at the same time.

Failures: `TransientSendError` (and any unexpected exception) counts an attempt and retries
after an exponential backoff with jitter (`RetryPolicy`), until `max_attempts` → `failed`;
`PermanentSendError` → `failed` at once; `Throttled(retry_after_s)` retries after that delay
*without* counting an attempt, and pauses the whole channel as long (later rows of that channel in
the batch are deferred, not sent).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.notify.channels.base import (
    Attachment,
    Channel,
    OutgoingMessage,
    PermanentSendError,
    SendResult,
    Throttled,
    TransientSendError,
)
from services.notify.channels.registry import build_registry
from services.notify.config import NotifySettings
from services.notify.deliveries.attempts import DeliveryAttempt
from services.notify.deliveries.models import Delivery
from services.notify.deliveries.notices import PublicNotice
from services.notify.deliveries.states import AttemptOutcome, DeliveryStatus, RetryPolicy, move
from shared.actor import Actor
from shared.audit.service import record
from shared.config import Settings
from shared.db.base import new_uuid, utcnow
from shared.db.engine import make_engine, make_session_factory
from shared.logs import trace

log = logging.getLogger(__name__)

_ERROR_MAX = 2000


class _Kind(Enum):
    SENT = "sent"
    TRANSIENT = "transient"
    THROTTLED = "throttled"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class _Claim:
    delivery_id: str
    attempt_id: str
    attempt_no: int
    trace_id: str | None
    message: OutgoingMessage


@dataclass(frozen=True)
class _Outcome:
    kind: _Kind
    error: str | None = None
    retry_after_s: float = 0.0
    result: SendResult | None = None


def _dispatcher_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


class Dispatcher:
    """Claims due pending deliveries in small batches and sends them; see the module docstring."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        channels: Mapping[str, Channel],
        *,
        policy: RetryPolicy | None = None,
        batch_size: int = 20,
        lease_s: float = 120.0,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
        name: str | None = None,
        poll_interval_s: float = 0.2,
    ) -> None:
        self.session_factory = session_factory
        self.poll_interval_s = poll_interval_s
        self.channels = channels
        self.policy = policy or RetryPolicy()
        self.batch_size = batch_size
        self.lease_s = lease_s
        self.clock = clock
        self.rng = rng or random.Random()
        self.name = (name or _dispatcher_name())[:100]
        # A throttled channel is not claimed from until then (in memory: a restart forgets it,
        # and the provider throttles again if it still must).
        self.paused_until: dict[str, datetime] = {}
        self._stop = threading.Event()

    # --- the loop -----------------------------------------------------------------------

    def run_once(self) -> int:
        """Claim one batch and carry each row to its next state; returns how many rows it handled."""
        claims, handled = self._claim()
        for claim in claims:
            try:
                with trace(claim.trace_id):
                    self._finish(claim, self._send(claim))
            except Exception:  # noqa: BLE001 - one row's database trouble must not strand the batch
                # The row keeps its lease and is retried (and its attempt marked abandoned) after it.
                log.exception("recording a delivery outcome failed", extra={"delivery_id": claim.delivery_id})
            handled += 1
        return handled

    def run(self, poll_interval_s: float | None = None) -> None:
        """Dispatch until `stop()`; waits only when a batch found nothing to do."""
        poll_interval_s = self.poll_interval_s if poll_interval_s is None else poll_interval_s
        log.info("dispatcher %s started on %s", self.name, ", ".join(self.channels) or "no channels")
        while not self._stop.is_set():
            try:
                handled = self.run_once()
            except Exception:  # noqa: BLE001 - a database outage must not kill the loop
                log.exception("dispatcher iteration failed; retrying")
                self._stop.wait(1.0)
                continue
            if handled == 0:
                self._stop.wait(poll_interval_s)

    def stop(self) -> None:
        self._stop.set()

    # --- 1. claim ------------------------------------------------------------------------

    def _active_channels(self, now: datetime) -> list[str]:
        return [name for name in self.channels if self.paused_until.get(name, now) <= now]

    def _claim(self) -> tuple[list[_Claim], int]:
        """Lease a batch of due rows; returns the claims and how many rows failed while claiming."""
        now = self.clock()
        active = self._active_channels(now)
        if not active:
            return [], 0
        with self.session_factory() as session, session.begin():
            query = (
                select(Delivery)
                .where(
                    Delivery.status == DeliveryStatus.PENDING.value,
                    Delivery.channel.in_(active),
                    Delivery.next_attempt_at <= now,
                )
                .order_by(Delivery.next_attempt_at, Delivery.id)
                .limit(self.batch_size)
                # PostgreSQL: rows another dispatcher is claiming are skipped, not waited for.
                # SQLite renders no FOR UPDATE; its BEGIN IMMEDIATE serialises the claims instead.
                .with_for_update(skip_locked=True)
            )
            rows = list(session.scalars(query))
            if not rows:
                return [], 0
            ids = [row.id for row in rows]
            last_no: dict[str, int] = {
                delivery_id: number
                for delivery_id, number in session.execute(
                    select(DeliveryAttempt.delivery_id, func.max(DeliveryAttempt.attempt_no))
                    .where(DeliveryAttempt.delivery_id.in_(ids))
                    .group_by(DeliveryAttempt.delivery_id)
                ).tuples()
            }
            abandoned: dict[str, int] = defaultdict(int)
            for attempt in session.scalars(
                select(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(ids), DeliveryAttempt.outcome.is_(None))
            ):
                # Due again while in flight: its dispatcher died, or outlived its lease.
                attempt.outcome = AttemptOutcome.ABANDONED.value
                attempt.finished_at = now
                attempt.error = "the lease ran out before an outcome was recorded"
                abandoned[attempt.delivery_id] += 1
            documents = self._documents(session, rows)
            claims: list[_Claim] = []
            failed = 0
            for row in rows:
                if abandoned[row.id]:
                    row.attempts += abandoned[row.id]
                    if self.policy.exhausted(row.attempts):
                        self._give_up(session, row, now, "attempts exhausted (the last one was abandoned)")
                        failed += 1
                        continue
                attempt = DeliveryAttempt(
                    id=new_uuid(), delivery_id=row.id, attempt_no=last_no.get(row.id, 0) + 1, channel=row.channel,
                    dispatcher=self.name, started_at=now,
                )
                session.add(attempt)
                row.next_attempt_at = now + timedelta(seconds=self.lease_s)  # the lease
                claims.append(_Claim(
                    delivery_id=row.id, attempt_id=attempt.id, attempt_no=attempt.attempt_no, trace_id=row.trace_id,
                    message=OutgoingMessage(
                        delivery_id=row.id, channel=row.channel, recipient=row.recipient, title=row.title,
                        body=row.body, template=row.template, idempotency_key=row.id,
                        contact_enc=row.contact_enc, html=row.body_html,
                        attachments=documents.get(row.notice_id, ()) if row.notice_id else (),
                    ),
                ))
        return claims, failed

    @staticmethod
    def _documents(session: Session, rows: list[Delivery]) -> dict[str, tuple[Attachment, ...]]:
        """The documents of the public notices among `rows`: the bytes the notice keeps, by notice id."""
        notice_ids = sorted({row.notice_id for row in rows if row.notice_id and row.document_sha256})
        if not notice_ids:
            return {}
        found: dict[str, tuple[Attachment, ...]] = {}
        for notice in session.scalars(select(PublicNotice).where(PublicNotice.notice_id.in_(notice_ids))):
            if notice.document is not None and notice.document_sha256:
                found[notice.notice_id] = (Attachment(
                    filename=notice.document_name or "通知书.pdf", content=notice.document,
                    sha256=notice.document_sha256,
                ),)
        return found

    # --- 2. send -------------------------------------------------------------------------

    def _send(self, claim: _Claim) -> _Outcome:
        """Call the channel, with no transaction open, and classify what happened."""
        channel_name = claim.message.channel
        now = self.clock()
        paused = self.paused_until.get(channel_name)
        if paused is not None and paused > now:
            # Throttled earlier in this batch: wait with the rest instead of provoking it again.
            return _Outcome(_Kind.THROTTLED, "channel paused (throttled)", (paused - now).total_seconds())
        try:
            result = self.channels[channel_name].send(claim.message)
        except Throttled as exc:
            self.paused_until[channel_name] = now + timedelta(seconds=exc.retry_after_s)
            log.warning("channel %s throttled for %.1f s", channel_name, exc.retry_after_s)
            return _Outcome(_Kind.THROTTLED, repr(exc), exc.retry_after_s)
        except PermanentSendError as exc:
            return _Outcome(_Kind.PERMANENT, repr(exc))
        except TransientSendError as exc:
            return _Outcome(_Kind.TRANSIENT, repr(exc))
        except Exception as exc:  # noqa: BLE001 - a channel bug is retried, and counted, like a transient error
            log.exception("channel %s raised outside its contract", channel_name)
            return _Outcome(_Kind.TRANSIENT, repr(exc))
        return _Outcome(_Kind.SENT, result=result)

    # --- 3. finish -----------------------------------------------------------------------

    def _finish(self, claim: _Claim, outcome: _Outcome) -> None:
        now = self.clock()
        with self.session_factory() as session, session.begin():
            delivery = session.get(Delivery, claim.delivery_id, with_for_update=True)
            attempt = session.get(DeliveryAttempt, claim.attempt_id)
            if delivery is None or attempt is None or attempt.outcome is not None:
                # Another dispatcher found the lease run out and took the row over; its outcome wins.
                log.warning("lost the lease of delivery %s (attempt %d); outcome %s not recorded",
                            claim.delivery_id, claim.attempt_no, outcome.kind.value)
                return
            attempt.finished_at = now
            attempt.error = None if outcome.error is None else outcome.error[:_ERROR_MAX]
            if outcome.kind is _Kind.SENT:
                move(delivery, DeliveryStatus.SENT)
                delivery.attempts += 1
                delivery.sent_at = now
                delivery.next_attempt_at = None
                delivery.last_error = None
                attempt.outcome = AttemptOutcome.SENT.value
                self._audit(session, delivery, claim, outcome="success",
                            provider_id=outcome.result.provider_id if outcome.result else None)
            elif outcome.kind is _Kind.THROTTLED:
                # Not counted: the provider asked for time, nothing was wrong with the message.
                move(delivery, DeliveryStatus.PENDING)
                delivery.next_attempt_at = attempt.retry_at = now + timedelta(seconds=outcome.retry_after_s)
                delivery.last_error = attempt.error
                attempt.outcome = AttemptOutcome.THROTTLED.value
            elif outcome.kind is _Kind.PERMANENT:
                delivery.attempts += 1
                attempt.outcome = AttemptOutcome.FAILED.value
                self._give_up(session, delivery, now, attempt.error, claim)
            else:
                delivery.attempts += 1
                if self.policy.exhausted(delivery.attempts):
                    attempt.outcome = AttemptOutcome.FAILED.value
                    self._give_up(session, delivery, now, attempt.error, claim)
                else:
                    move(delivery, DeliveryStatus.PENDING)
                    delay = self.policy.delay_s(delivery.attempts, self.rng)
                    delivery.next_attempt_at = attempt.retry_at = now + timedelta(seconds=delay)
                    delivery.last_error = attempt.error
                    attempt.outcome = AttemptOutcome.RETRY.value
                    log.info("delivery %s: attempt %d failed, retry in %.1f s",
                             delivery.id, claim.attempt_no, delay)

    def _give_up(
        self, session: Session, delivery: Delivery, now: datetime, error: str | None, claim: _Claim | None = None
    ) -> None:
        move(delivery, DeliveryStatus.FAILED)
        delivery.next_attempt_at = None
        delivery.last_error = None if error is None else error[:_ERROR_MAX]
        log.warning("delivery %s failed after %d attempt(s): %s", delivery.id, delivery.attempts, error)
        self._audit(session, delivery, claim, outcome="failure", error=delivery.last_error)

    def _audit(
        self, session: Session, delivery: Delivery, claim: _Claim | None, *, outcome: str,
        provider_id: str | None = None, error: str | None = None,
    ) -> None:
        """`pending → sent` and `pending → failed` are audited state changes (actor `system`)."""
        record(
            session, action="delivery.send", outcome=outcome, subject_type="delivery", subject_id=delivery.id,
            before={"status": DeliveryStatus.PENDING.value},
            after={"status": delivery.status, "attempts": delivery.attempts},
            detail={"channel": delivery.channel, "recipient": delivery.recipient, "dispatcher": self.name,
                    "attempt_no": claim.attempt_no if claim else None, "provider_id": provider_id, "error": error},
            **Actor.system(delivery.trace_id).fields(),
        )


def build_dispatcher(settings: Settings, notify: NotifySettings | None = None) -> Dispatcher:
    """The notify workers' dispatcher: its own engine, the enabled channels, the retry settings."""
    notify = notify or NotifySettings()
    return Dispatcher(
        make_session_factory(make_engine(settings.database_url)),
        build_registry(notify),
        policy=RetryPolicy(
            max_attempts=notify.max_attempts, base_delay_s=notify.backoff_base_s, max_delay_s=notify.backoff_max_s
        ),
        batch_size=notify.batch_size,
        lease_s=notify.lease_s,
        poll_interval_s=notify.poll_interval_s,
    )
