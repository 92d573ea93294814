"""The email channel against a real SMTP server (aiosmtpd), the message parsed back with `email`.

Plain SMTP, STARTTLS with a self-signed certificate made in the test (trusted through
HUHANG_NOTIFY_SMTP_CA_FILE, refused without it), implicit TLS, a login, and the server's answers
(5xx → permanent, 4xx → transient).
"""

from __future__ import annotations

import email
import hashlib
import io
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.policy import compat32
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter

from services.notify.channels.base import Attachment, OutgoingMessage, PermanentSendError, TransientSendError
from services.notify.channels.email import SmtpEmail, message_id
from services.notify.config import NotifySettings
from services.notify.deliveries.notices import EMAIL_PURPOSE
from shared.pii import encrypt
from tests.support.smtp import SmtpServer, free_port, smtp_server

TITLE = "【依法告知】羁押必要性审查结果通知书（宛检捕通〔2026〕3号）"
BODY = "张**：\n\n经审查，本院决定……\n\n案号：宛检捕通〔2026〕3号"
HTML = "<!DOCTYPE html><html><body><p>张**：</p><p>经审查，本院决定……</p></body></html>"
TO = "zhang.san@example.com"


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "羁押必要性审查结果通知书"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def outgoing(**overrides: Any) -> OutgoingMessage:
    document = overrides.pop("document", pdf_bytes())
    values: dict[str, Any] = {
        "delivery_id": "d-1", "channel": "email", "recipient": "张** <z***@example.com>", "title": TITLE,
        "body": BODY, "template": "public_notice.requested", "idempotency_key": "d-1",
        "contact_enc": encrypt(TO, purpose=EMAIL_PURPOSE), "html": HTML,
        "attachments": (Attachment("羁押必要性审查结果通知书.pdf", document, hashlib.sha256(document).hexdigest()),),
    }
    values.update(overrides)
    return OutgoingMessage(**values)


def channel(server: SmtpServer | None, **settings: Any) -> SmtpEmail:
    values: dict[str, Any] = {
        "smtp_host": server.host if server else "127.0.0.1", "smtp_port": server.port if server else free_port(),
        "smtp_security": "none", "smtp_timeout_s": 5.0, "email_from": "notice@jcy.nanyang.example",
        "email_from_name": "南阳市人民检察院",
    }
    values.update(settings)
    return SmtpEmail(NotifySettings(**values))


def _only(server: SmtpServer) -> EmailMessage:
    assert len(server.messages) == 1
    return server.messages[0].message


def test_the_message_parses_back_with_every_part(tmp_path: Path) -> None:
    document = pdf_bytes()
    with smtp_server() as server:
        result = channel(server).send(outgoing(document=document))
        received = server.messages
    assert len(received) == 1
    envelope, mail = received[0], received[0].message
    assert envelope.mail_from == "notice@jcy.nanyang.example" and envelope.rcpt_tos == [TO]
    # The Subject is RFC 2047 on the wire (pure ASCII, UTF-8 encoded words) and decodes back exactly.
    envelope.raw.decode("ascii")  # the whole message is 7-bit: bodies base64, headers encoded words
    raw_subject = email.message_from_bytes(envelope.raw, policy=compat32)["Subject"]
    assert raw_subject.lower().startswith("=?utf-8?") and "羁押" not in raw_subject
    assert str(make_header(decode_header(raw_subject))) == TITLE
    assert mail["Subject"] == TITLE
    assert str(mail["To"]) == TO
    assert mail["From"].addresses[0].display_name == "南阳市人民检察院"
    assert mail["From"].addresses[0].addr_spec == "notice@jcy.nanyang.example"
    assert mail["Message-ID"] == message_id("d-1", "notice@jcy.nanyang.example") == result.provider_id
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_content_type() == "multipart/mixed"
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None and html is not None
    # Text lines travel CRLF-terminated (RFC 5322); the words are the delivery's, byte for byte.
    assert plain.get_content().replace("\r\n", "\n").rstrip("\n") == BODY
    assert html.get_content().replace("\r\n", "\n").rstrip("\n") == HTML
    assert plain["Content-Transfer-Encoding"] == "base64"
    attachments = list(mail.iter_attachments())
    assert len(attachments) == 1
    assert attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_filename() == "羁押必要性审查结果通知书.pdf"
    assert attachments[0].get_content() == document
    assert hashlib.sha256(attachments[0].get_content()).hexdigest() == hashlib.sha256(document).hexdigest()


