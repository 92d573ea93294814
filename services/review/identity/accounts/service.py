"""Sign-in, lockout, second factor, web sessions and accounts, as plain functions over a session.

- 5 failed sign-ins in a row lock the account for 15 minutes (等保 身份鉴别(b); ASVS 6.3.1).  An
  unknown user, a wrong password, a wrong code, a locked or disabled account all answer the same
  401 body, so the answer does not tell which usernames exist.
- Administrators and task-force members need a TOTP code (等保 身份鉴别(d)); a code is usable once.
- Web sessions are server-side rows: 30 idle minutes, 12 hours at most, ended by sign-out.
- Passwords are changed by their owner (`change_password`); an administrator's password older than
  `HUHANG_ADMIN_PASSWORD_MAX_AGE_DAYS` (90) days refuses sign-in with 403 `password_expired`
  until it is changed (等保 定期更换; other staff are not forced, ASVS 6.2.10).
Every function that decides takes `now`, so tests move the clock instead of sleeping.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from services.review.identity.accounts import passwords, totp
from services.review.identity.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from services.review.identity.accounts.models import StaffAccount, WebSession
from services.review.identity.units import service as units
from shared import logs
from shared.auth.principal import ROLES, Principal, make_principal
from shared.errors import Conflict, DomainError, ErrorKind, NotFound

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
SESSION_IDLE = timedelta(minutes=30)
SESSION_ABSOLUTE = timedelta(hours=12)
TOTP_ROLES = frozenset({"admin", "task_force"})
ROTATED_ROLES = frozenset({"admin"})  # whose passwords expire (docs/security.md, 等保 vs ASVS)
ADMIN_PASSWORD_MAX_AGE = timedelta(days=90)  # the default of HUHANG_ADMIN_PASSWORD_MAX_AGE_DAYS


class SignInFailed(DomainError):
    kind = ErrorKind.UNAUTHENTICATED
    keeps_writes = True  # the counter, the lock and the audit row are the record of the refusal
    code = "sign_in_failed"
    message_en = "Wrong username, password or code, or the account is locked"
    message_zh = "用户名、密码或动态口令错误，或账户已锁定"


class TotpRequired(DomainError):
    kind = ErrorKind.UNAUTHENTICATED
    code = "totp_required"
    message_en = "This account needs a one-time code (TOTP) as well"
    message_zh = "该账户须同时输入动态口令"


class PasswordExpired(DomainError):
    kind = ErrorKind.FORBIDDEN
    keeps_writes = True  # the used-up TOTP step, the reset counter and the audit row stand
    code = "password_expired"
    message_en = ("Your password has expired (administrators change theirs periodically): change it with "
                  "POST /api/v1/auth/password (username, current password, a new TOTP code), then sign in")
    message_zh = "密码已过期（系统管理员须定期更换密码）：请通过 POST /api/v1/auth/password 修改密码（用户名、当前密码、新的动态口令）后重新登录"


class PasswordReused(DomainError):
    code = "password_reused"
    message_en = "The new password must differ from the current one"
    message_zh = "新密码不得与当前密码相同"


class NotSignedIn(DomainError):
    kind = ErrorKind.UNAUTHENTICATED
    code = "unauthenticated"
    message_en = "Sign in, or send your username (and TOTP code) with the current password"
    message_zh = "请先登录，或同时提交用户名（及动态口令）和当前密码"


def _audit(session: Session, *, action: str, outcome: str, account: StaffAccount | None, username: str,
           client_addr: str | None, detail: dict[str, Any] | None = None) -> None:
    """Write one audit row in the caller's transaction (shared.audit, engineer C's half)."""
    from shared.audit import record

    record(
        session, action=action, outcome=outcome, actor=username[:64],
        actor_unit=account.unit_code if account else None,
        subject_type="staff_account", subject_id=account.id if account else None,
        client_addr=client_addr, trace_id=logs.current_trace_id(), detail=detail,
    )


def needs_totp(account: StaffAccount) -> bool:
    return bool(TOTP_ROLES.intersection(account.roles))


def is_locked(account: StaffAccount, now: datetime) -> bool:
    return account.locked_until is not None and account.locked_until > now


def _by_username(session: Session, username: str) -> StaffAccount | None:
    return session.scalar(select(StaffAccount).where(StaffAccount.username == username).with_for_update())


def _failed(session: Session, account: StaffAccount, *, now: datetime, client_addr: str | None, reason: str) -> None:
    account.failed_count += 1
    _audit(session, action="auth.sign_in_failed", outcome="failure", account=account, username=account.username,
           client_addr=client_addr, detail={"reason": reason, "failures": account.failed_count})
    if account.failed_count >= MAX_FAILURES:
        account.locked_until = now + LOCK_FOR
        account.failed_count = 0
        _audit(session, action="auth.locked", outcome="success", account=account, username=account.username,
               client_addr=client_addr, detail={"until": account.locked_until.isoformat()})


def password_expired(account: StaffAccount, now: datetime, max_age: timedelta = ADMIN_PASSWORD_MAX_AGE) -> bool:
    """True if the account's role rotates passwords and its password is older than `max_age`."""
    return bool(ROTATED_ROLES.intersection(account.roles)) and now - account.password_changed_at > max_age


