"""What a periodic job is: the contract every job the runner drives must keep.

Several scheduler replicas run the same jobs at once, and any of them can be killed at any
moment, so a job is written for that rather than guarded by a leader election.
"""

from __future__ import annotations

import datetime as _dt
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker


class Job(Protocol):
    """One kind of periodic work (a scan, a timer, a notice).

    Contract of :meth:`run_once`:

    - **Idempotent**: running it twice at the same ``now`` does the work once; what was done is
      recorded in the database (a marker column, a unique row), never in process memory.
    - **Safe with several replicas**: rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED``
      (or a unique constraint decides), so two replicas never both act on one row.
    - **Each batch in its own transaction**, opened from ``session_factory`` and committed before
      the next batch: a crash loses at most the batch in flight, which the next pass redoes.
      Events go through the outbox in that same transaction.
    - **Bounded**: it returns once nothing is left to do at ``now`` (it does not sleep or wait).
    - Raises on failure (a database outage); the runner logs it and tries again next pass.
    """

    @property
    def name(self) -> str:
        """A short stable name for logs and the manifest (``deadline-notices``)."""
        ...

    def run_once(self, session_factory: sessionmaker[Session], *, now: _dt.datetime) -> int:
        """Do everything due at ``now`` (aware); return how many items it acted on."""
        ...


class JobFactory(Protocol):
    """What a domain exposes for the runner (``services.review.deadlines.jobs:jobs``)."""

    def __call__(self, *, batch_size: int = 100) -> list[Job]:
        """The domain's jobs, each acting on at most ``batch_size`` rows per transaction."""
        ...