def test_starttls_with_a_self_signed_certificate_the_settings_trust(tmp_path: Path) -> None:
    with smtp_server(tmp_path, security="starttls", login=("notify", "s3cret")) as server:
        assert server.cert_file is not None
        email = channel(server, smtp_security="starttls", smtp_ca_file=str(server.cert_file),
                        smtp_username="notify", smtp_password="s3cret")
        email.send(outgoing())
        assert _only(server)["Subject"] == TITLE


def test_starttls_refuses_a_certificate_it_does_not_trust(tmp_path: Path) -> None:
    with smtp_server(tmp_path, security="starttls") as server:
        with pytest.raises(TransientSendError, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
            channel(server, smtp_security="starttls").send(outgoing())
        assert server.messages == []


def test_a_wrong_password_is_retried_not_failed(tmp_path: Path) -> None:
    with smtp_server(tmp_path, security="starttls", login=("notify", "s3cret")) as server:
        email = channel(server, smtp_security="starttls", smtp_ca_file=str(server.cert_file),
                        smtp_username="notify", smtp_password="wrong")
        with pytest.raises(TransientSendError, match="authentication"):
            email.send(outgoing())
        assert server.messages == []


def test_starttls_is_required_when_configured() -> None:
    with smtp_server() as server:  # a plain server that offers no STARTTLS
        with pytest.raises(TransientSendError, match="STARTTLS"):
            channel(server, smtp_security="starttls").send(outgoing())
        assert server.messages == []


def test_implicit_tls(tmp_path: Path) -> None:
    with smtp_server(tmp_path, security="tls") as server:
        channel(server, smtp_security="tls", smtp_ca_file=str(server.cert_file)).send(outgoing())
        assert _only(server)["Subject"] == TITLE


def test_a_5xx_is_permanent_and_a_4xx_transient() -> None:
    with smtp_server() as server:
        server.script.extend(["550 5.1.1 no such user", "451 4.3.0 try again later"])
        with pytest.raises(PermanentSendError, match="550"):
            channel(server).send(outgoing())
        with pytest.raises(TransientSendError, match="451") as transient:
            channel(server).send(outgoing())
        assert not isinstance(transient.value, PermanentSendError)
        channel(server).send(outgoing())  # the script is spent: accepted
        assert len(server.messages) == 1


def test_no_server_is_transient() -> None:
    with pytest.raises(TransientSendError):
        channel(None).send(outgoing())


def test_a_contact_that_does_not_decrypt_is_permanent() -> None:
    with smtp_server() as server:
        with pytest.raises(PermanentSendError, match="decrypt"):
            # Encrypted for another purpose (column): GCM's associated data does not match.
            channel(server).send(outgoing(contact_enc=encrypt(TO, purpose="petition.phone")))
        with pytest.raises(PermanentSendError, match="no email address"):
            channel(server).send(outgoing(contact_enc=None))
        assert server.messages == []


def test_settings_refuse_an_unknown_security_mode_and_a_login_without_password() -> None:
    with pytest.raises(ValueError, match="SECURITY"):
        NotifySettings(smtp_security="ssl3")
    with pytest.raises(ValueError, match="PASSWORD"):
        NotifySettings(smtp_username="notify", smtp_password="")
    assert NotifySettings(smtp_security="tls").smtp_port_or_default == 465
    assert NotifySettings(smtp_security="starttls").smtp_port_or_default == 587
    assert "s3cret" not in repr(NotifySettings(smtp_username="u", smtp_password="s3cret"))
