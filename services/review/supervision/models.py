"""Tables of 跟踪督办: the 督办 of a 事项, its reports, and the escalations of overdue 期限.

* ``supervisions``: one 督办 of one item by one supervising unit over the supervised unit; either
  挂牌督办 (``listed``: put by a unit above, with its instructions and period) or an escalation
  (``escalated``: an overdue deadline of the item sent it one level up the unit tree).  It has
  its own 期限 (rule ``supervision.report``, subject = the 督办's id); ``due_on`` is a copy of
  that deadline's due date, kept by a deadline observer, so the 督办 list sorts on an index.
* ``supervision_reports``: what the supervised unit reported, and the supervising unit's
  decision on it (accepted: the 督办 closes; rejected with reasons: it reports again).
* ``supervision_escalations``: one row per overdue deadline that was escalated; its unique key on
  ``deadline_id`` is what makes an escalation happen once whatever the number of schedulers.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, Integer, String, Text, UniqueConstraint, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from services.review.deadlines import observers
from services.review.deadlines.models import Deadline
from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid, utcnow

# The kinds of 督办.
LISTED = "listed"  # 挂牌督办
ESCALATED = "escalated"  # 逾期升级督办
KINDS = (LISTED, ESCALATED)
KIND_TEXT = {LISTED: "挂牌督办", ESCALATED: "逾期升级"}

# Its states: waiting for a report (open, or rejected: waiting for another), a report waiting for the
# supervising unit's decision, closed (a report accepted).
OPEN = "open"
REPORTED = "reported"
REJECTED = "rejected"
CLOSED = "closed"
STATES = (OPEN, REPORTED, REJECTED, CLOSED)
STATE_TEXT = {OPEN: "督办中", REPORTED: "已报告待审核", REJECTED: "退回重报", CLOSED: "已办结"}
#: States in which the 督办 is still open (the item stays ``supervised``).
UNCLOSED = (OPEN, REPORTED, REJECTED)
#: States from which the supervised unit may report.
AWAITING_REPORT = (OPEN, REJECTED)

#: The sort key of a 督办 whose clock is paused (no due date): after every date.
NO_DUE_DATE = date(9999, 12, 31)

ACCEPTED = "accepted"
DECLINED = "rejected"

_REVIEW = {"info": {"service": "review"}}


class Supervision(TimestampMixin, Base):
    """One 督办 of an item (``petition_id``) by ``supervising_unit_code`` over ``supervised_unit_code``."""

    __tablename__ = "supervisions"
    __table_args__ = (
        # The 督办 list: scoped by the supervised unit (those who see it), nearest due date first,
        # keyset on (sort_due_on, id); the state filter and the supervising unit's own list likewise.
        Index("ix_supervisions_supervised_due", "supervised_unit_code", "sort_due_on", "id"),
        Index("ix_supervisions_supervising_due", "supervising_unit_code", "sort_due_on", "id"),
        Index("ix_supervisions_state_due", "state", "sort_due_on", "id"),
        Index("ix_supervisions_due", "sort_due_on", "id"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default=OPEN)
    supervising_unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    supervised_unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    instructions: Mapped[str] = mapped_column(Text, nullable=False)
    # The period the supervising unit gave (挂牌), or the rule's (an escalation): shown on the page.
    period_amount: Mapped[int] = mapped_column(Integer, nullable=False)
    period_unit: Mapped[str] = mapped_column(String(20), nullable=False)
    # The 督办's own 期限 (rule supervision.report) and the copy of its due date (None: paused).
    deadline_id: Mapped[str | None] = mapped_column(String(36))
    due_on: Mapped[date | None] = mapped_column(Date)
    # due_on, or NO_DUE_DATE while paused: the list's sort and keyset key.  Never NULL, so a page
    # after a key is one index range ((sort_due_on, id) > key), where "NULLS LAST" needs an OR
    # that no index serves.
    sort_due_on: Mapped[date] = mapped_column(Date, nullable=False, default=NO_DUE_DATE)
    # For an escalation: the overdue deadline of the item that caused it.
    escalated_deadline_id: Mapped[str | None] = mapped_column(String(36))
    opened_by: Mapped[str] = mapped_column(String(100), nullable=False)
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)
    reports: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # how many reports so far
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(100))
    # The accepted report came on or before due_on.
    closed_on_time: Mapped[bool | None] = mapped_column(Boolean)

    @property
    def is_open(self) -> bool:
        return self.state in UNCLOSED

    def set_due(self, due_on: date | None) -> None:
        self.due_on = due_on
        self.sort_due_on = due_on or NO_DUE_DATE

    def overdue(self, today: date) -> bool:
        """Still waiting (for a report or a decision) and its due date is past."""
        return self.is_open and self.due_on is not None and self.due_on < today


class SupervisionReport(Base):
    """One report of the supervised unit, and the supervising unit's decision on it (None: not yet)."""

    __tablename__ = "supervision_reports"
    __table_args__ = (Index("ix_supervision_reports_supervision", "supervision_id", "reported_at"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    supervision_id: Mapped[str] = mapped_column(String(36), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    reported_by: Mapped[str] = mapped_column(String(100), nullable=False)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    reported_on: Mapped[date] = mapped_column(Date, nullable=False)  # its Beijing date (on time or not)
    decision: Mapped[str | None] = mapped_column(String(10))
    reasons: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SupervisionEscalation(Base):
    """An overdue deadline that was escalated: once per deadline (the unique key), whoever runs the job.

    ``to_unit_code`` is None when the owning unit has no unit above it (市院, 中院): recorded, so the
    job does not look at that deadline again, and no 督办 is opened.
    """

    __tablename__ = "supervision_escalations"
    __table_args__ = (UniqueConstraint("deadline_id", name="uq_supervision_escalations_deadline"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    deadline_id: Mapped[str] = mapped_column(String(36), nullable=False)
    petition_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    from_unit_code: Mapped[str | None] = mapped_column(String(40))
    to_unit_code: Mapped[str | None] = mapped_column(String(40))
    supervision_id: Mapped[str | None] = mapped_column(String(36))
    deadline_due_on: Mapped[date] = mapped_column(Date, nullable=False)
    escalated_on: Mapped[date] = mapped_column(Date, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


def _keep_due(session: Session, subject: str) -> None:
    """A deadline of ``subject`` changed: if it is a 督办's own, copy its due date onto the 督办."""
    session.flush()
    due = select(Deadline.due_on).where(Deadline.id == Supervision.deadline_id).scalar_subquery()
    session.execute(update(Supervision).where(Supervision.id == subject, Supervision.deadline_id.is_not(None))
                    .values(due_on=due, sort_due_on=func.coalesce(due, NO_DUE_DATE))
                    .execution_options(synchronize_session="fetch"))


# Every process that maps supervisions (app, scheduler) keeps due_on current.
observers.subscribe(_keep_due)
