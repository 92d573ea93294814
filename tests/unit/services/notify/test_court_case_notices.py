"""Notify turns intake's court-case steps into staff-inbox notices for the court unit's judges and clerks.

The events are intake's own (its service at chosen dates, its outbox rows); notify's real consumer
handles them with its inbox, its dispatcher sends them, and the inbox service reads them as each
person would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.notify.channels.staff_inbox import StaffInbox
from services.notify.deliveries.dispatcher import Dispatcher
from services.notify.deliveries.models import Delivery
from services.notify.deliveries.rendering import sample_payloads
from services.notify.domains import MANIFEST as NOTIFY
from services.notify.inbox import service as inbox
from services.intake.court_cases.schemas import COURT_CASE_EXAMPLE
from shared.actor import Actor
from shared.events import encode, new_event
from shared.kafka.consumer import EventConsumer
from tests.support.auth import AuthKeys
from tests.support.court_intake import Intake, deliver, offline_consumer
from tests.support.pages import soup

PERSON_ID = COURT_CASE_EXAMPLE["parties"][0]["id_number"]
CREDIT_CODE = COURT_CASE_EXAMPLE["parties"][1]["credit_code"]
ENTERPRISE = COURT_CASE_EXAMPLE["parties"][1]["name"]


@pytest.fixture
def court_intake(engine_for, test_keys: AuthKeys) -> Intake:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("intake")
    return Intake(sessions, Actor.of(test_keys.principal("judge")))  # 南阳中院 NY-FY


@pytest.fixture
def consumer(notify_db: sessionmaker[Session]) -> Iterator[EventConsumer]:
    """Notify's consumer with every handler of its manifest."""
    c = offline_consumer("notify", NOTIFY.handlers(), notify_db)
    yield c
    assert c.stats.dead_lettered == 0


def _every_step(court_intake: Intake) -> str:
    """Flag on the eve of 国庆 2026, grant the green channel, a 缓交 applied for and granted, 立案."""
    case_id = court_intake.flag(date(2026, 9, 30))
    court_intake.decide(case_id, date(2026, 9, 30))
    court_intake.apply_and_decide_deferral(case_id, date(2026, 9, 30), date(2026, 10, 8))
    court_intake.file(case_id, date(2026, 10, 9))
    return case_id


def _deliveries(sessions: sessionmaker[Session], case_id: str) -> list[Delivery]:
    with sessions() as s:
        return list(s.scalars(select(Delivery).where(Delivery.subject == case_id).order_by(Delivery.created_at,
                                                                                            Delivery.source_event_id)))


def test_every_step_is_a_notice_for_the_court_staff_of_the_unit(
    court_intake: Intake, consumer: EventConsumer, notify_db: sessionmaker[Session],
) -> None:
    case_id = _every_step(court_intake)
    deliver(consumer, court_intake.events())
    found = {d.source_event_type: d for d in _deliveries(notify_db, case_id)}
    assert set(found) == {"court_case.flagged", "court_case.green_channel_decided", "court_case.fee_relief_applied",
                          "court_case.fee_relief_decided", "court_case.filed"}
    assert {(d.channel, d.recipient, d.unit_code, d.status) for d in found.values()} == {
        ("staff_inbox", "unit:court-staff", "NY-FY", "pending")}
    number = "（2022）豫13民初"
    for d in found.values():
        assert number in d.title and number in d.body, d.source_event_type
        # No ID number, whole or masked, nor the credit code, in any notice.
        for text in (d.title, d.body):
            assert PERSON_ID not in text and PERSON_ID[-4:] not in text and CREDIT_CODE not in text
    assert found["court_case.flagged"].title.startswith("【涉企】新标记涉企案件")
    assert f"被告{ENTERPRISE}" in found["court_case.flagged"].body and "李四" not in found["court_case.flagged"].body
    assert "准予适用" in found["court_case.green_channel_decided"].title
    assert "最迟应于2026-10-10立案（自标记之日起3个工作日）" in found["court_case.green_channel_decided"].body
    applied = found["court_case.fee_relief_applied"]
    assert applied.title.startswith("【待决定】诉讼费缓交申请")
    assert "第47条" in applied.body and "应当在决定立案之前作出" in applied.body
    assert "准予被告" in found["court_case.fee_relief_decided"].body
    assert "2026-10-09立案；立案绿色通道期限2026-10-10届满，按期立案" in found["court_case.filed"].body


def test_a_redelivered_step_is_one_notice(
    court_intake: Intake, consumer: EventConsumer, notify_db: sessionmaker[Session],
) -> None:
    case_id = court_intake.flag(date(2026, 9, 30))
    payloads = court_intake.events()
    deliver(consumer, payloads)
    deliver(consumer, payloads)
    assert consumer.stats.handled == 1 and consumer.stats.duplicates == 1
    assert len(_deliveries(notify_db, case_id)) == 1


def test_intakes_other_events_are_ignored_not_dead_lettered(consumer: EventConsumer) -> None:
    for event_type in ("petition.received", "petition.duplicate_split"):
        event = new_event(event_type, subject="p1", source="intake", data=sample_payloads(event_type)["full"])
        deliver(consumer, [encode(event)])
    assert consumer.stats.ignored == 2 and consumer.stats.handled == 0


def test_the_notices_reach_the_units_judges_and_clerks_only(
    court_intake: Intake, consumer: EventConsumer, notify_db: sessionmaker[Session], test_keys: AuthKeys,
) -> None:
    case_id = _every_step(court_intake)
    deliver(consumer, court_intake.events())
    assert Dispatcher(notify_db, {"staff_inbox": StaffInbox()}).run_once() == 5

    def titles(role: str, unit: str) -> list[str]:
        with notify_db() as s:
            page = inbox.page(s, actor=Actor.of(test_keys.principal(role, unit)))
            return [n.delivery.title for n in page.notices if n.delivery.subject == case_id]

    assert len(titles("court_clerk", "NY-FY")) == 5
    assert len(titles("judge", "NY-FY")) == 5
    assert titles("court_clerk", "NY-FY-SF") == []  # a unit below sees its own cases, not the 中院's
    for role, unit in (("triage_officer", "NY-JCY-KS"), ("unit_leader", "NY-JCY"), ("intake_clerk", "NY-JCY-KS")):
        assert titles(role, unit) == [], role


def test_the_inbox_page_links_a_court_case_notice_to_the_court_case(
    court_intake: Intake, consumer: EventConsumer, notify_db: sessionmaker[Session], browser: Callable[..., Any],
) -> None:
    case_id = court_intake.flag(date(2026, 9, 30))
    deliver(consumer, court_intake.events())
    Dispatcher(notify_db, {"staff_inbox": StaffInbox()}).run_once()
    page = browser("court_clerk", "NY-FY").get("/inbox")
    assert page.status_code == 200
    links = [a["href"] for a in soup(page).select(".inbox-item a[href]")]
    assert f"/court-cases/{case_id}" in links and f"/cases/{case_id}" not in links
