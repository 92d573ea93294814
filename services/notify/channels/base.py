"""The contract every channel implements, the message it is given, and what it may raise.

A channel is the edge between a delivery row and the outside world (an SMS gateway, an SMTP
server, a webhook, or — for the staff inbox — nothing at all).  The contract:

* `send(message)` **blocks** until the channel has accepted or refused the message; the
  dispatcher calls it outside any database transaction, so a slow gateway holds no lock.  Set
  timeouts on network calls: a send that outlives the dispatcher's lease (`lease_s`) may be
  attempted again by another dispatcher.
* It must be **idempotent per delivery**: the same `message.idempotency_key` (stable across every
  attempt of one delivery) may arrive more than once — after a crash between the send and the
  recording of its outcome, or after a lease ran out — and must not reach the recipient twice.
  Pass the key to the provider where it supports one (an `Idempotency-Key` header, an SMS
  gateway's client message id), or deduplicate on it.
* Its outcome is either a returned `SendResult` (accepted) or one of three exceptions:
  `TransientSendError` — try again later (a timeout, a 5xx); counts as a failed attempt, retried
  with exponential backoff until the attempts run out;
  `Throttled(retry_after_s)` — the provider asks us to slow down: the delivery is retried after
  that delay and the whole channel pauses as long; it does *not* count as a failed attempt;
  `PermanentSendError` — retrying cannot help (an invalid number, a 4xx that is not 429): the
  delivery fails at once.
  Any other exception is treated as transient (a bug in the channel should not lose notices, but
  the attempt counts, so it ends in `failed` rather than looping).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    """A document sent with a notice (a 书面通知's PDF), with the SHA-256 the delivery log shows."""

    filename: str
    content: bytes
    sha256: str
    mime_type: str = "application/pdf"


@dataclass(frozen=True)
class OutgoingMessage:
    """One notice to one recipient on one channel, as stored in its delivery row."""

    delivery_id: str
    channel: str
    recipient: str  # staff inbox: the address; public channels: the masked contact, for logs only
    title: str
    body: str
    template: str  # the event type the texts were rendered for
    # Stable across every attempt of one delivery: what the provider deduplicates on.
    idempotency_key: str
    # Public channels: the contact, still encrypted (shared.pii), which only the channel decrypts.
    contact_enc: str | None = None
    html: str | None = None  # an email's HTML part
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class SendResult:
    """The channel accepted the message."""

    # The provider's id of the message (an SMS gateway's message id), when it gives one.
    provider_id: str | None = None
    detail: str | None = None


class SendError(Exception):
    """A channel refused or could not take a message; see the subclasses."""


class TransientSendError(SendError):
    """Try again later: counts as a failed attempt."""


class Throttled(TransientSendError):
    """The provider asks us to slow down: retry after `retry_after_s`, pausing the channel."""

    def __init__(self, retry_after_s: float, message: str = "throttled") -> None:
        super().__init__(message)
        if retry_after_s < 0:
            raise ValueError("retry_after_s must not be negative")
        self.retry_after_s = retry_after_s


class PermanentSendError(SendError):
    """Retrying cannot help: the delivery fails now."""


class Channel(abc.ABC):
    """A way out for notices; see the module docstring for the contract."""

    #: The value of `deliveries.channel` this channel sends (`staff_inbox`, `sms`, ...).
    name: str

    @abc.abstractmethod
    def send(self, message: OutgoingMessage) -> SendResult:
        """Hand one message to the channel; blocks; idempotent per `message.idempotency_key`.

        :raise TransientSendError: retry later (counts as an attempt).
        :raise Throttled: retry after `retry_after_s`; the channel pauses (not counted).
        :raise PermanentSendError: give up on this delivery.
        """
