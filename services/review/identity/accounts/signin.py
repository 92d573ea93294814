"""身份鉴别 sign-in: password and TOTP verification, lockout, and the principal a sign-in yields.

- 5 failed sign-ins in a row lock the account for 15 minutes (等保 身份鉴别(b); ASVS 6.3.1); 20
  failures from one address within 15 minutes, whatever names they claim, refuse that address
  with 429 until the window frees (address_limit.py; ASVS 2.2.1).  An
  unknown user, a wrong password, a wrong code, a locked or disabled account all answer the same
  401 body, so the answer does not tell which usernames exist.
- Administrators and task-force members need a TOTP code (等保 身份鉴别(d)); a code is usable once.
- An administrator's password older than `HUHANG_ADMIN_PASSWORD_MAX_AGE_DAYS` (90) days refuses
  sign-in with 403 `password_expired` until it is changed (等保 定期更换; other staff are not
  forced, ASVS 6.2.10).

A refusal's record (the counter, the lock, the audit row) is what the caller's transaction keeps:
SignInFailed and PasswordExpired have `keeps_writes`.  Every function that decides takes `now`, so
tests move the clock instead of sleeping.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.identity.accounts import address_limit, audit, passwords, totp
from services.review.identity.accounts.models import StaffAccount
from services.review.identity.units import service as units
from shared.actor import Actor
from shared.auth.principal import Principal, make_principal
from shared.errors import DomainError, ErrorKind

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
TOTP_ROLES = frozenset({"admin", "task_force"})
ROTATED_ROLES = frozenset({"admin"})  # whose passwords expire (docs/security.md, 等保 vs ASVS)
ADMIN_PASSWORD_MAX_AGE = timedelta(days=90)  # the default of HUHANG_ADMIN_PASSWORD_MAX_AGE_DAYS
ANONYMOUS = Actor("anonymous")  # a caller from nowhere in particular (a test, a script)


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


class PasswordChangeRequired(PasswordExpired):
    code = "password_change_required"
    message_en = ("An administrator reset your password: choose a new one with POST /api/v1/auth/password "
                  "(username, the temporary password, a TOTP code where your role needs one), then sign in")
    message_zh = "您的密码已由管理员重置：请先通过 POST /api/v1/auth/password 设置新密码（用户名、临时密码，需要时附动态口令）后再登录"


def needs_totp(account: StaffAccount) -> bool:
    """Whether the account's roles need a second factor (administrators and the task force)."""
    return bool(TOTP_ROLES.intersection(account.roles))


def is_locked(account: StaffAccount, now: datetime) -> bool:
    """Whether a lock from repeated failures still lasts at `now`."""
    return account.locked_until is not None and account.locked_until > now


def password_expired(account: StaffAccount, now: datetime, max_age: timedelta = ADMIN_PASSWORD_MAX_AGE) -> bool:
    """True if the account's role rotates passwords and its password is older than `max_age`."""
    return bool(ROTATED_ROLES.intersection(account.roles)) and now - account.password_changed_at > max_age


def by_username(session: Session, username: str) -> StaffAccount | None:
    """The account of `username`, row-locked: its counters are about to change."""
    return session.scalar(select(StaffAccount).where(StaffAccount.username == username).with_for_update())


def _failed(session: Session, account: StaffAccount, *, now: datetime, author: Actor, reason: str) -> None:
    account.failed_count += 1
    audit.record(session, action="auth.sign_in_failed", outcome="failure", account=account, actor=author,
                 detail={"reason": reason, "failures": account.failed_count})
    if account.failed_count >= MAX_FAILURES:
        account.locked_until = now + LOCK_FOR
        account.failed_count = 0
        audit.record(session, action="auth.locked", outcome="success", account=account, actor=author,
                     detail={"until": account.locked_until.isoformat()})