def _verify(
    session: Session, account: StaffAccount | None, *, username: str, password: str, totp_code: str | None,
    check_totp: bool, secret_key: str, now: datetime, client_addr: str | None, allow_demo: bool,
) -> StaffAccount:
    """Check a password (and the TOTP code if `check_totp`) as sign-in does.

    A failure writes its record (counters, lock, audit) and raises SignInFailed, whose
    `keeps_writes` has the caller's transaction commit it; a success consumes the code and resets
    the failure count.  Never commits.
    """
    password_ok = passwords.verify(account.password_hash if account else None, password)
    reason = None
    if account is None:
        reason = "unknown_user"
    elif account.disabled or (account.is_demo and not allow_demo):
        reason = "disabled"
    elif is_locked(account, now):
        reason = "locked"
    if reason is not None:
        _audit(session, action="auth.sign_in_failed", outcome="failure", account=account, username=username,
               client_addr=client_addr, detail={"reason": reason})
        raise SignInFailed()
    assert account is not None
    if not password_ok:
        _failed(session, account, now=now, client_addr=client_addr, reason="password")
        raise SignInFailed()
    if check_totp and needs_totp(account):
        if not totp_code:
            raise TotpRequired()  # nothing written yet; the caller rolls back
        secret = totp.decrypt_secret(account.totp_secret_enc, secret_key=secret_key) if account.totp_secret_enc else None
        step = totp.matching_step(secret, totp_code, now=now) if secret else None
        if step is None or (account.totp_last_step is not None and step <= account.totp_last_step):
            _failed(session, account, now=now, client_addr=client_addr,
                    reason="totp_reused" if step is not None else "totp")
            raise SignInFailed()
        account.totp_last_step = step
    account.failed_count = 0
    account.locked_until = None
    return account


