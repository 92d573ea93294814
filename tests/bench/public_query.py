"""The public status query with 1,000,000 cases in the database, beside a bare indexed lookup.

Measured through the service function the public page calls (services/intake/public/service.py
`query`), in this process, each query its own transaction as the page runs it: the per-address
window (a row counted under an advisory lock), the credential lookup and one argon2id
verification, the petition read, the audit row, the commit.  Three kinds of query, alternating
request by request with the baseline:
- **correct**: a case and its 查询码;
- **wrong**: a case and another code;
- **unknown**: a case number that was never issued (past the last serial).
**Baseline**, same run, same database: `SELECT … FROM petitions WHERE case_number = :n` on the
unique index, its own transaction.

The data: N petitions (default 1,000,000) and their `public_credentials` rows, made in SQL by
`INSERT … SELECT generate_series` (about a minute at 1M on 2 cores), kept as a template database
(`huhang_bench_q<N>_<schema>`) for the next run, which copies it in seconds.  Every credential
holds one precomputed argon2id hash (computing a million takes hours), except the cases queried
here, which get a code and a hash of their own in each run.  The rate limit is raised for the
run (HUHANG_PUBLIC_STATUS_QUERY_LIMIT) and the queries come from 100 client addresses in turn, so
the window is counted and written as in production but never refuses.

    python -m tests.bench.public_query [--cases 1000000] [--queries 300] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import datetime, timezone
from pathlib import Path
from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, text

from tests.bench.stats import summary_ms, write_result
from tests.bench.templates import seeded_copy, schema_mark
from tests.support.infra import Databases, infrastructure

REPO = Path(__file__).resolve().parents[2]
YEAR = 2025
SAMPLED = 200  # cases queried, each with its own code and hash


def case_number(serial: int) -> str:
    return f"宛检12309〔{YEAR}〕{serial}号"  # services/intake/numbering's form


def _schema_mark() -> str:
    """A digest of intake's migrations: a cached template of another schema is not reused."""
    return schema_mark("services/intake/*/migrations/**/*.py", "shared/**/migrations/**/*.py")


_SEED_PETITIONS = """
INSERT INTO petitions (id, case_number, line, channel, petition_type, status, petitioner_name, petitioner_kind,
                       is_enterprise, subject, claim, received_at, received_on, registered_by, unit_code,
                       created_at, updated_at)
SELECT md5('p' || g)::uuid::text, '宛检12309〔' || CAST(:year AS text) || '〕' || g || '号', '12309', (ARRAY['信','访','网','电'])[1 + g % 4],
       '控告', (ARRAY['registered','triaged','assigned','replied'])[1 + g % 4], '王某' || g % 100, 'natural',
       g % 3 = 0, '涉企事项第' || g || '号', '请求依法处理', now() - g * interval '20 seconds',
       (now() - g * interval '20 seconds')::date, 'bench', 'NY-JCY-KS', now(), now()
FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) AS g
"""
_SEED_CREDENTIALS = """
INSERT INTO public_credentials (id, kind, subject_id, lookup_key, code_hash, issued_at, issued_by)
SELECT md5('c' || g)::uuid::text, 'petition', md5('p' || g)::uuid::text, '宛检12309〔' || CAST(:year AS text) || '〕' || g || '号',
       :hash, now(), 'bench'
FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) AS g
"""


def build_template(admin: Any, dbs: Databases, name: str, cases: int) -> float:
    """The seeded database, once: a migrated intake database plus `cases` petitions and credentials."""
    from services.intake.credentials import hashing

    started = time.perf_counter()
    building = f"{name}_building"  # renamed when complete: a failed seed leaves no template behind
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{building}" TEMPLATE "{dbs.template("intake")}"'))
    engine = create_engine(dbs.infra.database_url(building))
    shared_hash = hashing.hash_code("BENCHSHARED")  # the one hash of every case not queried
    step = 200_000
    with engine.begin() as conn:
        for lo in range(1, cases + 1, step):
            hi = min(cases, lo + step - 1)
            conn.execute(text(_SEED_PETITIONS), {"year": str(YEAR), "lo": lo, "hi": hi})
            conn.execute(text(_SEED_CREDENTIALS), {"year": str(YEAR), "lo": lo, "hi": hi, "hash": shared_hash})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE petitions"))
        conn.execute(text("VACUUM ANALYZE public_credentials"))
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
    return time.perf_counter() - started


def _code(k: int) -> str:
    from services.intake.credentials import codes

    rng = random.Random(f"code-{k}")
    return "".join(rng.choice(codes.ALPHABET) for _ in range(codes.LENGTH))


def prepare(url: str, serials: list[int]) -> dict[int, str]:
    """Give the queried cases codes and hashes of their own (of this run's key and cost)."""
    from services.intake.credentials import hashing

    issued = {serial: _code(serial) for serial in serials}
    engine = create_engine(url)
    with engine.begin() as conn:
        for serial, code in issued.items():
            conn.execute(text("UPDATE public_credentials SET code_hash = :h WHERE kind = 'petition' AND lookup_key = :n"),
                         {"h": hashing.hash_code(code), "n": case_number(serial)})
    engine.dispose()
    return issued


