"""书面通知 to a person outside the organs: `public_notice.requested` → a kept notice and its deliveries.

Review (a 羁押必要性审查 outcome under 规则 582, a 失信 removal and its 诚信证明, ...) says what must be
told and to whom; the routing table (`services/notify/routing.toml`) says by which channels.  In the
consumer's transaction this module:

1. parses the event into `PublicNoticeRequested` (the document stays base64 until recorded);
2. stops if the notice is known: `notice_id` is the sender's, the same however often the request is
   delivered or re-sent (a redelivered event is also caught earlier by the consumer's processed-events
   table; a re-sent one, with a new event id, only here, and by `uq_deliveries_notice_channel`);
3. keeps the notice (`notices.PublicNotice`) with the PDF and its SHA-256, checked against the
   sender's: a document that does not match its hash is refused (`InvalidEvent`, dead-lettered), so
   the log never claims to have sent a document it does not hold;
4. records one pending delivery per routed channel the recipient has a contact for (email → the
   email ciphertext) — unless the contact opted out of that channel (`notices.ContactOptOut`) and the
   notice is not mandatory (audited `public_notice.opted_out`); a mandatory notice goes anyway, and
   its delivery says so (`opt_out_ignored`) —, with `mandatory`, the contact still encrypted, the masked address as
   `recipient`, the texts rendered from the templates (plain and HTML) and the document's hash.

The contact is decrypted here only to mask it for the log and match it against the opt-outs (the
mask and the keyed blind index are all that is kept);
the channel decrypts it again at send time.  A contact that does not decrypt still gets its delivery,
which then fails permanently at the first try, so the log says why the person was not told.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify import routing
from services.notify.deliveries.inputs import EventSource, _require_type
from services.notify.deliveries.models import Delivery
from services.notify.deliveries.notices import (
    EMAIL_PURPOSE,
    PHONE_PURPOSE,
    ContactOptOut,
    PublicNotice,
    contact_index,
)
from services.notify.deliveries.rendering import render_notice
from services.notify.deliveries.states import DeliveryStatus
from shared.actor import Actor
from shared.audit.service import record
from shared.db.base import utcnow
from shared.events import Envelope
from shared.events.envelope import InvalidEvent
from shared.keyring import KeyringError
from shared.pii import DecryptionFailed, decrypt, mask_phone

log = logging.getLogger(__name__)

EVENT_TYPE = "public_notice.requested"
# Which contact of the notice each public channel uses, and the purpose it was encrypted under.
CONTACT_OF_CHANNEL = {"email": ("email_enc", EMAIL_PURPOSE), "sms": ("phone_enc", PHONE_PURPOSE)}
UNREADABLE_CONTACT = "（联系方式无法解密）"


@dataclass(frozen=True)
class PublicNoticeRequested:
    """`public_notice.requested` v1 as a typed input; the document is decoded by `document_bytes`."""

    source: EventSource
    notice_id: str
    notice_kind: str
    subject_id: str
    case_number: str
    unit_code: str
    mandatory: bool
    recipient_name: str
    recipient_email_enc: str | None
    recipient_phone_enc: str | None
    title: str
    body: str
    document_name: str | None
    document_sha256: str | None
    document_b64: str | None

    @classmethod
    def from_envelope(cls, event: Envelope) -> "PublicNoticeRequested":
        _require_type(event, EVENT_TYPE)
        data = event.data
        try:
            return cls(
                source=EventSource.of(event), notice_id=str(data["notice_id"]), notice_kind=str(data["notice_kind"]),
                subject_id=str(data["subject_id"]), case_number=str(data["case_number"]),
                unit_code=str(data["unit_code"]), mandatory=bool(data["mandatory"]),
                recipient_name=str(data["recipient_name"]), recipient_email_enc=data.get("recipient_email_enc"),
                recipient_phone_enc=data.get("recipient_phone_enc"), title=str(data["title"]),
                body=str(data["body"]), document_name=data.get("document_name"),
                document_sha256=data.get("document_sha256"), document_b64=data.get("document_b64"),
            )
        except KeyError as exc:
            raise InvalidEvent(f"{event.type}: {exc.args[0]} is required") from exc

    def document_bytes(self) -> bytes | None:
        """The PDF, checked against its SHA-256. :raise InvalidEvent: not base64, or not the hashed bytes."""
        if not self.document_b64:
            return None
        try:
            raw = base64.b64decode(self.document_b64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidEvent(f"{EVENT_TYPE} {self.notice_id}: document_b64 is not base64") from exc
        digest = hashlib.sha256(raw).hexdigest()
        if not self.document_sha256 or digest != self.document_sha256.lower():
            raise InvalidEvent(f"{EVENT_TYPE} {self.notice_id}: the document's SHA-256 is {digest}, "
                               f"not the {self.document_sha256!r} the event states")
        return raw

    def template_context(self) -> dict[str, Any]:
        """What the templates see: the notice's words, never its contacts or document bytes."""
        return {
            "event_type": self.source.event_type, "notice_kind": self.notice_kind, "subject_id": self.subject_id,
            "case_number": self.case_number, "unit_code": self.unit_code, "mandatory": self.mandatory,
            "recipient_name": self.recipient_name, "title": self.title, "body": self.body,
            "document_name": self.document_name if self.document_b64 else None,
        }


def mask_email(address: str) -> str:
    """z***@example.com: the first character of the local part and the domain."""
    local, at, domain = address.strip().partition("@")
    if not at:
        return "*" * len(local)
    return f"{local[:1]}***@{domain}"


