"""The item's clocks as the queue reads them: next_due_on follows every change of the petition's 期限,
and a petition with no rule in force on its receipt day still reaches the queue, flagged."""

from __future__ import annotations

import datetime as _dt
from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import closing, queries, suspensions
from services.review.triage.handlers import HANDLERS
from services.review.triage.models import TriageItem
from shared.audit.models import AuditEntry
from shared.events import decode, encode, new_event

RECEIVED = {
    "petition_id": "pid-1", "case_number": "宛检12309〔2026〕1号", "line": "12309", "channel": "信",
    "petition_type": "控告", "is_enterprise": True, "petitioner_masked": "王*", "summary": "账户冻结",
    # 国庆 2026: received on Tuesday 29 September; the 7-day reply would end on 6 October, a holiday.
    "received_at": datetime(2026, 9, 29, 2, 0, tzinfo=timezone.utc), "received_on": "2026-09-29",
    "unit_code": "NY-JCY-KS",
}


@pytest.fixture
def review_sessions(engine_for) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("review")
    return sessions  # type: ignore[no-any-return]


def _receive(sessions: sessionmaker[Session], data: dict[str, object]) -> None:
    event = decode(encode(new_event("petition.received", subject=str(data["petition_id"]), source="intake", data=data)))
    with sessions() as s, s.begin():
        HANDLERS["petition.received"](s, event)


def _item(s: Session) -> TriageItem:
    return s.scalars(select(TriageItem)).one()


def test_next_due_on_follows_meeting_pausing_and_resuming_the_clocks(review_sessions: sessionmaker[Session]) -> None:
    _receive(review_sessions, RECEIVED)
    with review_sessions() as s:
        by_rule = {d.rule_code: d for d in queries.list_(s, principal=None, subject="pid-1")}
        procedural, result = by_rule["12309.procedural_reply"], by_rule["12309.result_reply"]
        # 29 Sep + 7 days = 6 Oct, in the 国庆 holiday (1–7 Oct 2026): moved to Thursday 8 October.
        assert procedural.due_on == _dt.date(2026, 10, 8)
        assert _item(s).next_due_on == procedural.due_on
    with review_sessions() as s, s.begin():
        closing.meet(s, deadline_id=procedural.id, actor="user:demo-handler", principal=None,
                     met_at=datetime(2026, 9, 30, 2, 0, tzinfo=timezone.utc))
    with review_sessions() as s:
        assert _item(s).next_due_on == result.due_on  # the result reply is now the nearest
    with review_sessions() as s, s.begin():
        suspensions.suspend(s, deadline_id=result.id, reason="awaiting_materials", basis="一次性告知",
                            start_on=_dt.date(2026, 10, 12), actor="user:demo-triage", principal=None)
    with review_sessions() as s:
        assert _item(s).next_due_on is None  # no clock running: sorts last in the queue
    with review_sessions() as s, s.begin():
        (pause,) = queries.suspensions(s, result.id)
        suspensions.lift(s, deadline_id=result.id, suspension_id=pause.id, resumed_on=_dt.date(2026, 10, 22), actor="user:demo-triage",
                         principal=None)
    with review_sessions() as s:
        moved = s.get(type(result), result.id)
        assert moved is not None and moved.due_on is not None and moved.due_on > result.due_on
        assert _item(s).next_due_on == moved.due_on


def test_a_petition_older_than_every_rule_reaches_the_queue_flagged(review_sessions: sessionmaker[Session]) -> None:
    _receive(review_sessions, RECEIVED | {
        "received_at": datetime(1990, 5, 1, 1, 0, tzinfo=timezone.utc), "received_on": "1990-05-01"})
    with review_sessions() as s:
        item = _item(s)
        assert item.status == "pending" and item.next_due_on is None
        assert item.missing_rules == "12309.procedural_reply,12309.result_reply"
        assert queries.list_(s, principal=None, subject="pid-1") == []
        flagged = s.scalars(select(AuditEntry).where(AuditEntry.action == "triage.clock_missing")).one()
        assert flagged.subject_id == item.id
