"""Read marks: one row per person and staff-inbox notice they have marked read.

No row means unread.  The mark belongs to one person: a group notice read by one triage officer
is still unread for the others.  Keyed by username, the name the audit log and the token carry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.notify.deliveries.models import Delivery  # noqa: F401 - the table the key refers to
from shared.db.base import Base, UTCDateTime, utcnow


class InboxRead(Base):
    """`username` has read delivery `delivery_id` (a staff-inbox notice) at `read_at`."""

    __tablename__ = "inbox_reads"
    __table_args__ = ({"info": {"service": "notify"}},)

    # The person first: "this person's read marks" is the lookup every inbox query makes.
    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    delivery_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("deliveries.id", ondelete="CASCADE"), primary_key=True
    )
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