@dataclass(frozen=True)
class _Contact:
    masked: str  # what the log shows
    index: str | None  # the opt-out blind index; None when it does not decrypt


def _contact(channel: str, ciphertext: str, purpose: str) -> _Contact:
    """The masked form and opt-out index of a contact; its clear text lives only inside this call."""
    try:
        plain = decrypt(ciphertext, purpose=purpose)
    except (DecryptionFailed, KeyringError):  # altered, another purpose, or a key id we do not hold
        return _Contact(UNREADABLE_CONTACT, None)
    masked = mask_email(plain) if channel == "email" else (mask_phone(plain) or "")
    return _Contact(masked, contact_index(channel, plain))


def _opted_out(session: Session, channel: str, index: str | None) -> bool:
    if index is None:
        return False
    query = select(ContactOptOut.id).where(ContactOptOut.channel == channel, ContactOptOut.contact_index == index)
    return session.scalars(query).first() is not None


def opt_out(session: Session, *, channel: str, contact: str, source: str, actor: Actor) -> bool:
    """退订: `contact` is not told by `channel` any more, except by mandatory notices; False if it already was.

    Audited (`notify.opt_out`) without the contact: the subject is its blind index.
    """
    if channel not in CONTACT_OF_CHANNEL:
        raise ValueError(f"no opt-out on channel {channel!r}")
    index = contact_index(channel, contact)
    if _opted_out(session, channel, index):
        return False
    session.add(ContactOptOut(channel=channel, contact_index=index, source=source, created_by=actor.name))
    session.flush()
    record(session, action="notify.opt_out", subject_type="contact_opt_out", subject_id=index[:36],
           after={"channel": channel, "source": source}, **actor.fields())
    return True


def record_public_notice(session: Session, notice: PublicNoticeRequested) -> list[Delivery]:
    """Keep the notice and record its deliveries; nothing when `notice_id` is known (see the module docstring)."""
    if session.get(PublicNotice, notice.notice_id) is not None:
        log.info("public notice %s already recorded; event %s changes nothing", notice.notice_id,
                 notice.source.event_id)
        return []
    document = notice.document_bytes()
    kept = PublicNotice(
        notice_id=notice.notice_id, notice_kind=notice.notice_kind, subject_id=notice.subject_id,
        case_number=notice.case_number, unit_code=notice.unit_code, mandatory=notice.mandatory,
        recipient_name=notice.recipient_name, email_enc=notice.recipient_email_enc,
        phone_enc=notice.recipient_phone_enc, title=notice.title, body=notice.body,
        document_name=notice.document_name if document is not None else None,
        document_sha256=hashlib.sha256(document).hexdigest() if document is not None else None,
        document_size=len(document) if document is not None else None, document=document,
        source_event_id=notice.source.event_id,
    )
    session.add(kept)
    session.flush()
    record(
        session, action="public_notice.record", subject_type="public_notice", subject_id=notice.notice_id,
        after={"subject_id": notice.subject_id, "notice_kind": notice.notice_kind, "mandatory": notice.mandatory,
               "document_sha256": kept.document_sha256, "document_size": kept.document_size},
        detail={"source_event_id": notice.source.event_id}, **Actor.system(notice.source.trace_id).fields(),
    )
    route = routing.table().route(EVENT_TYPE)
    deliveries: list[Delivery] = []
    for channel in route.channels if route is not None else ():
        field, purpose = CONTACT_OF_CHANNEL.get(channel, (None, ""))
        ciphertext = getattr(kept, field) if field else None
        if not ciphertext:
            continue  # no contact for this channel: the notice goes by the others
        contact = _contact(channel, ciphertext, purpose)
        opted_out = _opted_out(session, channel, contact.index)
        if opted_out and not notice.mandatory:
            # The person asked not to be told this way, and the law does not require it: not sent.
            record(session, action="public_notice.opted_out", subject_type="public_notice",
                   subject_id=notice.notice_id, after={"channel": channel, "recipient": contact.masked},
                   **Actor.system(notice.source.trace_id).fields())
            continue
        rendered = render_notice(notice, channel)
        delivery = Delivery(
            subject=notice.subject_id, channel=channel, opt_out_ignored=opted_out,
            recipient=f"{notice.recipient_name} <{contact.masked}>"[:200],
            template=rendered.template, title=rendered.title, body=rendered.body, body_html=rendered.html,
            status=DeliveryStatus.PENDING.value, attempts=0, next_attempt_at=utcnow(),
            source_event_id=notice.source.event_id, source_event_type=notice.source.event_type,
            unit_code=notice.unit_code, trace_id=notice.source.trace_id, notice_id=notice.notice_id,
            mandatory=notice.mandatory, contact_enc=ciphertext, document_sha256=kept.document_sha256,
        )
        session.add(delivery)
        session.flush()
        record(
            session, action="delivery.record", subject_type="delivery", subject_id=delivery.id,
            after={"subject": delivery.subject, "channel": channel, "recipient": delivery.recipient,
                   "template": delivery.template, "status": delivery.status, "mandatory": delivery.mandatory,
                   "opt_out_ignored": delivery.opt_out_ignored,
                   "notice_id": notice.notice_id, "document_sha256": delivery.document_sha256},
            detail={"source_event_id": notice.source.event_id, "source_event_type": notice.source.event_type},
            **Actor.system(notice.source.trace_id).fields(),
        )
        deliveries.append(delivery)
    if not deliveries:
        log.warning("public notice %s has no contact on any of its channels; kept, nobody told", notice.notice_id)
    return deliveries
