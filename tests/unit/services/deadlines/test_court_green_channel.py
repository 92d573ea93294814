"""The 立案绿色通道 as a review deadline: intake's real events, review's real consumer (minus the broker).

Intake flags and decides through its service (SQLite), so the events are exactly what intake
publishes; review's consumer handles each outbox payload as it would a Kafka record, with the
processed-events inbox, so a redelivery is a true redelivery.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.intake.court_cases.service import GreenChannelRule
from services.review.cases.court import service as court
from services.review.cases.court.inputs import GreenChannelDecided
from services.review.deadlines import jobs, queries
from services.review.deadlines.models import Deadline
from services.review.domains import MANIFEST as REVIEW
from shared.actor import Actor
from shared.audit.models import AuditEntry
from shared.calendar import Unit
from shared.events import Envelope, decode
from shared.kafka.consumer import EventConsumer
from shared.outbox import OutboxMessage
from tests.support.auth import AuthKeys
from tests.support.court_intake import WORKING_3, Intake, at, deliver, offline_consumer

@pytest.fixture
def court_intake(engine_for, test_keys: AuthKeys) -> Intake:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("intake")
    return Intake(sessions, Actor.of(test_keys.principal("judge")))  # a judge of 南阳中院 NY-FY


@pytest.fixture
def consumer(review_sessions: sessionmaker[Session]) -> Iterator[EventConsumer]:
    """Review's consumer with every handler of its manifest."""
    c = offline_consumer("review", REVIEW.handlers(), review_sessions)
    yield c
    assert c.stats.dead_lettered == 0


def _deadlines(sessions: sessionmaker[Session], case_id: str) -> list[Deadline]:
    with sessions() as s:
        return queries.list_(s, principal=None, subject=case_id)


def _event(payloads: list[bytes], type_: str) -> Envelope:
    return next(e for e in map(decode, payloads) if e.type == type_)


# 2026: 国庆 10-01…10-07 off, Saturday 10-10 a 调休 working day.
@pytest.mark.parametrize(("flagged_on", "decided_on", "rule", "due_on"), [
    # Three working days from the eve of 国庆: 10-08, 10-09 and the make-up Saturday 10-10.
    (date(2026, 9, 30), date(2026, 9, 30), WORKING_3, date(2026, 10, 10)),
    # Decided after the holiday: still counted from the flag, as intake counts.
    (date(2026, 9, 30), date(2026, 10, 9), WORKING_3, date(2026, 10, 10)),
    # Natural days: 10-03 is a holiday, so the first working day after it.
    (date(2026, 9, 30), date(2026, 9, 30), GreenChannelRule(3, Unit.DAY), date(2026, 10, 8)),
    # Flagged on the make-up Saturday itself: 10-12, 10-13, 10-14.
    (date(2026, 10, 10), date(2026, 10, 10), WORKING_3, date(2026, 10, 14)),
])
def test_a_granted_green_channel_opens_a_deadline_due_on_the_courts_date(
    court_intake: Intake, consumer: EventConsumer, review_sessions: sessionmaker[Session],
    flagged_on: date, decided_on: date, rule: GreenChannelRule, due_on: date,
) -> None:
    case_id = court_intake.flag(flagged_on)
    assert court_intake.decide(case_id, decided_on, rule=rule) == due_on  # intake's answer
    payloads = court_intake.events()
    deliver(consumer, payloads)

    [deadline] = _deadlines(review_sessions, case_id)
    decided = _event(payloads, "court_case.green_channel_decided").data
    assert deadline.due_on == date.fromisoformat(decided["due_on"]) == due_on
    assert deadline.provisional is False
    assert (deadline.rule_code, deadline.start_on, deadline.status) == ("court.green_channel", flagged_on, "open")
    assert (deadline.unit_code, deadline.case_number) == ("NY-FY", decided["case_number"])
    assert (deadline.amount, deadline.unit) == (rule.amount, rule.unit.value)
    assert consumer.stats.ignored == 1  # court_case.flagged: nothing of review's hangs on it


def test_the_courts_recorded_limit_wins_over_reviews_setting(
    court_intake: Intake, consumer: EventConsumer, review_sessions: sessionmaker[Session],
) -> None:
    """Intake set to 5 working days, review left at the default 3: the deadline ends where the court said."""
    case_id = court_intake.flag(date(2026, 9, 30))
    due = court_intake.decide(case_id, date(2026, 9, 30), rule=GreenChannelRule(5, Unit.WORKING_DAY))
    deliver(consumer, court_intake.events())
    [deadline] = _deadlines(review_sessions, case_id)
    assert deadline.due_on == due == date(2026, 10, 13)  # 10-08, 09, 10 (Sat), 12, 13
    with review_sessions() as s:
        [set_row] = [h for h in queries.history(s, deadline.id) if h.kind == "set"]
    assert set_row.data["amount"] == 5 and set_row.data["rule_amount"] == 3


