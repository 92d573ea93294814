"""The notify dispatcher on PostgreSQL: FOR UPDATE SKIP LOCKED keeps two dispatchers apart."""

from __future__ import annotations

import threading

from sqlalchemy import func, select, text

from services.notify.deliveries.attempts import DeliveryAttempt
from services.notify.deliveries.dispatcher import Dispatcher
from services.notify.deliveries.models import Delivery
from tests.support.infra import Databases
from tests.unit.services.notify.fakes import FakeChannel
from tests.unit.services.notify.test_delivery_states_migration import check_round_trip
from tests.unit.services.notify.test_dispatcher import record_triage_notice


def test_two_dispatchers_never_send_one_delivery_twice(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("notify")
    ids = {record_triage_notice(sessions, n) for n in range(60)}
    channel = FakeChannel(delay_s=0.003)  # sends overlap the other dispatcher's claims
    workers = [Dispatcher(sessions, {"staff_inbox": channel}, batch_size=4, name=f"w{i}") for i in range(2)]
    handled = [0, 0]
    start = threading.Barrier(2)

    def work(i: int) -> None:
        start.wait()
        for _ in range(60):
            handled[i] += workers[i].run_once()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert set(channel.sends_per_key()) == ids
    assert set(channel.sends_per_key().values()) == {1}
    assert sum(handled) == 60 and min(handled) > 0
    with sessions() as s:
        assert set(s.scalars(select(Delivery.status))) == {"sent"}
        assert s.scalar(select(func.count()).select_from(DeliveryAttempt)) == 60
        assert set(s.scalars(select(DeliveryAttempt.outcome))) == {"sent"}


def test_a_claim_skips_rows_another_transaction_holds(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("notify")
    held, free = record_triage_notice(sessions, 1), record_triage_notice(sessions, 2)
    channel = FakeChannel()
    with sessions() as other, other.begin():
        other.execute(text("SELECT id FROM deliveries WHERE id = :id FOR UPDATE"), {"id": held})
        assert Dispatcher(sessions, {"staff_inbox": channel}).run_once() == 1  # did not wait for the lock
    assert [m.delivery_id for m in channel.sent] == [free]


def test_the_migration_upgrades_and_downgrades_on_postgresql(databases: Databases) -> None:
    import uuid

    name = f"m_notify_{uuid.uuid4().hex[:8]}"
    with databases.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    databases.created.append(name)
    check_round_trip(databases.infra.database_url(name))
