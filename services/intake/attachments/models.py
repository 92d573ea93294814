"""Attachment rows: what is known of a file of a petition; the bytes live in the blob store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, UTCDateTime, new_uuid, utcnow


class Attachment(Base):
    """One file of one petition (信访材料): its type as detected from the bytes, size, SHA-256, key."""

    __tablename__ = "attachments"
    __table_args__ = (
        # The same bytes twice on one petition are one attachment (service.upload answers the first).
        UniqueConstraint("petition_id", "sha256", name="uq_attachments_petition_id_sha256"),
        {"info": {"service": "intake"}},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(String(36), ForeignKey("petitions.id"), nullable=False, index=True)
    # Copied from the petition: every read is scoped by it without a join.
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)
    # The client's file name, cleaned (names.py): for display and the download's name only.
    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # sniff.TYPES: pdf ofd jpeg png docx
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    uploaded_by: Mapped[str] = mapped_column(String(100), nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
