"""书面通知: `public_notice.requested` through notify's real consumer and dispatcher to a real SMTP server.

One notice is one email however often it is requested; the PDF is kept with its hash and is the
attachment's bytes; the contact is encrypted at rest and masked wherever it is shown; the server's
answers move the delivery through the dispatcher's retries; the sending unit reads the log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from services.notify.channels.email import SmtpEmail
from services.notify.config import NotifySettings
from services.notify.deliveries.attempts import DeliveryAttempt
from services.notify.deliveries.dispatcher import Dispatcher
from services.notify.deliveries.models import Delivery
from services.notify.deliveries.notices import EMAIL_PURPOSE, ContactOptOut, PublicNotice
from services.notify.deliveries.public import PublicNoticeRequested, mask_email, opt_out, record_public_notice
from services.notify.deliveries.states import RetryPolicy
from services.notify.domains import MANIFEST as NOTIFY
from shared.actor import Actor
from shared.audit.models import AuditEntry
from shared.events import encode
from shared.events.envelope import InvalidEvent
from shared.kafka.consumer import EventConsumer
from shared.pii import decrypt
from tests.support.court_intake import deliver, offline_consumer
from tests.support.pages import soup
from tests.support.public_notices import notice_pdf, public_notice_event
from tests.support.smtp import SmtpServer, smtp_server
from tests.unit.services.notify.conftest import Browser
from tests.unit.services.notify.fakes import FakeClock

EMAIL = "zhang.san@example.com"


@pytest.fixture
def consumer(notify_db: sessionmaker[Session]) -> Iterator[EventConsumer]:
    c = offline_consumer("notify", NOTIFY.handlers(), notify_db)
    yield c
    assert c.stats.dead_lettered == 0


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    with smtp_server() as s:
        yield s


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def dispatcher(notify_db: sessionmaker[Session], server: SmtpServer, clock: FakeClock) -> Dispatcher:
    email = SmtpEmail(NotifySettings(smtp_host=server.host, smtp_port=server.port, smtp_security="none",
                                     smtp_timeout_s=5.0, email_from="notice@jcy.nanyang.example"))
    return Dispatcher(notify_db, {"email": email}, clock=clock,
                      policy=RetryPolicy(max_attempts=3, base_delay_s=10, max_delay_s=60))


def _deliveries(notify_db: sessionmaker[Session]) -> list[Delivery]:
    with notify_db() as s:
        return list(s.scalars(select(Delivery).order_by(Delivery.created_at)))


def test_requested_twice_is_one_email_with_the_document(
    consumer: EventConsumer, dispatcher: Dispatcher, server: SmtpServer, notify_db: sessionmaker[Session]
) -> None:
    document = notice_pdf()
    event = public_notice_event(document=document)
    resent = public_notice_event(notice_id=event.data["notice_id"], document=document)  # a new event id
    assert resent.id != event.id
    deliver(consumer, [encode(event), encode(event), encode(resent)])
    assert consumer.stats.duplicates == 1  # the same event id: the processed-events table
    assert consumer.stats.handled == 2  # the re-sent request: handled, and changes nothing
    rows = _deliveries(notify_db)
    assert [(d.channel, d.status, d.notice_id, d.mandatory) for d in rows] == [
        ("email", "pending", event.data["notice_id"], True)]
    assert dispatcher.run_once() == 1 and dispatcher.run_once() == 0
    assert len(server.messages) == 1
    mail = server.messages[0].message
    assert server.messages[0].rcpt_tos == [EMAIL]
    assert mail["Subject"] == "【依法告知】羁押必要性审查结果通知书（宛检捕审〔2026〕3号）"
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None and "本院经审查，决定向侦查机关提出释放" in plain.get_content()
    assert plain.get_content().startswith("张*：")
    assert html is not None and "<p>特此通知。</p>" in html.get_content()
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "羁押必要性审查结果通知书.pdf"
    assert attachment.get_content() == document
    [row] = _deliveries(notify_db)
    assert (row.status, row.attempts) == ("sent", 1)
    assert row.document_sha256 == hashlib.sha256(document).hexdigest()
    with notify_db() as s:
        kept = s.get(PublicNotice, event.data["notice_id"])
        assert kept is not None and kept.document == document and kept.document_sha256 == row.document_sha256


def test_the_contact_is_encrypted_at_rest_and_masked_in_the_log(
    consumer: EventConsumer, notify_db: sessionmaker[Session]
) -> None:
    deliver(consumer, [encode(public_notice_event(phone="13812345678"))])
    rows = {d.channel: d for d in _deliveries(notify_db)}
    assert rows["sms"].recipient == "张* <138****5678>"
    assert rows["sms"].body == "【依法告知】案号宛检捕审〔2026〕3号的书面通知已出具，文书已发至您的电子邮箱，可凭案号向承办单位查询。"
    assert rows["sms"].document_sha256 == rows["email"].document_sha256  # the same notice
    row = rows["email"]
    assert row.recipient == "张* <z***@example.com>"
    # Kept as the sender encrypted it: only the channel decrypts it, at send time.
    assert row.contact_enc is not None and decrypt(row.contact_enc, purpose=EMAIL_PURPOSE) == EMAIL
    # Nowhere in notify's tables is the address or the number in clear (the audit log included).
    with notify_db() as s:
        engine = s.get_bind()
        for table in inspect(engine).get_table_names():
            for values in s.execute(text(f'SELECT * FROM "{table}"')).tuples():
                joined = " ".join(str(v) for v in values if isinstance(v, str))
                assert EMAIL not in joined and "13812345678" not in joined, table


def test_mask_email() -> None:
    assert mask_email("zhang.san@example.com") == "z***@example.com"
    assert mask_email("a@b.cn") == "a***@b.cn"
    assert mask_email("nonsense") == "********"


def test_a_document_that_does_not_match_its_hash_is_refused_and_nothing_kept(notify_db: sessionmaker[Session]) -> None:
    event = public_notice_event(document_sha256="0" * 64)
    with notify_db() as s, s.begin():
        with pytest.raises(InvalidEvent, match="SHA-256"):
            record_public_notice(s, PublicNoticeRequested.from_envelope(event))
        s.rollback()
    with notify_db() as s:
        assert s.scalar(select(func.count()).select_from(PublicNotice)) == 0
        assert s.scalar(select(func.count()).select_from(Delivery)) == 0


def test_each_channel_needs_its_contact_and_without_any_the_notice_is_only_kept(
    consumer: EventConsumer, notify_db: sessionmaker[Session]
) -> None:
    event = public_notice_event(email=None, phone="13812345678", mandatory=False, subject_id="cr-sms")
    deliver(consumer, [encode(event), encode(public_notice_event(email=None, subject_id="cr-none"))])
    assert [(d.subject, d.channel, d.recipient, d.mandatory) for d in _deliveries(notify_db)] == [
        ("cr-sms", "sms", "张* <138****5678>", False)]
    with notify_db() as s:
        kept = s.get(PublicNotice, event.data["notice_id"])
        assert kept is not None and kept.mandatory is False and kept.phone_enc and "138" not in kept.phone_enc


def test_a_4xx_is_retried_with_backoff_and_a_5xx_fails_it(
    consumer: EventConsumer, dispatcher: Dispatcher, server: SmtpServer, clock: FakeClock,
    notify_db: sessionmaker[Session],
) -> None:
    first, second = public_notice_event(subject_id="cr-1"), public_notice_event(subject_id="cr-2")
    deliver(consumer, [encode(first)])
    server.script.append("451 4.3.0 mailbox busy, try later")
    assert dispatcher.run_once() == 1
    [row] = _deliveries(notify_db)
    assert (row.status, row.attempts) == ("pending", 1) and "451" in (row.last_error or "")
    assert row.next_attempt_at is not None and row.next_attempt_at > clock.now
    assert dispatcher.run_once() == 0  # not due yet: the backoff
    clock.advance(60)
    assert dispatcher.run_once() == 1
    [row] = _deliveries(notify_db)
    assert (row.status, row.attempts) == ("sent", 2) and len(server.messages) == 1

    deliver(consumer, [encode(second)])
    server.script.append("550 5.1.1 <zhang.san@example.com>: no such user")
    assert dispatcher.run_once() == 1
    failed = next(d for d in _deliveries(notify_db) if d.subject == "cr-2")
    assert (failed.status, failed.attempts) == ("failed", 1) and "550" in (failed.last_error or "")
    with notify_db() as s:
        outcomes = list(s.scalars(select(DeliveryAttempt.outcome).where(DeliveryAttempt.delivery_id == failed.id)))
    assert outcomes == ["failed"]
    assert len(server.messages) == 1


def test_the_sending_unit_reads_the_delivery_in_the_log_and_the_panel(
    consumer: EventConsumer, dispatcher: Dispatcher, browser: Callable[..., Browser],
) -> None:
    document = notice_pdf()
    deliver(consumer, [encode(public_notice_event(document=document))])
    dispatcher.run_once()
    digest = hashlib.sha256(document).hexdigest()

    own = browser("prosecutor", "NY-JCY-XS").get("/api/v1/deliveries?subject=cr-1")
    assert own.status_code == 200
    [item] = own.json
    assert {k: item[k] for k in ("channel", "recipient", "status", "attempts", "mandatory", "document_sha256")} == {
        "channel": "email", "recipient": "张* <z***@example.com>", "status": "sent", "attempts": 1,
        "mandatory": True, "document_sha256": digest,
    }
    assert "contact_enc" not in item and EMAIL not in own.get_data(as_text=True)
    # The 市院 above reads it; another unit does not.
    assert len(browser("unit_leader", "NY-JCY").get("/api/v1/deliveries?subject=cr-1").json) == 1
    assert browser("prosecutor", "NY-JCY-WC").get("/api/v1/deliveries?subject=cr-1").json == []

    panel = browser("prosecutor", "NY-JCY-XS").get("/deliveries/panel?subject=cr-1")
    assert panel.status_code == 200
    words = soup(panel).get_text(" ", strip=True)
    assert "电子邮件" in words and "张* <z***@example.com>" in words and "已发送" in words
    assert digest in words and "依法告知" in words and EMAIL not in panel.get_data(as_text=True)

    listing = soup(browser("prosecutor", "NY-JCY-XS").get("/deliveries?channel=email"))
    assert "电子邮件" in listing.get_text() and digest[:16] in listing.get_text()


def test_an_opt_out_stops_a_non_mandatory_notice_and_a_mandatory_one_ignores_it_and_says_so(
    consumer: EventConsumer, notify_db: sessionmaker[Session], browser: Callable[..., Browser],
) -> None:
    staff = Actor("demo-triage", "NY-JCY-KS")
    with notify_db() as s, s.begin():
        assert opt_out(s, channel="email", contact="Zhang.San@Example.com ", source="staff", actor=staff) is True
        assert opt_out(s, channel="email", contact=EMAIL, source="staff", actor=staff) is False  # already
    deliver(consumer, [encode(public_notice_event(mandatory=False, subject_id="cr-optional")),
                       encode(public_notice_event(mandatory=True, subject_id="cr-mandatory"))])
    rows = {d.subject: d for d in _deliveries(notify_db)}
    assert set(rows) == {"cr-mandatory"}
    assert rows["cr-mandatory"].opt_out_ignored is True and rows["cr-mandatory"].mandatory is True
    with notify_db() as s:
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        kept = s.scalars(select(ContactOptOut)).all()
    assert "notify.opt_out" in actions and "public_notice.opted_out" in actions
    assert [k.created_by for k in kept] == ["demo-triage"] and EMAIL not in kept[0].contact_index
    api = browser("prosecutor", "NY-JCY-XS").get("/api/v1/deliveries?subject=cr-mandatory").json
    assert api[0]["opt_out_ignored"] is True
    detail = soup(browser("prosecutor", "NY-JCY-XS").get(f"/deliveries/{rows['cr-mandatory'].id}"))
    assert "对方已退订该渠道，因依法告知仍予发送" in detail.get_text()
