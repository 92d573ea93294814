"""Tables of 挂案清理: flags (a case past a threshold), actions (催办函 …) and campaigns (专项清理).

* ``hanging_clearance_flags``: one row per case and threshold rule (``uq_..._case_rule``: a case is
  flagged once per rule whatever the number of scans or schedulers).  ``started_on`` is the day the
  rule's period counts from (立案, the last 解除, the 取保 term's end), ``rule_id`` / ``amount`` /
  ``unit`` the rule row it was flagged under (as a 期限 copies its rule).  ``resolved_on``: the case
  was cleared.  ``announced_at``: its event, audit row and notice were written (the scan inserts
  flags set-based; the announcing step then writes one event per new flag in bounded batches).
* ``hanging_clearance_actions``: 催办函, 要求说明理由, 通知撤销案件, 挂牌督办; each a document with
  its 发文字号 (numbered per organ, kind and year), and for the two that wait for the police a reply
  clock in the deadline engine (``deadline_id``, ``due_on`` its copy) and the reply when it came.
* ``hanging_clearance_outcomes``: every outcome recorded (撤案, 移送起诉, 不起诉, 继续侦查 with its
  new deadline); the case row carries the latest one (hanging's columns).
* ``hanging_clearance_campaigns`` / ``_campaign_units``: a named 专项清理 with its period and units.
* ``hanging_clearance_scans``: one row per Beijing day scanned (its unique key makes the scan daily).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid, utcnow

_REVIEW = {"info": {"service": "review"}}

# The threshold rules (codes of services/review/deadlines/rules.toml).
NO_MEASURE = "hanging_case.no_measure"
AFTER_LIFTING = "hanging_case.after_lifting"
AFTER_BAIL_EXPIRY = "hanging_case.after_bail_expiry"
URGE = "hanging_case.urge"
CONTINUED = "hanging_case.continued_overdue"
THRESHOLD_RULES = (NO_MEASURE, AFTER_LIFTING, AFTER_BAIL_EXPIRY, URGE, CONTINUED)
RULE_TEXT = {
    NO_MEASURE: "未采取强制措施满2年",
    AFTER_LIFTING: "解除强制措施满12个月",
    AFTER_BAIL_EXPIRY: "取保候审/监视居住期满满1年",
    URGE: "立案满3个月未侦查终结",
    CONTINUED: "继续侦查期限届满",
}
#: The rules under which the police 应当撤销案件 (a 通知撤销案件书 applies).
MUST_WITHDRAW = (NO_MEASURE, AFTER_LIFTING, AFTER_BAIL_EXPIRY)

# Actions.
URGE_LETTER = "urge"  # 催办函 (规则 第五百六十四条)
EXPLAIN = "explain"  # 要求说明理由
WITHDRAW_NOTICE = "withdraw_notice"  # 通知撤销案件
LISTED = "listed"  # 挂牌督办
ACTION_KINDS = (URGE_LETTER, EXPLAIN, WITHDRAW_NOTICE, LISTED)
ACTION_TEXT = {URGE_LETTER: "催办函", EXPLAIN: "要求说明理由", WITHDRAW_NOTICE: "通知撤销案件", LISTED: "挂牌督办"}
DOCUMENT_TITLE = {URGE_LETTER: "催办函", EXPLAIN: "要求说明理由通知书", WITHDRAW_NOTICE: "通知撤销案件书",
                  LISTED: "挂牌督办通知书"}
#: 发文字号 代字 after the organ mark (a platform default: units have no registered 代字).
DOCUMENT_MARK = {URGE_LETTER: "侦监催", EXPLAIN: "侦监说", WITHDRAW_NOTICE: "侦监撤", LISTED: "侦监督"}
#: Actions the police answer on a clock, and its rule.
REPLY_RULE = {EXPLAIN: "hanging_case.explain_reply", WITHDRAW_NOTICE: "hanging_case.withdraw_reply"}

# Campaign ledger states (per case) in the burn-down.
FOUND = "found"
IN_PROGRESS = "in_progress"
CLEARED = "cleared"


class ClearanceFlag(Base):
    """A case past a threshold rule: flagged once per rule, resolved when the case is cleared."""

    __tablename__ = "hanging_clearance_flags"
    __table_args__ = (
        UniqueConstraint("case_id", "rule_code", name="uq_hanging_clearance_flags_case_rule"),
        # The queue's "flagged rule" filter in its order (oldest period start first), per unit.
        Index("ix_hanging_clearance_flags_unit_rule", "unit_code", "rule_code", "started_on", "case_id"),
        Index("ix_hanging_clearance_flags_unannounced", "announced_at", "id"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_id: Mapped[str] = mapped_column(ForeignKey("hanging_cases.id", ondelete="CASCADE"), nullable=False)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)  # the case's, copied for scoping
    rule_code: Mapped[str] = mapped_column(String(60), nullable=False)
    rule_id: Mapped[int] = mapped_column(Integer, nullable=False)  # the deadline_rules row
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    started_on: Mapped[date] = mapped_column(Date, nullable=False)
    flagged_on: Mapped[date] = mapped_column(Date, nullable=False)  # the scan's Beijing day
    resolved_on: Mapped[date | None] = mapped_column(Date)
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class ClearanceAction(TimestampMixin, Base):
    """One 监督 action on a case, its document number and (for two kinds) the police's reply clock."""

    __tablename__ = "hanging_clearance_actions"
    __table_args__ = (
        UniqueConstraint("organ_code", "kind", "year", "serial", name="uq_hanging_clearance_actions_number"),
        Index("ix_hanging_clearance_actions_case", "case_id", "sent_on"),
        Index("ix_hanging_clearance_actions_waiting", "kind", "replied_on", "due_on"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_id: Mapped[str] = mapped_column(ForeignKey("hanging_cases.id", ondelete="CASCADE"), nullable=False)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)  # the acting unit (the case's)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # ACTION_KINDS
    flag_id: Mapped[str | None] = mapped_column(String(36))  # the flag it answers, if one
    rule_code: Mapped[str | None] = mapped_column(String(60))  # that flag's rule (what the document cites)
    text: Mapped[str] = mapped_column(Text, nullable=False)  # the prosecutor's own words in the document
    sent_on: Mapped[date] = mapped_column(Date, nullable=False)
    organ_code: Mapped[str] = mapped_column(String(40), nullable=False)
    organ_name: Mapped[str] = mapped_column(String(100), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    document_number: Mapped[str] = mapped_column(String(60), nullable=False)
    deadline_id: Mapped[str | None] = mapped_column(String(36))
    due_on: Mapped[date | None] = mapped_column(Date)
    replied_on: Mapped[date | None] = mapped_column(Date)
    reply_text: Mapped[str | None] = mapped_column(Text)
    overdue_announced_on: Mapped[date | None] = mapped_column(Date)  # the "reply overdue" notice went out
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)


class ClearanceOutcome(Base):
    """An outcome recorded for a case (the case row keeps the latest)."""

    __tablename__ = "hanging_clearance_outcomes"
    __table_args__ = (Index("ix_hanging_clearance_outcomes_case", "case_id", "recorded_at"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_id: Mapped[str] = mapped_column(ForeignKey("hanging_cases.id", ondelete="CASCADE"), nullable=False)
    outcome: Mapped[str] = mapped_column(String(20), nullable=False)
    outcome_on: Mapped[date] = mapped_column(Date, nullable=False)
    continued_until: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class ClearanceCampaign(TimestampMixin, Base):
    """专项清理: a named campaign over some units for a period."""

    __tablename__ = "hanging_clearance_campaigns"
    __table_args__ = (_REVIEW,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    owner_unit_code: Mapped[str] = mapped_column(String(40), nullable=False)  # who set it up
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)


class ClearanceCampaignUnit(Base):
    __tablename__ = "hanging_clearance_campaign_units"
    __table_args__ = (_REVIEW,)

    campaign_id: Mapped[str] = mapped_column(ForeignKey("hanging_clearance_campaigns.id", ondelete="CASCADE"),
                                             primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(40), primary_key=True)


class ClearanceScan(Base):
    """One daily scan: its Beijing day (unique), when it ran and what it found."""

    __tablename__ = "hanging_clearance_scans"
    __table_args__ = (UniqueConstraint("scan_on", name="uq_hanging_clearance_scans_day"), _REVIEW)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    scan_on: Mapped[date] = mapped_column(Date, nullable=False)
    cutoff_on: Mapped[date] = mapped_column(Date, nullable=False)  # periods ending before this day are past (= scan_on)
    flagged: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    resolved: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