def verify(
    session: Session, account: StaffAccount | None, *, username: str, password: str, totp_code: str | None,
    check_totp: bool, secret_key: str, now: datetime, actor: Actor, allow_demo: bool,
) -> StaffAccount:
    """Check a password (and the TOTP code if `check_totp`) as sign-in does, for `actor`.

    The audit rows name the account claimed (`audit.claimant`), with the actor's address and trace.

    A failure writes its record (counters, lock, audit) and raises SignInFailed, whose
    `keeps_writes` has the caller's transaction commit it; a success consumes the code and resets
    the failure count.  Never commits.

    :raise SignInFailed: anything wrong, one answer for all.
    :raise TotpRequired: the password is right and the account needs a code that was not given.
    """
    password_ok = passwords.verify(account.password_hash if account else None, password)
    author = audit.claimant(actor, username=username, account=account)
    reason = None
    if account is None:
        reason = "unknown_user"
    elif account.disabled or (account.is_demo and not allow_demo):
        reason = "disabled"
    elif is_locked(account, now):
        reason = "locked"
    if reason is not None:
        audit.record(session, action="auth.sign_in_failed", outcome="failure", account=account, actor=author,
                     detail={"reason": reason})
        raise SignInFailed()
    assert account is not None
    if not password_ok:
        _failed(session, account, now=now, author=author, reason="password")
        raise SignInFailed()
    if check_totp and needs_totp(account):
        if not totp_code:
            raise TotpRequired()  # nothing written yet; the caller rolls back
        secret = totp.decrypt_secret(account.totp_secret_enc, secret_key=secret_key) if account.totp_secret_enc else None
        step = totp.matching_step(secret, totp_code, now=now) if secret else None
        if step is None or (account.totp_last_step is not None and step <= account.totp_last_step):
            _failed(session, account, now=now, author=author, reason="totp_reused" if step is not None else "totp")
            raise SignInFailed()
        account.totp_last_step = step
    account.failed_count = 0
    account.locked_until = None
    return account


def sign_in(
    session: Session, *, username: str, password: str, totp_code: str | None, secret_key: str,
    now: datetime, actor: Actor = ANONYMOUS, allow_demo: bool = True,
    admin_password_max_age: timedelta = ADMIN_PASSWORD_MAX_AGE,
) -> StaffAccount:
    """Check the credentials and record the outcome (counters, lock, audit); flushes.

    `actor` is the caller, not signed in yet (`request_actor()` of a public view): its client
    address and trace id go into the audit rows, under the username it claims.

    The caller's `transaction()` commits the outcome either way: a success on leaving the block,
    a SignInFailed or PasswordExpired because they keep their writes.

    :raise SignInFailed: anything wrong, one answer for all.
    :raise SignInThrottled: the caller's address has failed too often lately (nothing checked).
    :raise TotpRequired: the password is right and the account needs a code that was not given.
    :raise PasswordExpired: password and code are right, but an administrator's password is older
        than `admin_password_max_age` (the code is used up: changing the password needs the next one).
    """
    wait = address_limit.refused_for(session, client_addr=actor.client_addr, now=now)
    if wait is not None:
        audit.record(session, action="auth.sign_in_throttled", outcome="denied", account=None,
                     actor=audit.claimant(actor, username=username, account=None),
                     detail={"retry_after_s": wait})
        raise address_limit.SignInThrottled(wait)
    try:
        account = verify(
            session, by_username(session, username), username=username, password=password, totp_code=totp_code,
            check_totp=True, secret_key=secret_key, now=now, actor=actor, allow_demo=allow_demo,
        )
    except SignInFailed:
        address_limit.count_failure(session, client_addr=actor.client_addr, now=now)
        raise
    author = audit.claimant(actor, username=username, account=account)
    if account.must_change_password:
        audit.record(session, action="auth.password_expired", outcome="denied", account=account, actor=author,
                     detail={"reason": "reset"})
        raise PasswordChangeRequired()
    if password_expired(account, now, admin_password_max_age):
        audit.record(session, action="auth.password_expired", outcome="denied", account=account, actor=author,
                     detail={"password_changed_at": account.password_changed_at.isoformat(),
                             "max_age_days": admin_password_max_age.days})
        raise PasswordExpired()
    account.last_sign_in_at = now
    audit.record(session, action="auth.sign_in", outcome="success", account=account, actor=author)
    session.flush()
    return account


def principal_for(session: Session, account: StaffAccount) -> Principal:
    """The principal a signed-in account acts as: its unit, roles and the units it sees (from the 单位 tree)."""
    return make_principal(
        user_id=account.id, username=account.username, unit_code=account.unit_code, roles=account.roles,
        visible_units=units.visible_units(session, account.unit_code),
    )
