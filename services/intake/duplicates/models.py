"""重复件 links: a later petition on the same matter, linked to the earliest case of its chain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid, utcnow

BASES = ("same_person", "same_enterprise")


class DuplicateLink(TimestampMixin, Base):
    """One later petition (重复件) handled as part of an earlier case instead of on a track of its own.

    `original_petition_id` is always the root of the chain (a petition that is not itself linked):
    a link never points at another linked petition.  A split keeps the row (split_at, split_by,
    split_reason) as the record; at most one link per petition is active (split_at IS NULL).
    """

    __tablename__ = "duplicate_links"
    __table_args__ = (
        # One active link per later petition; split links stay beside it as history.
        Index("uq_duplicate_links_active_petition", "petition_id", unique=True,
              postgresql_where=text("split_at IS NULL"), sqlite_where=text("split_at IS NULL")),
        {"info": {"service": "intake"}},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    petition_id: Mapped[str] = mapped_column(ForeignKey("petitions.id"), nullable=False)
    original_petition_id: Mapped[str] = mapped_column(ForeignKey("petitions.id"), nullable=False, index=True)
    basis: Mapped[str] = mapped_column(String(20), nullable=False)  # same_person | same_enterprise
    score: Mapped[float] = mapped_column(Float, nullable=False)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    split_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    split_by: Mapped[str | None] = mapped_column(String(100))
    split_reason: Mapped[str | None] = mapped_column(String(500))
    # The receiving unit of both petitions (links never cross units); reads are scoped by it.
    unit_code: Mapped[str | None] = mapped_column(String(40), index=True)

    @property
    def active(self) -> bool:
        return self.split_at is None
