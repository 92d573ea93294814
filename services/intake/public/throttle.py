"""The per-address rate limit of the status query: at most N counted queries per sliding window.

Why the database and not memory: intake runs as several gunicorn workers (`huhang serve
--workers`) and, in Kubernetes, several replicas; an in-process window would give each its own
count (the limit multiplied by the processes) and forget it on every restart, which is exactly
when someone guessing codes would retry.  The rows live in intake's own database, so every
process of intake counts against the same window.  Nothing in the repository limited rates
before this (review's sign-in lockout counts per account, on the account row).

The window is the query code's real protection: 31⁹ codes at 10 queries per 15 minutes is
beyond any guessing, per case and per address.  On PostgreSQL the check and the count are
serialised per address (a transaction-scoped advisory lock), so parallel requests cannot slip
past the limit together; SQLite serialises every write transaction anyway.

The client address is `request.remote_addr`: behind the front door it is the door's
`X-Forwarded-For` entry only when the door is a trusted proxy (the front door's settings);
otherwise every visitor would share the door's address, and one window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from services.intake.public.models import StatusQueryAttempt
from shared.errors import DomainError, ErrorKind
from shared.pii.crypto import blind_index


class RateLimited(DomainError):
    """A window or a lock refused the request; `retry_after_s` says when to come back (the API's Retry-After)."""

    kind = ErrorKind.TOO_MANY
    keeps_writes = True  # the refusal's audit row is committed

    def __init__(self, retry_after_s: int) -> None:
        super().__init__()
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_s: int = 0  # when refused: until the oldest counted query leaves the window


def client_key(client_addr: str | None) -> str:
    """The keyed hash an address is counted under (an unknown address is one shared bucket)."""
    return blind_index(client_addr or "unknown", kind="client_addr")


def _lock(session: Session, key: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # 60 bits of the key's hash: fits a bigint, and collisions only make two addresses wait.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(key[:15], 16)})


def take(session: Session, *, client_addr: str | None, window: Window, now: datetime) -> Decision:
    """Count one query of `client_addr` if its window has room; a refused query is not counted.

    Flushes; the caller commits.  Rows past the window (anyone's) are deleted on the way.
    """
    key = client_key(client_addr)
    since = now - timedelta(seconds=window.seconds)
    _lock(session, key)
    session.execute(delete(StatusQueryAttempt).where(StatusQueryAttempt.attempted_at < since))
    recent = select(StatusQueryAttempt.attempted_at).where(
        StatusQueryAttempt.client_key == key, StatusQueryAttempt.attempted_at >= since)
    count = session.scalar(select(func.count()).select_from(recent.subquery())) or 0
    if count >= window.limit:
        oldest = session.scalar(select(func.min(StatusQueryAttempt.attempted_at)).where(
            StatusQueryAttempt.client_key == key, StatusQueryAttempt.attempted_at >= since))
        wait = (oldest + timedelta(seconds=window.seconds) - now).total_seconds() if oldest else window.seconds
        return Decision(False, max(1, int(wait) + 1))
    session.add(StatusQueryAttempt(client_key=key, attempted_at=now))
    session.flush()
    return Decision(True)
