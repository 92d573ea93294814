"""12309 "3 months, then monthly": the result reply missed or met with a progress reply is followed
by a monthly ``12309.progress_followup``, counted from the due date, until a final reply.

Real holiday periods of the shared calendar: 春节 2026 (02-15..02-23 off) and 国庆 2026 (10-01..10-07 off).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import attaching, closing, queries
from services.review.deadlines.models import Deadline
from services.review.deadlines.jobs import run_once
from shared.events import decode
from shared.outbox import OutboxMessage
from tests.support.auth import AuthKeys

UNIT = "NY-JCY-KS"


def _at(day: date, hour_beijing: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour_beijing - 8, tzinfo=timezone.utc)


def _chain(session: Session, subject: str) -> list[Deadline]:
    return list(session.scalars(select(Deadline).where(Deadline.subject == subject).order_by(Deadline.start_on)))


def _result_reply(sessions: sessionmaker[Session], subject: str, received_on: date) -> Deadline:
    with sessions() as s, s.begin():
        return attaching.attach(s, subject=subject, rule_code="12309.result_reply", start_on=received_on,
                              unit_code=UNIT, case_number="12309-2025-000042")


def test_progress_replies_start_the_next_month_until_the_final_answer(review_sessions: sessionmaker[Session]) -> None:
    # Received Fri 2025-10-17: 3 months end Sat 2026-01-17, moved to Mon 01-19.
    result = _result_reply(review_sessions, "p-spring", date(2025, 10, 17))
    assert result.due_on == date(2026, 1, 19)
    with review_sessions() as s, s.begin():
        closing.meet(s, deadline_id=result.id, principal=None, actor="user:a", met_at=_at(date(2026, 1, 15)),
                     outcome=closing.PROGRESS, note="已答复办理进展")
        first = s.scalar(select(Deadline).where(Deadline.follows_id == result.id))
        assert first is not None
        # Counted from the result reply's due date: 2026-02-19 is in 春节 (02-15..02-23), so Tue 02-24.
        assert (first.rule_code, first.start_on, first.due_on) == ("12309.progress_followup", date(2026, 1, 19),
                                                                   date(2026, 2, 24))
        assert (first.unit_code, first.case_number, first.status) == (UNIT, "12309-2025-000042", "open")
        assert [h.kind for h in queries.history(s, result.id)][-2:] == ["met", "followup_attached"]
        assert queries.history(s, result.id)[-2].data["outcome"] == "progress"
    with review_sessions() as s, s.begin():
        closing.meet(s, deadline_id=first.id, principal=None, actor="user:a", met_at=_at(date(2026, 2, 24)),
                     outcome=closing.PROGRESS)
        second = s.scalar(select(Deadline).where(Deadline.follows_id == first.id))
        assert second is not None and (second.start_on, second.due_on) == (date(2026, 2, 24), date(2026, 3, 24))
    with review_sessions() as s, s.begin():
        closing.meet(s, deadline_id=second.id, principal=None, actor="user:a", met_at=_at(date(2026, 3, 20)))
    with review_sessions() as s:
        chain = _chain(s, "p-spring")
        assert [(d.rule_code, d.status) for d in chain] == [
            ("12309.result_reply", "met"), ("12309.progress_followup", "met"), ("12309.progress_followup", "met")]
        assert queries.history(s, second.id)[-1].data["outcome"] == "final"
    # Nothing left to remind anyone of.
    assert run_once(review_sessions, _at(date(2026, 6, 1))).overdue == 0


def test_a_missed_result_reply_is_followed_monthly_once_each(review_sessions: sessionmaker[Session]) -> None:
    # Received Sun 2026-06-07: due Mon 2026-09-07.
    result = _result_reply(review_sessions, "p-autumn", date(2026, 6, 7))
    assert result.due_on == date(2026, 9, 7)
    assert run_once(review_sessions, _at(date(2026, 9, 8))).overdue == 1
    assert run_once(review_sessions, _at(date(2026, 9, 9))).overdue == 0  # not again, and no second follow-up
    with review_sessions() as s:
        chain = _chain(s, "p-autumn")
        # 2026-10-07 is the last day of 国庆 (10-01..10-07): moved to Thu 10-08.
        assert [(d.rule_code, d.start_on, d.due_on) for d in chain] == [
            ("12309.result_reply", date(2026, 6, 7), date(2026, 9, 7)),
            ("12309.progress_followup", date(2026, 9, 7), date(2026, 10, 8))]
        assert chain[1].follows_id == result.id
        assert queries.history(s, result.id)[-1].actor == "system:scheduler"
    # The follow-up is missed too: the next month follows (11-08 is a Sunday: Mon 11-09).
    assert run_once(review_sessions, _at(date(2026, 10, 8), 23)).overdue == 0  # still the due day in Beijing
    assert run_once(review_sessions, _at(date(2026, 10, 9))).overdue == 1
    with review_sessions() as s:
        chain = _chain(s, "p-autumn")
        assert [(d.start_on, d.due_on) for d in chain[1:]] == [
            (date(2026, 9, 7), date(2026, 10, 8)), (date(2026, 10, 8), date(2026, 11, 9))]
    # The final answer, late, on the result reply: it is missed, and the open follow-ups close with it
    # (the one already past as missed, the running one as met).
    with review_sessions() as s, s.begin():
        closing.meet(s, deadline_id=result.id, principal=None, actor="user:b", met_at=_at(date(2026, 10, 20)),
                     outcome=closing.FINAL)
    with review_sessions() as s:
        assert [d.status for d in _chain(s, "p-autumn")] == ["missed", "missed", "met"]
        closed = queries.history(s, _chain(s, "p-autumn")[2].id)[-1]
        assert (closed.kind, closed.data["closed_by"], closed.data["outcome"]) == ("met", result.id, "final")
        overdue = [decode(r.payload).data for r in s.scalars(
            select(OutboxMessage).where(OutboxMessage.event_type == "deadline.overdue").order_by(OutboxMessage.id))]
        assert [(o["rule_code"], o["due_on"]) for o in overdue] == [
            ("12309.result_reply", "2026-09-07"), ("12309.progress_followup", "2026-10-08")]
    assert run_once(review_sessions, _at(date(2026, 12, 1))).overdue == 0


def test_a_late_progress_reply_after_the_overdue_notice_adds_no_second_follow_up(
    review_sessions: sessionmaker[Session],
) -> None:
    result = _result_reply(review_sessions, "p-late", date(2026, 6, 7))
    run_once(review_sessions, _at(date(2026, 9, 8)))
    with review_sessions() as s, s.begin():
        closing.meet(s, deadline_id=result.id, principal=None, actor="u", met_at=_at(date(2026, 9, 10)),
                     outcome=closing.PROGRESS)
    with review_sessions() as s:
        assert [(d.rule_code, d.status) for d in _chain(s, "p-late")] == [
            ("12309.result_reply", "missed"), ("12309.progress_followup", "open")]


def test_only_12309_result_and_follow_up_replies_can_report_progress(review_sessions: sessionmaker[Session]) -> None:
    with review_sessions() as s, s.begin():
        proc = attaching.attach(s, subject="p-x", rule_code="12309.procedural_reply", start_on=date(2025, 11, 3),
                              unit_code=UNIT)
        with pytest.raises(closing.InvalidOutcome):
            closing.meet(s, deadline_id=proc.id, principal=None, actor="u", outcome=closing.PROGRESS)
        with pytest.raises(closing.InvalidOutcome):
            closing.meet(s, deadline_id=proc.id, principal=None, actor="u", outcome="partial")
        assert proc.status == "open"
        # A missed procedural reply has no monthly follow-up.
    assert run_once(review_sessions, _at(date(2025, 11, 11))).overdue == 1
    with review_sessions() as s:
        assert [d.rule_code for d in _chain(s, "p-x")] == ["12309.procedural_reply"]


def test_the_api_takes_the_outcome(review_app: Flask, test_keys: AuthKeys) -> None:
    with review_app.extensions["huhang"].session_factory() as s, s.begin():
        result = attaching.attach(s, subject="p-api", rule_code="12309.result_reply", start_on=date(2026, 6, 7),
                                unit_code=UNIT).id
        proc = attaching.attach(s, subject="p-api", rule_code="12309.procedural_reply", start_on=date(2026, 6, 7),
                              unit_code=UNIT).id
    client = review_app.test_client()
    officer = test_keys.headers("triage_officer")
    met = client.post(f"/api/v1/deadlines/{result}/meet", headers=officer,
                      json={"met_at": "2026-09-07T02:00:00+00:00", "outcome": "progress"})
    assert met.status_code == 200 and met.json["status"] == "met"
    listed = client.get("/api/v1/deadlines?subject=p-api&rule_code=12309.progress_followup", headers=officer).json
    assert [(d["follows_id"], d["due_on"], d["unit_code"]) for d in listed] == [(result, "2026-10-08", UNIT)]
    refused = client.post(f"/api/v1/deadlines/{proc}/meet", headers=officer, json={"outcome": "progress"})
    assert refused.status_code == 422 and refused.json["code"] == "invalid_outcome"
    bad = client.post(f"/api/v1/deadlines/{proc}/meet", headers=officer, json={"outcome": "maybe"})
    assert bad.status_code == 422 and "outcome" in bad.json["errors"]
