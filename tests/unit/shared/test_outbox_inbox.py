"""Outbox relay and inbox logic over a real (SQLite) database and a fake publisher."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.events import decode, new_event
from shared.inbox import mark_processed
from shared.outbox import OutboxMessage, enqueue, pending_count
from shared.outbox.relay import OutboxRelay
from shared.testing.fakes import FakePublisher


def _event(n: int):  # type: ignore[no-untyped-def]
    return new_event(
        "delivery.recorded", subject=f"case-{n % 2}", source="notify",
        data={"delivery_id": f"d{n}", "subject": f"case-{n % 2}", "channel": "staff_inbox", "status": "delivered"},
    )


def test_rolled_back_transaction_leaves_no_event(engine_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("notify")
    with sessions() as session:
        session.begin()
        enqueue(session, _event(1))
        session.rollback()
    with sessions() as session:
        assert pending_count(session) == 0


def test_relay_publishes_in_order_and_marks_sent(engine_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("notify")
    events = [_event(n) for n in range(5)]
    with sessions() as session, session.begin():
        for e in events:
            enqueue(session, e)
    publisher = FakePublisher()
    relay = OutboxRelay(sessions, publisher, batch_size=3)
    assert relay.publish_once() == 3
    assert relay.publish_once() == 2
    assert relay.publish_once() == 0
    assert [decode(value).id for _, value, _, _ in publisher.sent] == [e.id for e in events]
    topic, _, key, headers = publisher.sent[0]
    assert topic == "huhang.notify.events" and key == b"case-0"
    assert dict(headers)["event_type"] == b"delivery.recorded"
    with sessions() as session:
        assert pending_count(session) == 0


def test_failed_ack_keeps_that_row_and_the_rest_pending(engine_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("notify")
    with sessions() as session, session.begin():
        for n in range(4):
            enqueue(session, _event(n))
    publisher = FakePublisher(fail_on={2})
    relay = OutboxRelay(sessions, publisher)
    assert relay.publish_once() == 1
    with sessions() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [r.status for r in rows] == ["sent", "pending", "pending", "pending"]
        assert rows[1].attempts == 1 and "broker did not ack" in (rows[1].last_error or "")
    assert relay.publish_once() == 3


def test_crash_after_publish_leaves_rows_pending_for_the_next_relay(engine_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("notify")
    with sessions() as session, session.begin():
        enqueue(session, _event(1))

    def crash(rows: list[OutboxMessage]) -> None:
        raise SystemExit("killed between publish and mark")

    first = FakePublisher()
    with pytest.raises(SystemExit):
        OutboxRelay(sessions, first, after_publish=crash).publish_once()
    second = FakePublisher()
    assert OutboxRelay(sessions, second).publish_once() == 1
    # Published twice: the consumers' inbox makes the second one harmless.
    assert decode(first.sent[0][1]).id == decode(second.sent[0][1]).id


def test_inbox_claims_an_event_once_per_consumer(engine_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("review")
    with sessions() as session, session.begin():
        assert mark_processed(session, consumer="review", event_id="e1", event_type="t.x")
        assert not mark_processed(session, consumer="review", event_id="e1", event_type="t.x")
        assert mark_processed(session, consumer="other", event_id="e1", event_type="t.x")


def test_inbox_claim_is_undone_with_a_failed_handler(engine_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("review")
    with sessions() as session:
        session.begin()
        assert mark_processed(session, consumer="review", event_id="e2", event_type="t.x")
        session.rollback()  # the handler raised: the event must be handled again
    with sessions() as session, session.begin():
        assert mark_processed(session, consumer="review", event_id="e2", event_type="t.x")
