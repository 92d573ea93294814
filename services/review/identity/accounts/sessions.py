"""Web sessions of browsers: server-side rows, 30 idle minutes, 12 hours at most, ended by sign-out.

The cookie holds a random token; the row's id is its SHA-256, so a database dump hands out no
live session.  Every sign-in starts a new session (no fixation).  Functions flush; the caller
commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from services.review.identity.accounts.models import StaffAccount, WebSession
from shared.auth.config import SESSION_IDLE_SECONDS
from shared.errors import DomainError, ErrorKind

SESSION_IDLE = timedelta(seconds=SESSION_IDLE_SECONDS)
SESSION_ABSOLUTE = timedelta(hours=12)


class NoBrowserSession(DomainError):
    kind = ErrorKind.UNAUTHENTICATED
    code = "browser_session_required"
    message_en = "Only a browser signed in with a session cookie (POST /api/v1/auth/sessions) refreshes its access cookie"
    message_zh = "只有以会话 Cookie 登录的浏览器（POST /api/v1/auth/sessions）才能刷新访问凭证"


def session_id(token: str) -> str:
    """The stored id of the session a cookie token names."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewWebSession:
    token: str  # goes into the cookie, never stored
    row: WebSession


def start(session: Session, *, account: StaffAccount, now: datetime) -> NewWebSession:
    """A new session (a new id at every sign-in: no fixation); flushes."""
    token = secrets.token_urlsafe(32)
    row = WebSession(id=session_id(token), account_id=account.id, created_at=now, last_seen_at=now,
                     expires_at=now + SESSION_ABSOLUTE)
    session.add(row)
    session.flush()
    return NewWebSession(token, row)


def resolve(session: Session, *, token: str, now: datetime) -> StaffAccount | None:
    """The account of a live session, touching its idle clock; None if ended, idle or expired.

    Writes either way (the idle clock, or the end of a session found dead) and flushes; the caller
    (the gate's session resolver) commits both outcomes.
    """
    row = session.get(WebSession, session_id(token))
    if row is None or row.ended_at is not None:
        return None
    account = session.get(StaffAccount, row.account_id)
    if now >= row.expires_at or now - row.last_seen_at >= SESSION_IDLE or account is None or account.disabled:
        row.ended_at = now
        session.flush()
        return None
    row.last_seen_at = now
    session.flush()
    return account


def end(session: Session, *, token: str, now: datetime) -> None:
    """Sign-out: the session's row ends (a replayed cookie no longer resolves); flushes."""
    row = session.get(WebSession, session_id(token))
    if row is not None and row.ended_at is None:
        row.ended_at = now
        session.flush()


def end_others(session: Session, *, account_id: str, now: datetime, keep_token: str | None = None) -> int:
    """End every live session of the account except the one `keep_token` names; how many ended."""
    others = update(WebSession).where(WebSession.account_id == account_id, WebSession.ended_at.is_(None))
    if keep_token is not None:
        others = others.where(WebSession.id != session_id(keep_token))
    result = cast(CursorResult[Any], session.execute(others.values(ended_at=now).execution_options(
        synchronize_session=False)))
    return result.rowcount
