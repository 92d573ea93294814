"""The owner changes their password (修改密码), signed in or, when it has expired, not signed in.

The policy and hashing are `passwords.py`; the check of the current password and the second
factor is sign-in's (`signin.verify`), so a wrong current password counts toward the lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.identity.accounts import audit, passwords, sessions, signin
from services.review.identity.accounts.models import StaffAccount
from shared.actor import Actor
from shared.errors import DomainError, ErrorKind


class PasswordReused(DomainError):
    code = "password_reused"
    message_en = "The new password must differ from the current one"
    message_zh = "新密码不得与当前密码相同"


class NotSignedIn(DomainError):
    kind = ErrorKind.UNAUTHENTICATED
    code = "unauthenticated"
    message_en = "Sign in, or send your username (and TOTP code) with the current password"
    message_zh = "请先登录，或同时提交用户名（及动态口令）和当前密码"


@dataclass(frozen=True)
class PasswordChange:
    account: StaffAccount
    sessions_ended: int


def change_password(
    session: Session, *, actor: Actor, current_password: str, new_password: str, now: datetime, secret_key: str,
    username: str | None = None, totp_code: str | None = None, keep_session_token: str | None = None,
    allow_demo: bool = True,
) -> PasswordChange:
    """The owner changes a password; flushes (the caller commits).

    Two forms: signed in (no `username`: the account of `actor.principal`; the current password is
    checked, the session already had its second factor), or not signed in (`username`: password
    and TOTP code are checked exactly as at sign-in, so an administrator whose password has
    expired can change it; `actor` is then the anonymous caller).  A wrong current password is a failed sign-in (counts toward the lock, same 401).  The
    policy and the no-reuse rule are checked first (they read only the request).  Every web
    session of the account ends, except the one `keep_session_token` names (the caller's own).
    Tokens already issued run out by themselves (15 minutes at most).

    :raise WeakPassword, PasswordReused: 422, nothing checked or counted (the caller rolls back).
    :raise SignInFailed, TotpRequired: as `signin.sign_in`.
    :raise NotSignedIn: no `username` and no principal, or the principal's account no longer exists.
    """
    signed_in = username is None
    account: StaffAccount | None
    if username is None:
        if actor.principal is None:
            raise NotSignedIn()
        account = session.scalar(
            select(StaffAccount).where(StaffAccount.id == actor.principal.user_id).with_for_update())
        if account is None:  # a valid token whose account is gone
            raise NotSignedIn()
        name = account.username
    else:
        account, name = signin.by_username(session, username), username
    # Checked before the password: a refused new password is not a failed sign-in, and the
    # caller's rollback (these errors keep no writes) releases the row lock taken above.
    if new_password == current_password:
        raise PasswordReused()
    passwords.check_policy(new_password, username=name)
    account = signin.verify(
        session, account, username=name, password=current_password, totp_code=totp_code,
        check_totp=not signed_in, secret_key=secret_key, now=now, actor=actor, allow_demo=allow_demo,
    )
    account.password_hash = passwords.hash_password(new_password)
    account.password_changed_at = now
    account.must_change_password = False
    ended = sessions.end_others(session, account_id=account.id, now=now, keep_token=keep_session_token)
    audit.record(session, action="account.password_changed", outcome="success", account=account,
                 actor=audit.claimant(actor, username=name, account=account),
                 detail={"signed_in": signed_in, "sessions_ended": ended})
    session.flush()
    return PasswordChange(account, ended)
