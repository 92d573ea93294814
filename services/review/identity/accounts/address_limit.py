"""The per-address limit on failed sign-ins (撞库 / credential stuffing across accounts).

The account lock (signin.py) counts failures per account: 40 names tried once each from one
address never trip it.  Here failures are also counted per client address: once an address has
``MAX_FAILURES`` failures in the last ``WINDOW``, every sign-in from it (right password or not)
answers 429 with Retry-After until its oldest counted failure leaves the window.  Refusals are
audited and not counted, so a blocked client cannot extend its own block by hammering.

Counted in review's database, not in memory, for the reasons intake's status-query window gives
(services/intake/public/throttle.py): several workers and replicas share one count, and a restart
forgets nothing.  On PostgreSQL the check is serialised per address by an advisory lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from services.review.identity.accounts.models import SignInFailure
from shared.errors import DomainError, ErrorKind
from shared.pii.crypto import blind_index

MAX_FAILURES = 20
WINDOW = timedelta(minutes=15)


class SignInThrottled(DomainError):
    kind = ErrorKind.TOO_MANY
    keeps_writes = True  # the refusal's audit row stands
    code = "sign_in_throttled"
    message_en = "Too many failed sign-ins from your address: wait and try again later"
    message_zh = "您所在地址登录失败次数过多，请稍后再试"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(retry_after_s=retry_after_s)
        self.retry_after_s = retry_after_s


def _key(client_addr: str | None) -> str:
    return blind_index(client_addr or "unknown", kind="sign_in_addr")


def _serialise(session: Session, key: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(key[:15], 16)})


def refused_for(session: Session, *, client_addr: str | None, now: datetime,
                limit: int = MAX_FAILURES, window: timedelta = WINDOW) -> int | None:
    """Seconds to wait if ``client_addr`` has used up its failures in the window; None if it may try."""
    key = _key(client_addr)
    _serialise(session, key)
    since = now - window
    session.execute(delete(SignInFailure).where(SignInFailure.failed_at < since))
    count, oldest = session.execute(
        select(func.count(), func.min(SignInFailure.failed_at))
        .where(SignInFailure.client_key == key, SignInFailure.failed_at >= since)).one()
    if int(count) < limit:
        return None
    return max(1, int((oldest + window - now).total_seconds()) + 1)


def count_failure(session: Session, *, client_addr: str | None, now: datetime) -> None:
    session.add(SignInFailure(client_key=_key(client_addr), failed_at=now))
