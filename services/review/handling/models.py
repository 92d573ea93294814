"""Tables of 审查办理: the item's handling history and its replies (答复) with their documents.

* ``handling_entries``: one append-only row per step of handling (受理, 退回, 指定承办人, 进展汇报,
  答复), so the case page shows who did what, when, and why.
* ``handling_replies``: one row per 答复 with what was said (text, outcome, legal basis), how and
  when it reached the petitioner, the 期限 it met (and whether on time), and the generated
  document (PDF and DOCX kept in the blob store under keys made here).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, new_uuid

_REVIEW = {"info": {"service": "review"}}

# Kinds of history row.
ACCEPTED = "accepted"
RETURNED = "returned"
HANDLER_ASSIGNED = "handler_assigned"
PROGRESS_REPORTED = "progress_reported"
REPLIED = "replied"
ENTRY_KINDS = (ACCEPTED, RETURNED, HANDLER_ASSIGNED, PROGRESS_REPORTED, REPLIED)


class HandlingEntry(TimestampMixin, Base):
    """One step of an item's handling, as the case page lists it (rows are only ever inserted)."""

    __tablename__ = "handling_entries"
    __table_args__ = (Index("ix_handling_entries_petition", "petition_id", "created_at"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), nullable=False)
    round: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    unit_code: Mapped[str | None] = mapped_column(String(40))  # the handling unit acting
    actor: Mapped[str] = mapped_column(String(100), nullable=False)
    # 退回 reasons, the 进展汇报 text, the 答复 summary.
    text: Mapped[str | None] = mapped_column(Text)
    # The day it happened as the record says (a progress report's date; the date a reply was delivered).
    happened_on: Mapped[date | None] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)


class HandlingReply(TimestampMixin, Base):
    """One 答复 to the petitioner: procedural (程序性回复), progress (进展) or final (结果)."""

    __tablename__ = "handling_replies"
    __table_args__ = (
        Index("ix_handling_replies_petition", "petition_id", "created_at"),
        # 发文字号: a unit's replies are numbered per year; a race on the number fails here, never repeats.
        UniqueConstraint("organ_code", "year", "serial", name="uq_handling_replies_number"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), nullable=False)
    case_number: Mapped[str] = mapped_column(String(40), nullable=False)
    round: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    outcome: Mapped[str | None] = mapped_column(String(30))
    delivery: Mapped[str] = mapped_column(String(20), nullable=False)
    replied_on: Mapped[date] = mapped_column(Date, nullable=False)  # the date it reached the petitioner
    legal_basis: Mapped[str] = mapped_column(Text, nullable=False)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)  # the handling unit
    organ_code: Mapped[str] = mapped_column(String(40), nullable=False)  # whose 发文字号 (the 院)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    document_number: Mapped[str] = mapped_column(String(60), nullable=False)
    replied_by: Mapped[str] = mapped_column(String(100), nullable=False)
    # The 期限 this reply performed: {deadline_id, rule_code, due_on, met_on_time}, in the order met.
    deadlines_met: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    # The reply document (shared/storage keys; the files are immutable once written).
    pdf_key: Mapped[str] = mapped_column(String(200), nullable=False)
    pdf_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    pdf_size: Mapped[int] = mapped_column(Integer, nullable=False)
    docx_key: Mapped[str] = mapped_column(String(200), nullable=False)
    docx_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    docx_size: Mapped[int] = mapped_column(Integer, nullable=False)

    @property
    def on_time(self) -> bool | None:
        """Whether every 期限 it met was met on time (None: it met none)."""
        if not self.deadlines_met:
            return None
        return all(bool(d.get("met_on_time")) for d in self.deadlines_met)



