"""Petition rows (their case numbers come from services/intake/numbering)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid
from shared.pii.crypto import blind_index
from shared.pii.types import EncryptedString

_INTAKE = {"info": {"service": "intake"}}


class Petition(TimestampMixin, Base):
    """A registered petition: who asked, through which line and channel, for what."""

    __tablename__ = "petitions"
    __table_args__ = (_INTAKE,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_number: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    line: Mapped[str] = mapped_column(String(5), nullable=False)  # 12309 检察 / 12368 法院
    channel: Mapped[str] = mapped_column(String(1), nullable=False)  # 信 访 网 电
    petition_type: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="registered")
    petitioner_name: Mapped[str] = mapped_column(String(100), nullable=False)
    # 个人信息: encrypted at rest (AES-GCM, shared/pii), found through a keyed blind index; the
    # attribute holds the plaintext in Python, the column only ciphertext.
    petitioner_id_number: Mapped[str | None] = mapped_column(
        "petitioner_id_number_enc", EncryptedString(120, purpose="petition.id_number")
    )
    petitioner_id_number_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    petitioner_phone: Mapped[str | None] = mapped_column("petitioner_phone_enc", EncryptedString(120, purpose="petition.phone"))
    petitioner_phone_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    # 重复件: the original case's id while this petition is linked to it (services/intake/duplicates
    # keeps it; its DuplicateLink table is the record).
    possible_duplicate_of: Mapped[str | None] = mapped_column(String(36))
    petitioner_address: Mapped[str | None] = mapped_column(String(300))
    # Who speaks: the person themself (natural), for an enterprise (enterprise_representative), or
    # for someone else (agent); and how they stand to the enterprise (法定代表人, 员工, …).
    petitioner_kind: Mapped[str] = mapped_column(String(30), nullable=False, default="natural")
    petitioner_relation: Mapped[str | None] = mapped_column(String(20))
    is_enterprise: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    enterprise_size: Mapped[str | None] = mapped_column(String(2))  # 大 中 小 微 (统计上大中小微型企业划分办法)
    enterprise_industry: Mapped[str | None] = mapped_column(String(1))  # GB/T 4754-2017 门类 A–T
    enterprise_ownership: Mapped[str | None] = mapped_column(String(4))  # 民营 国有 外资 混合
    # 事由: the matter in a line, as a register or a queue lists it (petitions before 0006 have none).
    subject: Mapped[str | None] = mapped_column(String(100))
    claim: Mapped[str] = mapped_column(Text, nullable=False)  # 诉求
    facts: Mapped[str | None] = mapped_column(Text)  # 事实
    reasons: Mapped[str | None] = mapped_column(Text)  # 理由
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    # The Beijing calendar date of receipt: every deadline counts from this day.
    received_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    # 来信: the postmark, when legible (the 15日 of 信访工作条例 art. 23 count from receipt, but a
    # postmark shows how long the letter travelled).  来访: how many came.
    postmarked_on: Mapped[date | None] = mapped_column(Date)
    visitor_count: Mapped[int | None] = mapped_column(Integer)
    # The case the matter concerns, as typed and as parsed: a court 案号 or a procuratorate 文书号.
    related_case_number: Mapped[str | None] = mapped_column(String(80), index=True)
    related_case_kind: Mapped[str | None] = mapped_column(String(20))  # court / procuratorate
    related_case_year: Mapped[int | None] = mapped_column(Integer)
    related_case_organ: Mapped[str | None] = mapped_column(String(40))  # 豫13, 宛检 …
    related_case_type: Mapped[str | None] = mapped_column(String(20))  # 民初, 刑诉 …
    registered_by: Mapped[str] = mapped_column(String(100), nullable=False, default="system")
    # The receiving unit (受理单位): the registering clerk's unit; every read is scoped by it.
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)

    representatives: Mapped[list[VisitRepresentative]] = relationship(
        back_populates="petition", order_by="VisitRepresentative.position", cascade="all, delete-orphan")

    @validates("petitioner_id_number", "petitioner_phone")
    def _keep_index(self, key: str, value: str | None) -> str | None:
        # The blind index follows the number wherever it is set, so they can never disagree.
        kind = "id_number" if key == "petitioner_id_number" else "phone"
        setattr(self, f"{key}_bidx", blind_index(value, kind=kind) if value else None)
        return value


class VisitRepresentative(Base):
    """One of the at most 5 representatives a group visit elects (信访工作条例 art. 18: 推选代表，代表人数不超过5人)."""

    __tablename__ = "petition_representatives"
    __table_args__ = (_INTAKE,)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)  # 1..5, the order given
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    id_number: Mapped[str | None] = mapped_column(
        "id_number_enc", EncryptedString(120, purpose="petition.id_number"))
    id_number_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    phone: Mapped[str | None] = mapped_column("phone_enc", EncryptedString(120, purpose="petition.phone"))

    petition: Mapped[Petition] = relationship(back_populates="representatives")

    @validates("id_number")
    def _keep_index(self, key: str, value: str | None) -> str | None:
        self.id_number_bidx = blind_index(value, kind="id_number") if value else None
        return value


class PetitionUnitGrant(Base):
    """A unit other than the 受理单位 that may read one petition: the 承办单位 review 交办'd it to.

    Written from review's ``triage.routed`` (services/intake/petitions/grants.py); kept after a 退回,
    so the unit that handled the matter can still read what it answered.  No foreign key: the
    row comes from an event and must not fail on a petition this database lost.
    """

    __tablename__ = "petition_unit_grants"
    __table_args__ = (UniqueConstraint("petition_id", "unit_code", name="uq_petition_unit_grants_petition_unit"),
                      _INTAKE)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), nullable=False)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(String(30), nullable=False)  # the route: assigned / transferred_in_tree
    source_event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
