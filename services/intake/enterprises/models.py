"""One row per in-person check of an enterprise (and the access code it issued)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, UTCDateTime, new_uuid, utcnow
from shared.pii.types import EncryptedString


class EnterpriseVerification(Base):
    """Staff checked this enterprise's 营业执照 and its 法定代表人 in person, and issued an access code."""

    __tablename__ = "enterprise_verifications"
    __table_args__ = ({"info": {"service": "intake"}},)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    credit_code: Mapped[str] = mapped_column(String(18), nullable=False, index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200), nullable=False)
    # The licence as the clerk read it off the original: its number and date of issue, as typed.
    licence_number: Mapped[str] = mapped_column(String(40), nullable=False)
    licence_issued_on: Mapped[date] = mapped_column(Date, nullable=False)
    representative_name: Mapped[str] = mapped_column(String(100), nullable=False)
    # 个人信息: encrypted at rest like a petitioner's number (shared/pii); shown masked only.
    representative_id_number: Mapped[str] = mapped_column(
        "representative_id_number_enc", EncryptedString(120, purpose="enterprise.representative_id_number"),
        nullable=False)
    checks: Mapped[list[Any]] = mapped_column(JSON, nullable=False)  # the checklist items ticked
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    verified_by: Mapped[str] = mapped_column(String(100), nullable=False)
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    credential_id: Mapped[str | None] = mapped_column(String(36))  # the access code it issued
