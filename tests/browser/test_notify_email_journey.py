"""书面通知 in Chromium: review asks notify to tell an applicant by email (a `public_notice.requested` in
review's outbox, as custody's 582 notice will be sent), and the sending unit's prosecutor finds the
email delivery in the delivery log: 电子邮件, the recipient masked, its status, the document's hash.

The stack's email channel is not enabled (HUHANG_NOTIFY_CHANNELS is the default), so the delivery
stays 待发送: what is checked here is the log as a person reads it; the sending is
tests/integration/test_notify_email.py's.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from shared import keyring
from shared.config import KafkaSettings
from shared.outbox import enqueue
from tests.browser.conftest import Checked, Portal, nav_link, sign_in
from tests.support.public_notices import notice_pdf, public_notice_event
from tests.support.stack import wait_for

pytestmark = pytest.mark.browser


def _review_prefix(portal: Portal) -> str:
    with sqlite3.connect(portal.var / "review.db") as db:
        row = db.execute("SELECT topic FROM outbox WHERE topic LIKE '%.review.events' LIMIT 1").fetchone()
    assert row is not None, "review has published nothing yet"
    return str(row[0]).removesuffix(".review.events")


def _use_the_stacks_pii_key(portal: Portal, monkeypatch: pytest.MonkeyPatch) -> None:
    """Encrypt the contact as review would in that stack: with the key `make up` generated for it."""
    key_file = portal.var / "keys" / "pii.key"
    if key_file.exists():
        monkeypatch.setenv("HUHANG_PII_KEY", key_file.read_text(encoding="ascii").strip())
        keyring.reset()


def test_the_prosecutor_finds_the_email_notice_in_the_delivery_log(
    make_page: Any, portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_the_stacks_pii_key(portal, monkeypatch)
    document = notice_pdf()
    event = public_notice_event(document=document, subject_id="cr-browser-1",
                                case_number="宛检捕审〔2026〕9号")
    engine = create_engine(f"sqlite:///{portal.var / 'review.db'}")
    with Session(engine) as session, session.begin():
        enqueue(session, event, kafka=KafkaSettings(topic_prefix=_review_prefix(portal)))
    engine.dispose()

    def recorded() -> bool:
        with sqlite3.connect(portal.var / "notify.db") as db:
            return db.execute("SELECT count(*) FROM deliveries WHERE subject = 'cr-browser-1'").fetchone()[0] == 1

    wait_for(recorded, timeout=60, interval=0.5, what="notify recording the email delivery")

    prosecutor: Checked = make_page()
    sign_in(prosecutor, "demo-prosecutor")
    nav_link(prosecutor, "送达记录").click()
    prosecutor.page.wait_for_url(re.compile(r"/deliveries$"))
    prosecutor.page.select_option("select[name=channel]", "email")
    with prosecutor.page.expect_navigation():
        prosecutor.page.get_by_role("button", name=re.compile("筛选|查询")).click()
    row = prosecutor.page.locator("table tbody tr", has_text="宛检捕审〔2026〕9号")
    text = row.inner_text()
    assert "电子邮件" in text and "张* <z***@example.com>" in text and "待发送" in text
    assert hashlib.sha256(document).hexdigest()[:16] in text
    assert "zhang.san@example.com" not in prosecutor.page.content()
    prosecutor.check("notify-email-delivery-list")

    with prosecutor.page.expect_navigation():
        row.get_by_role("link").first.click()
    facts = prosecutor.page.locator("dl.facts").inner_text()
    assert "依法告知" in facts and hashlib.sha256(document).hexdigest() in facts
    prosecutor.check("notify-email-delivery-detail")
