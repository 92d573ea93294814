"""书面通知 end to end: review's `public_notice.requested` on the real broker → notify's workers process
(consumer + dispatcher, PostgreSQL) → a real SMTP server (aiosmtpd, STARTTLS with a self-signed
certificate, a login) → the delivery log as the sending unit's prosecutor reads it through notify's API.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from services.notify.deliveries.models import Delivery
from services.notify.deliveries.notices import PublicNotice
from shared.config import KafkaSettings
from shared.db.engine import make_engine, make_session_factory
from shared.events import encode
from shared.inbox import ProcessedEvent
from tests.support.auth import AuthKeys
from tests.support.kafka import create_topics, produce_raw
from tests.support.public_notices import notice_pdf, public_notice_event
from tests.support.smtp import smtp_server
from tests.support.stack import Stack, wait_for
from tests.unit.services.notify.test_public_notices_migration import check_public_notices_round_trip
from tests.support.infra import Databases

pytestmark = pytest.mark.integration


def test_a_notice_published_twice_is_one_email_and_the_sender_sees_it_in_the_log(
    stack: Stack, kafka_settings: KafkaSettings, test_keys: AuthKeys, tmp_path: Path,
) -> None:
    document = notice_pdf()
    event = public_notice_event(document=document, subject_id="cr-int-1")
    resent = public_notice_event(notice_id=event.data["notice_id"], document=document, subject_id="cr-int-1")
    topic = kafka_settings.events_topic("review")
    create_topics(kafka_settings, topic)

    with smtp_server(tmp_path, security="starttls", login=("notify", "s3cret")) as server:
        assert server.cert_file is not None
        stack.start_workers(
            "notify", HUHANG_NOTIFY_CHANNELS="staff_inbox,email", HUHANG_NOTIFY_SMTP_HOST=server.host,
            HUHANG_NOTIFY_SMTP_PORT=str(server.port), HUHANG_NOTIFY_SMTP_SECURITY="starttls",
            HUHANG_NOTIFY_SMTP_CA_FILE=str(server.cert_file), HUHANG_NOTIFY_SMTP_USERNAME="notify",
            HUHANG_NOTIFY_SMTP_PASSWORD="s3cret", HUHANG_NOTIFY_EMAIL_FROM="notice@jcy.nanyang.example",
            HUHANG_NOTIFY_POLL_INTERVAL="0.05",
        )
        # The same event twice (a redelivery), then the same notice under a new event id (a re-send).
        produce_raw(kafka_settings, topic, [encode(event), encode(event), encode(resent)], key=b"cr-int-1")
        sessions = make_session_factory(make_engine(stack.database_urls["notify"]))

        def settled() -> bool:
            with sessions() as s:
                processed = s.scalar(select(func.count()).select_from(ProcessedEvent))
                sent = s.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "sent"))
            return processed == 2 and sent == 1 and len(server.messages) == 1

        wait_for(settled, timeout=60, what="the notice handled and its email sent")
        time.sleep(1.0)  # long enough for a second send to show, had there been one
        assert len(server.messages) == 1
        mail = server.messages[0].message
        assert server.messages[0].rcpt_tos == ["zhang.san@example.com"]
        assert mail["Subject"] == "【依法告知】羁押必要性审查结果通知书（宛检捕审〔2026〕3号）"
        [attachment] = list(mail.iter_attachments())
        assert attachment.get_content() == document

    with sessions() as s:
        [row] = s.scalars(select(Delivery)).all()
        assert s.scalar(select(func.count()).select_from(PublicNotice)) == 1
    digest = hashlib.sha256(document).hexdigest()
    assert (row.channel, row.status, row.attempts, row.mandatory, row.document_sha256) == (
        "email", "sent", 1, True, digest)

    # As the sending unit's prosecutor sees it, through notify's own API process.
    api = stack.start_api("notify", workers=1)
    answer = requests.get(f"{api}/api/v1/deliveries", params={"subject": "cr-int-1"}, timeout=10,
                          headers=test_keys.headers("prosecutor", "NY-JCY-XS"))
    assert answer.status_code == 200
    [item] = answer.json()
    assert (item["channel"], item["recipient"], item["status"], item["attempts"], item["document_sha256"]) == (
        "email", "张* <z***@example.com>", "sent", 1, digest)
    assert "zhang.san@example.com" not in answer.text
    other = requests.get(f"{api}/api/v1/deliveries", params={"subject": "cr-int-1"}, timeout=10,
                         headers=test_keys.headers("prosecutor", "NY-JCY-WC"))
    assert other.status_code == 200 and other.json() == []
    panel = requests.get(f"{api}/deliveries/panel", params={"subject": "cr-int-1"}, timeout=10,
                         headers=test_keys.headers("prosecutor", "NY-JCY-XS"))
    assert panel.status_code == 200
    words = BeautifulSoup(panel.text, "html.parser").get_text(" ", strip=True)
    assert "电子邮件" in words and "已发送" in words and digest in words


def test_the_public_notices_migration_on_postgresql(databases: Databases) -> None:
    import uuid

    from sqlalchemy import text

    name = f"m_notify_{uuid.uuid4().hex[:8]}"
    with databases.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    databases.created.append(name)
    check_public_notices_round_trip(databases.infra.database_url(name))
