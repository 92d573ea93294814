"""Tables of 羁押必要性审查.

* ``custody_reviews``: one review of one person in custody: how it opened (and the rule a mandatory one
  cites), the person (ID number encrypted, blind-indexed, masked), the criminal case, the person's role in the
  enterprise and the effect of custody on it, the applicant (contacts encrypted), where it was received and
  when it reached 捕诉, its state, its decision and the other organ's reply.  ``due_on`` copies the nearest
  open 期限 of the review (a deadline observer keeps it), so the queue sorts on an index.
* ``custody_review_measures``: custody dates (拘留, 逮捕, each 延长) as rows.
* ``custody_review_grounds``: the checklist ticks (规则 578 factors, 579 must, 580 may), each with evidence.
* ``custody_review_corrections``: a 纠正意见 item opened by a missing or refusing reply, on its own clock.
* ``custody_review_documents``: the 建议书, 结果通知书 and 纠正意见书 issued, each numbered per organ, kind
  and year (the unique key is the backstop of document.next_serial's lock).
* ``custody_register``: the persons in custody with their criminal case data, from which the daily job finds
  the mandatory reviews; ``custody_mandatory_triggers``: one row per entry, trigger and key (its unique key is
  what makes a trigger open one review whatever the number of schedulers).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, UniqueConstraint, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, validates

from services.review.cases.custody.vocabulary import CLOSED, CORRECTION, OPEN_STATES, RULE_REPLY
from services.review.deadlines import observers
from services.review.deadlines.models import OPEN, Deadline
from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid
from shared.pii import blind_index, mask_id_number
from shared.pii.types import EncryptedString

_REVIEW = {"info": {"service": "review"}}
#: The sort key of a review with no running clock (paused, or closed): after every date.
NO_DUE_DATE = date(9999, 12, 31)


class _Person:
    """The ID number of a person: ciphertext in the column, a blind index to find it, a masked copy to show."""

    id_number: Mapped[str | None]
    id_number_index: Mapped[str | None]
    id_number_masked: Mapped[str | None]

    @validates("id_number")
    def _keep_index(self, key: str, value: str | None) -> str | None:
        # The index and the mask follow the number wherever it is set, so they never disagree.
        self.id_number_index = blind_index(value, kind="id_number") if value else None
        self.id_number_masked = mask_id_number(value) if value else None
        return value


class CustodyReview(_Person, TimestampMixin, Base):
    __tablename__ = "custody_reviews"
    __table_args__ = (
        Index("ix_custody_reviews_unit_due", "unit_code", "sort_due_on", "id"),
        Index("ix_custody_reviews_state_due", "state", "sort_due_on", "id"),
        Index("ix_custody_reviews_received_by", "received_by_unit_code"),
        UniqueConstraint("organ_code", "year", "serial", name="uq_custody_reviews_number"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_number: Mapped[str] = mapped_column(String(60), nullable=False)  # 羁审〔2026〕3号 of the organ
    organ_code: Mapped[str] = mapped_column(String(40), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    # The 捕诉 unit that reviews (reads are scoped by it); where the application came in.
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    received_by_unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    reached_on: Mapped[date | None] = mapped_column(Date)  # the day 捕诉 received it
    trigger: Mapped[str] = mapped_column(String(20), nullable=False)
    trigger_rule: Mapped[str | None] = mapped_column(String(60))  # a mandatory one's rule (triggers.toml)
    trigger_basis: Mapped[str | None] = mapped_column(Text)
    trigger_detail: Mapped[str | None] = mapped_column(Text)
    register_id: Mapped[str | None] = mapped_column(String(36), index=True)
    state: Mapped[str] = mapped_column(String(20), nullable=False)
    # The person.
    person_name: Mapped[str] = mapped_column(String(100), nullable=False)
    id_number: Mapped[str | None] = mapped_column("id_number_enc", EncryptedString(160, purpose="custody.id_number"))
    id_number_index: Mapped[str | None] = mapped_column(String(64), index=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(24))
    # The criminal case.
    criminal_case_number: Mapped[str] = mapped_column(String(80), nullable=False)
    charge: Mapped[str] = mapped_column(String(100), nullable=False)
    stage: Mapped[str] = mapped_column(String(20), nullable=False)
    handling_organ: Mapped[str] = mapped_column(String(120), nullable=False)  # the organ handling the case
    # The enterprise and the effect of custody on it.
    enterprise_role: Mapped[str | None] = mapped_column(String(30))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_credit_code: Mapped[str | None] = mapped_column(String(18))
    employees: Mapped[int | None] = mapped_column(Integer)
    production_stopped: Mapped[bool | None] = mapped_column(Boolean)
    contracts_at_risk: Mapped[int | None] = mapped_column(Integer)
    contracts_amount: Mapped[int | None] = mapped_column(Integer)  # 元
    impact_text: Mapped[str | None] = mapped_column(Text)
    # The applicant (规则 574): kind, name, contacts encrypted (the outcome notice goes there, 规则 582).
    applicant_kind: Mapped[str | None] = mapped_column(String(20))
    applicant_name: Mapped[str | None] = mapped_column(String(100))
    applicant_email: Mapped[str | None] = mapped_column("applicant_email_enc",
                                                        EncryptedString(400, purpose="custody.applicant_email"))
    applicant_phone: Mapped[str | None] = mapped_column("applicant_phone_enc",
                                                        EncryptedString(200, purpose="custody.applicant_phone"))
    reasons: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    opened_by: Mapped[str] = mapped_column(String(100), nullable=False)
    # 立案 after the initial review, or not.
    filed_on: Mapped[date | None] = mapped_column(Date)
    not_filed_reasons: Mapped[str | None] = mapped_column(Text)
    # The decision.
    decision: Mapped[str | None] = mapped_column(String(30))
    decision_basis: Mapped[str | None] = mapped_column(Text)
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    # The other organ's reply to a 建议 (刑诉法 95: within 10日).
    reply: Mapped[str | None] = mapped_column(String(20))
    reply_on: Mapped[date | None] = mapped_column(Date)
    reply_text: Mapped[str | None] = mapped_column(Text)
    reply_due_notified: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # The clocks (deadline ids) and the copy of the nearest due date.
    routing_deadline_id: Mapped[str | None] = mapped_column(String(36))
    initial_deadline_id: Mapped[str | None] = mapped_column(String(36))
    decision_deadline_id: Mapped[str | None] = mapped_column(String(36))
    reply_deadline_id: Mapped[str | None] = mapped_column(String(36), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    sort_due_on: Mapped[date] = mapped_column(Date, nullable=False, default=NO_DUE_DATE)
    closed_on: Mapped[date | None] = mapped_column(Date)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def outcome(self) -> str | None:
        return self.decision or ("not_filed" if self.not_filed_reasons is not None else None)


class CustodyMeasure(Base):
    """One custody date: 拘留, 逮捕, or an extension (延长羁押期限), with its term's end."""

    __tablename__ = "custody_review_measures"
    __table_args__ = (_REVIEW,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    review_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    started_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(Date)
    basis: Mapped[str | None] = mapped_column(Text)


class CustodyGround(Base):
    """One checklist item (checklist.toml) ticked or not, with its evidence."""

    __tablename__ = "custody_review_grounds"
    __table_args__ = (UniqueConstraint("review_id", "item_code", name="uq_custody_review_grounds_item"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    review_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    item_code: Mapped[str] = mapped_column(String(40), nullable=False)
    ticked: Mapped[bool] = mapped_column(Boolean, nullable=False)
    evidence: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(100), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class CustodyCorrection(Base):
    """纠正意见 (规则 581): opened by a missing reply (the job) or a refusal; issued on its own clock."""

    __tablename__ = "custody_review_corrections"
    __table_args__ = (UniqueConstraint("review_id", name="uq_custody_review_corrections_review"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    review_id: Mapped[str] = mapped_column(String(36), nullable=False)
    reason: Mapped[str] = mapped_column(String(20), nullable=False)  # no_reply | refused
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)
    deadline_id: Mapped[str | None] = mapped_column(String(36))
    issued_on: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str | None] = mapped_column(Text)
    issued_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class CustodyDocument(Base):
    """A document issued on a review: its 发文字号 and the facts it was built from (re-rendered on download)."""

    __tablename__ = "custody_review_documents"
    __table_args__ = (UniqueConstraint("organ_code", "kind", "year", "serial", name="uq_custody_review_documents_number"),
                      _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    review_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    organ_code: Mapped[str] = mapped_column(String(40), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    document_number: Mapped[str] = mapped_column(String(60), nullable=False)
    addressee: Mapped[str] = mapped_column(String(200), nullable=False)
    # {"paragraphs": [...], "table": [[key, value], ...]}: what the renderers lay out again on each download.
    content: Mapped[dict[str, list[Any]]] = mapped_column(JSON, nullable=False)
    issued_on: Mapped[date] = mapped_column(Date, nullable=False)
    pdf_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    issued_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class CustodyRegisterEntry(_Person, TimestampMixin, Base):
    """A person in custody and their criminal case data: what the mandatory-review job reads."""

    __tablename__ = "custody_register"
    __table_args__ = (Index("ix_custody_register_unit", "unit_code", "released_on"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)  # the 捕诉 unit responsible
    person_name: Mapped[str] = mapped_column(String(100), nullable=False)
    id_number: Mapped[str | None] = mapped_column("id_number_enc", EncryptedString(160, purpose="custody.id_number"))
    id_number_index: Mapped[str | None] = mapped_column(String(64), index=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(24))
    criminal_case_number: Mapped[str] = mapped_column(String(80), nullable=False)
    charge: Mapped[str] = mapped_column(String(100), nullable=False)
    handling_organ: Mapped[str] = mapped_column(String(120), nullable=False)
    stage: Mapped[str] = mapped_column(String(20), nullable=False)
    stage_entered_on: Mapped[date] = mapped_column(Date, nullable=False)
    arrested_on: Mapped[date | None] = mapped_column(Date)
    likely_sentence_months: Mapped[int | None] = mapped_column(Integer)
    likely_short_sentence: Mapped[bool | None] = mapped_column(Boolean)  # 可能判处三年以下 (overrides months)
    returned_from_supplementary_on: Mapped[date | None] = mapped_column(Date)
    first_instance_started_on: Mapped[date | None] = mapped_column(Date)
    second_instance_started_on: Mapped[date | None] = mapped_column(Date)
    judged_on: Mapped[date | None] = mapped_column(Date)
    special_situations: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    enterprise_role: Mapped[str | None] = mapped_column(String(30))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_credit_code: Mapped[str | None] = mapped_column(String(18))
    released_on: Mapped[date | None] = mapped_column(Date)  # no longer in custody: no more triggers
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)


class CustodyTrigger(Base):
    """A trigger of a register entry that opened a review: once per (entry, rule kind, key)."""

    __tablename__ = "custody_mandatory_triggers"
    __table_args__ = (UniqueConstraint("register_id", "kind", "key", name="uq_custody_mandatory_triggers"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    register_id: Mapped[str] = mapped_column(String(36), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    key: Mapped[str] = mapped_column(String(80), nullable=False)
    rule_code: Mapped[str] = mapped_column(String(60), nullable=False)
    arose_on: Mapped[date] = mapped_column(Date, nullable=False)
    review_id: Mapped[str] = mapped_column(String(36), nullable=False)
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)


def _keep_due(session: Session, subject: str) -> None:
    """A deadline of ``subject`` changed: if it is a review's, copy its nearest open due date onto it."""
    session.flush()
    # Once a 纠正意见 is open, its own clock is the one to watch, not the reply's that ran out.
    nearest = (select(func.min(Deadline.due_on))
               .where(Deadline.subject == CustodyReview.id, Deadline.status == OPEN,
                      or_(CustodyReview.state != CORRECTION, Deadline.rule_code != RULE_REPLY))
               .scalar_subquery())
    session.execute(update(CustodyReview).where(CustodyReview.id == subject, CustodyReview.state != CLOSED)
                    .values(due_on=nearest, sort_due_on=func.coalesce(nearest, NO_DUE_DATE))
                    .execution_options(synchronize_session="fetch"))


def refresh_due(session: Session, review: CustodyReview) -> None:
    """After a state change: the nearest open clock (none once closed)."""
    if review.state == CLOSED:
        review.due_on, review.sort_due_on = None, NO_DUE_DATE
        return
    session.flush()
    _keep_due(session, review.id)
    session.refresh(review, ["due_on", "sort_due_on"])


observers.subscribe(_keep_due)

