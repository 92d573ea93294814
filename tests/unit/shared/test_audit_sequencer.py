"""The audit sequencer and the not-yet-chained tail, on SQLite (writers serialised: txid 0, horizon 1).

Ordering by transaction id and the horizon under concurrent writers are PostgreSQL's: see
tests/integration/test_audit_and_personal_data.py.
"""

from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from shared import audit
from shared.audit import AuditEntry
from shared.audit.sequencer import AuditSequencer, link_all, link_batch


@pytest.fixture
def sessions(engine_for) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    _engine, factory = engine_for("notify")
    return factory


def _write(sessions: sessionmaker[Session], n: int, prefix: str = "u") -> list[int]:
    ids = []
    for i in range(n):
        with sessions() as s, s.begin():
            ids.append(audit.record(s, action="test.write", actor=f"{prefix}{i}", subject_id=str(i)).id)
    return ids


def _sql(sessions: sessionmaker[Session], statement: str, **params: object) -> None:
    with sessions() as s, s.begin():
        s.execute(text(statement), params)


def _problems(sessions: sessionmaker[Session], horizon: int | None = None) -> list[tuple[str, int]]:
    with sessions() as s:
        return [(p.kind, p.row_id) for p in audit.verify_chain(s, horizon=horizon).problems]


def _chain(sessions: sessionmaker[Session]) -> list[tuple[int, int | None, str | None]]:
    with sessions() as s:
        return [(r.id, r.seq, r.hash) for r in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_the_sequencer_links_in_batches_and_is_idempotent(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 5)
    sizes = []
    for _ in range(4):
        with sessions() as s, s.begin():
            sizes.append(link_batch(s, limit=2).rows)
    assert sizes == [2, 2, 1, 0]
    linked = _chain(sessions)
    assert [seq for _, seq, _ in linked] == [1, 2, 3, 4, 5] and [i for i, _, _ in linked] == ids
    again = link_all(sessions)
    assert (again.rows, again.horizon) == (0, 1)
    assert _chain(sessions) == linked  # nothing relinked
    more = _write(sessions, 2)
    assert link_all(sessions).rows == 2
    assert [seq for i, seq, _ in _chain(sessions) if i in more] == [6, 7]
    assert _problems(sessions) == []


def test_rows_of_one_transaction_keep_their_order(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        ids = [audit.record(s, action="test.write", actor="same", subject_id=str(i)).id for i in range(3)]
    link_all(sessions)
    assert [seq for i, seq, _ in _chain(sessions) if i in ids] == [1, 2, 3]


def test_an_altered_tail_row_is_found(sessions: sessionmaker[Session]) -> None:
    _write(sessions, 3)
    link_all(sessions)
    tail = _write(sessions, 2, prefix="t")
    _sql(sessions, "UPDATE audit_log SET outcome = 'denied' WHERE id = :id", id=tail[0])
    assert _problems(sessions) == [("altered", tail[0])]


def test_a_forged_tail_row_is_found(sessions: sessionmaker[Session]) -> None:
    _write(sessions, 2)
    _sql(
        sessions,
        "INSERT INTO audit_log (id, occurred_at, actor, action, outcome, key_id, txid, nonce, row_mac) "
        "VALUES (500, '2026-01-01 00:00:00.000000', 'intruder', 'petition.create', 'success', 'v1', 0, :n, :m)",
        n="0" * 32, m="d" * 64,
    )
    assert _problems(sessions) == [("altered", 500)]


def test_a_half_linked_row_is_found(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 2)
    _sql(sessions, "UPDATE audit_log SET hash = :h WHERE id = :id", h="a" * 64, id=ids[1])
    assert _problems(sessions) == [("altered", ids[1])]


def test_a_row_taken_out_of_the_chain_is_found_before_and_after_it_is_linked_again(
    sessions: sessionmaker[Session],
) -> None:
    ids = _write(sessions, 4)
    link_all(sessions)
    _sql(sessions, "UPDATE audit_log SET seq = NULL, prev_hash = NULL, hash = NULL WHERE id = :id", id=ids[1])
    # The gap it left, and the row itself: unchained, yet older than the chain's head.
    assert sorted(_problems(sessions)) == [("misplaced", ids[1]), ("removed", ids[2])]
    # The sequencer links it again, at the head: out of commit order, and the gap stays.
    assert link_all(sessions).rows == 1
    assert sorted(_problems(sessions)) == [("misplaced", ids[1]), ("removed", ids[2])]


def test_a_row_held_back_from_the_sequencer_is_found(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 3)
    columns = ", ".join(c.name for c in AuditEntry.__table__.columns)
    # Taken out before the sequencer ran, put back after: the sequencer's horizon had passed it.
    _sql(sessions, "CREATE TABLE held AS SELECT * FROM audit_log WHERE id = :id", id=ids[1])
    _sql(sessions, "DELETE FROM audit_log WHERE id = :id", id=ids[1])
    linked = link_all(sessions)
    _sql(sessions, f"INSERT INTO audit_log ({columns}) SELECT {columns} FROM held")
    assert ("misplaced", ids[1]) in _problems(sessions, horizon=linked.horizon)


def test_a_tail_row_removed_before_linking_leaves_no_trace(sessions: sessionmaker[Session]) -> None:
    """The documented limit (docs/audit.md): an unlinked row left no link behind to break."""
    ids = _write(sessions, 3)
    _sql(sessions, "DELETE FROM audit_log WHERE id = :id", id=ids[1])
    link_all(sessions)
    assert _problems(sessions) == []


def test_the_sequencer_links_an_altered_row_and_verify_reports_it(
    sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    ids = _write(sessions, 3)
    _sql(sessions, "UPDATE audit_log SET actor = 'someone-else' WHERE id = :id", id=ids[1])
    with caplog.at_level(logging.ERROR, logger="shared.audit.sequencer"):
        assert link_all(sessions).rows == 3  # the chain does not stall behind it
    assert f"audit row {ids[1]} does not match its seal" in caplog.text
    assert _problems(sessions) == [("altered", ids[1])]


def test_the_loop_links_what_is_committed_and_stops(sessions: sessionmaker[Session]) -> None:
    sequencer = AuditSequencer(sessions, batch_size=2, poll_interval_s=0.01)
    thread = threading.Thread(target=sequencer.run, daemon=True)
    thread.start()
    try:
        ids = _write(sessions, 5)
        deadline = time.monotonic() + 10
        while any(seq is None for _, seq, _ in _chain(sessions)) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        sequencer.stop()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert [i for i, seq, _ in sorted(_chain(sessions), key=lambda r: r[1] or 0)] == ids
    assert _problems(sessions) == []


def test_a_row_under_a_key_nobody_holds_does_not_stall_the_chain(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 3)
    _sql(sessions, "UPDATE audit_log SET key_id = 'zz' WHERE id = :id", id=ids[0])
    assert link_all(sessions).rows == 3
    assert _problems(sessions) == [("altered", ids[0])]
