"""Tables of the deadline engine.

* ``deadline_rules``: one row per kind of deadline and effective-date range, seeded from
  ``rules.toml`` (amount, unit, legal basis, settings).
* ``deadlines``: one timer attached to a subject (a petition or case), owned by a unit. Its due
  date is *derived* (``counting.compute``) from the start date, the rule snapshot, its
  suspensions and its extensions; nothing edits it by hand.
* ``deadline_suspensions`` / ``deadline_extensions``: the inputs of that derivation.
* ``deadline_events``: the append-only history (set, suspended, resumed, extended, recomputed,
  due_soon_emitted, overdue_emitted, met, missed).
* ``deadline_notices``: one row per notice sent; its unique key makes a second replica or a
  restarted scheduler unable to send the same notice twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid, utcnow

OPEN = "open"
MET = "met"
MISSED = "missed"
STATUSES = (OPEN, MET, MISSED)

DUE_SOON = "due_soon"
OVERDUE = "overdue"

_REVIEW = {"info": {"service": "review"}}
_BIGINT = BigInteger().with_variant(Integer(), "sqlite")


class DeadlineRule(TimestampMixin, Base):
    """One kind of deadline in one effective-date range (amounts already resolved from settings)."""

    __tablename__ = "deadline_rules"
    __table_args__ = (UniqueConstraint("code", "effective_from", name="uq_deadline_rules_code_from"), _REVIEW)

    id: Mapped[int] = mapped_column(_BIGINT, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    custody: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    basis: Mapped[str] = mapped_column(Text, nullable=False)
    effective_from: Mapped[date] = mapped_column(Date, nullable=False)
    effective_to: Mapped[date | None] = mapped_column(Date)
    warn_before: Mapped[int] = mapped_column(Integer, nullable=False, default=2)
    # "amount,unit": the fields an environment setting may change; defaults kept for the docs.
    settings: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    default_amount: Mapped[int] = mapped_column(Integer, nullable=False)
    default_unit: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)


class Deadline(TimestampMixin, Base):
    """A timer on a subject; the rule's amount/unit/custody are copied so a later rule change
    never silently moves a running deadline (a new rule row applies to deadlines started after it)."""

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("subject", "rule_code", "start_on", name="uq_deadlines_subject_rule_start"),
        Index("ix_deadlines_status_warn", "status", "warn_on"),
        Index("ix_deadlines_status_due", "status", "due_on"),
        # A deadline is followed by at most one monthly follow-up (12309 "then monthly").
        Index("ix_deadlines_follows_id", "follows_id", unique=True),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    subject: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    case_number: Mapped[str | None] = mapped_column(String(60))
    # The owning unit (for a petition's deadlines, the triage item's unit); reads and writes by
    # staff are scoped by it (shared/auth). NULL (rows older than the column that could not be
    # backfilled): visible only to the task force.
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)
    # The deadline this one continues (a 12309 monthly progress follow-up), else NULL.
    follows_id: Mapped[str | None] = mapped_column(String(36))
    rule_id: Mapped[int] = mapped_column(ForeignKey("deadline_rules.id"), nullable=False)
    rule_code: Mapped[str] = mapped_column(String(80), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    custody: Mapped[bool] = mapped_column(Boolean, nullable=False)
    warn_before: Mapped[int] = mapped_column(Integer, nullable=False)
    start_on: Mapped[date] = mapped_column(Date, nullable=False)
    base_due_on: Mapped[date] = mapped_column(Date, nullable=False)
    # NULL while an open suspension pauses the clock: the due date is unknown until it is lifted.
    due_on: Mapped[date | None] = mapped_column(Date)
    warn_on: Mapped[date | None] = mapped_column(Date)
    provisional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=OPEN)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    met_on_time: Mapped[bool | None] = mapped_column(Boolean)
    # The due date each notice was last sent for: a notice goes out once per due date.
    due_soon_sent_for: Mapped[date | None] = mapped_column(Date)
    overdue_sent_for: Mapped[date | None] = mapped_column(Date)

    @property
    def paused(self) -> bool:
        return self.status == OPEN and self.due_on is None


class DeadlineSuspension(Base):
    """A pause of the clock: [start_on, resumed_on) is not counted; resumed_on NULL = still paused."""

    __tablename__ = "deadline_suspensions"
    __table_args__ = (_REVIEW,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    deadline_id: Mapped[str] = mapped_column(ForeignKey("deadlines.id"), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(String(40), nullable=False)
    basis: Mapped[str] = mapped_column(Text, nullable=False)
    start_on: Mapped[date] = mapped_column(Date, nullable=False)
    resumed_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    lifted_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class DeadlineExtension(Base):
    """An approved extension (延长), counted from the due date in force when it was granted."""

    __tablename__ = "deadline_extensions"
    __table_args__ = (_REVIEW,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    deadline_id: Mapped[str] = mapped_column(ForeignKey("deadlines.id"), nullable=False, index=True)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    basis: Mapped[str] = mapped_column(Text, nullable=False)
    approved_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class DeadlineEvent(Base):
    """One line of a deadline's history. Rows are only ever inserted."""

    __tablename__ = "deadline_events"
    __table_args__ = (Index("ix_deadline_events_deadline", "deadline_id", "id"), _REVIEW)

    id: Mapped[int] = mapped_column(_BIGINT, primary_key=True, autoincrement=True)
    deadline_id: Mapped[str] = mapped_column(ForeignKey("deadlines.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    due_on: Mapped[date | None] = mapped_column(Date)
    provisional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)


class DeadlineNotice(Base):
    """A due_soon/overdue notice that was emitted; unique per (deadline, kind, due date)."""

    __tablename__ = "deadline_notices"
    __table_args__ = (
        UniqueConstraint("deadline_id", "kind", "due_on", name="uq_deadline_notices_once"),
        _REVIEW,
    )

    id: Mapped[int] = mapped_column(_BIGINT, primary_key=True, autoincrement=True)
    deadline_id: Mapped[str] = mapped_column(ForeignKey("deadlines.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    emitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
