"""Tables of 12368 work orders (工单): the order, its transfers (转办/改派) and its escalations (升级)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid, utcnow

_REVIEW = {"info": {"service": "review"}}

# What an order is: sent to a judge or division, or the record of an answer given on the spot.
ORDER = "order"
ON_THE_SPOT = "on_the_spot"
KINDS = (ORDER, ON_THE_SPOT)

OPEN = "open"
REPLIED = "replied"
STATUSES = (OPEN, REPLIED)
STATUS_TEXT = {OPEN: "待回复", REPLIED: "已回复"}

# Who holds an open order (its level): the judge or division it was sent to, then the division's
# head (庭长, unit_leader of the division), then the court's 诉讼服务中心 (the center that made it).
JUDGE_LEVEL = 0
HEAD_LEVEL = 1
CENTER_LEVEL = 2
LEVEL_TEXT = {JUDGE_LEVEL: "承办法官/部门", HEAD_LEVEL: "庭长（部门负责人）", CENTER_LEVEL: "诉讼服务中心"}

# How the caller was told (the reply's delivery).
DELIVERIES = ("phone", "sms", "in_person", "online", "letter")
DELIVERY_TEXT = {"phone": "电话告知", "sms": "短信告知", "in_person": "当面告知", "online": "网上答复",
                 "letter": "书面答复"}

# A move of the order: 转办 by the division's people to another judge or division (the clock
# restarts for the new owner), 改派 by the division head within the division (the clock runs on).
TRANSFER = "transfer"
REASSIGN = "reassign"


class WorkOrder(TimestampMixin, Base):
    """One 工单 of a 12368 事项 (``petition_id``): to whom it went, who holds it now, its clock, its reply.

    ``unit_code`` is the division (or court unit) whose case it is and whose people answer it;
    ``owner_unit_code`` the unit holding it now (the division, or the 诉讼服务中心 after the
    second escalation).  ``deadline_id`` is the owner's running clock (subject = the order id).
    """

    __tablename__ = "work_orders"
    __table_args__ = (
        Index("ix_work_orders_unit_status", "unit_code", "status"),
        Index("ix_work_orders_assignee_status", "assignee_user_id", "status"),
        Index("ix_work_orders_owner_status", "owner_unit_code", "status"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    case_number: Mapped[str] = mapped_column(String(40), nullable=False)  # the contact's 收案编号
    related_case_number: Mapped[str] = mapped_column(String(60), nullable=False)  # the court 案号 it is about
    origin_unit_code: Mapped[str] = mapped_column(String(40), nullable=False)  # the 诉讼服务中心 that made it
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    request: Mapped[str] = mapped_column(Text, nullable=False)  # what the caller asks, as the clerk wrote it
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=OPEN)
    is_green_channel: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Where the flag came from: "clerk" (ticked), "court_case" (the 案号 has a granted 绿色通道), None.
    green_source: Mapped[str | None] = mapped_column(String(12))

    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    assignee_user_id: Mapped[str | None] = mapped_column(String(36))
    assignee_name: Mapped[str | None] = mapped_column(String(100))
    owner_unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False, default=JUDGE_LEVEL)
    # 1 for the first owner; each 转办 starts a new assignment (its escalations start again at level 0).
    assignment: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    deadline_id: Mapped[str | None] = mapped_column(String(36))

    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_on: Mapped[date] = mapped_column(Date, nullable=False)

    reply_text: Mapped[str | None] = mapped_column(Text)
    reply_delivery: Mapped[str | None] = mapped_column(String(12))
    replied_by: Mapped[str | None] = mapped_column(String(100))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replied_on: Mapped[date | None] = mapped_column(Date)
    replied_on_time: Mapped[bool | None] = mapped_column(Boolean)


class WorkOrderTransfer(Base):
    """One 转办 or 改派 of an order (append-only)."""

    __tablename__ = "work_order_transfers"
    __table_args__ = (_REVIEW,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    order_id: Mapped[str] = mapped_column(ForeignKey("work_orders.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    from_unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    from_assignee_name: Mapped[str | None] = mapped_column(String(100))
    to_unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    to_assignee_user_id: Mapped[str | None] = mapped_column(String(36))
    to_assignee_name: Mapped[str | None] = mapped_column(String(100))
    reasons: Mapped[str] = mapped_column(Text, nullable=False)
    restarted: Mapped[bool] = mapped_column(Boolean, nullable=False)
    deadline_id: Mapped[str | None] = mapped_column(String(36))
    transferred_by: Mapped[str] = mapped_column(String(100), nullable=False)
    transferred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class WorkOrderEscalation(Base):
    """An overdue order passed one level up; unique per order, assignment and level (once per level)."""

    __tablename__ = "work_order_escalations"
    __table_args__ = (
        UniqueConstraint("order_id", "assignment", "level", name="uq_work_order_escalations_once"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    order_id: Mapped[str] = mapped_column(ForeignKey("work_orders.id"), nullable=False, index=True)
    assignment: Mapped[int] = mapped_column(Integer, nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)  # the level reached
    to_unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    missed_deadline_id: Mapped[str] = mapped_column(String(36), nullable=False)
    deadline_id: Mapped[str] = mapped_column(String(36), nullable=False)
    escalated_on: Mapped[date] = mapped_column(Date, nullable=False)
    escalated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

