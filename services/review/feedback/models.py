"""Tables of 考评反馈: one 评价 per handling round, and the rounds themselves."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid
from shared.events.review import RATING_TEXT as RATING_TEXT  # re-exported: the pages' words
from shared.events.review import RATINGS as RATINGS

_REVIEW = {"info": {"service": "review"}}

# The ratings are the events' (shared/events/review.py): 满意, 基本满意, 不满意.
SATISFIED, BASICALLY_SATISFIED, DISSATISFIED = RATINGS

STAFF = "staff"
PUBLIC = "public"
VIA = (STAFF, PUBLIC)

# How staff obtained the 评价.
METHODS = ("phone", "in_person", "written")
METHOD_TEXT = {"phone": "电话回访", "in_person": "当面", "written": "书面"}

# What the handling unit decided after a 不满意.
REOPENED = "reopened"
CLOSED_ANYWAY = "closed"


class Feedback(TimestampMixin, Base):
    """The petitioner's 评价 of one round's result reply; at most one per (petition, round)."""

    __tablename__ = "feedbacks"
    __table_args__ = (
        UniqueConstraint("petition_id", "round", name="uq_feedbacks_petition_round"),
        # The rates: one unit's 评价 in a date range.
        Index("ix_feedbacks_unit_recorded", "unit_code", "recorded_at"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), nullable=False)
    case_number: Mapped[str] = mapped_column(String(40), nullable=False)
    round: Mapped[int] = mapped_column(Integer, nullable=False)
    # The handling unit whose reply was rated (the rates are counted per it).
    unit_code: Mapped[str | None] = mapped_column(String(40))
    rating: Mapped[str] = mapped_column(String(20), nullable=False)
    reasons: Mapped[str | None] = mapped_column(Text)
    via: Mapped[str] = mapped_column(String(10), nullable=False)
    method: Mapped[str | None] = mapped_column(String(20))  # staff only: phone / in_person / written
    recorded_by: Mapped[str] = mapped_column(String(100), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    # public only: when the petitioner sent it, and intake's event.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    source_event_id: Mapped[str | None] = mapped_column(String(36))
    # After a 不满意: reopened or closed anyway, by whom, when, why.
    decision: Mapped[str | None] = mapped_column(String(10))
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(Text)


class HandlingRound(TimestampMixin, Base):
    """One handling round (办理轮次) of a 事项: round 1 is the first handling, each reopen adds one.

    A round's row is written when its result reply is given (round 1, from the item's status, see
    rounds.py) or when a 不满意 reopens the matter (round 2 on, with the 评价 that caused it and the
    new result-reply 期限).
    """

    __tablename__ = "handling_rounds"
    __table_args__ = (
        UniqueConstraint("petition_id", "round", name="uq_handling_rounds_petition_round"),
        Index("ix_handling_rounds_unit_replied", "unit_code", "replied_at"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), nullable=False)
    round: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_code: Mapped[str | None] = mapped_column(String(40))  # the handling unit of the round
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was reopened (round 2 on)
    # The 不满意 评价 of the round before that reopened this one; None for round 1.
    feedback_id: Mapped[str | None] = mapped_column(ForeignKey("feedbacks.id"))
    # The round's result-reply 期限 (round 2 on; round 1's was attached when the petition arrived).
    deadline_id: Mapped[str | None] = mapped_column(String(36))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    close_reason: Mapped[str | None] = mapped_column(Text)

