"""The lock after wrong codes: N wrong codes for one number within a period lock its public query for a period.

Why per typed number and not per case: counting only numbers that exist would make "locked" an
answer that only real case numbers give — the existence leak the uniform 404 closes.  So every
typed number (a case number, a 案号, a credit code: the `scope` says which kind) has its own
counter, whether or not anything is registered under it, and both are locked alike.

The throttle (throttle.py) bounds one address; this bounds one number against many addresses
(a botnet trying one receipt's code).  A right code resets the counter; a locked number is
refused even with the right code — the holder waits, or asks the desk (12309/12368).

One statement counts a failure (an upsert, atomic per row on both databases: parallel wrong
codes cannot count as one) and one sets the lock once the count is reached, on every failure,
so the statements a failure runs do not depend on what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.intake.public.models import StatusQueryLock
from shared.pii.crypto import blind_index


@dataclass(frozen=True)
class Policy:
    max_failures: int
    seconds: int  # both the period failures are counted over and how long a lock lasts


def key_of(scope: str, typed: str) -> str:
    """The keyed hash a typed number is counted under (the table keeps no number in clear)."""
    return blind_index(f"{scope}:{typed}", kind="status_query_lock")


def locked_for(session: Session, *, key: str, policy: Policy, now: datetime) -> int:
    """Seconds until `key`'s lock ends (0: not locked).  Forgets expired rows (anyone's) on the way."""
    since = now - timedelta(seconds=policy.seconds)
    session.execute(delete(StatusQueryLock).where(
        or_(StatusQueryLock.locked_until.is_(None), StatusQueryLock.locked_until < now),
        StatusQueryLock.period_started_at < since))
    until = session.scalar(select(StatusQueryLock.locked_until).where(StatusQueryLock.key == key))
    if until is None or until <= now:
        return 0
    return max(1, int((until - now).total_seconds()) + 1)


def failed(session: Session, *, key: str, policy: Policy, now: datetime) -> None:
    """Count a wrong code for `key`; the `max_failures`-th in a period locks it for `policy.seconds`."""
    since = now - timedelta(seconds=policy.seconds)
    values = {"key": key, "failures": 1, "period_started_at": now, "locked_until": None}
    stale = StatusQueryLock.period_started_at < since
    counted = {
        "failures": case((stale, 1), else_=StatusQueryLock.failures + 1),
        "period_started_at": case((stale, now), else_=StatusQueryLock.period_started_at),
    }
    dialect = session.get_bind().dialect.name
    stmt: postgresql.Insert | sqlite.Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(StatusQueryLock).values(**values)
    else:
        stmt = sqlite.insert(StatusQueryLock).values(**values)
    session.execute(stmt.on_conflict_do_update(index_elements=[StatusQueryLock.key], set_=counted))
    session.execute(
        update(StatusQueryLock)
        .where(StatusQueryLock.key == key, StatusQueryLock.failures >= policy.max_failures)
        .values(locked_until=now + timedelta(seconds=policy.seconds), failures=0, period_started_at=now)
    )


def succeeded(session: Session, *, key: str) -> None:
    """A right code: the wrong ones before it no longer count."""
    session.execute(update(StatusQueryLock).where(StatusQueryLock.key == key).values(failures=0))
