"""Tables of 首违不罚:

* ``leniency_lists``: every loaded version of every list (from lists/*.toml by ``huhang db seed``, or
  ``huhang rules import``), never overwritten: a new version is a new row, the old one stays in force
  for acts that happened under it.  The file's items are kept as loaded (JSON) with its SHA-256.
* ``leniency_checks``: one check of one violation of one enterprise, with its facts, the outcome
  (suggested / not_applicable / more_information_needed), every condition as met / not met /
  unknown, and the legal basis as it was on the day of the check (the list version used).
* ``leniency_punishments``: 行政处罚 recorded against an enterprise (stated with a check); with a
  prior ``suggested`` check they make a later violation "not first" within the list's look-back.
* ``leniency_recommendations``: the 检察建议 draft made from a positive check, with its 发文字号
  (per organ and year: one serial sequence, a unique key as backstop).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid, utcnow

SUGGESTED = "suggested"
NOT_APPLICABLE = "not_applicable"
MORE_INFORMATION = "more_information_needed"
OUTCOMES = (SUGGESTED, NOT_APPLICABLE, MORE_INFORMATION)
OUTCOME_TEXT = {SUGGESTED: "建议不予处罚", NOT_APPLICABLE: "不适用首违不罚", MORE_INFORMATION: "需补充信息"}
#: The strength of a suggestion: 应当不予处罚 (art. 33 ¶1 first sentence) or 可以不予处罚 (the 首违 clause).
MUST = "must"
MAY = "may"
STRENGTH_TEXT = {MUST: "应当不予处罚", MAY: "可以不予处罚"}

HARMS = ("none", "minor", "significant")
HARM_TEXT = {"none": "没有造成危害后果", "minor": "危害后果轻微", "significant": "危害后果较重"}

_REVIEW = {"info": {"service": "review"}}


class LeniencyList(Base):
    """One loaded version of one 首违不罚 list (``code`` + ``version`` unique)."""

    __tablename__ = "leniency_lists"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_leniency_lists_code_version"),
                      Index("ix_leniency_lists_code_from", "code", "effective_from"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    issuer: Mapped[str] = mapped_column(String(200), nullable=False)
    document_number: Mapped[str] = mapped_column(String(200), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    field: Mapped[str] = mapped_column(String(20), nullable=False)
    region: Mapped[str] = mapped_column(String(20), nullable=False)
    effective_from: Mapped[date] = mapped_column(Date, nullable=False)
    effective_until: Mapped[date | None] = mapped_column(Date)
    effective_from_confirmed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    effective_from_note: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    lookback_months: Mapped[int] = mapped_column(Integer, nullable=False)
    lookback_confirmed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    first_scope: Mapped[str] = mapped_column(String(10), nullable=False)
    first_note: Mapped[str | None] = mapped_column(Text)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    source: Mapped[str] = mapped_column(String(200), nullable=False)  # the file name it came from
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    loaded_by: Mapped[str] = mapped_column(String(100), nullable=False)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    def item(self, code: str) -> dict[str, Any] | None:
        return next((i for i in self.items if i["code"] == code), None)


class LeniencyCheck(TimestampMixin, Base):
    """One 首违不罚 check of one violation (the facts as the reviewer stated them, and the answer)."""

    __tablename__ = "leniency_checks"
    __table_args__ = (Index("ix_leniency_checks_credit_act", "credit_code", "act_on"),
                      Index("ix_leniency_checks_unit_created", "unit_code", "created_at"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)  # the checking unit
    checked_by: Mapped[str] = mapped_column(String(100), nullable=False)
    checked_on: Mapped[date] = mapped_column(Date, nullable=False)
    credit_code: Mapped[str] = mapped_column(String(18), nullable=False)
    enterprise_name: Mapped[str] = mapped_column(String(200), nullable=False)
    authority: Mapped[str | None] = mapped_column(String(200))  # the 行政机关 handling the violation
    act: Mapped[str] = mapped_column(Text, nullable=False)
    list_code: Mapped[str] = mapped_column(String(40), nullable=False)
    item_code: Mapped[str] = mapped_column(String(12), nullable=False)
    # The version used (None: no version of the list was in force on act_on).
    list_id: Mapped[str | None] = mapped_column(String(36))
    list_version: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(20))
    act_on: Mapped[date] = mapped_column(Date, nullable=False)
    corrected: Mapped[bool | None] = mapped_column(Boolean)
    corrected_on: Mapped[date | None] = mapped_column(Date)
    discovered_on: Mapped[date | None] = mapped_column(Date)
    within_order_period: Mapped[bool | None] = mapped_column(Boolean)
    harm: Mapped[str | None] = mapped_column(String(12))
    harm_text: Mapped[str | None] = mapped_column(Text)
    illegal_gains: Mapped[bool | None] = mapped_column(Boolean)
    first_claimed: Mapped[bool | None] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(24), nullable=False)
    strength: Mapped[str | None] = mapped_column(String(8))
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    basis: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    unconfirmed: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    explanation: Mapped[str] = mapped_column(Text, nullable=False)


class LeniencyPunishment(Base):
    """A 行政处罚 of an enterprise, as the reviewer recorded it with a check (counts against "first")."""

    __tablename__ = "leniency_punishments"
    __table_args__ = (Index("ix_leniency_punishments_credit", "credit_code", "act_on"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    credit_code: Mapped[str] = mapped_column(String(18), nullable=False)
    field: Mapped[str] = mapped_column(String(20), nullable=False)
    act_on: Mapped[date] = mapped_column(Date, nullable=False)  # the day of the punished act
    decision_number: Mapped[str] = mapped_column(String(100), nullable=False)  # 行政处罚决定书文号
    check_id: Mapped[str | None] = mapped_column(String(36))
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class LeniencyRecommendation(Base):
    """The 检察建议 draft of a positive check (one per check), numbered per organ and year."""

    __tablename__ = "leniency_recommendations"
    __table_args__ = (UniqueConstraint("check_id", name="uq_leniency_recommendations_check"),
                      UniqueConstraint("organ_code", "year", "serial", name="uq_leniency_recommendations_serial"),
                      _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    check_id: Mapped[str] = mapped_column(String(36), nullable=False)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    organ_code: Mapped[str] = mapped_column(String(40), nullable=False)
    organ_name: Mapped[str] = mapped_column(String(200), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    document_number: Mapped[str] = mapped_column(String(60), nullable=False)
    addressee: Mapped[str] = mapped_column(String(200), nullable=False)  # the 行政机关 it goes to
    drafted_by: Mapped[str] = mapped_column(String(100), nullable=False)
    drafted_on: Mapped[date] = mapped_column(Date, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
