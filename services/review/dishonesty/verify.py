"""The public check of a 诚信证明: anyone with the code learns only "valid, issued on … by … for …",
"revoked on …" or "not found"; per-address rate limit; every check audited.

The limiter is the status query's (services/intake/public/throttle.py) rebuilt over review's own
table: a sliding window per client address, counted in the database so that every worker and
replica shares it, serialised per address on PostgreSQL by a transaction-scoped advisory lock.
No enumeration: the code is the only key, looked up by its blind index, so an unknown code and a
mistyped one do the same work (one HMAC, one indexed read) and give the same answer; a code of
the wrong shape is hashed and looked up all the same (it cannot match) rather than refused early.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from services.review.dishonesty.certificate import code_index
from services.review.dishonesty.models import Certificate, VerifyAttempt
from shared.actor import Actor
from shared.audit.service import record as audit
from shared.errors import DomainError, ErrorKind
from shared.pii.crypto import blind_index

VALID, REVOKED, NOT_FOUND = "valid", "revoked", "not_found"


class TooManyChecks(DomainError):
    kind = ErrorKind.TOO_MANY
    keeps_writes = True  # the refusal's audit row
    code = "certificate_verify.rate_limited"
    message_zh = "查验过于频繁，请稍后再试"
    message_en = "Too many checks from this address; try again later"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(retry_after_s=retry_after_s)
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: int

    @classmethod
    def from_env(cls) -> "Window":
        """HUHANG_CERTIFICATE_VERIFY_LIMIT checks per HUHANG_CERTIFICATE_VERIFY_WINDOW seconds (10 per 60)."""
        limit = int(os.environ.get("HUHANG_CERTIFICATE_VERIFY_LIMIT", "10"))
        seconds = int(os.environ.get("HUHANG_CERTIFICATE_VERIFY_WINDOW", "60"))
        if min(limit, seconds) < 1:
            raise ValueError("HUHANG_CERTIFICATE_VERIFY_LIMIT and _WINDOW must be >= 1")
        return cls(limit, seconds)


@dataclass(frozen=True)
class Answer:
    result: str  # valid / revoked / not_found
    issued_on: date | None = None
    issued_by: str | None = None
    enterprise: str | None = None
    number: str | None = None
    revoked_on: date | None = None


def _key(client_addr: str | None) -> str:
    return blind_index(client_addr or "unknown", kind="client_addr")


def take(session: Session, *, client_addr: str | None, window: Window, now: datetime) -> int:
    """Count one check of ``client_addr``; 0 if allowed, else the seconds until the window has room."""
    key = _key(client_addr)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(key[:15], 16)})
    since = now - timedelta(seconds=window.seconds)
    session.execute(delete(VerifyAttempt).where(VerifyAttempt.attempted_at < since))
    count = session.scalar(select(func.count()).select_from(VerifyAttempt).where(
        VerifyAttempt.client_key == key, VerifyAttempt.attempted_at >= since)) or 0
    if count >= window.limit:
        oldest = session.scalar(select(func.min(VerifyAttempt.attempted_at)).where(
            VerifyAttempt.client_key == key, VerifyAttempt.attempted_at >= since))
        wait = (oldest + timedelta(seconds=window.seconds) - now).total_seconds() if oldest else window.seconds
        return max(1, int(wait) + 1)
    session.add(VerifyAttempt(client_key=key, attempted_at=now))
    session.flush()
    return 0


def verify(session: Session, *, code: str, actor: Actor, now: datetime, window: Window | None = None) -> Answer:
    """The one of three answers for ``code``. :raise TooManyChecks: the address used its window."""
    wait = take(session, client_addr=actor.client_addr, window=window or Window.from_env(), now=now)
    if wait:
        audit(session, action="dishonesty.certificate_verify", outcome="denied", subject_type="dishonesty_certificate",
              detail={"reason": "rate_limited"}, **actor.fields())
        raise TooManyChecks(wait)
    cert = session.scalar(select(Certificate).where(Certificate.code_index == code_index(code[:64])))
    if cert is None:
        answer = Answer(NOT_FOUND)
    elif cert.revoked_on is not None:
        answer = Answer(REVOKED, number=cert.number, revoked_on=cert.revoked_on)
    else:
        answer = Answer(VALID, issued_on=cert.issued_on, issued_by=cert.organ_name, enterprise=cert.enterprise_shown,
                        number=cert.number)
    audit(session, action="dishonesty.certificate_verify", outcome="success" if cert else "failure",
          subject_type="dishonesty_certificate", subject_id=cert.id if cert else None,
          detail={"result": answer.result}, **actor.fields())
    return answer