def test_a_refused_green_channel_opens_nothing(
    court_intake: Intake, consumer: EventConsumer, review_sessions: sessionmaker[Session],
) -> None:
    case_id = court_intake.flag(date(2026, 9, 30))
    court_intake.decide(case_id, date(2026, 9, 30), granted=False)
    court_intake.file(case_id, date(2026, 10, 20))
    deliver(consumer, court_intake.events())
    assert _deadlines(review_sessions, case_id) == []
    assert consumer.stats.handled == 2 and consumer.stats.ignored == 1


def test_a_redelivered_or_replayed_decision_opens_one_deadline(
    court_intake: Intake, consumer: EventConsumer, review_sessions: sessionmaker[Session],
) -> None:
    case_id = court_intake.flag(date(2026, 9, 30))
    court_intake.decide(case_id, date(2026, 9, 30))
    payloads = court_intake.events()
    deliver(consumer, payloads)
    deliver(consumer, payloads)  # the broker redelivers (offsets not committed before a crash)
    assert consumer.stats.duplicates == 1  # the flag is ignored before the inbox, the decision skipped by it
    # A replay under a new event id (huhang dlq replay, a republish) passes the inbox: the service holds.
    event = _event(payloads, "court_case.green_channel_decided")
    with review_sessions() as s, s.begin():
        again = court.open_green_channel_deadline(s, GreenChannelDecided.from_envelope(event), event_id="other-id",
                                                  trace_id=None)
    [deadline] = _deadlines(review_sessions, case_id)
    assert again is not None and again.id == deadline.id
    with review_sessions() as s:
        opened = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "court_case.green_channel_deadline_open"))
    assert opened == 1


@pytest.mark.parametrize(("filed_on", "status"), [
    (date(2026, 10, 9), "met"), (date(2026, 10, 10), "met"),  # on the 调休 Saturday: still on time
    (date(2026, 10, 12), "missed"),
])
def test_filing_closes_the_deadline_met_or_missed(
    court_intake: Intake, consumer: EventConsumer, review_sessions: sessionmaker[Session],
    filed_on: date, status: str,
) -> None:
    case_id = court_intake.flag(date(2026, 9, 30))
    court_intake.decide(case_id, date(2026, 9, 30))
    court_met = court_intake.file(case_id, filed_on)
    payloads = court_intake.events()
    deliver(consumer, payloads)
    deliver(consumer, payloads[-1:])  # a redelivered 立案 changes nothing

    [deadline] = _deadlines(review_sessions, case_id)
    assert deadline.status == status and deadline.met_on_time is (status == "met") is court_met
    with review_sessions() as s:
        history = queries.history(s, deadline.id)
        closes = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "court_case.green_channel_deadline_close"))
    assert [h.kind for h in history] == ["set", status]
    assert history[-1].data["met_on"] == filed_on.isoformat()
    assert closes == 1


def test_filing_with_a_pending_deferral_decided_first_closes_it_too(
    court_intake: Intake, consumer: EventConsumer, review_sessions: sessionmaker[Session],
) -> None:
    """The 缓交 steps open no deadline of review's (no period in the rules) and do not disturb the green channel."""
    case_id = court_intake.flag(date(2026, 9, 30))
    court_intake.decide(case_id, date(2026, 9, 30))
    court_intake.apply_and_decide_deferral(case_id, date(2026, 9, 30), date(2026, 10, 8))
    court_intake.file(case_id, date(2026, 10, 9))
    deliver(consumer, court_intake.events())
    [deadline] = _deadlines(review_sessions, case_id)
    assert deadline.status == "met"
    assert consumer.stats.ignored == 3  # flagged, fee_relief_applied, fee_relief_decided


def test_the_deadline_gets_the_due_soon_and_overdue_notices(
    court_intake: Intake, consumer: EventConsumer, review_sessions: sessionmaker[Session],
) -> None:
    """督办 for green-channel cases: the scheduler warns a working day ahead, then reports it overdue."""
    case_id = court_intake.flag(date(2026, 9, 30))
    court_intake.decide(case_id, date(2026, 9, 30))
    deliver(consumer, court_intake.events())
    assert jobs.run_once(review_sessions, at(date(2026, 10, 8)), recompute=False).due_soon == 0
    assert jobs.run_once(review_sessions, at(date(2026, 10, 9)), recompute=False).due_soon == 1
    assert jobs.run_once(review_sessions, at(date(2026, 10, 11)), recompute=False).overdue == 1
    with review_sessions() as s:
        notices = [decode(r.payload) for r in s.scalars(select(OutboxMessage).where(
            OutboxMessage.event_type.in_(("deadline.due_soon", "deadline.overdue"))).order_by(OutboxMessage.id))]
    assert [n.type for n in notices] == ["deadline.due_soon", "deadline.overdue"]
    data: dict[str, Any] = notices[0].data
    assert (data["subject"], data["unit_code"], data["rule_code"], data["due_on"]) == (
        case_id, "NY-FY", "court.green_channel", "2026-10-10")
