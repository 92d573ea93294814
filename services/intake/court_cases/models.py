"""Flagged court cases (涉企标记), their parties, the 立案绿色通道 decision and 诉讼费 relief applications."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid
from shared.pii.crypto import blind_index
from shared.pii.types import EncryptedString

_INTAKE = {"info": {"service": "intake"}}

FLAGGED, FILED = "flagged", "filed"
NATURAL, ENTERPRISE = "natural", "enterprise"


class CourtCase(TimestampMixin, Base):
    """A court case a judge or court clerk flagged as 涉企 (RULES §2: CaseTag 涉企/绿色通道)."""

    __tablename__ = "court_cases"
    __table_args__ = (_INTAKE,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    # Normalised （2022）豫13民初1234号: one flag per case, and the 查询码's lookup key.
    case_number: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    court_code: Mapped[str] = mapped_column(String(16), nullable=False)  # 法院代字 from the 案号: 豫13
    type_code: Mapped[str] = mapped_column(String(16), nullable=False)  # 类型代字: 民初, 执, 行初
    case_type: Mapped[str] = mapped_column(String(4), nullable=False)  # 民事 商事 行政 执行 刑事
    reason: Mapped[str] = mapped_column(Text, nullable=False)  # why it is 涉企
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=FLAGGED)
    # The flagging court's unit (a NY-FY unit: the court or one of its departments); reads are
    # scoped by it, as petitions are by their receiving unit.
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    flagged_by: Mapped[str] = mapped_column(String(100), nullable=False)
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    flagged_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)  # Beijing date: the clock starts here
    # 立案: recorded once; closes the green channel's clock.
    filed_on: Mapped[date | None] = mapped_column(Date)
    filed_by: Mapped[str | None] = mapped_column(String(100))

    parties: Mapped[list[CourtCaseParty]] = relationship(
        back_populates="court_case", order_by="CourtCaseParty.position", cascade="all, delete-orphan")
    green_channel: Mapped[GreenChannelDecision | None] = relationship(
        back_populates="court_case", uselist=False, cascade="all, delete-orphan")
    fee_relief_applications: Mapped[list[FeeReliefApplication]] = relationship(
        back_populates="court_case", order_by="FeeReliefApplication.applied_on", cascade="all, delete-orphan")


class CourtCaseParty(Base):
    """A 当事人: a natural person (ID number encrypted, blind-indexed) or an enterprise (credit code)."""

    __tablename__ = "court_case_parties"
    __table_args__ = (_INTAKE,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    court_case_id: Mapped[str] = mapped_column(ForeignKey("court_cases.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)  # order as given
    role: Mapped[str] = mapped_column(String(16), nullable=False)  # 原告 被告 第三人 申请执行人 被执行人 …
    kind: Mapped[str] = mapped_column(String(12), nullable=False)  # natural | enterprise
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)  # 统一社会信用代码
    # 个人信息: ciphertext in the column, plaintext in Python; found only through the blind index.
    id_number: Mapped[str | None] = mapped_column("id_number_enc", EncryptedString(120, purpose="court_party.id_number"))
    id_number_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    enterprise_size: Mapped[str | None] = mapped_column(String(4))  # 大型 中型 小型 微型
    ownership: Mapped[str | None] = mapped_column(String(12))  # 国有 民营 外资 …

    court_case: Mapped[CourtCase] = relationship(back_populates="parties")

    @validates("id_number")
    def _keep_index(self, key: str, value: str | None) -> str | None:
        # The blind index follows the number wherever it is set, so they can never disagree.
        self.id_number_bidx = blind_index(value, kind="id_number") if value else None
        return value


class GreenChannelDecision(Base):
    """立案绿色通道 (快立): granted or refused once; granted, it sets a date by which 立案 is due."""

    __tablename__ = "court_green_channel_decisions"
    __table_args__ = (_INTAKE,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    court_case_id: Mapped[str] = mapped_column(ForeignKey("court_cases.id"), nullable=False, unique=True)
    granted: Mapped[bool] = mapped_column(Boolean, nullable=False)
    reasons: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(100), nullable=False)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    decided_on: Mapped[date] = mapped_column(Date, nullable=False)
    # The time limit in force when decided (a setting: local practice, RULES §2), and its end.
    limit_amount: Mapped[int | None] = mapped_column(Integer)
    limit_unit: Mapped[str | None] = mapped_column(String(12))
    due_on: Mapped[date | None] = mapped_column(Date)
    due_provisional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    met: Mapped[bool | None] = mapped_column(Boolean)  # set when 立案 is recorded

    court_case: Mapped[CourtCase] = relationship(back_populates="green_channel")


class FeeReliefApplication(Base):
    """A 司法救助 application for 缓交/减交/免交 of 诉讼费用 (诉讼费用交纳办法 arts. 44–51), and its decision."""

    __tablename__ = "court_fee_relief_applications"
    __table_args__ = (_INTAKE,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    court_case_id: Mapped[str] = mapped_column(ForeignKey("court_cases.id"), nullable=False, index=True)
    party_id: Mapped[str] = mapped_column(ForeignKey("court_case_parties.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(4), nullable=False)  # 缓交 减交 免交
    situation_code: Mapped[str] = mapped_column(String(8), nullable=False)  # basis.SITUATIONS: "47.4"
    proof: Mapped[str] = mapped_column(Text, nullable=False)  # the 证明材料 handed in (art. 48)
    stage: Mapped[str] = mapped_column(String(4), nullable=False)  # 起诉 上诉
    applied_on: Mapped[date] = mapped_column(Date, nullable=False)
    requested_percent: Mapped[int | None] = mapped_column(Integer)  # 减交 only
    recorded_by: Mapped[str] = mapped_column(String(100), nullable=False)
    # The decision: once (granted or refused).
    granted: Mapped[bool | None] = mapped_column(Boolean)
    granted_percent: Mapped[int | None] = mapped_column(Integer)  # 减交: at least 30 (art. 46)
    reasons: Mapped[str | None] = mapped_column(Text)  # required for a refusal (art. 48 ¶3)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_on: Mapped[date | None] = mapped_column(Date)

    court_case: Mapped[CourtCase] = relationship(back_populates="fee_relief_applications")
    party: Mapped[CourtCaseParty] = relationship()

    @property
    def decided(self) -> bool:
        return self.granted is not None
