"""The audit log table (审计日志), present in every service's database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, UTCDateTime

SUCCESS, FAILURE, DENIED = "success", "failure", "denied"
OUTCOMES = (SUCCESS, FAILURE, DENIED)


class AuditEntry(Base):
    """One audited act: who, when, from where, on what, with what result; a link of the hash chain.

    Append-only: a row is written once, sealed (`row_mac`), by `record`; the sequencer then sets
    its link (`seq`, `prev_hash`, `hash`) once, after commit; nothing else updates or deletes a row
    (on PostgreSQL a trigger refuses it too), except `purge` of rows past the retention period.
    See shared/audit/chain.py for what each MAC covers.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_actor_time", "actor", "occurred_at"),
        Index("ix_audit_log_subject", "subject_type", "subject_id"),
        Index("ix_audit_log_action_time", "action", "occurred_at"),
        # What the sequencer reads: the rows still to link, in commit-safe order.
        Index("ix_audit_log_unchained", "txid", "id", postgresql_where=text("seq IS NULL"), sqlite_where=text("seq IS NULL")),
        {"info": {"service": "*"}},
    )

    # Assigned at insert, before commit: not the chain's order (`seq` is), only the order within one transaction.
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
    # The writing transaction (pg_current_xact_id(); 0 on SQLite and for rows older than the sequencer).
    txid: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # Random, so two identical acts in one transaction get distinct seals: a repeated seal is a copy.
    nonce: Mapped[str | None] = mapped_column(String(32))
    # The seal over content, nonce and txid; NULL only on rows written before the sequencer.
    row_mac: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The link, NULL until the sequencer reaches the row.
    seq: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64), unique=True)
