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
