"""Triage items: review's copy of what it needs to route a petition."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid


class TriageItem(TimestampMixin, Base):
    """One petition's 事项 in review: its 分流, who handles it, its state (triage/states.py).

    ``unit_code`` is the receiving unit (whose queue it entered, who triages it);
    ``handling_unit_code`` the unit that handles it once routed (the receiving unit itself for
    本单位办理, a department or a lower unit for 交办).  A person sees an item when either unit is
    among the units they see (triage/access.py); only the handling unit's own people answer it.
    """

    __tablename__ = "triage_items"
    __table_args__ = (
        # The queue: a unit's items, nearest due date first, keyset on (next_due_on, id).
        Index("ix_triage_items_unit_due", "unit_code", "next_due_on", "id"),
        Index("ix_triage_items_handling_due", "handling_unit_code", "next_due_on", "id"),
        Index("ix_triage_items_status_due", "status", "next_due_on", "id"),
        # The task force's queue (no unit filter): the sort and keyset straight off an index.
        Index("ix_triage_items_due", "next_due_on", "id"),
        # The counts per status of a unit's queue: index-only scans of (unit, status).
        Index("ix_triage_items_unit_status", "unit_code", "status"),
        Index("ix_triage_items_handling_status", "handling_unit_code", "status"),
        {"info": {"service": "review"}},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    case_number: Mapped[str] = mapped_column(String(40), nullable=False)
    line: Mapped[str] = mapped_column(String(5), nullable=False)
    channel: Mapped[str] = mapped_column(String(1), nullable=False)
    petition_type: Mapped[str] = mapped_column(String(20), nullable=False)
    is_enterprise: Mapped[bool] = mapped_column(Boolean, nullable=False)
    petitioner_masked: Mapped[str] = mapped_column(String(100), nullable=False)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400), nullable=False)
    received_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    source_event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    # The petition's receiving unit; the queue is scoped by it (shared/auth).
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)

    # -- 分流 (triage/) ---------------------------------------------------------------------
    # The category as the triage officer confirmed or corrected it (None: not yet classified;
    # petition_type stays what intake registered).
    category: Mapped[str | None] = mapped_column(String(20))
    # Why it is (or is not) 涉企, as the officer classified it; None until classified.
    enterprise_reason: Mapped[str | None] = mapped_column(Text)
    classified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    classified_by: Mapped[str | None] = mapped_column(String(100))
    # The enterprise's 县区 (GB/T 2260 code, from its credit code): the routing rules' key.
    enterprise_division: Mapped[str | None] = mapped_column(String(6))

    # -- 审查办理 (handling/) ---------------------------------------------------------------
    handling_unit_code: Mapped[str | None] = mapped_column(String(40))
    handler_user_id: Mapped[str | None] = mapped_column(String(36))  # 承办人
    handler_name: Mapped[str | None] = mapped_column(String(100))
    # 1 for the first handling; a 不满意 评价 that reopens the matter starts round 2, and so on.
    round: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    # -- 跟踪督办 (supervision/) ------------------------------------------------------------
    supervised: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # an open 督办

    # The reply clocks that could not start: the codes of rules not in force on the receipt day
    # (comma-separated); the item is in the queue all the same, flagged (期限规则缺失).
    missing_rules: Mapped[str | None] = mapped_column(String(200))

    # The nearest due date of the petition's running 期限 (None: none running), kept by
    # triage/due.py whenever a deadline of the petition changes, so the queue sorts on an index.
    next_due_on: Mapped[date | None] = mapped_column(Date)


class TriageDuplicate(TimestampMixin, Base):
    """A 重复件 intake linked to an earlier case: filed under that case's item instead of an item of its own.

    Keyed by the later petition; `original_petition_id` is the case whose item shows it.  When intake
    splits the link (`petition.duplicate_split`) the row stays, with `split_at`, and the petition
    gets the item it would have had.
    """

    __tablename__ = "triage_duplicates"
    __table_args__ = ({"info": {"service": "review"}},)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    case_number: Mapped[str] = mapped_column(String(40), nullable=False)
    original_petition_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    original_case_number: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(1), nullable=False)
    summary: Mapped[str] = mapped_column(String(400), nullable=False)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    source_event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    split_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)


class TriageRouting(TimestampMixin, Base):
    """One 分流 decision on a 事项 (triage/decisions.py), kept as the record of how it was routed.

    ``kind`` is what was decided: ``here`` (本单位办理), ``assigned`` (交办), ``transferred_in_tree``
    / ``transferred_out`` (移送), ``materials_requested`` / ``materials_received`` (一次性告知 and its
    answer), ``declined`` (不予受理), ``transfer_objected`` (the target's 异议).  The rows say who
    routed where and why: the transfer a target objects to is its latest ``transferred_in_tree``
    row; a second 一次性告知 is refused because a ``materials_requested`` row exists.
    """

    __tablename__ = "triage_routings"
    __table_args__ = ({"info": {"service": "review"}},)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    round: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    from_unit_code: Mapped[str | None] = mapped_column(String(40))
    to_unit_code: Mapped[str | None] = mapped_column(String(40))
    to_organ: Mapped[str | None] = mapped_column(String(200))  # 移送 outside the tree: the organ, as named
    # What routing.toml suggested, and why the officer chose otherwise (None: followed, or no rule).
    suggested_unit_code: Mapped[str | None] = mapped_column(String(40))
    override_reason: Mapped[str | None] = mapped_column(Text)
    reasons: Mapped[str | None] = mapped_column(Text)  # 不予受理 / 异议 / 一次性告知's note
    basis: Mapped[str | None] = mapped_column(Text)  # 不予受理's legal basis
    materials: Mapped[list[str] | None] = mapped_column(JSON)  # 一次性告知: what is missing
    deadline_id: Mapped[str | None] = mapped_column(String(36))  # 交办's or 移送's 期限
    due_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date] = mapped_column(Date, nullable=False)  # the Beijing date of the decision
    decided_by: Mapped[str] = mapped_column(String(100), nullable=False)