def sign_in(
    session: Session, *, username: str, password: str, totp_code: str | None, secret_key: str,
    now: datetime, client_addr: str | None = None, allow_demo: bool = True,
    admin_password_max_age: timedelta = ADMIN_PASSWORD_MAX_AGE,
) -> StaffAccount:
    """Check the credentials and record the outcome (counters, lock, audit); flushes.

    The caller's `transaction()` commits the outcome either way: a success on leaving the block,
    a SignInFailed or PasswordExpired because they keep their writes.

    :raise SignInFailed: anything wrong, one answer for all.
    :raise TotpRequired: the password is right and the account needs a code that was not given.
    :raise PasswordExpired: password and code are right, but an administrator's password is older
        than `admin_password_max_age` (the code is used up: changing the password needs the next one).
    """
    account = _verify(
        session, _by_username(session, username), username=username, password=password, totp_code=totp_code,
        check_totp=True, secret_key=secret_key, now=now, client_addr=client_addr, allow_demo=allow_demo,
    )
    if password_expired(account, now, admin_password_max_age):
        _audit(session, action="auth.password_expired", outcome="denied", account=account,
               username=account.username, client_addr=client_addr,
               detail={"password_changed_at": account.password_changed_at.isoformat(),
                       "max_age_days": admin_password_max_age.days})
        raise PasswordExpired()
    account.last_sign_in_at = now
    _audit(session, action="auth.sign_in", outcome="success", account=account, username=account.username,
           client_addr=client_addr)
    session.flush()
    return account


@dataclass(frozen=True)
class PasswordChange:
    account: StaffAccount
    sessions_ended: int


def change_password(
    session: Session, *, current_password: str, new_password: str, now: datetime, secret_key: str,
    account_id: str | None = None, username: str | None = None, totp_code: str | None = None,
    keep_session_token: str | None = None, client_addr: str | None = None, allow_demo: bool = True,
) -> PasswordChange:
    """The owner changes a password; flushes (the caller commits).

    Two forms: signed in (`account_id` of the principal: the current password is checked, the
    session already had its second factor), or not signed in (`username`: password and TOTP code
    are checked exactly as at sign-in, so an administrator whose password has expired can change
    it).  A wrong current password is a failed sign-in (counts toward the lock, same 401).  The
    policy and the no-reuse rule are checked first (they read only the request).  Every web
    session of the account ends, except the one `keep_session_token` names (the caller's own).
    Tokens already issued run out by themselves (15 minutes at most).

    :raise WeakPassword, PasswordReused: 422, nothing checked or counted (the caller rolls back).
    :raise SignInFailed, TotpRequired: as `sign_in`.
    :raise NotSignedIn: the principal's account no longer exists.
    """
    if (account_id is None) == (username is None):
        raise ValueError("give exactly one of account_id and username")
    account: StaffAccount | None
    if account_id is not None:
        account = session.scalar(select(StaffAccount).where(StaffAccount.id == account_id).with_for_update())
        if account is None:  # a valid token whose account is gone
            raise NotSignedIn()
        name = account.username
    else:
        assert username is not None
        account, name = _by_username(session, username), username
    # Checked before the password: a refused new password is not a failed sign-in, and the
    # caller's rollback (these errors keep no writes) releases the row lock taken above.
    if new_password == current_password:
        raise PasswordReused()
    passwords.check_policy(new_password, username=name)
    account = _verify(
        session, account, username=name, password=current_password, totp_code=totp_code,
        check_totp=account_id is None, secret_key=secret_key, now=now, client_addr=client_addr,
        allow_demo=allow_demo,
    )
    account.password_hash = passwords.hash_password(new_password)
    account.password_changed_at = now
    others = update(WebSession).where(WebSession.account_id == account.id, WebSession.ended_at.is_(None))
    if keep_session_token is not None:
        others = others.where(WebSession.id != _session_id(keep_session_token))
    result = cast(CursorResult[Any], session.execute(others.values(ended_at=now).execution_options(
        synchronize_session=False)))
    ended = result.rowcount
    _audit(session, action="account.password_changed", outcome="success", account=account,
           username=account.username, client_addr=client_addr,
           detail={"signed_in": account_id is not None, "sessions_ended": ended})
    session.flush()
    return PasswordChange(account, ended)


def principal_for(session: Session, account: StaffAccount) -> Principal:
    return make_principal(
        user_id=account.id, username=account.username, unit_code=account.unit_code, roles=account.roles,
        visible_units=units.visible_units(session, account.unit_code),
    )


# --- web sessions -------------------------------------------------------------------------------


def _session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewWebSession:
    token: str  # goes into the cookie, never stored
    row: WebSession