def measure(url: str, issued: dict[int, str], cases: int, queries: int) -> dict[str, dict[str, float]]:
    from services.intake.config import IntakeSettings
    from services.intake.credentials import hashing
    from services.intake.public import service
    from shared.actor import Actor
    from shared.db.base import utcnow
    from shared.db.engine import make_engine, make_session_factory
    from shared.db.transaction import transaction

    settings = IntakeSettings()
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    serials = list(issued)
    rng = random.Random(7)
    stored = hashing.hash_code(_code(0))
    bare_sql = text("SELECT id, case_number, line, received_on, status, unit_code FROM petitions WHERE case_number = :n")

    def ask(number: str, code: str, k: int) -> Any:
        actor = Actor("public", client_addr=f"198.51.100.{k % 100}")
        try:
            with sessions() as session, transaction(session) as tx:
                return service.query(tx, case_number=number, code=code, actor=actor, settings=settings, now=utcnow())
        except service.StatusNotFound:  # a wrong code and an unknown case: one answer (committed)
            return None

    def bare(number: str) -> Any:
        with engine.connect() as conn:
            row = conn.execute(bare_sql, {"n": number}).first()
            conn.commit()
            return row

    variants: dict[str, Callable[[int, int], Any]] = {
        "correct code": lambda k, s: ask(case_number(s), issued[s], k),
        "wrong code": lambda k, s: ask(case_number(s), _code(s + 1), k),
        "unknown case": lambda k, s: ask(case_number(cases + 1 + s), issued[s], k),
        "baseline: bare indexed lookup": lambda k, s: bare(case_number(rng.randint(1, cases))),
        # Not a query: the one argon2id verification each query runs, alone (how much of it is the hash).
        "argon2id verify alone": lambda k, s: hashing.verify(stored, issued[s]),
    }
    expected = {"correct code": True, "wrong code": False, "unknown case": False}
    for k, serial in enumerate(serials[:5]):  # warm-up: connections, plans, the hasher
        for run in variants.values():
            run(k, serial)
    times: dict[str, list[float]] = {name: [] for name in variants}
    for k in range(queries):
        serial = serials[k % len(serials)]
        for name, run in variants.items():
            started = time.perf_counter()
            answer = run(k, serial)
            times[name].append(time.perf_counter() - started)
            if name in expected and (answer is not None) != expected[name]:
                raise AssertionError(f"{name}: unexpected answer {answer!r} for {case_number(serial)}")
    engine.dispose()
    return {name: summary_ms(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000, help="petitions in the database")
    parser.add_argument("--queries", type=int, default=300, help="queries of each kind")
    parser.add_argument("--rebuild", action="store_true", help="seed the template again even if it exists")
    args = parser.parse_args()
    # The window counts every query but must not refuse the benchmark's (see the docstring).
    os.environ["HUHANG_PUBLIC_STATUS_QUERY_LIMIT"] = str(10**9)
    os.environ["HUHANG_PUBLIC_STATUS_QUERY_MAX_WRONG"] = str(10**9)  # the per-number lock: never reached here
    with infrastructure() as infra, seeded_copy(
            infra, template=f"huhang_bench_q{args.cases}_{_schema_mark()}", rows=args.cases, build=build_template,
            rebuild=args.rebuild, tag="q") as db:
        seeded_s, copied_s = db.seeded_s, db.copied_s
        step = max(1, args.cases // SAMPLED)
        issued = prepare(db.url, list(range(1, args.cases + 1, step))[:SAMPLED])
        figures = measure(db.url, issued, args.cases, args.queries)
    base = figures["baseline: bare indexed lookup"]
    ratio = {name: {p: round(fig[p] / base[p], 1) for p in ("p50", "p99")} for name, fig in figures.items()}
    print(f"\npublic status query, {args.cases:,} cases, {args.queries} queries of each kind (ms)"
          f"{f'; seeded in {seeded_s:.0f} s' if seeded_s else '; seeded database reused'}, copied in {copied_s:.1f} s")
    print(f"{'':32}{'p50':>9}{'p99':>9}{'ratio p50':>11}{'ratio p99':>11}")
    for name, fig in figures.items():
        print(f"{name:32}{fig['p50']:>9}{fig['p99']:>9}{ratio[name]['p50']:>11}{ratio[name]['p99']:>11}")
    result = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "cases": args.cases,
              "queries_per_kind": args.queries, "seed_seconds": seeded_s, "copy_seconds": round(copied_s, 1),
              "figures_ms": figures, "ratio_to_bare_lookup": ratio}
    write_result("public_query", result)


if __name__ == "__main__":
    main()
