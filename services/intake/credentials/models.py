"""Issued public credentials: one row per code ever issued, the active one per subject unrevoked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, UTCDateTime, new_uuid, utcnow


class PublicCredential(Base):
    """A code that opens one subject's public view: its argon2id hash, never the code.

    kind: ``petition`` (a petition's 查询码), ``court_party`` (an enterprise party of a flagged
    court case), ``enterprise`` (an enterprise's access code to all its matters).
    lookup_key: what the person types beside the code (the case number, the 案号, the credit code).
    """

    __tablename__ = "public_credentials"
    __table_args__ = (
        # At most one active code per subject: re-issuing revokes the old one in the same transaction.
        Index("uq_public_credentials_active", "kind", "subject_id", unique=True,
              postgresql_where=text("revoked_at IS NULL"), sqlite_where=text("revoked_at IS NULL")),
        Index("ix_public_credentials_lookup", "kind", "lookup_key"),
        {"info": {"service": "intake"}},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    subject_id: Mapped[str] = mapped_column(String(64), nullable=False)
    lookup_key: Mapped[str] = mapped_column(String(64), nullable=False)
    code_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(100), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[str | None] = mapped_column(String(100))
