"""书面通知 public notices: what review asked notify to tell a person outside the organs, kept as proof.

One row per `notice_id` of `public_notice.requested` (the key that makes a redelivered or re-sent
request one notice): the text, the recipient as review named them (masked), the contacts exactly as
they arrived — encrypted with `shared.pii.encrypt` under the purposes below, never decrypted here
but by the channel at send time — and the document (PDF) with its SHA-256, so the delivery log can
show what was sent.  Its deliveries (one per channel) point back to it (`deliveries.notice_id`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid, utcnow
from shared.events.review import EMAIL_PURPOSE, PHONE_PURPOSE
from shared.pii import blind_index

# EMAIL_PURPOSE, PHONE_PURPOSE: the GCM associated data the sender sealed each contact under
# (shared.pii.encrypt(..., purpose=)); the event contract names them.
__all__ = ["EMAIL_PURPOSE", "PHONE_PURPOSE", "ContactOptOut", "PublicNotice"]


class PublicNotice(TimestampMixin, Base):
    """One 书面通知; `notice_id` is the sender's id, the same on every redelivery."""

    __tablename__ = "public_notices"
    __table_args__ = ({"info": {"service": "notify"}},)

    notice_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    notice_kind: Mapped[str] = mapped_column(String(80), nullable=False)
    subject_id: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    case_number: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    mandatory: Mapped[bool] = mapped_column(Boolean, nullable=False)
    recipient_name: Mapped[str] = mapped_column(String(200), nullable=False)  # masked by the sender
    # Ciphertexts as the event carried them (key id prefix, AES-GCM): decrypted only by a channel.
    email_enc: Mapped[str | None] = mapped_column(Text)
    phone_enc: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    document_name: Mapped[str | None] = mapped_column(String(200))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    document_size: Mapped[int | None] = mapped_column(Integer)
    # The PDF itself (at most ~450 KB: the event caps its base64 at 600 KB).
    document: Mapped[bytes | None] = mapped_column(LargeBinary)
    source_event_id: Mapped[str] = mapped_column(String(36), nullable=False)


class ContactOptOut(Base):
    """退订: a contact asked not to be told by one channel (a non-mandatory notice is then not sent).

    The contact is known by its keyed blind index only (`shared.pii.blind_index`, kind
    `notify.<channel>`), so the table lists nobody's address; a notice's contact is matched against it
    when the notice is recorded.  A mandatory notice ignores the opt-out, and its delivery says so
    (`deliveries.opt_out_ignored`).
    """

    __tablename__ = "contact_opt_outs"
    __table_args__ = (
        UniqueConstraint("channel", "contact_index", name="uq_contact_opt_outs_channel_contact"),
        {"info": {"service": "notify"}},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    contact_index: Mapped[str] = mapped_column(String(64), nullable=False)
    # How it was asked for: by staff on the person's behalf, or (later) the public query.
    source: Mapped[str] = mapped_column(String(40), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)


def contact_index(channel: str, contact: str) -> str:
    """The blind index a contact is opted out under (e-mail addresses compared case-insensitively)."""
    return blind_index(contact.strip().lower(), kind=f"notify.{channel}")
