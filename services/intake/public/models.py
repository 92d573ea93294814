"""The status query's rate-limit window: one row per counted query, per client address (keyed hash)."""

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
