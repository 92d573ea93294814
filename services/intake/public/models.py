"""The public queries' guards: the per-address rate-limit window, and the per-number lock after wrong codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, UTCDateTime


class StatusQueryAttempt(Base):
    """A status query counted against its client address; rows older than the window are purged."""

    __tablename__ = "status_query_attempts"
    __table_args__ = ({"info": {"service": "intake"}},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # HMAC of the address under the blind-index key: the table is a counter, not another IP log
    # (the audit row keeps the address, as every audit row does).
    client_key: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)


class StatusQueryLock(Base):
    """Wrong codes typed for one case number (or credit code) in the current period, and its lock.

    Keyed by a keyed hash of what was typed, existing or not: a number nobody registered locks
    exactly like a real one, so the lock says nothing about which numbers exist.
    """

    __tablename__ = "status_query_locks"
    __table_args__ = ({"info": {"service": "intake"}},)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False)
    # The first wrong code of the current period; failures older than a period are forgotten.
    period_started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
