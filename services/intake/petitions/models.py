"""Petition rows (their case numbers come from services/intake/numbering)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

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
    # An earlier petition by the same ID number within the duplicate window (a hint, not a merge).
    possible_duplicate_of: Mapped[str | None] = mapped_column(String(36))
    petitioner_address: Mapped[str | None] = mapped_column(String(300))
    is_enterprise: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    claim: Mapped[str] = mapped_column(Text, nullable=False)  # 诉求
    facts: Mapped[str | None] = mapped_column(Text)  # 事实
    reasons: Mapped[str | None] = mapped_column(Text)  # 理由
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    # The Beijing calendar date of receipt: every deadline counts from this day.
    received_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    registered_by: Mapped[str] = mapped_column(String(100), nullable=False, default="system")
    # The receiving unit (受理单位): the registering clerk's unit; every read is scoped by it.
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)

    @validates("petitioner_id_number", "petitioner_phone")
    def _keep_index(self, key: str, value: str | None) -> str | None:
        # The blind index follows the number wherever it is set, so they can never disagree.
        kind = "id_number" if key == "petitioner_id_number" else "phone"
        setattr(self, f"{key}_bidx", blind_index(value, kind=kind) if value else None)
        return value
