"""The audit log's hash chain on SQLite: writing, masking, and detecting every kind of tampering.

Rows are written sealed and linked by the sequencer after commit; unless a test is about the
not-yet-chained tail, `_write` runs the sequencer after writing, as the workers process would.
"""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from shared import audit
from shared.audit import AuditEntry, AuditError, GENESIS
from shared.audit import service as audit_service
from shared.audit.sequencer import link_all
from shared.db.base import utcnow


@pytest.fixture
def sessions(engine_for) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    _engine, factory = engine_for("notify")
    return factory


def _write(sessions: sessionmaker[Session], n: int, *, chain: bool = True, **kw: object) -> list[int]:
    ids = []
    for i in range(n):
        with sessions() as s, s.begin():
            ids.append(audit.record(s, action="test.write", actor=f"u{i}", subject_type="thing", subject_id=str(i), **kw).id)  # type: ignore[arg-type]
    if chain:
        link_all(sessions)
    return ids


def _seq(sessions: sessionmaker[Session], row_id: int) -> int:
    with sessions() as s:
        row = s.get(AuditEntry, row_id)
        assert row is not None and row.seq is not None
        return row.seq


def _verify(sessions: sessionmaker[Session]) -> audit.Report:
    with sessions() as s:
        return audit.verify_chain(s)


def _sql(sessions: sessionmaker[Session], statement: str, **params: object) -> None:
    with sessions() as s, s.begin():
        s.execute(text(statement), params)


def test_rows_link_into_one_chain(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 4)
    with sessions() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    assert [r.id for r in rows] == ids  # SQLite serialises writers: commit order is id order
    assert [r.seq for r in rows] == [1, 2, 3, 4]
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))
    report = _verify(sessions)
    assert report.ok and report.rows == 4 and report.chained == 4 and report.head_id == ids[-1]


def test_a_row_is_sealed_when_written_and_linked_only_by_the_sequencer(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 2, chain=False)
    with sessions() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert all(r.row_mac and r.nonce and r.seq is None and r.prev_hash is None and r.hash is None for r in rows)
    assert rows[0].row_mac != rows[1].row_mac
    report = _verify(sessions)
    assert report.ok and (report.rows, report.chained, report.head_id) == (2, 0, None)
    assert link_all(sessions).rows == 2
    report = _verify(sessions)
    assert report.ok and report.chained == 2 and report.head_id == ids[-1]


def test_empty_log_verifies() -> None:
    assert audit_service.verify([]).ok


def test_altered_row_is_found(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 5)
    _sql(sessions, "UPDATE audit_log SET actor = 'someone-else' WHERE id = :id", id=ids[2])
    report = _verify(sessions)
    assert [(p.kind, p.row_id) for p in report.problems] == [("altered", ids[2])]


def test_altered_row_with_a_recomputed_unkeyed_hash_is_found(sessions: sessionmaker[Session]) -> None:
    import hashlib

    ids = _write(sessions, 3)
    forged = hashlib.sha256(b"whatever").hexdigest()
    _sql(sessions, "UPDATE audit_log SET outcome = 'denied', hash = :h WHERE id = :id", h=forged, id=ids[1])
    kinds = [(p.kind, p.row_id) for p in _verify(sessions).problems]
    assert ("altered", ids[1]) in kinds


def test_removed_row_is_found(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 5)
    _sql(sessions, "DELETE FROM audit_log WHERE id = :id", id=ids[2])
    assert [(p.kind, p.row_id) for p in _verify(sessions).problems] == [("removed", ids[3])]


def test_removed_first_rows_are_found(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 3)
    _sql(sessions, "DELETE FROM audit_log WHERE id = :id", id=ids[0])
    assert [(p.kind, p.row_id) for p in _verify(sessions).problems] == [("removed", ids[1])]


def test_inserted_row_is_found(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 4)
    with sessions() as s:
        before = s.get(AuditEntry, ids[1])
        assert before is not None and before.seq is not None
        prev, at = before.hash, before.seq
    # Make room after row 2 (seq is not hashed) and slip a forged row in.
    _sql(sessions, "UPDATE audit_log SET seq = seq + 100 WHERE seq > :seq", seq=at)
    _sql(
        sessions,
        "INSERT INTO audit_log (id, occurred_at, actor, action, outcome, key_id, txid, nonce, row_mac, seq, prev_hash, hash) "
        "VALUES (500, '2026-01-01 00:00:00.000000', 'intruder', 'petition.create', 'success', 'v1', 0, :n, :m, :seq, :prev, :h)",
        n="0" * 32, m="d" * 64, seq=at + 1, prev=prev, h="f" * 64,
    )
    assert [(p.kind, p.row_id) for p in _verify(sessions).problems] == [("inserted", 500)]


