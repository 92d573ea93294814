"""Tables of 涉企挂案 (RULES §4): the cases, their suspects, coercive measures and seized property.

* ``hanging_cases``: one 公安 case (立案) the procuratorate supervises; its natural key is the
  investigating organ and its 案号 (``uq_hanging_cases_organ_number``), which is what makes a
  re-import find the case it imported before.  ``row_version`` is SQLAlchemy's version counter:
  an edit made from a stale read fails instead of overwriting (clearance's outcomes write here too).
* ``hanging_case_suspects``: 犯罪嫌疑人 (ID number encrypted, blind-indexed, masked for display)
  and their role in the enterprise.
* ``hanging_case_measures``: 强制措施 with start, the term's end and the date lifted (解除).
* ``hanging_case_property``: 查封 / 扣押 / 冻结 property and the date returned.
* ``hanging_case_imports``: one row per imported file (its SHA-256: the same file twice is one import).

The thresholds that read these tables (2 years from 立案 with no measure, 12 months from lifting,
1 year from a 取保/监视居住 expiring) are clearance's (services/review/cases/clearance/).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid
from shared.pii.crypto import blind_index
from shared.pii.masking import mask_id_number
from shared.pii.types import EncryptedString

_REVIEW = {"info": {"service": "review"}}

# status
OPEN = "open"
CLEARED = "cleared"
STATUSES = (OPEN, CLEARED)
STATUS_TEXT = {OPEN: "未清理", CLEARED: "已清理"}

# outcome (recorded by clearance)
WITHDRAWN = "withdrawn"
PROSECUTION = "prosecution"
NON_PROSECUTION = "non_prosecution"
CONTINUED = "continued"
OUTCOMES = (WITHDRAWN, PROSECUTION, NON_PROSECUTION, CONTINUED)
OUTCOME_TEXT = {WITHDRAWN: "撤案", PROSECUTION: "移送起诉", NON_PROSECUTION: "不起诉", CONTINUED: "继续侦查"}

# source
IMPORT = "import"
MANUAL = "manual"
SOURCES = (IMPORT, MANUAL)

# 强制措施
DETENTION = "detention"
ARREST = "arrest"
BAIL = "bail"
RESIDENTIAL = "residential"
MEASURE_KINDS = (DETENTION, ARREST, BAIL, RESIDENTIAL)
MEASURE_TEXT = {DETENTION: "拘留", ARREST: "逮捕", BAIL: "取保候审", RESIDENTIAL: "监视居住"}

# 查扣冻
SEALED = "sealed"
SEIZED = "seized"
FROZEN = "frozen"
PROPERTY_KINDS = (SEALED, SEIZED, FROZEN)
PROPERTY_TEXT = {SEALED: "查封", SEIZED: "扣押", FROZEN: "冻结"}

# The suspect's role in the enterprise (as custody's).
SUSPECT_ROLES = ("legal_representative", "actual_controller", "executive", "key_technician", "other")
SUSPECT_ROLE_TEXT = {
    "legal_representative": "法定代表人", "actual_controller": "实际控制人", "executive": "高管",
    "key_technician": "技术骨干", "other": "其他",
}


class HangingCase(TimestampMixin, Base):
    """A 涉企刑事案件 after 立案 that the supervising procuratorate watches until it is cleared."""

    __tablename__ = "hanging_cases"
    __table_args__ = (
        UniqueConstraint("investigating_organ", "case_number", name="uq_hanging_cases_organ_number"),
        # The queue and the thresholds: a unit's open cases by age.
        Index("ix_hanging_cases_unit_status_filed", "unit_code", "status", "filed_on"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)  # the supervising procuratorate unit
    case_number: Mapped[str] = mapped_column(String(64), nullable=False)  # the police 案号 / 立案 number
    investigating_organ: Mapped[str] = mapped_column(String(100), nullable=False)
    investigating_organ_code: Mapped[str | None] = mapped_column(String(40))
    case_title: Mapped[str] = mapped_column(String(200), nullable=False)
    charge: Mapped[str] = mapped_column(String(100), nullable=False)  # 罪名
    filed_on: Mapped[date] = mapped_column(Date, nullable=False)  # 立案 date
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=OPEN)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    investigation_concluded_on: Mapped[date | None] = mapped_column(Date)  # 侦查终结
    continued_until: Mapped[date | None] = mapped_column(Date)  # 继续侦查's new deadline
    enterprise_name: Mapped[str] = mapped_column(String(200), nullable=False)
    enterprise_credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    source: Mapped[str] = mapped_column(String(10), nullable=False)
    import_batch_id: Mapped[str | None] = mapped_column(ForeignKey("hanging_case_imports.id"))
    # SHA-256 of the case's canonical import content: a re-imported unchanged row is a no-op.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    suspects: Mapped[list[HangingCaseSuspect]] = relationship(
        back_populates="case", order_by="HangingCaseSuspect.position", cascade="all, delete-orphan")
    measures: Mapped[list[HangingCaseMeasure]] = relationship(
        back_populates="case", order_by="HangingCaseMeasure.position", cascade="all, delete-orphan")
    property_items: Mapped[list[HangingCaseProperty]] = relationship(
        back_populates="case", order_by="HangingCaseProperty.position", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": row_version}


class HangingCaseSuspect(Base):
    """A 犯罪嫌疑人 of the case: ciphertext ID number, found only through its blind index."""

    __tablename__ = "hanging_case_suspects"
    __table_args__ = (_REVIEW,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_id: Mapped[str] = mapped_column(ForeignKey("hanging_cases.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    id_number: Mapped[str | None] = mapped_column(
        "id_number_enc", EncryptedString(120, purpose="hanging_suspect.id_number"))
    id_number_index: Mapped[str | None] = mapped_column(String(64), index=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(24))
    role: Mapped[str] = mapped_column(String(24), nullable=False)  # SUSPECT_ROLES

    case: Mapped[HangingCase] = relationship(back_populates="suspects")

    @validates("id_number")
    def _keep_index(self, key: str, value: str | None) -> str | None:
        # The blind index and the masked form follow the number, so they never disagree.
        self.id_number_index = blind_index(value, kind="id_number") if value else None
        self.id_number_masked = mask_id_number(value) if value else None
        return value


class HangingCaseMeasure(Base):
    """A 强制措施: started, the term's end (取保 ≤ 12 months, 监视居住 ≤ 6, 刑诉法 art. 79), lifted."""

    __tablename__ = "hanging_case_measures"
    __table_args__ = (_REVIEW,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_id: Mapped[str] = mapped_column(ForeignKey("hanging_cases.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)  # MEASURE_KINDS
    suspect_name: Mapped[str | None] = mapped_column(String(100))  # whom it binds, when given
    started_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(Date)
    lifted_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[HangingCase] = relationship(back_populates="measures")


class HangingCaseProperty(Base):
    """查封 / 扣押 / 冻结 property, and when it was returned (返还)."""

    __tablename__ = "hanging_case_property"
    __table_args__ = (_REVIEW,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_id: Mapped[str] = mapped_column(ForeignKey("hanging_cases.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # PROPERTY_KINDS
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))  # 元
    seized_on: Mapped[date | None] = mapped_column(Date)
    returned_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[HangingCase] = relationship(back_populates="property_items")


class HangingCaseImport(Base):
    """One imported file: the same bytes (SHA-256) imported again for the same unit are this batch."""

    __tablename__ = "hanging_case_imports"
    __table_args__ = (
        UniqueConstraint("unit_code", "file_sha256", name="uq_hanging_case_imports_unit_sha"),
        Index("ix_hanging_case_imports_unit_at", "unit_code", "imported_at"),
        _REVIEW,
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    file_format: Mapped[str] = mapped_column(String(8), nullable=False)  # csv | xlsx
    file_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    row_count: Mapped[int] = mapped_column(Integer, nullable=False)
    created_count: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_count: Mapped[int] = mapped_column(Integer, nullable=False)
    unchanged_count: Mapped[int] = mapped_column(Integer, nullable=False)
    imported_by: Mapped[str] = mapped_column(String(100), nullable=False)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
