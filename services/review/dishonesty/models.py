"""Tables of 失信被执行人: the listings, their 限制消费令, corrections, 复议, 诚信证明 and the verify window."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid

_REVIEW = {"info": {"service": "review"}}

# A listing's states: 已纳入 (listed), 应删除 (an art. 10 ground is recorded: the 3-working-day
# clock runs), 已删除 (removed).
LISTED, REMOVAL_PENDING, REMOVED = "listed", "removal_pending", "removed"
STATUSES = (LISTED, REMOVAL_PENDING, REMOVED)
STATUS_TEXT = {LISTED: "已纳入", REMOVAL_PENDING: "待删除", REMOVED: "已删除"}

ENTERPRISE, PERSON = "enterprise", "person"
DEBTOR_KINDS = (ENTERPRISE, PERSON)
DEBTOR_TEXT = {ENTERPRISE: "法人或其他组织", PERSON: "自然人"}

# A correction (纠正) request's review, and a 复议's outcome.
CORRECTION_ACCEPTED, CORRECTION_REJECTED = "accepted", "rejected"
RECON_UPHELD, RECON_REVOKED = "upheld", "revoked"


class Listing(TimestampMixin, Base):
    """One 失信 record: who, on which 执行案号, on which art. 1 ground, for how long, and its removal."""

    __tablename__ = "dishonesty_listings"
    __table_args__ = (
        Index("ix_dishonesty_listings_unit_status", "unit_code", "status"),
        Index("ix_dishonesty_listings_debtor", "debtor_number_index"),
        Index("ix_dishonesty_listings_expiry", "status", "expires_on"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)  # the registering clerk's unit (执行局)
    court_code: Mapped[str] = mapped_column(String(40), nullable=False)  # the court that listed (its 院)
    court_name: Mapped[str] = mapped_column(String(100), nullable=False)
    case_number: Mapped[str] = mapped_column(String(40), nullable=False)  # 执行案号, normalised
    debtor_kind: Mapped[str] = mapped_column(String(12), nullable=False)
    debtor_name: Mapped[str] = mapped_column(String(200), nullable=False)  # the enterprise's name (a person: masked)
    debtor_name_enc: Mapped[str | None] = mapped_column(Text)  # a person's full name, encrypted
    debtor_number_enc: Mapped[str] = mapped_column(Text, nullable=False)
    debtor_number_index: Mapped[str] = mapped_column(String(64), nullable=False)
    debtor_number_masked: Mapped[str] = mapped_column(String(40), nullable=False)
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    obligation: Mapped[str] = mapped_column(Text, nullable=False)  # 生效法律文书确定的义务
    ground: Mapped[int] = mapped_column(Integer, nullable=False)  # 第一条 第（n）项
    on_application: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)  # 依申请执行人申请
    listed_on: Mapped[date] = mapped_column(Date, nullable=False)
    term_years: Mapped[int | None] = mapped_column(Integer)  # None: item 1, until performance
    extension_years: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    expires_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=LISTED)
    contact_email_enc: Mapped[str | None] = mapped_column(Text)
    contact_phone_enc: Mapped[str | None] = mapped_column(Text)
    registered_by: Mapped[str] = mapped_column(String(100), nullable=False)
    # The art. 10 ground once recorded, its evidence, and the clock it started.
    removal_ground: Mapped[str | None] = mapped_column(String(30))
    removal_evidence: Mapped[str | None] = mapped_column(Text)
    network_searches: Mapped[int | None] = mapped_column(Integer)
    removal_recorded_on: Mapped[date | None] = mapped_column(Date)
    removal_recorded_by: Mapped[str | None] = mapped_column(String(100))
    removal_deadline_id: Mapped[str | None] = mapped_column(String(36))
    removed_on: Mapped[date | None] = mapped_column(Date)
    removed_by: Mapped[str | None] = mapped_column(String(100))
    # 申请执行人申请删除: no re-listing at the creditor's request up to and including this day.
    relisting_blocked_until: Mapped[date | None] = mapped_column(Date)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": row_version}


class ConsumptionOrder(TimestampMixin, Base):
    """The 限制消费令 issued with the listing (every 失信 person is also under 限消), lifted with its removal."""

    __tablename__ = "dishonesty_consumption_orders"
    __table_args__ = (UniqueConstraint("listing_id", name="uq_dishonesty_consumption_orders_listing"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    listing_id: Mapped[str] = mapped_column(ForeignKey("dishonesty_listings.id"), nullable=False)
    issued_on: Mapped[date] = mapped_column(Date, nullable=False)
    scope: Mapped[str] = mapped_column(Text, nullable=False)
    lifted_on: Mapped[date | None] = mapped_column(Date)
    lifted_by: Mapped[str | None] = mapped_column(String(100))


class Correction(TimestampMixin, Base):
    """第十二条: a request to correct the record; reviewed within 15日, corrected within 3 working days."""

    __tablename__ = "dishonesty_corrections"
    __table_args__ = (Index("ix_dishonesty_corrections_listing", "listing_id"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    listing_id: Mapped[str] = mapped_column(ForeignKey("dishonesty_listings.id"), nullable=False)
    applied_on: Mapped[date] = mapped_column(Date, nullable=False)
    reasons: Mapped[str] = mapped_column(Text, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(100), nullable=False)
    review_deadline_id: Mapped[str | None] = mapped_column(String(36))
    outcome: Mapped[str | None] = mapped_column(String(10))
    review_reasons: Mapped[str | None] = mapped_column(Text)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    correct_deadline_id: Mapped[str | None] = mapped_column(String(36))
    # A rejection may be taken to 复议 within 10日: the applicant's clock.
    apply_deadline_id: Mapped[str | None] = mapped_column(String(36))
    corrected_on: Mapped[date | None] = mapped_column(Date)
    correction_note: Mapped[str | None] = mapped_column(Text)


class Reconsideration(TimestampMixin, Base):
    """复议 to the court above against a rejected correction: decided within 15日; the listing stays."""

    __tablename__ = "dishonesty_reconsiderations"
    __table_args__ = (UniqueConstraint("correction_id", name="uq_dishonesty_reconsiderations_correction"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    listing_id: Mapped[str] = mapped_column(ForeignKey("dishonesty_listings.id"), nullable=False)
    correction_id: Mapped[str] = mapped_column(ForeignKey("dishonesty_corrections.id"), nullable=False)
    # The court above; None when it is outside the platform (the 高院 above 南阳中院).
    higher_court_code: Mapped[str | None] = mapped_column(String(40))
    higher_court_name: Mapped[str] = mapped_column(String(100), nullable=False)
    applied_on: Mapped[date] = mapped_column(Date, nullable=False)
    reasons: Mapped[str] = mapped_column(Text, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(100), nullable=False)
    decide_deadline_id: Mapped[str | None] = mapped_column(String(36))
    outcome: Mapped[str | None] = mapped_column(String(10))
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    correct_deadline_id: Mapped[str | None] = mapped_column(String(36))


class Certificate(TimestampMixin, Base):
    """诚信证明 of a removed record, its 发文字号, and its verification code (only its blind index)."""

    __tablename__ = "dishonesty_certificates"
    __table_args__ = (
        UniqueConstraint("code_index", name="uq_dishonesty_certificates_code"),
        UniqueConstraint("organ_code", "year", "serial", name="uq_dishonesty_certificates_serial"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    listing_id: Mapped[str] = mapped_column(ForeignKey("dishonesty_listings.id"), nullable=False)
    organ_code: Mapped[str] = mapped_column(String(40), nullable=False)
    organ_name: Mapped[str] = mapped_column(String(100), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(60), nullable=False)
    code_index: Mapped[str] = mapped_column(String(64), nullable=False)
    enterprise_shown: Mapped[str] = mapped_column(String(200), nullable=False)  # what the public answer names
    performed: Mapped[str] = mapped_column(Text, nullable=False)
    removed_on: Mapped[date] = mapped_column(Date, nullable=False)
    issued_on: Mapped[date] = mapped_column(Date, nullable=False)
    issued_by: Mapped[str] = mapped_column(String(100), nullable=False)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    pdf_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    notice_id: Mapped[str] = mapped_column(String(36), nullable=False)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_by: Mapped[str | None] = mapped_column(String(100))
    revoke_reason: Mapped[str | None] = mapped_column(Text)


class VerifyAttempt(Base):
    """A public verification counted against its client address (keyed hash); rows past the window are purged."""

    __tablename__ = "dishonesty_verify_attempts"
    __table_args__ = (_REVIEW,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_key: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
