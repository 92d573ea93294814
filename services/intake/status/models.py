"""The read model's tables: a subject's procedural steps and its deadlines, as review announced them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, UTCDateTime, utcnow

_INTAKE = {"info": {"service": "intake"}}

# The steps a row may record (services/intake/status/timeline.py says how each is shown).
TRIAGE = "triage"  # 分流 (triage.item_created; done with triage.routed / triage.declined)
ROUTED = "routed"  # 承办单位 (triage.routed, triage.declined, triage.materials_requested)
REPLIED = "replied"  # 程序性回复 (handling.replied kind=procedural; else the deadline's close)
CONCLUDED = "concluded"  # 答复 (handling.replied kind=final; back to pending on handling.reopened)
CLOSED = "closed"  # 办结 (handling.closed)
STEPS = (TRIAGE, ROUTED, REPLIED, CONCLUDED, CLOSED)

PENDING = "pending"  # the step has begun and is waiting (待分流)
DONE = "done"


class StatusStep(Base):
    """One procedural step of a subject (a petition's id): begun or done, since or on which Beijing date."""

    __tablename__ = "status_steps"
    __table_args__ = (UniqueConstraint("subject_id", "step", name="uq_status_steps_subject_step"), _INTAKE)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    case_number: Mapped[str | None] = mapped_column(String(60))
    step: Mapped[str] = mapped_column(String(20), nullable=False)
    state: Mapped[str] = mapped_column(String(10), nullable=False)
    on_date: Mapped[date] = mapped_column(Date, nullable=False)
    # The unit the step concerns (the handling unit once routed); a code, named when shown.
    unit_code: Mapped[str | None] = mapped_column(String(40))
    # What the public may read of the step's outcome (a 处理结果 once concluded), else null.
    note: Mapped[str | None] = mapped_column(String(500))
    # The handling round the step is of (a 不满意 reopens the matter: round 2, ...); null: round 1.
    round: Mapped[int | None] = mapped_column(Integer)
    source_event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)


class StatusFeedback(Base):
    """The petitioner's 评价 of one round's result reply, as the public answer shows it.

    Written when the petitioner gives it on the public query (``via`` public, then announced as
    ``petition.feedback_submitted``), and from review's ``feedback.recorded`` (staff's 回访, or
    review's record of the public one): review's record wins, it is the one that counts.
    """

    __tablename__ = "status_feedback"
    __table_args__ = (UniqueConstraint("subject_id", "round", name="uq_status_feedback_subject_round"), _INTAKE)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_id: Mapped[str] = mapped_column(String(64), nullable=False)
    case_number: Mapped[str | None] = mapped_column(String(60))
    round: Mapped[int] = mapped_column(Integer, nullable=False)
    rating: Mapped[str] = mapped_column(String(20), nullable=False)
    reasons: Mapped[str | None] = mapped_column(String(2000))
    via: Mapped[str] = mapped_column(String(10), nullable=False)  # public / staff
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    # Review recorded it (feedback.recorded): the 评价 of record, not only what was sent.
    recorded: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    source_event_id: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)


class StatusDeadline(Base):
    """One of a subject's deadlines (办案期限) as review announced it: due when, met or missed."""

    __tablename__ = "status_deadlines"
    __table_args__ = (_INTAKE,)

    deadline_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    case_number: Mapped[str | None] = mapped_column(String(60))
    rule_code: Mapped[str] = mapped_column(String(80), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    # Null only when the first event seen was a close or a recompute (a replay out of order).
    start_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)  # null while review has the clock paused
    provisional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    follows_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")  # open / met / missed
    overdue: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # deadline.overdue came
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(10))  # final / progress (12309 result replies)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)