def start_session(session: Session, *, account: StaffAccount, now: datetime) -> NewWebSession:
    """A new session (a new id at every sign-in: no fixation); flushes."""
    token = secrets.token_urlsafe(32)
    row = WebSession(id=_session_id(token), account_id=account.id, created_at=now, last_seen_at=now,
                     expires_at=now + SESSION_ABSOLUTE)
    session.add(row)
    session.flush()
    return NewWebSession(token, row)


def resolve_session(session: Session, *, token: str, now: datetime) -> StaffAccount | None:
    """The account of a live session, touching its idle clock; None if ended, idle or expired.

    Writes either way (the idle clock, or the end of a session found dead) and flushes; the caller
    (the gate's session resolver) commits both outcomes.
    """
    row = session.get(WebSession, _session_id(token))
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


def end_session(session: Session, *, token: str, now: datetime) -> None:
    """Sign-out: the session's row ends (a replayed cookie no longer resolves); flushes."""
    row = session.get(WebSession, _session_id(token))
    if row is not None and row.ended_at is None:
        row.ended_at = now
        session.flush()


# --- accounts -----------------------------------------------------------------------------------


def list_(session: Session) -> list[StaffAccount]:
    return list(session.scalars(select(StaffAccount).order_by(StaffAccount.username)))


def get_or_raise(session: Session, account_id: str) -> StaffAccount:
    account = session.get(StaffAccount, account_id)
    if account is None:
        raise NotFound()
    return account


def unlock(session: Session, *, account_id: str, actor: Principal, client_addr: str | None = None) -> StaffAccount:
    """An administrator lifts a lock before its 15 minutes are over; flushes."""
    account = get_or_raise(session, account_id)
    account.locked_until = None
    account.failed_count = 0
    _audit(session, action="account.unlock", outcome="success", account=account, username=actor.username,
           client_addr=client_addr, detail={"account": account.username})
    session.flush()
    return account


def create(
    session: Session, *, username: str, display_name: str, unit_code: str, roles: Iterable[str], password: str,
    now: datetime, totp_secret: str | None = None, secret_key: str, is_demo: bool = False,
) -> StaffAccount:
    """A new account; the password must meet the policy.  Flushes, does not commit."""
    roles = sorted(set(roles))
    if not roles or set(roles) - set(ROLES):
        raise DomainError(f"unknown roles: {sorted(set(roles) - set(ROLES))}", "角色无效")
    passwords.check_policy(password, username=username)
    if session.scalar(select(StaffAccount).where(StaffAccount.username == username)) is not None:
        raise Conflict(f"account {username} exists", f"账户 {username} 已存在")
    account = StaffAccount(
        username=username, display_name=display_name, unit_code=unit_code, roles=roles,
        password_hash=passwords.hash_password(password), password_changed_at=now, failed_count=0,
        totp_secret_enc=totp.encrypt_secret(totp_secret, secret_key=secret_key) if totp_secret else None,
        is_demo=is_demo,
    )
    session.add(account)
    session.flush()
    return account


def seed_demo(session: Session, *, now: datetime, secret_key: str, production: bool) -> list[str]:
    """Create the demo accounts that are missing (development only); flushes.

    In production none is created, and any demo account left over is disabled.
    """
    if production:
        for account in session.scalars(select(StaffAccount).where(StaffAccount.is_demo.is_(True))):
            account.disabled = True
        session.flush()
        return []
    created = []
    for demo in DEMO_ACCOUNTS:
        if session.scalar(select(StaffAccount).where(StaffAccount.username == demo.username)) is None:
            create(session, username=demo.username, display_name=demo.display_name, unit_code=demo.unit_code,
                   roles=demo.roles, password=DEMO_PASSWORD, now=now, totp_secret=demo.totp_secret,
                   secret_key=secret_key, is_demo=True)
            created.append(demo.username)
    return created
