"""Staff accounts and their server-side web sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid

_REVIEW = {"info": {"service": "review"}}


class StaffAccount(TimestampMixin, Base):
    """One member of staff: unit, roles, argon2 password hash, lockout state, TOTP second factor."""

    __tablename__ = "staff_accounts"
    __table_args__ = (_REVIEW,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(100), nullable=False)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    roles: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    failed_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Encrypted (Fernet, key from HUHANG_SECRET_KEY); never shown by any API or log.
    totp_secret_enc: Mapped[str | None] = mapped_column(Text)
    # The last TOTP time-step accepted: a code is usable once.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set by an administrator's reset: the temporary password only lets its owner choose a new one.
    must_change_password: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False,
                                                       server_default=false())

    def summary(self) -> dict[str, Any]:
        return {"username": self.username, "unit_code": self.unit_code, "roles": sorted(self.roles)}


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, this row its SHA-256."""

    __tablename__ = "web_sessions"
    __table_args__ = (_REVIEW,)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie token
    account_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)  # absolute timeout
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SignInFailure(Base):
    """One failed sign-in from one client address (keyed hash), whatever name it claimed.

    The per-account lock stops guessing one account's password; these rows stop one address trying
    a few passwords on many accounts (credential stuffing), which never trips any account's lock.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = ({"info": {"service": "review"}},)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True,
                                    autoincrement=True)
    client_key: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
