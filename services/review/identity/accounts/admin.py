"""Account administration (账户管理): list, look up, unlock, reset, create, and the demo accounts.

Administrators (系统管理员) manage accounts and read no case data (三员分立).  Functions flush;
the caller (a view, `huhang accounts create`, `huhang db seed`) commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.identity.accounts import audit, passwords, sessions, totp
from services.review.identity.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from services.review.identity.accounts.models import StaffAccount
from services.review.identity.units.models import Unit
from shared.actor import Actor
from shared.auth.principal import ROLES
from shared.errors import Conflict, DomainError, NotFound


class UnknownUnit(DomainError):
    code = "unknown_unit"
    message_en = "unknown unit (units come from units.toml: run `huhang db seed` first?)"
    message_zh = "没有这个单位"


def list_(session: Session) -> list[StaffAccount]:
    """Every staff account, by username."""
    return list(session.scalars(select(StaffAccount).order_by(StaffAccount.username)))


def get_or_raise(session: Session, account_id: str) -> StaffAccount:
    """The account with this id.

    :raise NotFound: no such account.
    """
    account = session.get(StaffAccount, account_id)
    if account is None:
        raise NotFound()
    return account


def unlock(session: Session, *, account_id: str, actor: Actor) -> StaffAccount:
    """An administrator (`actor`) lifts a lock before its 15 minutes are over; flushes."""
    account = get_or_raise(session, account_id)
    account.locked_until = None
    account.failed_count = 0
    audit.record(session, action="account.unlock", outcome="success", account=account, actor=actor,
                 detail={"account": account.username})
    session.flush()
    return account


@dataclass(frozen=True)
class PasswordReset:
    account: StaffAccount
    temporary_password: str  # shown once to the administrator, never stored or logged
    sessions_ended: int


def temporary_password() -> str:
    """A one-time password that meets the policy: 16 characters of four kinds, from the OS's CSPRNG."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
    body = "".join(secrets.choice(alphabet) for _ in range(13))
    return body[:4] + secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + secrets.choice("23456789") + "!" + body[4:]


def reset_password(session: Session, *, account_id: str, actor: Actor, now: datetime) -> PasswordReset:
    """An administrator (`actor`) resets a forgotten password; flushes.

    The account gets a temporary password that allows one thing, choosing a new password
    (sign-in answers `password_change_required`); the lock is lifted, every web session ends.
    """
    account = get_or_raise(session, account_id)
    temporary = temporary_password()
    passwords.check_policy(temporary, username=account.username)
    account.password_hash = passwords.hash_password(temporary)
    account.password_changed_at = now
    account.must_change_password = True
    account.locked_until = None
    account.failed_count = 0
    ended = sessions.end_others(session, account_id=account.id, now=now)
    audit.record(session, action="account.password_reset", outcome="success", account=account, actor=actor,
                 detail={"account": account.username, "sessions_ended": ended})
    session.flush()
    return PasswordReset(account, temporary, ended)


def create(
    session: Session, *, username: str, display_name: str, unit_code: str, roles: Iterable[str], password: str,
    now: datetime, totp_secret: str | None = None, secret_key: str, is_demo: bool = False,
    actor: Actor | None = None, must_change_password: bool = False,
) -> StaffAccount:
    """A new account, audited as created by `actor` (None: the system, e.g. the seed or the CLI);
    the password must meet the policy.  Flushes, does not commit.

    :raise DomainError: an unknown role.
    :raise WeakPassword: the password breaks the policy.
    :raise Conflict: the username is taken.
    :raise UnknownUnit: `unit_code` is not in the unit table.
    """
    roles = sorted(set(roles))
    if not roles or set(roles) - set(ROLES):
        raise DomainError(f"unknown roles: {sorted(set(roles) - set(ROLES))}", "角色无效")
    passwords.check_policy(password, username=username)
    if session.get(Unit, unit_code) is None:
        raise UnknownUnit(unit_code=unit_code)
    if session.scalar(select(StaffAccount).where(StaffAccount.username == username)) is not None:
        raise Conflict(f"account {username} exists", f"账户 {username} 已存在")
    account = StaffAccount(
        username=username, display_name=display_name, unit_code=unit_code, roles=roles,
        password_hash=passwords.hash_password(password), password_changed_at=now, failed_count=0,
        totp_secret_enc=totp.encrypt_secret(totp_secret, secret_key=secret_key) if totp_secret else None,
        is_demo=is_demo, must_change_password=must_change_password,
    )
    session.add(account)
    session.flush()
    audit.record(session, action="account.create", outcome="success", account=account,
                 actor=actor or Actor.system(None),
                 detail={"account": username, "roles": roles, "unit": unit_code, "demo": is_demo})
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