def test_copied_row_is_found(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 3)
    # The database refuses a plain copy (one seal, one row) ...
    with pytest.raises(IntegrityError):
        _sql(
            sessions,
            "INSERT INTO audit_log (id, occurred_at, actor, actor_unit, action, outcome, subject_type, subject_id, "
            "before, after, client_addr, trace_id, detail, key_id, txid, nonce, row_mac) "
            "SELECT 999, occurred_at, actor, actor_unit, action, outcome, subject_type, subject_id, before, after, "
            "client_addr, trace_id, detail, key_id, txid, nonce, row_mac FROM audit_log WHERE id = :id",
            id=ids[1],
        )
    # ... and where the constraint was dropped, verify finds the copy, in the chain or in the tail.
    with sessions() as s:
        rows = list(s.scalars(select(AuditEntry)))
        original = next(r for r in rows if r.id == ids[1])
        tail_copy = SimpleNamespace(**{c: getattr(original, c) for c in _COLUMNS} | {"id": 999, "seq": None, "prev_hash": None, "hash": None})
        chain_copy = SimpleNamespace(**{c: getattr(original, c) for c in _COLUMNS} | {"id": 998, "seq": 50})
    for copy in (tail_copy, chain_copy):
        kinds = [(p.kind, p.row_id) for p in audit_service.verify([*rows, copy]).problems]  # type: ignore[list-item]
        assert kinds and all(row_id == copy.id for _, row_id in kinds), kinds


_COLUMNS = [c.name for c in AuditEntry.__table__.columns]


def test_the_key_matters(sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    from shared import keyring

    _write(sessions, 2)
    monkeypatch.setenv("HUHANG_AUDIT_KEY", base64.b64encode(b"z" * 32).decode())
    keyring.reset()
    assert not _verify(sessions).ok


def test_personal_numbers_are_masked_in_before_after_and_detail(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        entry = audit.record(
            s, action="petition.update", actor="clerk",
            before={"petitioner": {"id_number": "411302199001011236", "phone": "13800138000"}},
            after={"note": "called 13912345678 about 41130219900101121X"},
            detail={"mobile": "13800138000", "ids": ["411302199001011236"]},
        )
        entry_id = entry.id
    with sessions() as s:
        raw = s.execute(text("SELECT before, after, detail FROM audit_log WHERE id = :id"), {"id": entry_id}).one()
    blob = json.dumps([str(c) for c in raw], ensure_ascii=False)
    for number in ("411302199001011236", "41130219900101121X", "13800138000", "13912345678"):
        assert number not in blob
    assert "4113**********1236" in blob and "138****8000" in blob
    assert _verify(sessions).ok


def test_bad_outcome_and_action_are_refused(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        with pytest.raises(AuditError):
            audit.record(s, action="petition.create", outcome="maybe")
        with pytest.raises(AuditError):
            audit.record(s, action="Create Petition")


def test_purge_refuses_rows_younger_than_six_months(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin(), pytest.raises(AuditError, match="183"):
        audit.purge(s, older_than_days=182)


def test_purge_keeps_the_chain_verifiable_and_only_removes_old_rows(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    long_ago = utcnow() - timedelta(days=400)
    monkeypatch.setattr(audit_service, "utcnow", lambda: long_ago)
    old_ids = _write(sessions, 3)
    monkeypatch.undo()
    young_ids = _write(sessions, 2)
    with sessions() as s, s.begin():
        result = audit.purge(s, older_than_days=200)
    assert result.removed == 3 and result.through_id == old_ids[-1]
    with sessions() as s:
        left = [r.id for r in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        checkpoint = s.scalars(select(AuditEntry).where(AuditEntry.action == "audit.purge")).one()
    assert left[:2] == young_ids and checkpoint.detail["through_hash"]
    assert _verify(sessions).ok
    # A row removed *after* the purge, without a checkpoint, is still caught.
    _sql(sessions, "DELETE FROM audit_log WHERE id = :id", id=young_ids[0])
    assert [p.kind for p in _verify(sessions).problems] == ["removed"]


def test_a_forged_checkpoint_vouches_for_nothing(sessions: sessionmaker[Session]) -> None:
    ids = _write(sessions, 3)
    with sessions() as s:
        first = s.get(AuditEntry, ids[0])
        assert first is not None
        first_hash = first.hash
    _sql(sessions, "DELETE FROM audit_log WHERE id = :id", id=ids[0])
    # Forged in the chain (a link) and in the tail (a seal): neither has the key.
    _sql(
        sessions,
        "INSERT INTO audit_log (id, occurred_at, actor, action, outcome, detail, key_id, txid, seq, prev_hash, hash) "
        "VALUES (500, '2026-01-01 00:00:00.000000', 'x', 'audit.purge', 'success', :d, 'v1', 0, 100, :p, :h)",
        d=json.dumps({"through_hash": first_hash}), p=GENESIS, h="e" * 64,
    )
    _sql(
        sessions,
        "INSERT INTO audit_log (id, occurred_at, actor, action, outcome, detail, key_id, txid, nonce, row_mac) "
        "VALUES (501, '2026-01-01 00:00:00.000000', 'x', 'audit.purge', 'success', :d, 'v1', 0, :n, :m)",
        d=json.dumps({"through_hash": first_hash}), n="1" * 32, m="c" * 64,
    )
    kinds = {p.kind for p in _verify(sessions).problems}
    assert "removed" in kinds  # the head is still reported missing
