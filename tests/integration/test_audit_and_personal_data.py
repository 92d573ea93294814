"""Audit chain and personal data over the real PostgreSQL (and, for the API, the real services)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import uuid
from datetime import timedelta

import pytest
import requests
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared import audit
from shared.audit import AuditEntry
from shared.audit import service as audit_service
from shared.audit.sequencer import AuditSequencer, link_all, link_batch, transaction_id
from shared.db.base import utcnow
from shared.db.engine import make_engine, make_session_factory
from tests.support.audit import link_until_chained
from tests.support.auth import AuthKeys
from tests.support.infra import Databases
from tests.support.stack import REPO, Stack
from tests.unit.shared.test_audit_sequencer_migration import check_round_trip

ID = PETITION_EXAMPLE["petitioner"]["id_number"]
PHONE = PETITION_EXAMPLE["petitioner"]["phone"]
_ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def test_concurrent_writers_keep_one_unbroken_chain(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _url, sessions = pg_session_for("review")
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)
    # Two replicas' sequencers link while the writers write: one is elected per batch.
    sequencers = [AuditSequencer(sessions, batch_size=7, poll_interval_s=0.01) for _ in range(2)]
    linking = [threading.Thread(target=q.run, daemon=True) for q in sequencers]

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                with sessions() as s, s.begin():
                    audit.record(s, action="test.concurrent", actor=f"w{n}", subject_id=str(i))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in [*linking, *threads]:
        t.start()
    for t in threads:
        t.join()
    for q in sequencers:
        q.stop()
    for t in linking:
        t.join(timeout=10)
    assert errors == []
    link_until_chained(sessions)
    with sessions() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        report = audit.verify_chain(s)
    assert len(rows) == 80 and [r.seq for r in rows] == list(range(1, 81))
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))  # no fork: every row has its own predecessor
    assert [(r.txid, r.id) for r in rows] == sorted((r.txid, r.id) for r in rows)  # commit-safe order
    assert report.ok, report.problems


def test_two_replicas_writing_at_once_both_make_progress(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    """One replica holds its audited business transaction open; the other keeps committing its own.

    Against the old design (an advisory lock from `record` to commit) replica B waits for A's
    commit and this fails: B makes no progress while A is open.
    """
    url, sessions_a = pg_session_for("review")
    engine_b = make_engine(url)  # the second replica: an engine (a pool) of its own
    sessions_b = make_session_factory(engine_b)
    a_recorded, release_a, a_done = threading.Event(), threading.Event(), threading.Event()
    b_committed: list[int] = []
    errors: list[BaseException] = []

    def replica_a() -> None:
        try:
            with sessions_a() as s, s.begin():
                audit.record(s, action="test.slow", actor="replica-a")
                a_recorded.set()
                release_a.wait(30)  # the business transaction goes on: a slow call, a big import
            a_done.set()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            a_recorded.set()

    def replica_b() -> None:
        try:
            for i in range(5):
                with sessions_b() as s, s.begin():
                    s.execute(text("SET LOCAL lock_timeout = '5s'"))  # fail, not hang, where a lock is awaited
                    b_committed.append(audit.record(s, action="test.fast", actor="replica-b", subject_id=str(i)).id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    a = threading.Thread(target=replica_a)
    a.start()
    try:
        assert a_recorded.wait(10)
        b = threading.Thread(target=replica_b)
        b.start()
        b.join(timeout=20)
        assert not b.is_alive() and errors == [] and len(b_committed) == 5, (errors, b_committed)
        assert not a_done.is_set()  # all of it while A was still open
        with sessions_b() as s:
            assert s.scalar(select(func.count()).select_from(AuditEntry)) == 5  # B's rows are committed
    finally:
        release_a.set()
        a.join(timeout=20)
        engine_b.dispose()
    assert errors == [] and a_done.is_set()
    link_until_chained(sessions_a)
    with sessions_a() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        report = audit.verify_chain(s)
    # A began first: its row comes first in the chain although it committed last.
    assert [r.actor for r in rows] == ["replica-a"] + ["replica-b"] * 5
    assert report.ok and report.chained == 6, report.problems


def test_the_sequencer_waits_for_older_transactions_and_links_in_their_order(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _url, sessions = pg_session_for("notify")
    with sessions() as older:
        older.begin()
        audit.record(older, action="test.older", actor="older")
        older_txid = transaction_id(older)
        with sessions() as s, s.begin():
            younger = audit.record(s, action="test.younger", actor="younger")
            assert transaction_id(s) > older_txid
        # The younger row is committed, but a row of a transaction still running may belong before it.
        linked = link_all(sessions)
        assert linked.rows == 0 and linked.horizon is not None and linked.horizon <= older_txid
        with sessions() as s:
            report = audit.verify_chain(s, horizon=linked.horizon)
            assert report.ok and (report.rows, report.chained) == (1, 0), report.problems
        older.commit()
    linked = link_until_chained(sessions)
    assert link_all(sessions).rows == 0  # idempotent: nothing is linked twice
    with sessions() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        assert [(r.actor, r.seq) for r in rows] == [("older", 1), ("younger", 2)]
        assert rows[1].id == younger.id
        assert audit.verify_chain(s, horizon=linked.horizon).ok


def test_a_sequencer_that_is_not_elected_skips_its_round(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _url, sessions = pg_session_for("notify")
    with sessions() as s, s.begin():
        audit.record(s, action="test.row", actor="a")
    other = AuditSequencer(sessions)
    with sessions() as holder, holder.begin():
        link_batch(holder, wait=True)  # this one holds the lock until its commit
        skipped = other.link_once()
    assert (skipped.rows, skipped.elected) == (0, False)
    assert other.link_once().elected


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'x'",
        "UPDATE audit_log SET hash = repeat('a', 64)",  # relinking a linked row
        "UPDATE audit_log SET seq = NULL, prev_hash = NULL, hash = NULL",  # taking it out of the chain
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        # A row comes in sealed and unlinked, never already linked or without a seal.
        "INSERT INTO audit_log (occurred_at, actor, action, outcome, key_id, txid, nonce, row_mac, seq, prev_hash, hash) "
        "SELECT now(), 'x', 'test.row', 'success', 'v1', 1, nonce, repeat('b', 64), 99, hash, repeat('c', 64) FROM audit_log",
        "INSERT INTO audit_log (occurred_at, actor, action, outcome, key_id, txid) VALUES (now(), 'x', 'test.row', 'success', 'v1', 1)",
    ],
)
def test_the_trigger_refuses_changes(pg_session_for, statement: str) -> None:  # type: ignore[no-untyped-def]
    _url, sessions = pg_session_for("notify")
    with sessions() as s, s.begin():
        audit.record(s, action="test.row", actor="a")
    link_until_chained(sessions)
    with sessions() as s, s.begin(), pytest.raises(DBAPIError, match="append-only"):
        s.execute(text(statement))
    with sessions() as s:
        report = audit.verify_chain(s)
        assert report.rows == 1 and report.ok


@pytest.mark.parametrize(
    "assignments",
    [
        "seq = 1, prev_hash = repeat('0', 64), hash = repeat('e', 64), actor = 'x'",  # the link and a change
        "seq = 1",  # half a link
        "txid = 5",
    ],
)
def test_the_trigger_lets_only_the_linking_update_through(pg_session_for, assignments: str) -> None:  # type: ignore[no-untyped-def]
    _url, sessions = pg_session_for("notify")
    with sessions() as s, s.begin():
        row_id = audit.record(s, action="test.row", actor="a").id
    with sessions() as s, s.begin(), pytest.raises(DBAPIError, match="append-only"):
        s.execute(text(f"UPDATE audit_log SET {assignments} WHERE id = :id"), {"id": row_id})
    # The link alone passes the trigger; only the key makes it a valid one.
    with sessions() as s, s.begin():
        s.execute(text("UPDATE audit_log SET seq = 1, prev_hash = repeat('0', 64), hash = repeat('e', 64) WHERE id = :id"),
                  {"id": row_id})
    with sessions() as s:
        assert [(p.kind, p.row_id) for p in audit.verify_chain(s).problems] == [("altered", row_id)]


def test_purge_on_postgres_removes_only_old_rows(pg_session_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _url, sessions = pg_session_for("notify")
    long_ago = utcnow() - timedelta(days=400)
    monkeypatch.setattr(audit_service, "utcnow", lambda: long_ago)
    for i in range(3):
        with sessions() as s, s.begin():
            audit.record(s, action="test.old", actor=f"a{i}")
    monkeypatch.undo()
    with sessions() as s, s.begin():
        young = audit.record(s, action="test.young", actor="b").id
    # Purge removes chained rows only; on the shared server another test's open transaction could
    # hold the horizon below these rows when the purge links, so they are chained first.
    link_until_chained(sessions)
    with sessions() as s, s.begin():
        assert audit.purge(s, older_than_days=183).removed == 3
    with sessions() as s:
        assert audit.verify_chain(s).ok
    # Even with the purge flag set, the trigger keeps a young row.
    with sessions() as s, s.begin(), pytest.raises(DBAPIError, match="append-only"):
        s.execute(text("SELECT set_config('huhang.audit_purge', 'on', true)"))
        s.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": young})


def _verify_cli(service: str, url: str, *options: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env[f"{service.upper()}_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "services.cli", "audit", "verify", "--service", service, *options],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )


def test_verify_command_exits_nonzero_after_tampering(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    url, sessions = pg_session_for("review")
    ids = []
    for i in range(4):
        with sessions() as s, s.begin():
            ids.append(audit.record(s, action="test.row", actor=f"a{i}").id)
    clean = _verify_cli("review", url)  # links the committed rows it may, then verifies
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "review: OK; 4 row(s)" in clean.stdout
    link_until_chained(sessions)  # what follows tampers with chained rows

    # What a superuser could do: switch the guard off, change one row, remove another.
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        conn.execute(text("UPDATE audit_log SET outcome = 'denied' WHERE id = :id"), {"id": ids[1]})
        conn.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[3]})
        conn.execute(text("INSERT INTO audit_log (occurred_at, actor, action, outcome, key_id, txid, nonce, row_mac, "
                          "seq, prev_hash, hash) SELECT now(), 'intruder', 'test.row', 'success', 'v1', txid, nonce, "
                          "repeat('d', 64), seq + 100, hash, repeat('f', 64) FROM audit_log WHERE id = :id"), {"id": ids[2]})
        conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    engine.dispose()
    tampered = _verify_cli("review", url)
    assert tampered.returncode == 1, tampered.stdout + tampered.stderr
    assert f"ALTERED id={ids[1]}" in tampered.stdout
    assert "problem(s)" in tampered.stdout and "intruder" not in tampered.stdout


def test_verify_command_checks_the_tail_with_or_without_linking_it(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    url, sessions = pg_session_for("notify")
    ids = []
    for i in range(3):
        with sessions() as s, s.begin():
            ids.append(audit.record(s, action="test.row", actor=f"a{i}").id)
    engine = create_engine(url)
    with engine.begin() as conn:  # a superuser changes a row the sequencer has not reached yet
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        conn.execute(text("UPDATE audit_log SET outcome = 'denied' WHERE id = :id"), {"id": ids[1]})
        conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    as_found = _verify_cli("notify", url, "--no-chain")
    assert as_found.returncode == 1 and f"ALTERED id={ids[1]}" in as_found.stdout, as_found.stdout + as_found.stderr
    assert "3 row(s), 3 not yet chained" in as_found.stdout
    with engine.connect() as conn:  # --no-chain only reads
        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE seq IS NOT NULL")).scalar() == 0
    link_until_chained(sessions)  # the sequencer links the altered row as found ...
    linked = _verify_cli("notify", url)  # ... and verify still reports it
    assert linked.returncode == 1 and f"ALTERED id={ids[1]}" in linked.stdout and "0 not yet chained" in linked.stdout
    engine.dispose()


def test_migration_keeps_the_old_chain_on_postgresql(databases: Databases) -> None:
    name = f"m_audit_{uuid.uuid4().hex[:8]}"
    with databases.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    databases.created.append(name)
    check_round_trip(databases.infra.database_url(name))


def test_purge_command_refuses_less_than_six_months(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    url, _sessions = pg_session_for("notify")
    env = dict(os.environ, NOTIFY_DATABASE_URL=url)
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "services.cli", "audit", "purge", "--older-than", "30", "--service", "notify"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode != 0 and "183" in done.stderr


def test_real_services_store_no_plaintext_and_answer_masked(stack: Stack, test_keys: AuthKeys) -> None:
    intake = stack.start_api("intake")
    clerk = test_keys.headers("intake_clerk")
    created = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, headers=clerk, timeout=10)
    assert created.status_code == 201, created.text
    petition = created.json()
    second = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, headers=clerk, timeout=10).json()
    assert second["possible_duplicate_of"] == petition["id"]

    # pg_dump-style: every raw column of petitions and audit_log, as text, holds no 18-digit ID.
    engine = create_engine(stack.database_urls["intake"])
    with engine.connect() as conn:
        dump = "\n".join(
            str(tuple(row)) for table in ("petitions", "audit_log", "outbox")
            for row in conn.execute(text(f"SELECT * FROM {table}"))  # noqa: S608 - fixed names
        )
    engine.dispose()
    assert petition["id"] in dump
    assert not _ID_PATTERN.search(dump) and PHONE not in dump

    answers = {
        "POST /petitions": created,
        "GET /petitions": requests.get(f"{intake}/api/v1/petitions", headers=clerk, timeout=10),
        "GET /petitions/<id>": requests.get(f"{intake}/api/v1/petitions/{petition['id']}", headers=clerk, timeout=10),
        "POST /petitions/search": requests.post(f"{intake}/api/v1/petitions/search", json={"id_number": ID}, headers=clerk, timeout=10),
        "GET /audit": requests.get(f"{intake}/api/v1/audit", headers=test_keys.headers("auditor"), timeout=10),
    }
    for name, resp in answers.items():
        assert resp.status_code in (200, 201), (name, resp.text)
        assert ID not in resp.text and PHONE not in resp.text, name
    assert "4113**********1236" in answers["GET /petitions/<id>"].text

    revealed = requests.post(
        f"{intake}/api/v1/petitions/{petition['id']}/reveal", json={"reason": "电话回访"}, headers=clerk, timeout=10
    )
    assert revealed.status_code == 200 and revealed.json()["id_number"] == ID
    log = requests.get(
        f"{intake}/api/v1/audit", params={"action": "pii.reveal"}, headers=test_keys.headers("auditor"), timeout=10
    ).json()
    assert [(e["subject_id"], e["outcome"], e["actor"]) for e in log] == [(petition["id"], "success", "t-intake_clerk")]
    assert ID not in str(log)

    # And the API processes' own log lines carry no number in clear.
    assert ID not in (stack.log_dir / "intake-api.log").read_text(errors="replace")
