"""A benchmark's seeded database, kept as a PostgreSQL template and copied for each run.

Seeding a million rows takes minutes; copying a template database takes seconds.  The template's
name carries the rows and a digest of the migrations it was built with (``schema_mark``), so a
schema change builds a new one instead of measuring against a stale shape.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from tests.support.infra import Databases

REPO = Path(__file__).resolve().parents[2]

#: (admin engine, databases, template name, rows) → seconds it took to seed.
Builder = Callable[[Any, Databases, str, int], float]


def schema_mark(*globs: str) -> str:
    """A digest of the files matching ``globs`` (relative to the repository): the template's schema."""
    digest = hashlib.sha256()
    for pattern in globs:
        for path in sorted(REPO.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def exists(admin: Any, name: str) -> bool:
    with admin.connect() as conn:
        return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is not None


@dataclass(frozen=True)
class SeededCopy:
    url: str  # the run's own copy
    seeded_s: float | None  # None: the template was there already
    copied_s: float


@contextmanager
def seeded_copy(infra: Any, *, template: str, rows: int, build: Builder, rebuild: bool, tag: str) -> Iterator[SeededCopy]:
    """A copy of ``template`` (built by ``build`` first if missing, or if ``rebuild``), dropped afterwards."""
    dbs = Databases(infra)
    admin = dbs.admin
    try:
        if rebuild and exists(admin, template):
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{template}" WITH (FORCE)'))
        seeded_s = None if exists(admin, template) else build(admin, dbs, template, rows)
        run_db = f"t_bench_{tag}_{os.getpid()}"
        started = time.perf_counter()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{run_db}" TEMPLATE "{template}"'))
        dbs.created.append(run_db)
        yield SeededCopy(infra.database_url(run_db), seeded_s, time.perf_counter() - started)
    finally:
        dbs.drop_all()


def load_without_secondary_indexes(conn: Any, tables: tuple[str, ...], seeds: tuple[str, ...], *, rows: int,
                                   step: int = 200_000) -> None:
    """Run each ``INSERT … SELECT generate_series(:lo, :hi)`` of ``seeds`` in slices of ``step`` rows.

    Loading into indexed tables costs several times more than building the indexes after: the
    secondary indexes of ``tables`` are dropped first and their own definitions (as the migrations
    made them, read back from pg_indexes) re-run at the end.
    """
    indexes = conn.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:tables) "
        "AND indexdef NOT LIKE 'CREATE UNIQUE%'"), {"tables": list(tables)}).all()
    for name, _ in indexes:
        conn.execute(text(f'DROP INDEX "{name}"'))
    for lo in range(1, rows + 1, step):
        hi = min(rows, lo + step - 1)
        for seed in seeds:
            conn.execute(text(seed), {"lo": lo, "hi": hi})
    for _, definition in indexes:
        conn.execute(text(definition))


def vacuum_analyze(engine: Any, tables: tuple[str, ...]) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            conn.execute(text(f"VACUUM ANALYZE {table}"))
