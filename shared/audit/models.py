"""The audit log table (审计日志), present in every service's database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, UTCDateTime

SUCCESS, FAILURE, DENIED = "success", "failure", "denied"
OUTCOMES = (SUCCESS, FAILURE, DENIED)


class AuditEntry(Base):
    """One audited act: who, when, from where, on what, with what result; a link of the hash chain.

    Append-only: no code path updates or deletes a row (on PostgreSQL a trigger refuses it too),
    except `purge` of rows past the retention period.  `hash` is HMAC-SHA256 under the audit key
    over the row's content and `prev_hash` (see shared/audit/chain.py).
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_actor_time", "actor", "occurred_at"),
        Index("ix_audit_log_subject", "subject_type", "subject_id"),
        Index("ix_audit_log_action_time", "action", "occurred_at"),
        {"info": {"service": "*"}},
    )

    # Assigned while the chain lock is held, so id order is chain order.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
    actor: Mapped[str] = mapped_column(String(100), nullable=False)
    actor_unit: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60), nullable=False)
    outcome: Mapped[str] = mapped_column(String(10), nullable=False)
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(200))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    client_addr: Mapped[str | None] = mapped_column(String(64))
    trace_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[Any] = mapped_column(JSON, nullable=True)
    key_id: Mapped[str] = mapped_column(String(8), nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
