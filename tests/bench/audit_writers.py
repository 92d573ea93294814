"""Concurrent audited writes per second: the old chain lock beside the sequencer, same run, same server.

Each writer thread commits audited transactions in a loop: BEGIN, one audit row, the rest of the
business transaction (simulated by `pg_sleep(--work-ms)`: the petition, the outbox row, the round
trips of a real request), COMMIT.

- old: the release before ADR 0008, verbatim: `pg_advisory_xact_lock`, read the last row, link to
  it, all inside the business transaction (a database migrated to platform_0002_audit only);
- new: `shared.audit.record` (a sealed row, no lock), with the sequencer running beside it as it
  does in `huhang workers`; the time it needs to link the tail after the writers stop is reported.

The old design's ceiling is one business transaction at a time: 1000 / (ms the lock is held)
per second, whatever the number of writers or replicas.  Not part of `make bench` (a minute or
so per setting); results in docs/benchmarks.md.

    python -m tests.bench.audit_writers [--writers 8] [--seconds 5] [--work-ms 5]
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from shared import audit
from shared.audit.chain import GENESIS, compute_hash_v1
from shared.audit.sequencer import AuditSequencer, link_all
from shared.db.base import utcnow
from shared.db.engine import make_engine, make_session_factory
from shared.db.migrate import upgrade
from shared.keyring import keyring
from tests.support.infra import Databases, infrastructure

_OLD_CHAIN_LOCK = 0x68_75_68_61_6E_67_01  # the key the old `record` took


def _old_record(session: Session, *, actor: str) -> None:
    """`record` of the release before the sequencer (shared/audit/service.py at c75bf0b), in raw SQL."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _OLD_CHAIN_LOCK})
    last = session.execute(text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")).scalar()
    row = dict(
        occurred_at=utcnow(), actor=actor, actor_unit=None, action="bench.write", outcome="success",
        subject_type=None, subject_id=None, before=None, after=None, client_addr=None, trace_id=None, detail=None,
        key_id=keyring("audit").current_id, prev_hash=last or GENESIS,
    )
    row["hash"] = compute_hash_v1(type("Row", (), row)())  # type: ignore[arg-type]
    session.execute(
        text("INSERT INTO audit_log (occurred_at, actor, action, outcome, key_id, prev_hash, hash) "
             "VALUES (:occurred_at, :actor, :action, :outcome, :key_id, :prev_hash, :hash)"),
        row,
    )


def _new_record(session: Session, *, actor: str) -> None:
    audit.record(session, action="bench.write", actor=actor)


def _drive(sessions: sessionmaker[Session], write: Callable[..., None], writers: int, seconds: float, work_ms: float) -> float:
    """Audited transactions committed per second by `writers` threads for `seconds`."""
    counts = [0] * writers
    start = threading.Barrier(writers + 1)
    stop = threading.Event()

    def writer(n: int) -> None:
        start.wait()
        while not stop.is_set():
            with sessions() as s, s.begin():
                write(s, actor=f"w{n}")
                s.execute(text("SELECT pg_sleep(:s)"), {"s": work_ms / 1000})
            counts[n] += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--work-ms", type=float, default=5.0, help="the rest of the business transaction")
    args = parser.parse_args()

    with infrastructure() as infra:
        dbs = Databases(infra)
        try:
            old_url = infra.database_url(f"bench_audit_old_{int(time.time())}")
            with dbs.admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{old_url.rpartition("/")[2]}"'))
            dbs.created.append(old_url.rpartition("/")[2])
            upgrade("notify", old_url, revision="platform_0002_audit")
            new_url = dbs.fresh("notify")
            pool = {"pool_size": args.writers + 2, "max_overflow": 0}

            old_engine = make_engine(old_url, **pool)
            old_rate = _drive(make_session_factory(old_engine), _old_record, args.writers, args.seconds, args.work_ms)
            old_engine.dispose()

            new_engine = make_engine(new_url, **pool)
            new_sessions = make_session_factory(new_engine)
            sequencer = AuditSequencer(new_sessions, poll_interval_s=0.05)
            linking = threading.Thread(target=sequencer.run, daemon=True)
            linking.start()
            new_rate = _drive(new_sessions, _new_record, args.writers, args.seconds, args.work_ms)
            t0 = time.perf_counter()
            sequencer.stop()
            linking.join()
            link_all(new_sessions)
            catch_up_ms = (time.perf_counter() - t0) * 1000
            with new_sessions() as s:
                report = audit.verify_chain(s)
                rows = s.scalar(select(audit.AuditEntry.id).order_by(audit.AuditEntry.id.desc()).limit(1))
            new_engine.dispose()
        finally:
            dbs.drop_all()

    print()
    print(f"audited transactions per second: {args.writers} writers, {args.work_ms} ms of work each, {args.seconds} s")
    print(f"  old: advisory lock across the transaction  {old_rate:9.1f}/s  (one at a time: {1000 / old_rate:.1f} ms each)")
    print(f"  new: sealed row, sequencer after commit    {new_rate:9.1f}/s")
    print(f"  ratio new / old                            {new_rate / old_rate:9.2f}")
    print(f"  new: tail linked {catch_up_ms:.0f} ms after the writers stopped; "
          f"verify {'OK' if report.ok else 'FAILED'} over {report.rows} rows (last id {rows})")


if __name__ == "__main__":
    main()
