"""Two (or more) replicas of a job started at the same instant against one database, as in production.

Each replica gets its own engine and session factory, waits at a barrier so they really overlap,
then does its work; an exception in any replica fails the test with it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from shared.db.engine import make_engine, make_session_factory


def run_replicas(url: str, work: Callable[[sessionmaker[Session]], None], *, replicas: int = 2,
                 timeout_s: float = 120) -> None:
    """Run ``work(session_factory)`` in ``replicas`` threads at once, each over its own engine of ``url``."""
    engines = [make_engine(url) for _ in range(replicas)]
    barrier = threading.Barrier(replicas)
    errors: list[BaseException] = []

    def replica(index: int) -> None:
        try:
            factory = make_session_factory(engines[index])
            barrier.wait(timeout=30)
            work(factory)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=replica, args=(n,)) for n in range(replicas)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout_s)
    for e in engines:
        e.dispose()
    assert not errors, errors
