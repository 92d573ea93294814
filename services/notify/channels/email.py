"""电子邮件 the email channel: one message per delivery over SMTP (RFC 5321), STARTTLS or implicit TLS.

The message (RFC 5322, built with the `email` package's SMTP policy): `From` the configured sender,
`To` the contact — decrypted here, at send time, from the ciphertext the delivery keeps (the only
place notify holds it in clear, for the length of one send) —, the Chinese `Subject` encoded as
RFC 2047 UTF-8 words, a `Message-ID` made from the delivery id (the same on every attempt, so a
receiving system that keeps Message-IDs can drop a repeat: SMTP itself has no idempotency key), a
multipart/alternative of the plain text and the HTML part, and the document (PDF) attached under its
name (RFC 2231 for a Chinese file name).

What the server's answers mean for the delivery (channels/base.py):

- a 5xx to the sender, the recipient or the data (`550 no such user`, `552 too big`): retrying cannot
  help → `PermanentSendError`, the delivery fails at once;
- a 4xx (`421`, `451 try later`), a refused or dropped connection, a timeout, a TLS failure →
  `TransientSendError`, retried with the dispatcher's backoff;
- authentication refused: the deployment's credentials are wrong, not the message → transient (the
  delivery waits through the backoff for the settings to be fixed rather than failing every notice);
- a contact that does not decrypt (another key, altered) → permanent: no retry can read it.

STARTTLS is required when configured: a server that does not offer it is not sent to in clear.  The
server's certificate is verified (the system's CAs, or `HUHANG_NOTIFY_SMTP_CA_FILE`) and its name
checked, for both modes.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr

from services.notify.channels.base import (
    Channel,
    OutgoingMessage,
    PermanentSendError,
    SendResult,
    TransientSendError,
)
from services.notify.config import NotifySettings
from services.notify.deliveries.notices import EMAIL_PURPOSE
from shared.db.base import utcnow
from shared.keyring import KeyringError
from shared.pii import DecryptionFailed, decrypt

EMAIL = "email"


def message_id(delivery_id: str, sender: str) -> str:
    """The Message-ID of a delivery: stable across attempts, in the sender's domain."""
    return f"<{delivery_id}.notice@{sender.rpartition('@')[2]}>"


def build_message(message: OutgoingMessage, *, to: str, sender: str, sender_name: str) -> EmailMessage:
    """The RFC 5322 message of one delivery (plain text, HTML alternative, attachments)."""
    mail = EmailMessage(policy=SMTP_POLICY)
    mail["From"] = formataddr((sender_name, sender)) if sender_name else sender
    mail["To"] = Address(addr_spec=to)
    mail["Subject"] = message.title  # the policy folds and RFC 2047-encodes the Chinese
    mail["Date"] = format_datetime(utcnow())
    mail["Message-ID"] = message_id(message.idempotency_key, sender)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    # base64 bodies: the message is 7-bit clean, so it passes any relay (no 8BITMIME needed).
    mail.set_content(message.body, subtype="plain", charset="utf-8", cte="base64")
    if message.html:
        mail.add_alternative(message.html, subtype="html", charset="utf-8", cte="base64")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        mail.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return mail


class SmtpEmail(Channel):
    """Sends each message over one SMTP session (a notice is rare enough that pooling buys nothing)."""

    name = EMAIL

    def __init__(self, settings: NotifySettings) -> None:
        self.settings = settings
        self.host = settings.smtp_host
        self.port = settings.smtp_port_or_default
        self.security = settings.smtp_security

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.settings.smtp_ca_file or None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    def _connect(self) -> smtplib.SMTP:
        timeout = self.settings.smtp_timeout_s
        if self.security == "tls":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=timeout, context=self._tls_context())
        smtp = smtplib.SMTP(self.host, self.port, timeout=timeout)
        if self.security == "starttls":
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                smtp.close()
                raise TransientSendError(f"{self.host}:{self.port} does not offer STARTTLS; not sending in clear")
            smtp.starttls(context=self._tls_context())
            smtp.ehlo()
        return smtp

    def send(self, message: OutgoingMessage) -> SendResult:
        if not message.contact_enc:
            raise PermanentSendError("the delivery has no email address")
        try:
            to = decrypt(message.contact_enc, purpose=EMAIL_PURPOSE)
        except (DecryptionFailed, KeyringError) as exc:
            raise PermanentSendError(f"the email address does not decrypt: {exc}") from None
        mail = build_message(message, to=to, sender=self.settings.email_from,
                             sender_name=self.settings.email_from_name)
        try:
            smtp = self._connect()
            try:
                if self.settings.smtp_username:
                    smtp.login(self.settings.smtp_username, self.settings.smtp_password)
                refused = smtp.send_message(mail, from_addr=self.settings.email_from, to_addrs=[to])
            finally:
                try:
                    smtp.quit()
                except (smtplib.SMTPException, OSError):
                    smtp.close()
        except smtplib.SMTPAuthenticationError as exc:
            raise TransientSendError(f"SMTP authentication refused ({exc.smtp_code}): check the credentials") from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            raise _by_code(min(codes) if codes else 550, "recipient refused") from None
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused, 421, ...
            raise _by_code(exc.smtp_code, _text(exc.smtp_error)) from None
        except (smtplib.SMTPException, ssl.SSLError, socket.timeout, OSError) as exc:
            raise TransientSendError(f"SMTP {self.host}:{self.port}: {exc!r}") from None
        if refused:  # one recipient only: refused means the send_message above raised; kept for clarity
            raise PermanentSendError("recipient refused")
        return SendResult(provider_id=mail["Message-ID"], detail=f"accepted by {self.host}:{self.port}")


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _by_code(code: int, text: str) -> PermanentSendError | TransientSendError:
    """5xx: permanent (RFC 5321 §4.2.1); anything else (4xx, odd codes): try again."""
    if 500 <= code < 600:
        return PermanentSendError(f"SMTP {code}: {text}")
    return TransientSendError(f"SMTP {code}: {text}")
