"""The dispatcher over SQLite: every transition, backoff, max attempts, throttling, lost leases."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.notify.channels.base import PermanentSendError, Throttled, TransientSendError
from services.notify.channels.registry import UnknownChannel, build_registry
from services.notify.config import NotifySettings
from services.notify.deliveries.attempts import DeliveryAttempt
from services.notify.deliveries.dispatcher import Dispatcher, build_dispatcher
from services.notify.deliveries.handlers import HANDLERS
from services.notify.deliveries.models import Delivery
from services.notify.deliveries.states import RetryPolicy
from shared.audit.models import AuditEntry
from shared.events import new_event
from tests.unit.services.notify.fakes import FakeChannel, FakeClock


def record_triage_notice(sessions: sessionmaker[Session], n: int = 1) -> str:
    """What the consumer does: the handler in a transaction; returns the delivery id."""
    event = new_event("triage.item_created", subject=f"pid-{n}", source="review", data={
        "triage_item_id": f"t{n}", "petition_id": f"pid-{n}", "case_number": f"12309-2027-{n:06d}", "line": "12309",
        "channel": "网", "is_enterprise": n % 2 == 0, "received_on": date(2027, 1, 4), "summary": "摘要",
    })
    with sessions() as s, s.begin():
        HANDLERS[event.type](s, event)
    with sessions() as s:
        return s.scalars(select(Delivery.id).where(Delivery.source_event_id == event.id)).one()


def load(sessions: sessionmaker[Session], delivery_id: str) -> tuple[Delivery, list[DeliveryAttempt]]:
    with sessions() as s:
        delivery = s.get(Delivery, delivery_id)
        assert delivery is not None
        attempts = list(s.scalars(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == delivery_id)
                                  .order_by(DeliveryAttempt.attempt_no)))
        return delivery, attempts


def audit_actions(sessions: sessionmaker[Session], delivery_id: str) -> list[tuple[str, str]]:
    with sessions() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.subject_id == delivery_id).order_by(AuditEntry.id))
        return [(row.action, row.outcome) for row in rows]


@pytest.fixture
def sessions(engine_for) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    _, factory = engine_for("notify")
    return factory  # type: ignore[no-any-return]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def dispatcher(sessions: sessionmaker[Session], channel: FakeChannel, clock: FakeClock, **kw: object) -> Dispatcher:
    kw.setdefault("policy", RetryPolicy(max_attempts=3, base_delay_s=10.0, max_delay_s=100.0))
    return Dispatcher(sessions, {channel.name: channel}, clock=clock, name="test", **kw)  # type: ignore[arg-type]


def test_the_handler_only_records_a_pending_delivery(sessions: sessionmaker[Session]) -> None:
    delivery, attempts = load(sessions, record_triage_notice(sessions))
    assert (delivery.status, delivery.attempts, attempts) == ("pending", 0, [])
    assert delivery.next_attempt_at is not None and delivery.trace_id
    assert audit_actions(sessions, delivery.id) == [("delivery.record", "success")]


def test_pending_to_sent(sessions: sessionmaker[Session], clock: FakeClock) -> None:
    delivery_id = record_triage_notice(sessions)
    channel = FakeChannel()
    d = dispatcher(sessions, channel, clock)
    clock.advance(1)
    assert d.run_once() == 1
    delivery, attempts = load(sessions, delivery_id)
    assert (delivery.status, delivery.attempts, delivery.sent_at, delivery.next_attempt_at) == ("sent", 1, clock.now, None)
    assert [(a.attempt_no, a.outcome, a.dispatcher) for a in attempts] == [(1, "sent", "test")]
    assert attempts[0].finished_at == clock.now
    [message] = channel.sent
    assert (message.delivery_id, message.idempotency_key, message.recipient) == (delivery_id, delivery_id, delivery.recipient)
    assert (message.title, message.body, message.template) == (delivery.title, delivery.body, "triage.item_created")
    assert audit_actions(sessions, delivery_id)[-1] == ("delivery.send", "success")
    assert d.run_once() == 0  # nothing is sent twice


def test_a_transient_error_goes_back_to_pending_with_backoff(sessions: sessionmaker[Session], clock: FakeClock) -> None:
    delivery_id = record_triage_notice(sessions)
    d = dispatcher(sessions, FakeChannel(script=[TransientSendError("gateway timeout")]), clock)
    clock.advance(1)
    assert d.run_once() == 1
    delivery, attempts = load(sessions, delivery_id)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at is not None
    assert clock.now + timedelta(seconds=5) <= delivery.next_attempt_at <= clock.now + timedelta(seconds=10)
    assert "gateway timeout" in (delivery.last_error or "")
    assert [(a.outcome, a.retry_at) for a in attempts] == [("retry", delivery.next_attempt_at)]
    assert audit_actions(sessions, delivery_id) == [("delivery.record", "success")]  # no state change yet

    assert d.run_once() == 0  # not due yet
    clock.advance(10)
    assert d.run_once() == 1
    delivery, attempts = load(sessions, delivery_id)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, None)
    assert [(a.attempt_no, a.outcome) for a in attempts] == [(1, "retry"), (2, "sent")]


def test_max_attempts_then_failed(sessions: sessionmaker[Session], clock: FakeClock) -> None:
    delivery_id = record_triage_notice(sessions)
    channel = FakeChannel(script=[TransientSendError("down")] * 10)
    d = dispatcher(sessions, channel, clock)
    for _ in range(10):
        clock.advance(200)  # past any backoff (capped at 100 s)
        d.run_once()
    delivery, attempts = load(sessions, delivery_id)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert len(channel.calls) == 3
    assert [a.outcome for a in attempts] == ["retry", "retry", "failed"]
    assert audit_actions(sessions, delivery_id)[-1] == ("delivery.send", "failure")


def test_a_permanent_error_fails_at_once(sessions: sessionmaker[Session], clock: FakeClock) -> None:
    delivery_id = record_triage_notice(sessions)
    channel = FakeChannel(script=[PermanentSendError("no such recipient")])
    d = dispatcher(sessions, channel, clock)
    clock.advance(1)
    assert d.run_once() == 1
    clock.advance(1000)
    assert d.run_once() == 0
    delivery, attempts = load(sessions, delivery_id)
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "no such recipient" in (delivery.last_error or "")
    assert [a.outcome for a in attempts] == ["failed"] and len(channel.calls) == 1


def test_an_unexpected_exception_counts_as_transient(sessions: sessionmaker[Session], clock: FakeClock) -> None:
    delivery_id = record_triage_notice(sessions)
    d = dispatcher(sessions, FakeChannel(script=[KeyError("bug")]), clock)
    clock.advance(1)
    d.run_once()
    delivery, _ = load(sessions, delivery_id)
    assert (delivery.status, delivery.attempts) == ("pending", 1)


def test_throttled_delays_without_counting_and_pauses_the_channel(sessions: sessionmaker[Session], clock: FakeClock) -> None:
    first, second = record_triage_notice(sessions, 1), record_triage_notice(sessions, 2)
    channel = FakeChannel(script=[Throttled(30)])
    d = dispatcher(sessions, channel, clock)
    clock.advance(1)
    assert d.run_once() == 2
    assert len(channel.calls) == 1  # the second was deferred, not sent into the throttle
    for delivery_id in (first, second):
        delivery, attempts = load(sessions, delivery_id)
        assert (delivery.status, delivery.attempts) == ("pending", 0)
        assert delivery.next_attempt_at == clock.now + timedelta(seconds=30)
        assert [a.outcome for a in attempts] == ["throttled"]
    assert d.paused_until["staff_inbox"] == clock.now + timedelta(seconds=30)
    clock.advance(29)
    assert d.run_once() == 0  # still paused
    clock.advance(1)
    assert d.run_once() == 2
    for delivery_id in (first, second):
        delivery, attempts = load(sessions, delivery_id)
        assert (delivery.status, delivery.attempts, [a.attempt_no for a in attempts]) == ("sent", 1, [1, 2])


def test_a_dispatcher_that_died_mid_send_is_taken_over_after_its_lease(
    sessions: sessionmaker[Session], clock: FakeClock,
) -> None:
    delivery_id = record_triage_notice(sessions)
    dead = dispatcher(sessions, FakeChannel(), clock, lease_s=60)
    clock.advance(1)
    claims, _ = dead._claim()  # claimed, then the process died before sending
    assert len(claims) == 1
    alive_channel = FakeChannel()
    alive = dispatcher(sessions, alive_channel, clock, lease_s=60)
    assert alive.run_once() == 0  # leased: invisible
    clock.advance(61)
    assert alive.run_once() == 1
    delivery, attempts = load(sessions, delivery_id)
    assert (delivery.status, delivery.attempts) == ("sent", 2)  # the abandoned try counts
    assert [(a.attempt_no, a.outcome) for a in attempts] == [(1, "abandoned"), (2, "sent")]
    # The dead one's late outcome (it was only slow, after all) is not recorded over it.
    dead._finish(claims[0], dead._send(claims[0]))
    delivery, attempts = load(sessions, delivery_id)
    assert (delivery.status, delivery.attempts, len(attempts)) == ("sent", 2, 2)


def test_abandoned_tries_count_towards_max_attempts(sessions: sessionmaker[Session], clock: FakeClock) -> None:
    delivery_id = record_triage_notice(sessions)
    crashing = dispatcher(sessions, FakeChannel(), clock, lease_s=60, policy=RetryPolicy(max_attempts=2))
    for _ in range(2):
        clock.advance(61)
        crashing._claim()
    clock.advance(61)
    assert crashing.run_once() == 1
    delivery, attempts = load(sessions, delivery_id)
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert [a.outcome for a in attempts] == ["abandoned", "abandoned"]


def test_rows_of_a_channel_not_enabled_stay_pending(sessions: sessionmaker[Session], clock: FakeClock) -> None:
    delivery_id = record_triage_notice(sessions)
    d = dispatcher(sessions, FakeChannel(name="sms"), clock)
    clock.advance(1)
    assert d.run_once() == 0
    assert load(sessions, delivery_id)[0].status == "pending"


def test_batches_are_small(sessions: sessionmaker[Session], clock: FakeClock) -> None:
    for n in range(5):
        record_triage_notice(sessions, n)
    d = dispatcher(sessions, FakeChannel(), clock, batch_size=2)
    clock.advance(1)
    assert [d.run_once() for _ in range(4)] == [2, 2, 1, 0]


class _MeetingChannel(FakeChannel):
    """Each worker's first send waits (up to 10 s) until the other worker is sending too.

    Left to the scheduler, one thread can drain all 30 rows before the other is first run (a CI
    run saw 30/0), and the test would then prove nothing about two dispatchers at once. A worker
    that cannot claim a batch while the other holds one in flight breaks the meeting, and the
    "both took part" assertion then fails for a real reason.
    """

    def __init__(self, **kwargs: float) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._meeting = threading.Barrier(2, timeout=10)
        self._met: set[int] = set()

    def send(self, message):  # type: ignore[no-untyped-def]
        me = threading.get_ident()
        if me not in self._met:
            self._met.add(me)
            try:
                self._meeting.wait()
            except threading.BrokenBarrierError:
                pass
        return super().send(message)


def test_two_dispatchers_on_sqlite_never_send_one_delivery_twice(engine_for, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("notify")
    ids = {record_triage_notice(sessions, n) for n in range(30)}
    channel = _MeetingChannel(delay_s=0.002)
    # Two engines on one file: two processes' worth of connections.
    workers = [Dispatcher(engine_for("notify")[1] if i else sessions, {"staff_inbox": channel}, batch_size=3,
                          name=f"w{i}") for i in range(2)]
    handled = [0, 0]

    def work(i: int) -> None:
        for _ in range(40):
            handled[i] += workers[i].run_once()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert set(channel.sends_per_key()) == ids
    assert sum(handled) == 30 and min(handled) > 0  # both took part
    assert set(channel.sends_per_key().values()) == {1}


def test_run_until_stopped(sessions: sessionmaker[Session]) -> None:
    delivery_id = record_triage_notice(sessions)
    d = Dispatcher(sessions, {"staff_inbox": FakeChannel()})
    thread = threading.Thread(target=d.run, args=(0.01,))
    thread.start()
    try:
        for _ in range(500):
            if load(sessions, delivery_id)[0].status == "sent":
                break
            threading.Event().wait(0.01)
        assert load(sessions, delivery_id)[0].status == "sent"
    finally:
        d.stop()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_build_dispatcher_from_settings_sends_to_the_staff_inbox(settings_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HUHANG_NOTIFY_MAX_ATTEMPTS", "4")
    settings = settings_for("notify")
    d = build_dispatcher(settings)
    assert list(d.channels) == ["staff_inbox"] and d.policy.max_attempts == 4
    sessions = d.session_factory
    delivery_id = record_triage_notice(sessions)
    assert d.run_once() == 1
    assert load(sessions, delivery_id)[0].status == "sent"
    bind = sessions.kw["bind"]
    bind.dispose()


def test_the_registry_refuses_an_unknown_channel() -> None:
    with pytest.raises(UnknownChannel, match="pager"):
        build_registry(NotifySettings(channels=("staff_inbox", "pager")))
    registry = build_registry(NotifySettings(channels=("staff_inbox",)))
    with pytest.raises(UnknownChannel):
        registry["sms"]
